import Foundation

/// The function library. Arity was checked by the parser, so argument indexes are in range.
extension ExpressionEvaluator {
    func call(_ function: ExpressionFunction, _ args: [ExpressionNode],
              at node: ExpressionNode) throws(ExpressionError) -> Value {
        switch function {
        // Logic
        case .if:
            return try scalar(args[0]).boolean ? try evaluate(args[1]) : try evaluate(args[2])
        case .not: return .boolean(!(try scalar(args[0]).boolean))
        case .true: return .boolean(true)
        case .false: return .boolean(false)
        case .boolean: return .boolean(try scalar(args[0]).boolean)
        case .booleanFromString:
            let text = try text(args[0])
            return .boolean(text == "true" || text == "1")
        case .once:
            if let current = context.current, !current.isEmpty { return .string(current) }
            return try scalar(args[0])
        case .coalesce:
            let first = try scalar(args[0])
            return string(first).isEmpty ? try scalar(args[1]) : first

        // Choices
        case .selected: return try selected(args)
        case .countSelected: return .number(Double(try text(args[0]).split(separator: " ").count))
        case .selectedAt:
            let choices = try text(args[0]).split(separator: " ")
            let index = javaInt(try numeric(args[1]))
            return .string(index >= 0 && index < choices.count ? String(choices[index]) : "")
        case .choiceName: return .string(try text(args[0]))

        // Text
        case .string: return .string(try text(args[0]))
        case .stringLength: return .number(Double(try text(args[0]).count))
        case .concat: return .string(try concatenated(args))
        case .join: return .string(try joined(args))
        case .substr: return .string(try substring(args))
        case .contains:
            let needle = try text(args[1])
            let haystack = try text(args[0])
            return .boolean(needle.isEmpty || haystack.contains(needle))
        case .startsWith: return .boolean(try text(args[0]).hasPrefix(try text(args[1])))
        case .endsWith: return .boolean(try text(args[0]).hasSuffix(try text(args[1])))
        case .regex: return .boolean(try matches(args))
        case .translate: return .string(try translated(args))
        case .normalizeSpace:
            return .string(try text(args[0]).split(whereSeparator: \.isWhitespace).joined(separator: " "))
        case .uuid: return .string(UUID().uuidString.lowercased())

        // Numbers
        case .number: return .number(try numeric(args[0]))
        case .int: return .number(try numeric(args[0]).rounded(.towardZero))
        case .round:
            let value = try numeric(args[0])
            if args.count == 1 { return .number(ExpressionNumberText.roundHalfUp(value)) }
            return .number(ExpressionNumberText.round(value, places: try numeric(args[1])))
        case .floor: return .number(try numeric(args[0]).rounded(.down))
        case .ceiling: return .number(try numeric(args[0]).rounded(.up))
        case .abs: return .number(Swift.abs(try numeric(args[0])))
        case .pow: return .number(Foundation.pow(try numeric(args[0]), try numeric(args[1])))
        case .sqrt: return .number((try numeric(args[0])).squareRoot())
        case .min, .max:
            // JavaRosa skips values that are not numbers (such as unanswered fields); none left is NaN.
            let values = try numbers(args).filter { !$0.isNaN }
            guard let first = values.first else { return .number(.nan) }
            return .number(values.reduce(first, function == .min ? Swift.min : Swift.max))

        // Node-sets
        case .count: return .number(Double(try nodes(args[0], for: function).count))
        case .countNonEmpty: return .number(Double(try nodes(args[0], for: function).filter { !$0.isEmpty }.count))
        case .sum:
            // As in JavaRosa, a node that is not a number (unanswered, or text) adds nothing.
            let values = try nodes(args[0], for: function).map(ExpressionNumberText.parse)
            return .number(values.reduce(0) { $0 + ($1.isNaN ? 0 : $1) })
        case .position:
            guard let position = context.position else {
                throw error("position() used outside a repeat", at: node.offset)
            }
            return .number(Double(position))
        case .indexedRepeat:
            // The parser turns valid calls into their own node kind; this is only reachable for malformed trees.
            throw error("indexed-repeat() needs ${name} references as arguments 1 and 2", at: node.offset)

        // Dates
        case .today, .now, .date, .dateTime, .decimalDateTime, .decimalDate, .formatDate, .formatDateTime:
            return try dateFunction(function, args)
        }
    }

    // MARK: Argument helpers

    func text(_ node: ExpressionNode) throws(ExpressionError) -> String { string(try scalar(node)) }

    func numeric(_ node: ExpressionNode) throws(ExpressionError) -> Double { number(try scalar(node)) }

