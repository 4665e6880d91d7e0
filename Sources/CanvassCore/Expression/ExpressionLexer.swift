import Foundation

/// One lexical token with the Character offset where it starts.
struct ExpressionToken: Sendable {
    enum Kind: Equatable, Sendable {
        case number(Double)
        case string(String)
        case reference(String)
        /// A bare name: a function name, or the keywords `and`, `or`, `div`, `mod` in operator position.
        case name(String)
        /// Punctuation and operators: ( ) , + - * = != < <= > >= |
        case symbol(String)
        case dot
        case dotDot
        case end
    }

    let kind: Kind
    let offset: Int
    /// The token's text in the source, for messages.
    let text: String
    /// How many Characters the token spans.
    let length: Int

    init(kind: Kind, offset: Int, characters: ArraySlice<Character>) {
        self.kind = kind
        self.offset = offset
        self.text = String(characters)
        self.length = characters.count
    }
}

/// Splits an expression into tokens. Curly quotes have already been straightened by the caller.
struct ExpressionLexer {
    let characters: [Character]
    let source: String

    init(characters: [Character], source: String) {
        self.characters = characters
        self.source = source
    }

    func tokens() throws(ExpressionError) -> [ExpressionToken] {
        var tokens: [ExpressionToken] = []
        var index = 0
        while true {
            while index < characters.count, characters[index].isWhitespace { index += 1 }
            guard index < characters.count else { break }
            let token = try token(at: index)
            tokens.append(token)
            index += token.length
        }
        // The end points just past the last non-blank character, so a caret lands next to what is missing.
        let end = (characters.lastIndex { !$0.isWhitespace }).map { $0 + 1 } ?? 0
        tokens.append(ExpressionToken(kind: .end, offset: end, characters: []))
        return tokens
    }

    private func token(at start: Int) throws(ExpressionError) -> ExpressionToken {
        let character = characters[start]
        let next: Character? = start + 1 < characters.count ? characters[start + 1] : nil
        func make(_ kind: ExpressionToken.Kind, length: Int) -> ExpressionToken {
            ExpressionToken(kind: kind, offset: start, characters: characters[start..<(start + length)])
        }
        switch character {
        case "(", ")", ",", "+", "-", "*", "=", "|":
            return make(.symbol(String(character)), length: 1)
        case "<", ">":
            return next == "=" ? make(.symbol("\(character)="), length: 2) : make(.symbol(String(character)), length: 1)
        case "!":
            guard next == "=" else { throw error("unexpected character '!'; write != for 'not equal'", at: start) }
            return make(.symbol("!="), length: 2)
        case "'", "\"":
            guard let close = characters[(start + 1)...].firstIndex(of: character) else {
                throw error("unterminated string; add a closing \(character)", at: start)
            }
            return ExpressionToken(kind: .string(String(characters[(start + 1)..<close])), offset: start,
                         characters: characters[start...close])
        case "$":
            return try reference(at: start)
        case ".":
            if next == "." { return make(.dotDot, length: 2) }
            if let next, isDigit(next) { return number(at: start) }
            return make(.dot, length: 1)
        default:
            if isDigit(character) { return number(at: start) }
            if character.isLetter || character == "_" {
                var end = start + 1
                while end < characters.count, isNameCharacter(characters[end]) || characters[end] == ":" { end += 1 }
                return make(.name(String(characters[start..<end])), length: end - start)
            }
            if character == "/" || character == "@" || character == "[" {
                throw error("'\(character)' starts an XPath path, which Canvass does not follow; refer to fields as ${name}", at: start, unsupported: true)
            }
            throw error("unexpected character '\(character)'", at: start)
        }
    }

    /// `${name}`: a letter or `_`, then letters, digits, `_`, `-`, `.`.
    private func reference(at start: Int) throws(ExpressionError) -> ExpressionToken {
        guard start + 1 < characters.count, characters[start + 1] == "{" else {
            throw error("expected '{' after '$'; refer to fields as ${name}", at: start)
        }
        let nameStart = start + 2
        guard nameStart < characters.count, characters[nameStart].isLetter || characters[nameStart] == "_" else {
            throw error("expected a field name after '${'", at: nameStart)
        }
        var end = nameStart + 1
        while end < characters.count, isNameCharacter(characters[end]) { end += 1 }
        guard end < characters.count, characters[end] == "}" else {
            throw error("expected '}' to close '${'", at: end)
        }
        return ExpressionToken(kind: .reference(String(characters[nameStart..<end])), offset: start,
                     characters: characters[start...end])
    }

    /// Digits with an optional fraction: `12`, `3.5`, `.5`, `5.`. No exponent, as in XPath.
    private func number(at start: Int) -> ExpressionToken {
        var end = start
        while end < characters.count, isDigit(characters[end]) { end += 1 }
        if end < characters.count, characters[end] == "." {
            end += 1
            while end < characters.count, isDigit(characters[end]) { end += 1 }
        }
        let text = String(characters[start..<end])
        let value = Double(text.hasPrefix(".") ? "0" + text : text.hasSuffix(".") ? text + "0" : text) ?? .nan
        return ExpressionToken(kind: .number(value), offset: start, characters: characters[start..<end])
    }

    private func isDigit(_ character: Character) -> Bool {
        character.isASCII && character.isWholeNumber
    }

    private func isNameCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "_" || character == "-" || character == "."
    }

    private func error(_ message: String, at offset: Int, unsupported: Bool = false) -> ExpressionError {
        ExpressionError(message, source: source, offset: offset, unsupported: unsupported)
    }
}
