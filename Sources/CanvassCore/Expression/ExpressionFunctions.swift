import Foundation

/// The function library, as JavaRosa 5.1 evaluates it (XPathFuncExpr): arguments converted with
/// its rules, its results for empty values, and its errors. Arity was checked by the parser.
/// Text, numbers, dates and geography are in their own files.
extension ExpressionEvaluator {
    func call(_ function: ExpressionFunction, _ args: [ExpressionNode],
              at node: ExpressionNode) throws(ExpressionError) -> Value {
        switch function {
        // Logic
        case .if:
            return try scalar(args[0]).boolean ? try evaluate(args[1]) : try evaluate(args[2])
        case .coalesce:
            // The first argument as it is (a node-set stays one), unless it is "" or NaN.
            let first = try evaluate(args[0])
            return isNull(try unpack(first, label: nil, offset: args[0].offset)) ? try evaluate(args[1]) : first
        case .once:
            if let current = context.current, !string(current).isEmpty { return current }
            return try evaluate(args[0])
        case .not: return .boolean(!(try scalar(args[0]).boolean))
        case .true: return .boolean(true)
        case .false: return .boolean(false)
        case .boolean: return .boolean(try scalar(args[0]).boolean)
        case .booleanFromString:
            let text = try text(args[0])
            return .boolean(text.lowercased() == "true" || text == "1")
        case .checklist: return .boolean(try checklist(args))
        case .weightedChecklist: return .boolean(try weightedChecklist(args))
        case .depend: return try evaluate(args[0])

        // Choices
        case .selected, .isSelected: return try selected(args, function)
        case .countSelected:
            return .number(Double(try selection(args[0], function).split(separator: " ").count))
        case .selectedAt:
            let choices = try selection(args[0], function).split(separator: " ")
            let index = javaInt(try numeric(args[1]))
            return .string(index >= 0 && index < choices.count ? String(choices[index]) : "")
        case .choiceName:
            let choice = try text(args[0])
            var field = try text(args[1]).trimmingCharacters(in: .whitespaces)
            if field.hasPrefix("${"), field.hasSuffix("}") { field = String(field.dropFirst(2).dropLast()) }
            return .string(context.choiceLabel(field, choice) ?? choice)

        // Node-sets
        case .count: return .number(Double(try nodes(args[0], for: function).count))
        case .countNonEmpty:
            // A repeat's instances hold fields, so each counts (JavaRosa counts nodes with children).
            let values = try nodes(args[0], for: function)
            if case .reference(let name) = args[0].kind, context.hasChildren(name) { return .number(Double(values.count)) }
            return .number(Double(values.filter { !string($0).isEmpty }.count))
        case .sum:
            // As in JavaRosa, a node that is not a number (unanswered, or text) adds nothing.
            return .number(try nodes(args[0], for: function).reduce(0) { sum, node in
                let value = number(node)
                return value.isNaN ? sum : sum + value
            })
        case .position:
            return .number(Double(context.position ?? 1))
        case .indexedRepeat:
            // The parser turns valid calls into their own node kind; this is only reachable for malformed trees.
            throw error("indexed-repeat() needs ${name} references to a field and its repeats", at: node.offset)
        case .randomize: return try randomize(args)

        // The form and the device
        case .uuid: return try uuid(args)
        case .version: return .string(context.formVersion)
        case .pulldata: return try pulldata(args)

        case .string, .stringLength, .concat, .join, .substr, .substringBefore, .substringAfter, .contains,
             .startsWith, .endsWith, .translate, .normalizeSpace, .regex, .digest, .base64Decode, .extractSigned:
            return try textFunction(function, args)
        case .number, .int, .round, .abs, .pow, .sqrt, .exp, .exp10, .log, .log10, .sin, .cos, .tan, .asin, .acos,
             .atan, .atan2, .pi, .min, .max, .random:
            return try numberFunction(function, args)
        case .today, .now, .date, .dateTime, .decimalDateTime, .decimalTime, .formatDate, .formatDateTime:
            return try dateFunction(function, args)
        case .area, .enclosedArea, .distance, .geofence, .intersects:
            return try geoFunction(function, args)
        }
    }

    // MARK: Argument helpers

    func text(_ node: ExpressionNode) throws(ExpressionError) -> String { string(try scalar(node)) }

    func numeric(_ node: ExpressionNode) throws(ExpressionError) -> Double { number(try scalar(node)) }

    /// JavaRosa's isNull(): "" and NaN.
    func isNull(_ value: Value) -> Bool {
        switch value {
        case .string(let text): return text.isEmpty
        case .number(let number): return number.isNaN
        default: return false
        }
    }

    /// The nodes of a `${name}` argument; anything else is an error, as JavaRosa's "not a nodeset".
    func nodes(_ node: ExpressionNode, for function: ExpressionFunction) throws(ExpressionError) -> [Value] {
        guard case .nodeset(let nodes) = try evaluate(node) else {
            throw error("\(function.rawValue)() needs a ${name} reference", at: node.offset)
        }
        return nodes
    }

