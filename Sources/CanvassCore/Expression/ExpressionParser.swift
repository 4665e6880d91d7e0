import Foundation

/// Recursive-descent parser for ODK XPath with XPath 1.0 precedence:
/// `or` < `and` < `= !=` < `< <= > >=` < `+ -` < `* div mod` < unary `-`. The union `|` parses in
/// XPath but JavaRosa cannot evaluate it, so it is refused here, where `form check` shows it.
///
/// Chains of one precedence level are built in a loop (left-associative), so only parentheses, function
/// arguments and unary minus deepen the recursion; those are capped at `maxDepth`.
struct ExpressionParser {
    static let maxDepth = 200

    /// What parsing produces besides the tree.
    struct Result {
        let root: ExpressionNode
        let references: [String]
        let usesCurrent: Bool
        let isVolatile: Bool
    }

    private let tokens: [ExpressionToken]
    private let source: String
    private var index = 0
    private var depth = 0
    private var references: [String] = []
    private var seenReferences: Set<String> = []
    private var usesCurrent = false
    private var isVolatile = false

    init(tokens: [ExpressionToken], source: String) {
        self.tokens = tokens
        self.source = source
    }

    mutating func parse() throws(ExpressionError) -> Result {
        if peek.kind == .end { throw error("the expression is empty", at: peek.offset) }
        let root = try parseBinary(minimumPrecedence: 1)
        guard peek.kind == .end else {
            throw error("expected an operator but found \(describe(peek))", at: peek.offset)
        }
        return Result(root: root, references: references, usesCurrent: usesCurrent, isVolatile: isVolatile)
    }

    // MARK: Tokens

    private var peek: ExpressionToken { tokens[min(index, tokens.count - 1)] }

