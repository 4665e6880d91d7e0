/// Answers as a JSON object in the shape `record` reads: field names to typed values, repeats as
/// arrays of objects. Used by `show` and `export`, so what comes out can go back in.
extension FormEngine {
    public func json(_ answers: Answers) -> [String: JSONValue] {
        object(tree, prefix: "", answers)
    }

    /// Keys are local keys: a name, or a path within the object's repeat for a name used more than once.
    func object(_ nodes: [RowNode], prefix: String, _ answers: Answers) -> [String: JSONValue] {
        var result: [String: JSONValue] = [:]
        for node in nodes {
            let row = node.row
            switch row.kind {
            case .group?:
                result.merge(object(node.children, prefix: prefix, answers)) { a, _ in a }
            case .repeat?:
                let count = instanceCount(prefix + row.localKey, answers)
                guard answers[prefix + row.localKey] != nil else { continue }
                result[row.localKey] = .array((0..<count).map { index in
                    .object(object(node.children, prefix: "\(prefix)\(row.localKey)[\(index + 1)]/", answers))
                })
            default:
                guard let text = answers[prefix + row.localKey] else { continue }
                result[row.localKey] = typed(text, row.entry)
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