    /// The arguments from `start` on as values, or the nodes of a lone node-set argument there
    /// (JavaRosa's rule for concat, join, checklist, min and max).
    func spread(_ args: [ExpressionNode], from start: Int) throws(ExpressionError) -> [Value] {
        if args.count == start + 1, case .nodeset(let nodes) = try evaluate(args[start]) { return nodes }
        var values: [Value] = []
        for arg in args.dropFirst(start) { values.append(try scalar(arg)) }
        return values
    }

    // MARK: Choices

    /// A select's answer: JavaRosa takes it as text only (a number there is an error).
    private func selection(_ node: ExpressionNode, _ function: ExpressionFunction) throws(ExpressionError) -> String {
        guard case .string(let text) = try scalar(node) else {
            throw error("the first argument of \(function.rawValue)() must be a select answer (text), not a number, date or boolean", at: node.offset)
        }
        return text
    }

    /// JavaRosa's selected(): the trimmed value, surrounded by spaces, occurs in the space-padded list.
    /// The value must be a string: selected(${x}, 1) is an error in JavaRosa too, since choice names are text.
    private func selected(_ args: [ExpressionNode], _ function: ExpressionFunction) throws(ExpressionError) -> Value {
        let value = try scalar(args[1])
        guard case .string(let choice) = value else {
            throw error("the second argument of \(function.rawValue)() must be in quotes, like '1'", at: args[1].offset)
        }
        let list = try selection(args[0], function)
        let needle = " " + ExpressionNumberText.javaTrim(choice) + " "
        return .boolean((" " + list + " ").range(of: needle) != nil)
    }

    // MARK: Checklists

    /// checklist(min, max, answers...): how many answers are true lies within [min, max]; -1 means no bound.
    private func checklist(_ args: [ExpressionNode]) throws(ExpressionError) -> Bool {
        let low = javaInt(try numeric(args[0])), high = javaInt(try numeric(args[1]))
        var count = 0
        for factor in try spread(args, from: 2) where factor.boolean { count += 1 }
        return (low < 0 || count >= low) && (high < 0 || count <= high)
    }

    /// weighted-checklist(min, max, answer, weight, ...): the weights of the true answers sum within [min, max].
    private func weightedChecklist(_ args: [ExpressionNode]) throws(ExpressionError) -> Bool {
        let low = try numeric(args[0]), high = try numeric(args[1])
        var pairs: [(Value, Value)] = []
        if args.count == 4, case .nodeset(let flags) = try evaluate(args[2]), case .nodeset(let weights) = try evaluate(args[3]) {
            guard flags.count == weights.count else {
                throw error("weighted-checklist(): the answers and the weights have \(flags.count) and \(weights.count) values", at: args[2].offset)
            }
            pairs = Array(zip(flags, weights))
        } else {
            for index in stride(from: 2, to: args.count, by: 2) {
                pairs.append((try scalar(args[index]), try scalar(args[index + 1])))
            }
        }
        var sum = 0.0
        for (flag, weight) in pairs where flag.boolean { sum += number(weight) }
        return sum >= low && sum <= high
    }

    // MARK: Identifiers and data files

    /// uuid(): a random RFC 4122 version 4 UUID; uuid(n): n random letters and digits (upper case), as JavaRosa.
    private func uuid(_ args: [ExpressionNode]) throws(ExpressionError) -> Value {
        let random = context.random
        func hex(_ count: Int) -> String {
            String((0..<count).map { _ in Array("0123456789abcdef")[Int(random.next() % 16)] })
        }
        guard let arg = args.first else {
            let variant = Array("89ab")[Int(random.next() % 4)]
            return .string("\(hex(8))-\(hex(4))-4\(hex(3))-\(variant)\(hex(3))-\(hex(12))")
        }
        let length = javaInt(try numeric(arg))
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        return .string(String((0..<Swift.max(length, 0)).map { _ in alphabet[Int(random.next() % 36)] }))
    }

    /// pulldata('file', 'column', 'key column', key): the column of the first row of `file.csv`
    /// (beside the form) whose key column equals the key, as ODK Collect looks it up; "" when none.
    private func pulldata(_ args: [ExpressionNode]) throws(ExpressionError) -> Value {
        let file = try text(args[0]), column = try text(args[1]), keyColumn = try text(args[2]), key = try text(args[3])
        let name = file.lowercased().hasSuffix(".csv") ? String(file.dropLast(4)) : file
        guard let rows = context.dataFile(name) else {
            throw error("pulldata() reads '\(name).csv' beside the form, and there is none; put the file next to the form", at: args[0].offset)
        }
        return .string(rows.first { $0[keyColumn] == key }?[column] ?? "")
    }
}
