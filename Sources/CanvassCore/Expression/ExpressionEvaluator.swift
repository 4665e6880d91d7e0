import Foundation

/// Evaluates a syntax tree with JavaRosa's semantics. Everything it reads comes from the context (uuid() aside).
struct ExpressionEvaluator {
    let context: EvaluationContext
    let source: String

    var timeZone: TimeZone { context.timeZone }

    /// Evaluates the root; a single-node result reads as its string, as JavaRosa unpacks it.
    func evaluateTopLevel(_ root: ExpressionNode) throws(ExpressionError) -> Value {
        let value = try evaluate(root)
        if case .nodeset(let nodes) = value, nodes.count == 1 { return .string(nodes[0]) }
        return value
    }

    func evaluate(_ node: ExpressionNode) throws(ExpressionError) -> Value {
        switch node.kind {
        case .number(let value):
            return .number(value)
        case .string(let text):
            return .string(text)
        case .reference(let name):
            guard let nodes = context.lookup(name) else {
                throw error("unknown reference ${\(name)}", at: node.offset)
            }
            return .nodeset(nodes)
        case .current:
            return .string(context.current ?? "")
        case .negate(let operand):
            return .number(-number(try scalar(operand)))
        case .chain(let first, let links):
            return try evaluateChain(first, links)
        case .call(let function, let arguments):
            return try call(function, arguments, at: node)
        case .indexedRepeat(let field, let repeatName, let indexNode):
            let index = number(try scalar(indexNode))
            guard index.isFinite, abs(index) < 1e9 else { return .string("") }
            return .string(context.indexedRepeat(field, repeatName, Int(index.rounded(.towardZero))) ?? "")
        case .position:
            guard let position = context.position else {
                throw error("position() used outside a repeat", at: node.offset)
            }
            return .number(Double(position))
        }
    }

    // MARK: Coercions

    /// Evaluates a node where one value is needed.
    func scalar(_ node: ExpressionNode) throws(ExpressionError) -> Value {
        var label: String?
        if case .reference(let name) = node.kind { label = name }
        return try unpack(try evaluate(node), label: label, offset: node.offset)
    }

    /// A node-set of one node is its string, of none is ""; several nodes are an error, as in JavaRosa
    /// ("This field is repeated"), because there is no single value to use.
    /// `label` is the reference's name, for the message when it has several values.
    func unpack(_ value: Value, label: String?, offset: Int) throws(ExpressionError) -> Value {
        guard case .nodeset(let nodes) = value else { return value }
        if nodes.count > 1 {
            let subject = label.map { "${\($0)} has" } ?? "this node-set has"
            throw error("\(subject) \(nodes.count) values here (one per repeat instance); use indexed-repeat() to pick one",
                        at: offset)
        }
        return .string(nodes.first ?? "")
    }

    func number(_ value: Value) -> Double { value.number(in: timeZone) }

    func string(_ value: Value) -> String { value.string(in: timeZone) }

    func error(_ message: String, at offset: Int) -> ExpressionError {
        ExpressionError(message, source: source, offset: offset)
    }

    // MARK: Operators

    /// Folds a chain `a op b op c …` left to right in a loop, so a long chain cannot exhaust the stack.
    private func evaluateChain(_ first: ExpressionNode, _ links: [ExpressionChainLink]) throws(ExpressionError) -> Value {
        var accumulated = try evaluate(first)
        // The reference named in an error message; its text is made only if there is one.
        var label: String?
        if case .reference(let name) = first.kind { label = name }
        var labelOffset = first.offset
        for link in links {
            if link.op == .union {
                accumulated = try union(accumulated, link.operand, offset: link.operatorOffset)
                label = nil
                labelOffset = link.operatorOffset
                continue
            }
            let left = try unpack(accumulated, label: label, offset: labelOffset)
            accumulated = try apply(link.op, left, link.operand)
        }
        return accumulated
    }

    private func apply(_ op: ExpressionOperator, _ left: Value, _ rightNode: ExpressionNode) throws(ExpressionError) -> Value {
        switch op {
        case .or:
            if left.boolean { return .boolean(true) }
            return .boolean(try scalar(rightNode).boolean)
        case .and:
            if !left.boolean { return .boolean(false) }
            return .boolean(try scalar(rightNode).boolean)
        case .equal:
            return .boolean(equals(left, try scalar(rightNode)))
        case .notEqual:
            return .boolean(!equals(left, try scalar(rightNode)))
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            return .boolean(compare(op, number(left), number(try scalar(rightNode))))
        case .plus, .minus, .times, .divide, .modulo:
            return .number(arithmetic(op, number(left), number(try scalar(rightNode))))
        case .union:
            return left  // handled in evaluateChain
        }
    }

    private func union(_ left: Value, _ rightNode: ExpressionNode, offset: Int) throws(ExpressionError) -> Value {
        guard case .nodeset(let leftNodes) = left, case .nodeset(let rightNodes) = try evaluate(rightNode) else {
            throw error("'|' joins references, so both sides must be ${name} references", at: offset)
        }
        return .nodeset(leftNodes + rightNodes)
    }

    /// JavaRosa's `=`: booleans if either side is boolean, else numbers (within 1e-12) if either is a number,
    /// else strings, where a date or date-time reads as its calendar day "2026-11-22".
    func equals(_ left: Value, _ right: Value) -> Bool {
        switch (left, right) {
        case (.boolean, _), (_, .boolean):
            return left.boolean == right.boolean
        case (.number, _), (_, .number):
            let a = number(left), b = number(right)
            return a == b || abs(a - b) < 1e-12
        default:
            return comparableString(left) == comparableString(right)
        }
    }

    private func comparableString(_ value: Value) -> String {
        if case .dateTime(let instant) = value {
            return ExpressionDateText.formatDay(ExpressionDateText.localDay(of: instant, in: timeZone))
        }
        return string(value)
    }

    private func compare(_ op: ExpressionOperator, _ a: Double, _ b: Double) -> Bool {
        switch op {
        case .less: return a < b
        case .lessOrEqual: return a <= b
        case .greater: return a > b
        default: return a >= b
        }
    }

    /// `mod` keeps the dividend's sign, like Java's `%`: -7 mod 3 is -1.
    private func arithmetic(_ op: ExpressionOperator, _ a: Double, _ b: Double) -> Double {
        switch op {
        case .plus: return a + b
        case .minus: return a - b
        case .times: return a * b
        case .divide: return a / b
        default: return a.truncatingRemainder(dividingBy: b)
        }
    }
}
