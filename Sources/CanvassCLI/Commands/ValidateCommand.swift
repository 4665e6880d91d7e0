import ArgumentParser
import CanvassCore
import CanvassStore
import Foundation

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check every interview against its form: required, constraint, type, repeat-count, not-relevant, speed.",
        discussion: """
            The form comes from the data file. Discarded interviews are skipped. Exit 1 if any interview has an error.
            `speed` warns when an interview entered at the prompt or a kiosk was finished faster than --min-duration
            (phiếu keyed from paper, and bulk records, are not timed).

            Examples:
              canvass validate hanoi.canvass
              canvass validate team/*.canvass --json
              canvass validate hanoi.canvass --min-duration 300
            """
    )

    @Argument(help: "Data files.")
    var files: [String]

    @Option(help: "Minimum plausible interview length in seconds, for the speed check.")
    var minDuration: Int = 120

    @Option(help: "Language of messages (default: each form's).")
    var lang: String?

    @Flag(help: "Print findings and a summary as JSON.")
    var json = false

    struct Summary: Encodable { var interviews = 0, valid = 0, invalid = 0, findings = 0 }
    struct Report: Encodable { var summary: Summary; var findings: [Finding] }

    func run() throws {
        var summary = Summary()
        var findings: [Finding] = []
        for path in files {
            for found in try Self.check(path, minDuration: minDuration, language: lang) {
                summary.interviews += 1
                if found.hasErrors { summary.invalid += 1 } else { summary.valid += 1 }
                findings += found
            }
        }
        summary.findings = findings.count
        if json {
            Output.printJSON(Report(summary: summary, findings: findings))
        } else {
            for finding in findings { Output.print(render(finding)) }
            Output.print("\(summary.interviews) interviews: \(summary.valid) valid, \(summary.invalid) invalid, \(summary.findings) findings")
        }
        if summary.invalid > 0 { throw ExitCode(1) }
    }

    /// Each interview's findings (discarded ones skipped), in id order, checked on every core
    /// while the next interviews are read.
    static func check(_ path: String, minDuration: Int, language: String?) throws -> [[Finding]] {
        let data = try Stores.open(path, mode: .readOnly, environment: CLIEnvironment.store)
        let engines = try FormEngines(data)
        var findings: [[Finding]] = []
        let pipeline = BatchPipeline<(InterviewSummary, InterviewState), [Finding]>(
            work: { interview, state in
                let engine = try engines.engine(sha256: interview.form)
                var found = engine.validate(state.answers, language: language, paper: state.paper)
                found += state.conflicts.map { Finding(.error, "conflict", field: $0, "'\($0)' has conflicting values; see canvass conflicts") }
                if let speed = speedFinding(interview, state, engine, minDuration: minDuration) { found.append(speed) }
                for i in found.indices { found[i].interview = interview.id }
                return found
            },
            deliver: { findings += $0 })
        try data.forEachInterview(showing: "validating \(path)") { interview, state in
            guard interview.status != InterviewStatus.discarded.rawValue else { return }
            try pipeline.add((interview, state))
        }
        try pipeline.finish()
        return findings
    }

    /// Interviews entered at the prompt or a kiosk and finished in less than the minimum are suspect. The
    /// length is the form's own `start` and `end` when it has them (ODK's metadata), otherwise from
    /// creation to the last change.
    static func speedFinding(_ interview: InterviewSummary, _ state: InterviewState, _ engine: FormEngine, minDuration: Int) -> Finding? {
        guard [EntryMode.prompt, .kiosk].map(\.rawValue).contains(interview.mode),
            [InterviewStatus.completed, .approved].map(\.rawValue).contains(interview.status)
        else { return nil }
        func metadata(_ kind: FieldType.Kind) -> Date? {
            engine.firstRow(kind).flatMap { state.answers[$0.localKey] }.flatMap(CLIEnvironment.parseDate)
        }
        guard let start = metadata(.start) ?? CLIEnvironment.parseDate(interview.created),
              let end = metadata(.end) ?? CLIEnvironment.parseDate(interview.updated)
        else { return nil }
        let seconds = Int(end.timeIntervalSince(start))
        guard seconds < minDuration else { return nil }
        return Finding(.warning, "speed", "finished in \(seconds) s, under the \(minDuration) s minimum; check it was really asked")
    }
}
