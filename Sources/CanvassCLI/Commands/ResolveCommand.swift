import ArgumentParser
import CanvassCore
import CanvassStore

struct ResolveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resolve",
        abstract: "Resolve a conflict: a new revision superseding every competing value.",
        discussion: """
            The resolution names all the competing revisions as its parents, so it holds when the old
            sides are merged in again. For an approved interview edited since (field _status), resolving
            re-approves it (--value approved) or sends it back (--value rejected).

            Examples:
              canvass resolve district.canvass 3f2a e3_2 --keep 5d1c0a7e:12 --as hoa
              canvass resolve district.canvass 3f2a form_no --value 125 --as hoa --note "đối chiếu phiếu giấy"
            """
    )

    @Argument(help: "The data file.")
    var file: String

    @Argument(help: "The interview id (or its unambiguous start).")
    var id: String

    @Argument(help: "The field in conflict (e.g. e3_2 or members[2]/age).")
    var field: String

    @Option(help: "The value to keep (an empty value clears the answer).")
    var value: String?

    @Option(help: "Keep the value of this revision (as shown by canvass conflicts; the short form is enough).")
    var keep: String?

    @OptionGroup var who: AuthorOptions

    @Option(help: "A note explaining the decision.")
    var note: String?

    @Flag(help: "Print the result as JSON.")
    var json = false

    func validate() throws {
        if (value == nil) == (keep == nil) { throw ValidationError("give exactly one of --value and --keep") }
    }

    func run() throws {
        let data = try Stores.open(file, mode: .readWrite, environment: CLIEnvironment.store)
        let summary = try data.interview(id)
        let engine = try FormEngines(data).engine(sha256: summary.form)
        let conflicts = try data.conflicts().filter { $0.interview == summary.id && $0.field == field }
        guard let conflict = conflicts.first else {
            throw ValidationError("\(summary.id) has no conflict on '\(field)'; see canvass conflicts \(file)")
        }
        var chosen: String?
        if let keep {
            let matches = conflict.values.filter { $0.revision == keep || RevisionID($0.revision)?.short == keep || $0.revision.hasPrefix(keep) }
            guard matches.count == 1, let side = matches.first else {
                throw ValidationError("'\(keep)' is not one of the revisions in conflict: \(conflict.values.map(\.revision).joined(separator: ", "))")
            }
            chosen = side.value
        } else if let value, !value.isEmpty {
            if field == ReservedField.status {
                guard InterviewStatus(rawValue: value) != nil else { throw ValidationError("a status is one of \(InterviewStatus.allCases.map(\.rawValue).joined(separator: ", "))") }
                chosen = value
            } else {
                switch engine.normalize(value, forPath: field) {
                case nil: throw ValidationError(FieldNaming.unknown(field, engine: engine, form: summary.formId))
                case .success(let normalized)?: chosen = normalized
                case .failure(.type(let expected))?: throw ValidationError("'\(field)' must be \(expected)")
                }
            }
        }
        var answers = try data.state(summary.id).answers
        if !ReservedField.isReserved(field) { answers[field] = chosen }
        let key = engine.caseKey(answers)
        try data.write(touching: [summary.id]) { writer in
            try writer.setKey(key, interview: summary.id)
            if field == ReservedField.status, let status = chosen.flatMap(InterviewStatus.init(rawValue:)) {
                try writer.setStatus(status, interview: summary.id, author: who.author, device: who.deviceID, note: note)
            } else {
                try writer.set([field: chosen], interview: summary.id, author: who.author, device: who.deviceID, force: true)
                if let note { try writer.note(note, interview: summary.id, author: who.author, device: who.deviceID) }
            }
        }
        Output.result("\(summary.id) \(field): resolved to \(chosen ?? "(cleared)")", json: json,
                      ["interview": .string(summary.id), "field": .string(field), "value": chosen.map(JSONValue.string) ?? .null])
    }
}
