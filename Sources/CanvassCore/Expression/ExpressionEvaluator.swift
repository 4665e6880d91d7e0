import Foundation

/// Evaluates a syntax tree with JavaRosa's semantics. Everything it reads comes from the context.
struct ExpressionEvaluator {
    let context: EvaluationContext
    let source: String

    var timeZone: TimeZone { context.timeZone }

    /// Evaluates the root; a single-node result reads as its value, as JavaRosa unpacks it, and a
    /// result of several nodes is an error (no field can hold it).
    func evaluateTopLevel(_ root: ExpressionNode) throws(ExpressionError) -> Value {
        var label: String?
        if case .reference(let name) = root.kind { label = name }
        return try unpack(try evaluate(root), label: label, offset: root.offset)
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
            return context.current ?? .string("")
        case .negate(let operand):
            return .number(-number(try scalar(operand)))
        case .chain(let first, let links):
            return try evaluateChain(first, links)
        case .call(let function, let arguments):
            return try call(function, arguments, at: node)
        case .indexedRepeat(let field, let repeats):
            // As JavaRosa: an index below 1 (or not a number) is the first instance.
            var path: [(repeatName: String, index: Int)] = []
            for (repeatName, indexNode) in repeats {
                let index = javaInt(number(try scalar(indexNode)))
                path.append((repeatName, Swift.max(index, 1)))
            }
            return context.indexedRepeat(field, path) ?? .string("")
        case .position:
            // Outside a repeat a node is the first of its name, as JavaRosa counts it.
            return .number(Double(context.position ?? 1))
        }
    }

    // MARK: Coercions

    /// Evaluates a node where one value is needed.
    func scalar(_ node: ExpressionNode) throws(ExpressionError) -> Value {
        var label: String?
        if case .reference(let name) = node.kind { label = name }
        return try unpack(try evaluate(node), label: label, offset: node.offset)
    }

    /// A node-set of one node is its value, of none is ""; several nodes are an error, as in JavaRosa
    /// ("This field is repeated"), because there is no single value to use.
    /// `label` is the reference's name, for the message when it has several values.
    func unpack(_ value: Value, label: String?, offset: Int) throws(ExpressionError) -> Value {
        guard case .nodeset(let nodes) = value else { return value }
        if nodes.count > 1 {
            let subject = label.map { "${\($0)} has" } ?? "this node-set has"
            throw error("\(subject) \(nodes.count) values here (one per repeat instance); use indexed-repeat() to pick one",
                        at: offset)
        }
        return nodes.first ?? .string("")
    }

    func number(_ value: Value) -> Double { value.number(in: timeZone) }

    func string(_ value: Value) -> String { value.string(in: timeZone) }

    func error(_ message: String, at offset: Int) -> ExpressionError {
        ExpressionError(message, source: source, offset: offset)
    }

    /// Java's `(int)` and `Double.intValue()`: toward zero, NaN is 0, saturating at the Int32 range.
    func javaInt(_ value: Double) -> Int {
        if value.isNaN { return 0 }
        return Int(Swift.max(Swift.min(value, 2_147_483_647), -2_147_483_648).rounded(.towardZero))
    }

    /// JavaRosa's toInt(): toward zero, keeping NaN, infinities and values beyond the Int64 range.
    func toInt(_ value: Double) -> Double {
        guard value.isFinite, Swift.abs(value) < 9.2e18 else { return value }
        let whole = value.rounded(.towardZero)
        return whole == 0 && value < 0 ? -0.0 : whole
    }

    // MARK: Operators

    /// Folds a chain `a op b op c …` left to right in a loop, so a long chain cannot exhaust the stack.
    private func evaluateChain(_ first: ExpressionNode, _ links: [ExpressionChainLink]) throws(ExpressionError) -> Value {
        var accumulated = try evaluate(first)
        // The reference named in an error message.
        var label: String?
        if case .reference(let name) = first.kind { label = name }
        for link in links {
            let left = try unpack(accumulated, label: label, offset: first.offset)
            label = nil
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
        }
    }

    /// JavaRosa's `=`: booleans if either side is boolean, else numbers (within 1e-12) if either is a number,
    /// else strings, where a date or date-time reads as its calendar day "2026-11-22".
    func equals(_ left: Value, _ right: Value) -> Bool {
        switch (left, right) {
        case (.boolean, _), (_, .boolean):
            return left.boolean == right.boolean
        case (.number, _), (_, .number):
            return Swift.abs(number(left) - number(right)) < 1e-12
        default:
            return string(left) == string(right)
        }
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
