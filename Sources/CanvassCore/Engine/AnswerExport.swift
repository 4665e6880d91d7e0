/// Answers as a JSON object in the shape `record` reads: field names to typed values, repeats as
/// arrays of objects. Used by `show` and `export`, so what comes out can go back in.
extension FormEngine {
    public func json(_ answers: Answers) -> [String: JSONValue] {
        object(form.survey, prefix: "", answers)
    }

    func object(_ entries: [Entry], prefix: String, _ answers: Answers) -> [String: JSONValue] {
        var result: [String: JSONValue] = [:]
        for entry in entries {
            switch entry.kind {
            case .group?:
                result.merge(object(entry.children ?? [], prefix: prefix, answers)) { a, _ in a }
            case .repeat?:
                let count = instanceCount(prefix + entry.name, answers)
                guard answers[prefix + entry.name] != nil else { continue }
                result[entry.name] = .array((0..<count).map { index in
                    .object(object(entry.children ?? [], prefix: "\(prefix)\(entry.name)[\(index + 1)]/", answers))
                })
            default:
                guard let text = answers[prefix + entry.name] else { continue }
                result[entry.name] = typed(text, entry)
            }
        }
        return result
    }

    /// Numbers as JSON numbers, multiple selections as lists, everything else as text.
    public func typed(_ text: String, _ entry: Entry) -> JSONValue {
        switch entry.kind {
        case .integer?, .decimal?, .range?:
            return Double(text).map(JSONValue.number) ?? .string(text)
        case .selectMultiple?:
            return .array(text.split(separator: " ").map { .string(String($0)) })
        default:
            return .string(text)
        }
    }
}
