import ArgumentParser
import CanvassCore
import CanvassStore

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one interview: answers, status, notes, history.",
        discussion: """
            ID may be the start of an interview id, if only one matches.

            Examples:
              canvass show hanoi.canvass 3f2a
              canvass show hanoi.canvass 3f2a --json
            """
    )

    @Argument(help: "The data file.")
    var file: String

    @Argument(help: "The interview id (or its unambiguous start).")
    var id: String

    @Option(help: "Language of labels (default: the form's).")
    var lang: String?

    @Flag(help: "Print the interview as JSON (answers by field name, status, notes, history).")
    var json = false

    struct Note: Encodable { var text: String; var author: String; var time: String }
    struct Change: Encodable {
        var revision: String
        var field: String
        var value: String?
        var author: String
        var device: String
        var time: String
        var parents: [String]
    }
    struct Report: Encodable {
        var interview: InterviewSummary
        var answers: [String: JSONValue]
        var conflicts: [String]
        var notes: [Note]
        var history: [Change]
        var findings: [Finding]
    }

    func run() throws {
        let data = try Stores.open(file, mode: .readOnly, environment: CLIEnvironment.store)
        let summary = try data.interview(id)
        let engine = try FormEngines(data).engine(sha256: summary.form)
        let state = try data.state(summary.id)
        let revisions = try data.revisions(summary.id)
        let answers = engine.recalculated(state.answers)
        let findings = engine.validate(answers, language: lang, paper: state.paper)
        let notes = revisions.filter { $0.field == ReservedField.note }.map { Note(text: $0.value ?? "", author: $0.author, time: $0.time) }
        if json {
            Output.printJSON(Report(
                interview: summary, answers: engine.json(answers), conflicts: state.conflicts, notes: notes,
                history: revisions.map { Change(revision: $0.id.description, field: $0.field, value: $0.value, author: $0.author,
                                                device: $0.device, time: $0.time, parents: $0.parents.map(\.description)) },
                findings: findings))
            return
        }
        let language = lang ?? engine.form.defaultLanguage
        Output.print(Output.styled("\(summary.id)", .bold) + "  key \(summary.key ?? "-")  \(summary.formId) \(summary.formVersion)  \(summary.status)")
        Output.print("surveyor \(summary.surveyor) on \(summary.device), created \(summary.created), updated \(summary.updated)")
        var header: [String] = []
        for slot in engine.slots(answers) {
            let entry = slot.entry
            if entry.isContainer { continue }
            guard let value = answers[slot.path] else { continue }
            if slot.ancestors != header {
                header = slot.ancestors
                if let group = header.last, let label = engine.group(of: slot.row)?.entry.label?.text(in: language) {
                    Output.print(Output.styled("\n[\(group)] \(label)", .cyan))
                }
            }
            // As the question was asked: "Sex of Nguyễn Văn An", not "Sex of ${member_name}".
            let label = entry.label.map { engine.interpolate($0.text(in: language), at: slot, answers) } ?? ""
            Output.print("  \(slot.path) = \(display(value, entry, engine, language))" + (label.isEmpty ? "" : Output.styled("  \(label)", .dim)))
        }
        for field in state.conflicts { Output.print(Output.styled("  \(field): in conflict; see canvass conflicts", .red)) }
        if !notes.isEmpty {
            Output.print(Output.styled("\nnotes", .bold))
            for note in notes { Output.print("  \(note.time) \(note.author): \(note.text)") }
        }
        for finding in findings { Output.print(render(finding)) }
        Output.print("\n\(revisions.count) revisions")
    }

    func display(_ value: String, _ entry: Entry, _ engine: FormEngine, _ language: String?) -> String {
        guard let list = entry.type.list.flatMap(engine.form.choiceList) else { return value }
        return value.split(separator: " ").map { name in
            let label = list.choices.first { $0.name == name }?.label?.text(in: language) ?? ""
            return label.isEmpty ? String(name) : "\(name) (\(label))"
        }.joined(separator: ", ")
    }
}
