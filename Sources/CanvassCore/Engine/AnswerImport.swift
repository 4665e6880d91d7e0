/// Converts one JSON object of bulk entry (`record`) into answers: field names to values, repeats
/// as arrays of objects, an optional `_id`. A name used more than once in the form is written as
/// its path from the object's repeat (`{"grp_a/age": 3}`; inside a repeat's object, as it sits
/// there). Any unknown field or wrongly typed value is an error naming the field, so that the whole
/// batch can be refused before anything is written.
public struct AnswerImport {
    public let engine: FormEngine
    /// Turns the path given for an image, audio, video or file answer into its stored name
    /// (`MediaFile`), keeping the file to store; a stored name itself is accepted as it is.
    /// Without it, only stored names are.
    public var media: ((_ path: String) throws -> String)?

    public init(engine: FormEngine, media: ((String) throws -> String)? = nil) {
        self.engine = engine
        self.media = media
    }

    public struct Problem: Error, Equatable, Sendable {
        public var field: String
        public var message: String

        public init(field: String, message: String) {
            self.field = field
            self.message = message
        }
    }

    public func convert(_ object: [String: JSONValue]) throws(Problem) -> (id: String?, answers: Answers) {
        var answers: Answers = [:]
        var id: String?
        if let value = object["_id"] {
            guard case .string(let text) = value, !text.isEmpty, text.count <= 100 else {
                throw Problem(field: "_id", message: "_id must be a non-empty text of at most 100 characters")
            }
            id = text.precomposedStringWithCanonicalMapping
        }
        try fill(&answers, from: object, prefix: "", container: nil)
        return (id, answers)
    }

    func fill(_ answers: inout Answers, from object: [String: JSONValue], prefix: String, container: String?) throws(Problem) {
        for (key, value) in object.sorted(by: { $0.key < $1.key }) where key != "_id" || container != nil {
            let path = prefix + key
            guard let row = engine.scopes[container ?? ""]?[key], row.entry.kind != .group else {
                let here = engine.rows(named: key).filter { $0.key != key && $0.repeats.last == container }.map(\.localKey)
                if !here.isEmpty {
                    throw Problem(field: path, message: "is the name of several fields; write the one you mean by its path: \(here.joined(separator: ", "))")
                }
                if let row = engine.row(key) ?? engine.ordered.first(where: { $0.localKey == key }), row.entry.kind != .group {
                    let home = row.repeats.last.map { "inside the repeat '\($0)'" } ?? "at the top level"
                    throw Problem(field: path, message: "belongs \(home), not here")
                }
                throw Problem(field: path, message: "is not a field of the form; check the name")
            }
            if value == .null { continue }
            if row.entry.kind == .repeat {
                guard case .array(let items) = value else {
                    throw Problem(field: path, message: "is a repeat: give a list of objects")
                }
                guard items.count <= FormEngine.maxInstances else {
                    throw Problem(field: path, message: "has \(items.count) entries; at most \(FormEngine.maxInstances) are allowed")
                }
                answers[path] = String(items.count)
                for (index, item) in items.enumerated() {
                    guard case .object(let object) = item else {
                        throw Problem(field: "\(path)[\(index + 1)]", message: "must be an object (an entry of the repeat '\(key)')")
                    }
                    try fill(&answers, from: object, prefix: "\(path)[\(index + 1)]/", container: key)
                }
                continue
            }
            guard let kind = row.entry.kind, kind != .note else {
                throw Problem(field: path, message: "is a \(row.entry.type.raw) and takes no answer")
            }
            var text: String
            switch value {
            case .string(let string): text = string
            case .number(let number): text = FieldValue.format(number)
            case .bool(let flag) where kind == .acknowledge:
                guard flag else { continue }
                text = "OK"
            case .array(let items) where kind.takesSeveral:
                var names: [String] = []
                for item in items {
                    switch item {
                    case .string(let name): names.append(name)
                    case .number(let number): names.append(FieldValue.format(number))
                    default: throw Problem(field: path, message: "must be a list of choice names")
                    }
                }
                text = names.joined(separator: " ")
            default:
                throw Problem(field: path, message: "must be \(expected(row.entry))")
            }
            if kind.isMedia, !text.isEmpty, MediaFile.sha256(ofStoredName: text) == nil, let media {
                do {
                    text = try media(text)
                } catch {
                    throw Problem(field: path, message: "names a file that cannot be stored: \(error.localizedDescription)")
                }
            }
            let choices = row.entry.type.list.flatMap { engine.form.choiceList($0)?.choices }
            switch FieldValue.normalize(text, for: row.entry, choices: kind.isSelect ? choices : nil) {
            case .success(let normalized): if !normalized.isEmpty { answers[path] = normalized }
            case .failure(.type(let expected)): throw Problem(field: path, message: "must be \(expected)")
            }
        }
    }

    func expected(_ entry: Entry) -> String {
        switch entry.kind {
        case .integer?, .decimal?, .range?: return "a number"
        case let kind? where kind.takesSeveral: return "a list of choice names or a space-separated text"
        default: return "a text"
        }
    }
}
