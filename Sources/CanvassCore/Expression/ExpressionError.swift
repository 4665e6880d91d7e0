import Foundation

/// A parse or evaluation error, pointing at the character of the expression where it was found.
public struct ExpressionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// One sentence, e.g. "expected ')' to close '('".
    public let message: String
    /// The whole expression as the user wrote it.
    public let source: String
    /// 1-based line of the offending character.
    public let line: Int
    /// 1-based column of the offending character, counted in Characters (not UTF-16 units).
    public let column: Int
    /// XPath that ODK evaluates but Canvass's dialect does not (paths, predicates, instance(),
    /// current(), `|`): a form using it is still ODK's, so it is a warning, and the expression is
    /// left out (FormChecker, FormRow).
    public var isUnsupported = false

    public init(message: String, source: String, line: Int, column: Int) {
        self.message = message
        self.source = source
        self.line = line
        self.column = column
    }

    /// Builds an error from a Character offset into `source`; an offset at the end points just past the last character.
    init(_ message: String, source: String, offset: Int, unsupported: Bool = false) {
        var line = 1
        var column = 1
        var index = 0
        for character in source {
            if index >= offset { break }
            if character.isNewline {
                line += 1
                column = 1
            } else {
                column += 1
            }
            index += 1
        }
        self.init(message: message, source: source, line: line, column: column)
        isUnsupported = unsupported
    }

    /// The message with its position, the offending line and a caret under the column.
    public var description: String {
        let lines = source.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        let text = line - 1 < lines.count ? String(lines[line - 1]) : ""
        // Keep tabs in the caret line so the caret stays under the character in a terminal.
        let padding = String(text.prefix(max(column - 1, 0)).map { $0 == "\t" ? "\t" : " " })
            + String(repeating: " ", count: max(column - 1 - text.count, 0))
        return "line \(line), column \(column): \(message)\n  \(text)\n  \(padding)^"
    }
}
