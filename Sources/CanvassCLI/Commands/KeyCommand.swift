import ArgumentParser
import CanvassCore
import CanvassStore
import Foundation

struct KeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key",
        abstract: "Key paper forms heads-down, one phiếu after another; every field is saved as it is typed.",
        discussion: """
            Modelled on CSPro's operator-controlled data entry. The paper is the truth:
            nothing keyed is refused.
              digit       with up to 9 choices: picks one and moves on, no Enter
              *           records "blank on paper"
              Enter       keeps what was typed and moves to the next question that applies
              ↑ ↓ Tab     move to any field, even one skip logic hides
              PgUp PgDn   move a page
              Del         clears the field
              Ctrl-D      stops (a phiếu begun stays a draft and continues next time)
            A code out of range, a value that fails a condition, or an answer on a
            question skip logic hides asks for one confirming Enter, then is kept;
            canvass validate reports it. At the end of a phiếu, Enter completes it and
            starts the next: --persistent fields carry over, and the --count field
            counts up. Keying starts at the first field; it asks only for persistent
            fields not yet set. Phiếu keyed here are marked mode 'key': the speed check
            does not apply to them. Without a terminal (a pipe), with TERM=dumb or with
            --line (screen readers), it is line by line: each field is announced on a
            line and each line keys one field (digits too need Enter; an empty line
            after a doubtful entry keeps it). For answers in JSON use canvass record.
            Verify with canvass verify.

            Examples:
              canvass key forms/sipas-2017.yaml --db batch-07.canvass --as hoa --persistent unit --count form_no
              canvass key forms/sipas-2017.yaml --db batch-07.canvass --as hoa --lang en
            """
    )

    @Argument(help: "The form file.")
    var form: String

    @Option(help: "The data file (created when absent).")
    var db: String

    @Option(name: .customLong("as"), help: "The clerk keying.")
    var clerk: String

    @Option(help: "Fields that carry over to the next phiếu (unit, batch, date), comma-separated or repeated.")
    var persistent: [String] = []

    @Option(help: "A whole-number field that counts up by itself from one phiếu to the next (the form number).")
    var count: String?

    @Option(help: "Device id (default: this machine's name).")
    var device: String?

    @Option(help: "Language of labels and messages (default: the form's, then LANG).")
    var lang: String?

    @Flag(help: "Line by line even on a terminal (for screen readers).")
    var line = false

    var persistentFields: [String] { persistent.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } }

    func validate() throws {
        if clerk.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--as needs a non-empty clerk id") }
    }

    func run() throws {
        let form = try FormFile.loadChecked(self.form)
        let messages = Messages.choose(lang: lang, form: form)
        if let lang, !form.languages.isEmpty, !form.languages.contains(lang) {
            throw ValidationError(messages(.noLanguage, ["lang": lang, "languages": form.languages.joined(separator: ", ")]))
        }
        let engine = try CLIEnvironment.engine(form)
        let keyed = Set(KeyingRules(engine: engine).fields([:]).map(\.path))
        for name in persistentFields + [count].compactMap({ $0 }) where !keyed.contains(name) {
            throw ValidationError(messages(.noKeyedField, ["name": name]))
        }
        if let count, engine.row(count)?.kind != .integer { throw ValidationError(messages(.countNotInteger, ["name": count])) }
        let fullScreen = Terminal.canRunFullScreen && !line
        let file = try DataFile(path: db, mode: .create, environment: CLIEnvironment.store)
        try file.warnOfOtherDefinitions(form)
        let device = self.device ?? CLIEnvironment.hostName
        // The clerk's own phiếu of this form: a draft to go on with, and the last one's persistent fields.
        let mine = try file.interviews().filter { $0.mode == EntryMode.key.rawValue && $0.surveyor == clerk && $0.formId == form.formId }
        let draft = mine.last { $0.status == InterviewStatus.draft.rawValue }
        let last = try mine.last { $0.status != InterviewStatus.draft.rawValue && $0.status != InterviewStatus.discarded.rawValue }
            .map { try file.state($0.id).answers } ?? [:]

        let terminal = Terminal()
        if fullScreen { terminal.open() }
        defer { terminal.close() }
        let keying = KeyingScreen(file: file, engine: engine, messages: messages, language: lang ?? form.defaultLanguage,
                                  clerk: clerk, device: device, screen: Screen(terminal: terminal))
        keying.lineMode = !fullScreen
        if let draft {
            let state = try file.state(draft.id)
            keying.begin(interview: draft.id, answers: state.answers, marks: state.paper, carried: [])
        } else {
            let (answers, carried) = carry(from: last)
            keying.begin(interview: nil, answers: answers, marks: [:], carried: carried)
        }
        var number = 1
        while true {
            let n = number
            keying.makeTitle = { answers in messages(.keyTitle, ["form": form.formId, "clerk": clerk, "n": String(n), "key": engine.caseKey(answers) ?? ""]) }
            guard try keying.run(terminal) == .phieuDone else { break }
            let saved = engine.caseKey(keying.answers) ?? keying.interview ?? ""
            let (answers, carried) = carry(from: keying.answers)
            keying.begin(interview: nil, answers: answers, marks: [:], carried: carried)
            number += 1
            keying.message = messages(.phieuSaved, ["key": saved, "n": String(keying.completedCount)])
        }
        terminal.close()
        Output.print(messages(.keyStopped, ["n": String(keying.completedCount)]))
    }

    /// The next phiếu's carried fields: the persistent ones as they were, the counted one plus one.
    func carry(from previous: Answers) -> (Answers, Set<String>) {
        var answers: Answers = [:]
        for name in persistentFields { if let value = previous[name] { answers[name] = value } }
        if let count, let value = previous[count].flatMap({ Int($0) }) { answers[count] = String(value + 1) }
        return (answers, Set(answers.keys))
    }
}
