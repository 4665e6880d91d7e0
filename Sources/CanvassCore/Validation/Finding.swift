/// A problem found in user input: a form, an interview, a batch. A value, not an error:
/// findings are collected and reported together, and the same ones feed the prompt, `validate` and `--json`.
public struct Finding: Sendable, Hashable, Codable {
    public enum Severity: String, Sendable, Hashable, Codable, Comparable {
        case warning, error

        public static func < (a: Severity, b: Severity) -> Bool { a == .warning && b == .error }
    }

    public var severity: Severity
    /// A stable code that scripts can rely on, e.g. `required`, `unknown-reference`.
    public var code: String
    /// The interview concerned, when the finding is about recorded data.
    public var interview: String?
    /// The field (or field path) concerned, when there is one.
    public var field: String?
    public var message: String

    public init(_ severity: Severity, _ code: String, interview: String? = nil, field: String? = nil, _ message: String) {
        self.severity = severity
        self.code = code
        self.interview = interview
        self.field = field
        self.message = message
    }
}

extension Array where Element == Finding {
    public var hasErrors: Bool { contains { $0.severity == .error } }
}
