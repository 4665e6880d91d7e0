/// What a paper form says for one field, as keyed: the ground truth of paper keying.
///
/// The paper is the truth, so what does not fit the form is kept too: a field left blank on
/// paper (the keyer's reserved key) is told apart from one not keyed yet, and a code that is not
/// one of the field's choices (or text in a number field) is kept as keyed. Neither can be the
/// field's value (merge checks values against their type), so both live in a reserved field
/// beside it, `_paper/PATH`, and `validate` reports them.
public enum PaperValue: Hashable, Sendable {
    /// Nothing keyed.
    case empty
    /// A value of the field's type, stored in the field itself.
    case value(String)
    /// Left blank on the paper form.
    case blank
    /// Keyed as on paper, but not a value of the field's type (e.g. 7 on a 1-5 scale).
    case raw(String)

    /// The reserved field that holds a field's blank or raw mark.
    public static func markField(_ path: String) -> String { prefix + path }
    public static let prefix = "_paper/"

    /// The field path of a `_paper/PATH` field, or nil.
    public static func markedPath(_ field: String) -> String? {
        field.hasPrefix(prefix) ? String(field.dropFirst(prefix.count)) : nil
    }

    /// Text form, stored in `_paper/PATH` (blank and raw) and in verification records (all four).
    public var text: String {
        switch self {
        case .empty: return ""
        case .value(let value): return "=" + value
        case .blank: return "blank"
        case .raw(let raw): return "raw:" + raw
        }
    }

    public init?(text: String) {
        if text.isEmpty { self = .empty }
        else if text == "blank" { self = .blank }
        else if text.hasPrefix("raw:") { self = .raw(String(text.dropFirst(4))) }
        else if text.hasPrefix("=") { self = .value(String(text.dropFirst())) }
        else { return nil }
    }

    /// What the file says for `path`: a value wins over a mark (a later edit may have set it).
    public static func of(_ path: String, answers: Answers, marks: [String: String]) -> PaperValue {
        if let value = answers[path], !value.isEmpty { return .value(value) }
        if let mark = marks[path], let paper = PaperValue(text: mark), paper == .blank || paper.isRaw { return paper }
        return .empty
    }

    public var isRaw: Bool { if case .raw = self { return true } else { return false } }

    /// The changes that store this value in `path`: the field and its mark.
    public func changes(_ path: String) -> [String: String?] {
        switch self {
        case .empty: return [path: nil, Self.markField(path): nil]
        case .value(let value): return [path: value, Self.markField(path): nil]
        case .blank, .raw: return [path: nil, Self.markField(path): text]
        }
    }
}