    private mutating func advance() -> ExpressionToken {
        let token = peek
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    /// The binary operator at the cursor, if any: symbols, or `and or div mod` names in operator position.
    private var peekOperator: ExpressionOperator? {
        switch peek.kind {
        case .symbol(let symbol): return ExpressionOperator(rawValue: symbol)
        case .name(let name) where ["and", "or", "div", "mod"].contains(name): return ExpressionOperator(rawValue: name)
        default: return nil
        }
    }

    private func describe(_ token: ExpressionToken) -> String {
        switch token.kind {
        case .end: return "the end of the expression"
        case .string: return "the string \(token.text)"
        default: return "'\(token.text)'"
        }
    }

    private func error(_ message: String, at offset: Int, unsupported: Bool = false) -> ExpressionError {
        ExpressionError(message, source: source, offset: offset, unsupported: unsupported)
    }

    /// Counts one level of nesting; throws past `maxDepth` instead of risking the stack.
    private mutating func enter(at offset: Int) throws(ExpressionError) {
        depth += 1
        if depth > Self.maxDepth { throw error("expression is nested too deeply", at: offset) }
    }

    // MARK: Grammar

    /// Precedence climbing; each turn of the loop is one step of a left fold, kept as a flat chain.
    private mutating func parseBinary(minimumPrecedence: Int) throws(ExpressionError) -> ExpressionNode {
        let first = try parseUnary()
        var links: [ExpressionChainLink] = []
        while let op = peekOperator, op.precedence >= minimumPrecedence {
            let token = advance()
            let right = try parseBinary(minimumPrecedence: op.precedence + 1)
            links.append(ExpressionChainLink(op: op, operand: right, operatorOffset: token.offset))
        }
        return links.isEmpty ? first : ExpressionNode(kind: .chain(first, links), offset: first.offset)
    }

    private mutating func parseUnary() throws(ExpressionError) -> ExpressionNode {
        guard peek.kind == .symbol("-") else { return try parseUnion() }
        let token = advance()
        try enter(at: token.offset)
        defer { depth -= 1 }
        let operand = try parseUnary()
        return ExpressionNode(kind: .negate(operand), offset: token.offset)
    }

    private mutating func parseUnion() throws(ExpressionError) -> ExpressionNode {
        let first = try parsePrimary()
        if peek.kind == .symbol("|") {
            throw error("'|' (joining node-sets) does not work in ODK Collect; count or sum each field apart and add them", at: peek.offset, unsupported: true)
        }
        return first
    }

    private mutating func parsePrimary() throws(ExpressionError) -> ExpressionNode {
        let token = peek
        switch token.kind {
        case .number(let value):
            _ = advance()
            return ExpressionNode(kind: .number(value), offset: token.offset)
        case .string(let text):
            _ = advance()
            return ExpressionNode(kind: .string(text), offset: token.offset)
        case .reference(let name):
            _ = advance()
            if seenReferences.insert(name).inserted { references.append(name) }
            return ExpressionNode(kind: .reference(name), offset: token.offset)
        case .dot:
            _ = advance()
            usesCurrent = true
            return ExpressionNode(kind: .current, offset: token.offset)
        case .dotDot:
            throw error("'..' can only be used as position(..)", at: token.offset, unsupported: true)
        case .symbol("("):
            _ = advance()
            try enter(at: token.offset)
            defer { depth -= 1 }
            let inner = try parseBinary(minimumPrecedence: 1)
            guard peek.kind == .symbol(")") else {
                let found = peek.kind == .end ? "" : " but found \(describe(peek))"
                throw error("expected ')' to close '('\(found)", at: peek.offset)
            }
            _ = advance()
            return inner
        case .name(let name):
            guard tokens[min(index + 1, tokens.count - 1)].kind == .symbol("(") else {
                throw error("unexpected name '\(name)'; refer to fields as ${\(name)}", at: token.offset, unsupported: true)
            }
            return try parseCall(name: name, token: token)
        case .end:
            throw error("expected a value but the expression ended", at: token.offset)
        default:
            throw error("expected a value but found \(describe(token))", at: token.offset)
        }
    }

    /// Functions of XPath or of other ODK tools that Canvass does not evaluate, and why.
    static let unsupported: [String: String] = [
        "instance": "reads a secondary instance, which Canvass forms do not have; filter choices with choice_filter, or read a CSV beside the form with pulldata()",
        "current": "belongs in secondary-instance predicates, which Canvass forms do not have; a choice_filter refers to the question's own answers with ${name}",
        "jr:itext": "looks up an XForm translation; use a label in each language",
        "property": "reads a device property of ODK Collect; use the deviceid or username metadata types",
        "floor": "is not in ODK Collect (JavaRosa); use int() to drop the fraction, or round()",
        "ceiling": "is not in ODK Collect (JavaRosa); use -int(-x) or round()",
        "decimal-date": "is not in ODK Collect (JavaRosa); use decimal-date-time() or number(date(...))",
        "last": "is an XPath node-set function that ODK Collect does not have; use count()",
        "name": "is an XPath node function that ODK Collect does not have",
        "local-name": "is an XPath node function that ODK Collect does not have",
        "lang": "is an XPath function that ODK Collect does not have",
    ]

    /// Among `unsupported`, the functions JavaRosa lacks too: a form using them is ODK's error as well.
    static let notInJavaRosa: Set<String> = ["floor", "ceiling", "decimal-date", "last", "name", "local-name", "lang"]

    private mutating func parseCall(name: String, token: ExpressionToken) throws(ExpressionError) -> ExpressionNode {
        guard let function = ExpressionFunction(rawValue: name) else {
            if let why = Self.unsupported[name] { throw error("\(name)() \(why)", at: token.offset, unsupported: !Self.notInJavaRosa.contains(name)) }
            throw error("unknown function '\(name)'", at: token.offset)
        }
        if [.random, .uuid, .once, .randomize].contains(function) { isVolatile = true }
        // once() reads the current answer, and so do string-length() and normalize-space() without arguments.
        if function == .once || ((function == .stringLength || function == .normalizeSpace) && tokens[min(index + 2, tokens.count - 1)].kind == .symbol(")")) {
            usesCurrent = true
        }
        _ = advance()  // name
        let open = advance()  // "("
        try enter(at: open.offset)
        defer { depth -= 1 }
        var arguments: [ExpressionNode] = []
        if peek.kind != .symbol(")") {
            while true {
                if function == .position && peek.kind == .dotDot {
                    arguments.append(ExpressionNode(kind: .position, offset: advance().offset))
                } else {
                    arguments.append(try parseBinary(minimumPrecedence: 1))
                }
                guard peek.kind == .symbol(",") else { break }
                _ = advance()
            }
        }
        guard peek.kind == .symbol(")") else {
            if peek.kind == .end { throw error("expected ')' to close '\(name)('", at: peek.offset) }
            throw error("expected ',' or ')' in the arguments of \(name)() but found \(describe(peek))",
                        at: peek.offset)
        }
        _ = advance()
        guard function.accepts(arguments.count) else {
            throw error("\(name)() \(function.arityText) but was given \(arguments.count)", at: token.offset)
        }
        return try specialForm(function, arguments: arguments, token: token)
    }

    /// Checks the functions whose arguments are names rather than values.
    private func specialForm(_ function: ExpressionFunction, arguments: [ExpressionNode],
                             token: ExpressionToken) throws(ExpressionError) -> ExpressionNode {
        switch function {
        case .position:
            for argument in arguments {
                guard case .position = argument.kind else {
                    throw error("position() only accepts '..' as its argument", at: argument.offset)
                }
            }
            return ExpressionNode(kind: .position, offset: token.offset)
        case .indexedRepeat:
            guard case .reference(let field) = arguments[0].kind else {
                throw error("indexed-repeat() needs a ${name} reference as argument 1", at: arguments[0].offset)
            }
            var repeats: [(name: String, index: ExpressionNode)] = []
            for position in stride(from: 1, to: arguments.count, by: 2) {
                guard case .reference(let repeatName) = arguments[position].kind else {
                    throw error("indexed-repeat() needs a ${name} reference to a repeat as argument \(position + 1)", at: arguments[position].offset)
                }
                repeats.append((repeatName, arguments[position + 1]))
            }
            return ExpressionNode(kind: .indexedRepeat(field: field, repeats: repeats), offset: token.offset)
        default:
            return ExpressionNode(kind: .call(function, arguments), offset: token.offset)
        }
    }
}
