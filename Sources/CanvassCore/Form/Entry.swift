/// One survey row: a question, note, calculation, metadata field, or a group or repeat of rows.
///
/// Property names follow XLSForm's column names, so a form maps one-to-one onto an XLSForm.
/// `required` and `read_only` hold an expression; a plain yes/true is stored as `true()`.
public struct Entry: Sendable, Hashable, Codable {
    public var type: FieldType
    public var name: String
    public var label: LocalizedText?
    public var hint: LocalizedText?
    public var required: String?
    public var requiredMessage: LocalizedText?
    public var relevant: String?
    public var constraint: String?
    public var constraintMessage: LocalizedText?
    public var calculation: String?
    public var choiceFilter: String?
    public var `default`: String?
    public var readOnly: String?
    public var appearance: String?
    public var repeatCount: String?
    public var parameters: String?
    public var children: [Entry]?

    public init(type: FieldType, name: String, label: LocalizedText? = nil, children: [Entry]? = nil) {
        self.type = type
        self.name = name
        self.label = label
        self.children = children
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case type, name, label, hint, required
        case requiredMessage = "required_message"
        case relevant, constraint
        case constraintMessage = "constraint_message"
        case calculation
        case choiceFilter = "choice_filter"
        case `default`
        case readOnly = "read_only"
        case appearance
        case repeatCount = "repeat_count"
        case parameters, children
    }

    /// The keys a survey entry may have, for error messages.
    public static let keys: [String] = CodingKeys.allCases.map(\.rawValue)

    public var kind: FieldType.Kind? { type.kind }
    public var isContainer: Bool { type.kind?.isContainer ?? false }

    /// Every expression this entry carries, with the column it sits in.
    public var expressions: [(column: String, source: String)] {
        let columns: [(String, String?)] = [
            ("relevant", relevant), ("required", required), ("constraint", constraint),
            ("calculation", calculation), ("choice_filter", choiceFilter), ("read_only", readOnly),
            ("repeat_count", repeatCount),
        ]
        return columns.compactMap { column, source in source.map { (column, $0) } }
    }

    /// The `key=value` pairs of the parameters column (keys lowercased), apart by spaces,
    /// semicolons or commas, as XLSForm writes them.
    public var parameterValues: [String: String] { Self.parameterValues(parameters) }

    public static func parameterValues(_ text: String?) -> [String: String] {
        var result: [String: String] = [:]
        for pair in (text ?? "").split(whereSeparator: { $0 == " " || $0 == ";" || $0 == "," }) {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2 { result[parts[0].lowercased()] = parts[1] }
        }
        return result
    }
}
