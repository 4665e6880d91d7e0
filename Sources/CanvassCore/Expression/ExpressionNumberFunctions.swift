import Foundation

/// Number functions. The XPath 3.0 math functions read a date as its fractional days since
/// 1970-01-01 local midnight (JavaRosa's toDouble); the others read it as whole days.
extension ExpressionEvaluator {
    func numberFunction(_ function: ExpressionFunction, _ args: [ExpressionNode]) throws(ExpressionError) -> Value {
        switch function {
        case .number: return .number(try numeric(args[0]))
        case .int: return .number(toInt(try numeric(args[0])))
        case .round:
            let places = args.count > 1 ? javaInt(try numeric(args[1])) : 0
            return .number(ExpressionNumberText.round(try numeric(args[0]), places: Double(places)))
        case .pi: return .number(Double.pi)
        case .random: return .number(context.random.unit())
        case .min, .max:
            // JavaRosa skips values that are not numbers (such as unanswered fields); none left is NaN.
            let values = try spread(args, from: 0).map(number).filter { !$0.isNaN }
            guard let first = values.first else { return .number(.nan) }
            return .number(values.reduce(first, function == .min ? Swift.min : Swift.max))
        case .pow: return .number(Foundation.pow(try mathArgument(args[0]), try mathArgument(args[1])))
        case .atan2: return .number(Foundation.atan2(try mathArgument(args[0]), try mathArgument(args[1])))
        default:
            let x = try mathArgument(args[0])
            switch function {
            case .abs: return .number(Swift.abs(x))
            case .sqrt: return .number(x.squareRoot())
            case .exp: return .number(Foundation.exp(x))
            case .exp10: return .number(Foundation.pow(10, x))
            case .log: return .number(Foundation.log(x))
            case .log10: return .number(Foundation.log10(x))
            case .sin: return .number(Foundation.sin(x))
            case .cos: return .number(Foundation.cos(x))
            case .tan: return .number(Foundation.tan(x))
            case .asin: return .number(Foundation.asin(x))
            case .acos: return .number(Foundation.acos(x))
            default: return .number(Foundation.atan(x))
            }
        }
    }

    /// JavaRosa's toDouble(): a date is fractional days since local midnight of 1970-01-01;
    /// anything else, a date field's node included, is number().
    private func mathArgument(_ node: ExpressionNode) throws(ExpressionError) -> Double {
        let raw = try evaluate(node)
        if case .nodeset = raw { return number(try unpack(raw, label: nil, offset: node.offset)) }
        // Only a date pays for the time zone's offsets.
        func days(since1970 seconds: Double) -> Double {
            (seconds - ExpressionDateText.instant(localSeconds: 0, in: timeZone).timeIntervalSince1970) / ExpressionDateText.secondsPerDay
        }
        switch raw {
        case .date(let day):
            return days(since1970: ExpressionDateText.instant(localSeconds: day.timeIntervalSince1970, in: timeZone).timeIntervalSince1970)
        case .dateTime(let instant):
            return days(since1970: (instant.timeIntervalSince1970 * 1000).rounded(.down) / 1000)
        default:
            return number(raw)
        }
    }

    // MARK: randomize()

    /// randomize(${nodes}[, seed]): the nodes shuffled, as JavaRosa shuffles choices: Fisher-Yates
    /// "inside out" over Park-Miller numbers from the seed (a seed that is not a number is hashed),
    /// so a seed gives the same order as ODK Collect and Enketo.
    func randomize(_ args: [ExpressionNode]) throws(ExpressionError) -> Value {
        guard case .nodeset(let nodes) = try evaluate(args[0]) else {
            throw error("randomize() needs a ${name} reference (the nodes to shuffle)", at: args[0].offset)
        }
        var next: () -> Double
        if args.count > 1 {
            var generator = ParkMiller(seed: Self.seed(try scalar(args[1]), timeZone: timeZone))
            next = { generator.nextDouble() }
        } else {
            let random = context.random
            next = { random.unit() }
        }
        return .nodeset(Self.shuffle(nodes, next))
    }

    static func shuffle<T>(_ input: [T], _ next: () -> Double) -> [T] {
        var output = input
        for i in input.indices {
            let j = Int((next() * Double(i + 1)).rounded(.towardZero))
            if j != i { output[i] = output[j] }
            output[j] = input[i]
        }
        return output
    }

    /// JavaRosa's seed: the number, or else the first 8 bytes of the SHA-256 of the text.
    static func seed(_ value: Value, timeZone: TimeZone) -> Int64 {
        let number = value.number(in: timeZone)
        if !number.isNaN {
            guard number.isFinite else { return number > 0 ? .max : .min }
            return Int64(Swift.max(Swift.min(number, 9.2e18), -9.2e18).rounded(.towardZero))
        }
        let text = value.string(in: timeZone)
        if text.isEmpty { return 0 }
        return ExpressionNumberText.longHash(text)
    }
}

/// The Park-Miller generator JavaRosa seeds randomize() with.
struct ParkMiller {
    static let modulus = 2_147_483_647.0
    var state: Double

    init(seed: Int64) {
        state = Double(seed).truncatingRemainder(dividingBy: Self.modulus)
        if state <= 0 { state += Self.modulus - 1 }
    }

    mutating func nextDouble() -> Double {
        state = (state * 16807).truncatingRemainder(dividingBy: Self.modulus)
        return (Double(Int32(truncatingIfNeeded: Int64(state))) - 1) / (Self.modulus - 1)
    }
}