    /// The nodes of a `${name}` argument; anything else is an error, as JavaRosa's "not a nodeset".
    private func nodes(_ node: ExpressionNode, for function: ExpressionFunction) throws(ExpressionError) -> [String] {
        guard case .nodeset(let nodes) = try evaluate(node) else {
            throw error("\(function.rawValue)() needs a ${name} reference", at: node.offset)
        }
        return nodes
    }

    /// Every number in the arguments, taking all the nodes of a node-set argument.
    private func numbers(_ args: [ExpressionNode]) throws(ExpressionError) -> [Double] {
        var result: [Double] = []
        for arg in args {
            if case .nodeset(let nodes) = try evaluate(arg) {
                result += nodes.map(ExpressionNumberText.parse)
            } else {
                result.append(try numeric(arg))
            }
        }
        return result
    }

    /// Java's (int) cast: NaN is 0, out-of-range values saturate.
    func javaInt(_ value: Double) -> Int {
        if value.isNaN { return 0 }
        return Int(Swift.max(Swift.min(value, 2_147_483_647), -2_147_483_648).rounded(.towardZero))
    }

    // MARK: Implementations

    /// JavaRosa's selected(): the trimmed value, surrounded by spaces, occurs in the space-padded list.
    /// The value must be a string: selected(${x}, 1) is an error in JavaRosa too, since choice names are text.
    private func selected(_ args: [ExpressionNode]) throws(ExpressionError) -> Value {
        let list = try text(args[0])
        let value = try scalar(args[1])
        guard case .string(let choice) = value else {
            throw error("the second argument of selected() must be in quotes, like '1'", at: args[1].offset)
        }
        let needle = " " + ExpressionNumberText.javaTrim(choice) + " "
        return .boolean((" " + list + " ").range(of: needle) != nil)
    }

    /// concat(): a node-set argument contributes all of its nodes, as in JavaRosa.
    private func concatenated(_ args: [ExpressionNode]) throws(ExpressionError) -> String {
        var result = ""
        for arg in args {
            let value = try evaluate(arg)
            if case .nodeset(let nodes) = value {
                result += nodes.joined()
            } else {
                result += string(value)
            }
        }
        return result
    }

    /// join(sep, ${nodes}) joins the nodes of one node-set (empty ones included); join(sep, a, b, …) joins values.
    private func joined(_ args: [ExpressionNode]) throws(ExpressionError) -> String {
        let separator = try text(args[0])
        if args.count == 2, case .nodeset(let nodes) = try evaluate(args[1]) {
            return nodes.joined(separator: separator)
        }
        var parts: [String] = []
        for arg in args.dropFirst() { parts.append(try text(arg)) }
        return parts.joined(separator: separator)
    }

    /// substr(s, start[, end]): 0-based start, exclusive end; negative positions count from the end (JavaRosa).
    private func substring(_ args: [ExpressionNode]) throws(ExpressionError) -> String {
        let characters = Array(try text(args[0]))
        let length = characters.count
        func position(_ raw: Int) -> Int { Swift.min(Swift.max(raw < 0 ? length + raw : raw, 0), length) }
        let start = position(javaInt(try numeric(args[1])))
        let end = args.count > 2 ? position(javaInt(try numeric(args[2]))) : length
        return start < end ? String(characters[start..<end]) : ""
    }

    /// regex(s, pattern) must match the whole string, as Java's String.matches does.
    private func matches(_ args: [ExpressionNode]) throws(ExpressionError) -> Bool {
        let subject = try text(args[0])
        let pattern = try text(args[1])
        let whole: NSRegularExpression
        do {
            // Compile the pattern alone first so an unbalanced ')' cannot pair with the anchoring group.
            _ = try NSRegularExpression(pattern: pattern)
            whole = try NSRegularExpression(pattern: "\\A(?:" + pattern + ")\\z")
        } catch {
            throw self.error("invalid regular expression '\(pattern)'", at: args[1].offset)
        }
        let range = NSRange(subject.startIndex..<subject.endIndex, in: subject)
        return whole.firstMatch(in: subject, range: range) != nil
    }

    /// translate(s, from, to): each character of `from` becomes the one at the same place in `to`, or is removed.
    private func translated(_ args: [ExpressionNode]) throws(ExpressionError) -> String {
        let from = Array(try text(args[1]))
        let to = Array(try text(args[2]))
        var map: [Character: Character?] = [:]
        for (index, character) in from.enumerated() where map[character] == nil {
            map[character] = index < to.count ? to[index] : Character?.none
        }
        var result = ""
        for character in try text(args[0]) {
            if let replacement = map[character] {
                if let replacement { result.append(replacement) }
            } else {
                result.append(character)
            }
        }
        return result
    }
}
