import ArgumentParser
import Foundation
import CanvassCore
import CanvassStore

struct EditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit",
        abstract: "Correct answers of an interview (new revisions superseding the current ones).",
        discussion: """
            NAME is a field name, or a path inside a repeat such as members[2]/age. An empty value clears the answer.

            Examples:
              canvass edit hanoi.canvass 3f2a --set form_no=125 --as lan --note "số phiếu viết nhầm"
              canvass edit household.canvass 9b1c --set 'members[2]/age=34' --as minh
            """
    )

    @Argument(help: "The data file.")
    var file: String

    @Argument(help: "The interview id (or its unambiguous start).")
    var id: String

    @Option(name: .customLong("set"), help: "name=value (repeatable).")
    var assignments: [String] = []

    @OptionGroup var who: AuthorOptions

    @Option(help: "A note explaining the correction.")
    var note: String?

    @Flag(help: "Print the result as JSON.")
    var json = false

    func validate() throws {
        if assignments.isEmpty { throw ValidationError("give at least one --set name=value") }
        for assignment in assignments where !assignment.contains("=") {
            throw ValidationError("--set '\(assignment)' must be name=value")
        }
    }

    func run() throws {
        let data = try DataFile(path: file, mode: .readWrite, environment: CLIEnvironment.store)
        let summary = try data.interview(id)
        let engine = try FormEngines(data).engine(sha256: summary.form)
        let previous = try data.state(summary.id).answers
        var answers = previous
        let media = MediaInput(base: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        for assignment in assignments {
            let parts = assignment.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let path = String(parts[0])
            var value = String(parts[1])
            // A photo, recording or document is given by its path and stored in the data file.
            do { value = try media.stored(value, kind: engine.row(atPath: path)?.row.kind) } catch {
                throw ValidationError("'\(path)': \(error.localizedDescription)")
            }
            switch engine.normalize(value, forPath: path) {
            case nil:
                throw ValidationError(FieldNaming.unknown(path, engine: engine, form: summary.formId))
            case _ where parts[1].isEmpty:
                answers[path] = nil
            case .success(let normalized)?:
                answers[path] = normalized
            case .failure(.type(let expected))?:
                throw ValidationError("'\(path)' must be \(expected)")
            }
        }
        answers = engine.recalculated(answers)
        let changes = engine.changes(from: previous, to: answers)
        if let path = try media.missing(in: answers, engine: engine, file: data).first(where: { changes[$0] != nil }) {
            throw ValidationError("'\(path)' names a stored file that \(file) does not hold; give the file's path instead")
        }
        let written = try data.write { writer in
            try media.attach(&writer)
            let written = try writer.set(changes, interview: summary.id, author: who.author, device: who.deviceID)
            try writer.setKey(engine.caseKey(answers), interview: summary.id)
            if let note { try writer.note(note, interview: summary.id, author: who.author, device: who.deviceID) }
            return written
        }
        let findings = engine.validate(answers)
        if json {
            struct Report: Encodable { var interview: String; var changed: [String]; var findings: [Finding] }
            Output.printJSON(Report(interview: summary.id, changed: written.map(\.field), findings: findings))
            return
        }
        Output.print("\(summary.id): \(written.count) answers changed")
        for finding in findings { Output.print(render(finding)) }
    }
}
