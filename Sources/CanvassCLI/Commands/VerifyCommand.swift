import ArgumentParser
import CanvassCore
import CanvassStore
import Foundation

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Double-entry verification: key paper phiếu a second time, blind, and settle every difference.",
        discussion: """
            Each phiếu keyed with canvass key by another clerk (all of them, or a seeded
            --sample) is keyed again without the first keying shown. On a difference
            keying stops and shows both values:
              1  keep the first (the verifier was wrong)
              2  keep yours (the keyer was wrong)
              3  key it again (whoever differs from the third keying was wrong)
            Each outcome is saved as it is decided (reserved fields _verify/FIELD, then
            _verified), so a verification stopped with Ctrl-D resumes where it stopped,
            and verifications merge like answers. --report gives, per clerk and role:
            phiếu, fields, errors, errors per 1,000 fields verified, fields per hour of
            keying (gaps over 5 minutes are breaks).

            Examples:
              canvass verify batch-07.canvass --as lan
              canvass verify batch-07.canvass --as lan --sample 10% --seed 2026
              canvass verify batch-07.canvass --report
              canvass verify batch-07.canvass --report --json
            """
    )

    @Argument(help: "The data file holding the keyed phiếu.")
    var file: String

    @Option(name: .customLong("as"), help: "The verifying clerk (not the one who keyed the phiếu).")
    var clerk: String?

    @Option(help: "Verify a seeded sample of this share of the phiếu, e.g. 10%.")
    var sample: String?

    @Option(help: "The sample's seed: the same seed picks the same phiếu.")
    var seed: UInt64 = 1

    @Flag(help: "Report keying and verification per clerk instead of verifying.")
    var report = false

    @Flag(help: "With --report: print JSON.")
    var json = false

    @Option(help: "Device id (default: this machine's name).")
    var device: String?

    @Option(help: "Language of labels and messages (default: the form's, then LANG).")
    var lang: String?

    @Flag(help: "Line by line even on a terminal (for screen readers); also without a terminal or with TERM=dumb.")
    var line = false

    var percent: Double? {
        sample.flatMap { Double($0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "%", with: "")) }
    }

    func validate() throws {
        if report { return }
        guard let clerk, !clerk.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--as needs the verifying clerk's id (or use --report)") }
        if sample != nil, !(percent.map { $0 > 0 && $0 <= 100 } ?? false) { throw ValidationError("--sample must be a share from 0% to 100%, e.g. 10%") }
    }

    func run() throws {
        if report { return try printReport() }
        let data = try DataFile(path: file, mode: .readWrite, environment: CLIEnvironment.store)
        let engines = try FormEngines(data)
        let clerk = self.clerk ?? ""
        let keyed = try data.interviews().filter { $0.mode == EntryMode.key.rawValue && $0.status != InterviewStatus.discarded.rawValue }
        let waiting = try keyed.filter { summary in
            guard summary.surveyor != clerk, percent.map({ VerificationSample.contains(summary.id, percent: $0, seed: seed) }) ?? true else { return false }
            return try data.reserved(summary.id)[FieldVerification.done] == nil
        }
        let firstForm = try waiting.first.map { try engines.engine(sha256: $0.form).form }
        let messages = Messages.choose(lang: lang, form: firstForm)
        guard !waiting.isEmpty else {
            let inSample = percent.map { messages(.verifySample, ["percent": FieldValue.format($0), "seed": String(seed)]) } ?? ""
            Output.print(messages(.verifyNothing, ["file": file, "sample": inSample]))
            return
        }
        let fullScreen = Terminal.canRunFullScreen && !line
        let device = self.device ?? CLIEnvironment.hostName
        let terminal = Terminal()
        if fullScreen { terminal.open() }
        defer { terminal.close() }
        let screen = Screen(terminal: terminal)
        var done = 0
        var summaries: [String] = []
        for (number, summary) in waiting.enumerated() {
            let engine = try engines.engine(sha256: summary.form)
            let keying = KeyingScreen(file: data, engine: engine, messages: messages, language: lang ?? engine.form.defaultLanguage,
                                      clerk: clerk, device: device, screen: screen)
            let verifier = Verifier(reserved: try data.reserved(summary.id))
            keying.verifier = verifier
            keying.lineMode = !fullScreen
            let state = try data.state(summary.id)
            keying.begin(interview: summary.id, answers: state.answers, marks: state.paper, carried: [])
            keying.title = messages(.verifyTitle, ["key": summary.key ?? summary.id, "n": String(number + 1), "total": String(waiting.count),
                                                   "keyer": summary.surveyor, "clerk": clerk])
            if let last = summaries.last { keying.message = last }
            guard try keying.run(terminal) == .phieuDone else { break }
            done += 1
            summaries.append(messages(.verifyDone, ["key": summary.key ?? summary.id, "fields": String(verifier.records.count), "errors": String(verifier.errors)]))
        }
        terminal.close()
        for line in summaries { Output.print(line) }
        Output.print(messages(.verifyStopped, ["n": String(done)]))
    }

    func printReport() throws {
        let data = try DataFile(path: file, mode: .readOnly, environment: CLIEnvironment.store)
        let (events, keyers) = try data.keyingEvents()
        let rows = ClerkStatistics.compute(events, keyers: keyers)
        if json { return Output.printJSON(rows) }
        let form = try data.forms().first
        let messages = Messages.choose(lang: lang, form: form)
        guard !rows.isEmpty else { return Output.print(messages(.reportEmpty, ["file": file])) }
        let header = messages(.reportHeader).split(separator: "|").map(String.init)
        func number(_ value: Double?) -> String { value.map { FieldValue.format($0) } ?? "—" }
        Output.print(Table.render(header: header, rows: rows.map { row in
            [row.clerk, row.role == "key" ? messages(.roleKey) : messages(.roleVerify), String(row.phieu), String(row.fields),
             String(row.verifiedFields), String(row.errors), number(row.errorsPer1000), number(row.fieldsPerHour)]
        }))
    }
}
