import ArgumentParser
import CanvassCore
import CanvassStore
import Foundation

struct RecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record interviews in bulk from JSON (paper forms typed in, imports).",
        discussion: """
            Each JSON object maps field names to values; repeats are lists of objects; `_id` is optional.
            Input is one JSON object, a list of objects (.json), or one object per line (.jsonl, or - for standard input).
            A line that is not JSON, an unknown field or a wrongly typed value refuses the whole batch: nothing is written.
            A missing required answer or a broken constraint keeps that interview as a draft, with its findings.
            An image, audio, video or file answer is the path of the file (relative to the answers file), which
            is stored in the data file; a location is "latitude longitude [altitude accuracy]".
            Exit 1 if any interview is invalid.

            Examples:
              canvass record forms/sipas-2017.yaml --db hanoi.canvass --surveyor lan --answers phieu.jsonl --complete
              echo '{"unit": "stp", "form_no": 12}' | canvass record forms/sipas-2017.yaml --db hanoi.canvass --surveyor lan --answers -
            """
    )

    @Argument(help: "The form file.")
    var form: String

    @Option(help: "The data file (created when absent).")
    var db: String

    @Option(help: "The surveyor's id.")
    var surveyor: String

    @Option(help: "Device id (default: this machine's name).")
    var device: String?

    @Option(help: "JSON or JSONL file of interviews, or - for standard input.")
    var answers: String

    @Flag(help: "Mark valid interviews completed (invalid ones stay drafts).")
    var complete = false

    @Option(help: "Language of messages (default: the form's).")
    var lang: String?

    @Flag(help: "Print the result as JSON.")
    var json = false

    struct Recorded: Encodable {
        var id: String
        var key: String?
        var status: String
        var findings: [Finding]
    }

    func run() throws {
        let form = try FormFile.loadChecked(self.form)
        let engine = try CLIEnvironment.engine(form)
        let items = try BatchInput.read(answers)
        let base = answers == "-" ? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
                                  : URL(fileURLWithPath: answers).deletingLastPathComponent()
        let media = MediaInput(base: base)
        let importer = AnswerImport(engine: engine, media: media.add)
        var converted: [(id: String?, answers: Answers)] = []
        var problems: [String] = []
        for item in items {
            do {
                converted.append(try importer.convert(item.object))
            } catch {
                problems.append("\(item.place): '\(error.field)' \(error.message)")
            }
        }
        /// Refuses the whole batch, showing the first problems: nothing is written.
        func refuse(_ problems: [String]) throws -> Never {
            for problem in problems.prefix(20) { Output.error("error: \(problem)") }
            if problems.count > 20 { Output.error("… and \(problems.count - 20) more") }
            Output.error("refused the batch: nothing was written to \(db); fix the lines above and run again")
            throw ExitCode(1)
        }
        if !problems.isEmpty { try refuse(problems) }
        // A stored file name must name a file the data file holds (checked before anything is created).
        let existing = FileManager.default.fileExists(atPath: db) ? try DataFile(path: db, mode: .readOnly, environment: CLIEnvironment.store) : nil
        for (number, item) in converted.enumerated() {
            for path in try media.missing(in: item.answers, engine: engine, file: existing) {
                problems.append("\(items[number].place): '\(path)' names a stored file that \(db) does not hold; give the file's path instead")
            }
        }
        try existing?.close()
        if !problems.isEmpty { try refuse(problems) }
        let device = self.device ?? CLIEnvironment.hostName
        let file = try DataFile(path: db, mode: .create, environment: CLIEnvironment.store)
        try file.warnOfOtherDefinitions(form)
        let recorded = try file.write { writer in
            try media.attach(&writer)
            return try converted.map { item in
                var evaluation = engine.evaluate(item.answers)
                for slot in evaluation.slots where evaluation.answers[slot.path] == nil {
                    if slot.row.kind == .username { evaluation.answers[slot.path] = surveyor }
                    if slot.row.kind == .deviceid { evaluation.answers[slot.path] = device }
                }
                let answers = evaluation.answers
                let id = try writer.createInterview(id: item.id, form: form, surveyor: surveyor, device: device, mode: .bulk)
                let findings = engine.validate(evaluation, language: lang).map { finding in
                    var finding = finding
                    finding.interview = id
                    return finding
                }
                try writer.set(engine.stored(answers).mapValues { $0 }, interview: id, author: surveyor, device: device)
                let key = engine.caseKey(answers)
                try writer.setKey(key, interview: id)
                let status: InterviewStatus = complete && !findings.hasErrors ? .completed : .draft
                if status == .completed {
                    try writer.setStatus(status, interview: id, author: surveyor, device: device)
                }
                return Recorded(id: id, key: key, status: status.rawValue, findings: findings)
            }
        }
        let invalid = recorded.filter { $0.findings.hasErrors }.count
        if json {
            struct Report: Encodable { var file: String; var recorded: Int; var completed: Int; var invalid: Int; var interviews: [Recorded] }
            Output.printJSON(Report(file: db, recorded: recorded.count, completed: recorded.filter { $0.status == "completed" }.count,
                                    invalid: invalid, interviews: recorded))
        } else {
            for item in recorded { for finding in item.findings { Output.print(render(finding)) } }
            let completed = recorded.filter { $0.status == "completed" }.count
            Output.print("recorded \(recorded.count) interviews into \(db): \(completed) completed, \(recorded.count - completed) drafts, \(invalid) invalid")
        }
        if invalid > 0 { throw ExitCode(1) }
    }
}

/// Reads a batch of JSON objects, each with the place (file and line or item) to name in errors.
enum BatchInput {
    struct Item {
        var place: String
        var object: [String: JSONValue]
    }

    static func read(_ path: String) throws -> [Item] {
        let name = path == "-" ? "<stdin>" : path
        let data: Data
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let contents = FileManager.default.contents(atPath: path) else {
                throw ValidationError("cannot read \(path); check the path")
            }
            data = contents
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw BatchError("\(name) is not UTF-8 text; save it as UTF-8")
        }
        let decoder = JSONDecoder()
        let trimmed = text.drop { $0.isWhitespace }
        if trimmed.first == "[" || (path.hasSuffix(".json") && trimmed.first == "{") {
            let value: JSONValue
            do {
                value = try decoder.decode(JSONValue.self, from: Data(text.utf8))
            } catch {
                throw BatchError("\(name): not valid JSON (\(describe(error))); nothing was written")
            }
            switch value {
            case .object(let object): return [Item(place: name, object: object)]
            case .array(let items):
                return try items.enumerated().map { index, item in
                    guard case .object(let object) = item else { throw BatchError("\(name): item \(index + 1) is not an object; nothing was written") }
                    return Item(place: "\(name) item \(index + 1)", object: object)
                }
            default: throw BatchError("\(name): expected an object or a list of objects; nothing was written")
            }
        }
        var items: [Item] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard !line.allSatisfy(\.isWhitespace) else { continue }
            let place = "\(name):\(number + 1)"
            guard let value = try? decoder.decode(JSONValue.self, from: Data(line.utf8)), case .object(let object) = value else {
                throw BatchError("\(place): not a JSON object; nothing was written")
            }
            items.append(Item(place: place, object: object))
        }
        return items
    }

    static func describe(_ error: Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            return (context.underlyingError.map { "\($0.localizedDescription)" }) ?? context.debugDescription
        }
        return "\(error)"
    }
}

struct BatchError: LocalizedError {
    var message: String
    init(_ message: String) { self.message = message }
    var errorDescription: String? { message }
}
