import Foundation

/// A parsed expression in ODK's XPath dialect, as XLSForm uses it in `relevant`, `constraint` and `calculation`.
///
/// Two expressions are equal when their source text is equal.
public struct Expression: Sendable, Hashable, CustomStringConvertible {
    /// The expression as the user wrote it.
    public let source: String
    /// Distinct `${name}` names in order of first appearance, including the arguments of indexed-repeat().
    public let references: [String]
    /// Whether the expression reads the current answer: `.` appears, or once(), which returns it when set.
    public let usesCurrent: Bool
    /// Whether the value can differ from one evaluation to the next with the same answers:
    /// random(), uuid(), randomize() and once(). A calculation using one is kept once made.
    public let isVolatile: Bool

    let root: ExpressionNode

    /// Parses `source`. Curly quotes ‘ ’ “ ” read as straight quotes, since spreadsheets like to insert them.
    public init(_ source: String) throws(ExpressionError) {
        let characters = source.map(Expression.straightenQuote)
        let tokens: [ExpressionToken]
        do {
            tokens = try ExpressionLexer(characters: characters, source: source).tokens()
        } catch where error.isUnsupported {
            // A path into a secondary instance fails on its first '/'; say what it is instead.
            guard let start = source.range(of: "instance("), let why = ExpressionParser.unsupported["instance"] else { throw error }
            throw ExpressionError("instance() \(why)", source: source, offset: source.distance(from: source.startIndex, to: start.lowerBound), unsupported: true)
        }
        var parser = ExpressionParser(tokens: tokens, source: source)
        let result = try parser.parse()
        self.source = source
        self.references = result.references
        self.usesCurrent = result.usesCurrent
        self.isVolatile = result.isVolatile
        self.root = result.root
    }

    /// Evaluates against `context`. A reference that matches one node gives that node's string;
    /// several nodes come back as `.nodeset`.
    public func evaluate(_ context: EvaluationContext) throws(ExpressionError) -> Value {
        try ExpressionEvaluator(context: context, source: source).evaluateTopLevel(root)
    }

    public var description: String { source }

    public static func == (lhs: Expression, rhs: Expression) -> Bool { lhs.source == rhs.source }

    public func hash(into hasher: inout Hasher) { hasher.combine(source) }

    /// One-for-one replacement keeps Character offsets valid for error columns.
    private static func straightenQuote(_ character: Character) -> Character {
        switch character {
        case "\u{2018}", "\u{2019}": return "'"
        case "\u{201C}", "\u{201D}": return "\""
        default: return character
        }
    }
}
