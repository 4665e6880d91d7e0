import Foundation

/// A binary operator, from lowest to highest precedence (XPath 1.0).
enum ExpressionOperator: String, Sendable {
    case or, and
    case equal = "=", notEqual = "!="
    case less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case plus = "+", minus = "-"
    case times = "*", divide = "div", modulo = "mod"
    case union = "|"

    /// Precedence for the binary levels below unary minus; `|` binds tighter than unary minus and is parsed apart.
    var precedence: Int {
        switch self {
        case .or: return 1
        case .and: return 2
        case .equal, .notEqual: return 3
        case .less, .lessOrEqual, .greater, .greaterOrEqual: return 4
        case .plus, .minus: return 5
        case .times, .divide, .modulo: return 6
        case .union: return 8
        }
    }
}

/// One node of a parsed expression, with the Character offset where it starts, for error messages.
struct ExpressionNode: Sendable {
    indirect enum Kind: Sendable {
        case number(Double)
        case string(String)
        case reference(String)
        /// `.`, the current answer.
        case current
        case negate(ExpressionNode)
        /// `first op₁ x₁ op₂ x₂ …`, folded left to right. A flat list rather than a left-deep tree, so that
        /// neither evaluation nor deallocation recurses once per operator of a long chain.
        case chain(ExpressionNode, [ExpressionChainLink])
        case call(ExpressionFunction, [ExpressionNode])
        /// `indexed-repeat(${field}, ${repeat}, index)`: the names are kept, not looked up.
        case indexedRepeat(field: String, repeatName: String, index: ExpressionNode)
        /// `position(..)`.
        case position
    }

    let kind: Kind
    let offset: Int
}

/// One `operator operand` step of a chain; `operatorOffset` locates the operator for error messages.
struct ExpressionChainLink: Sendable {
    let op: ExpressionOperator
    let operand: ExpressionNode
    let operatorOffset: Int
}

/// The functions of ODK's XPath dialect, by their XPath names.
enum ExpressionFunction: String, CaseIterable, Sendable {
    case `if`, selected, countSelected = "count-selected", selectedAt = "selected-at", choiceName = "jr:choice-name"
    case stringLength = "string-length", regex, concat, coalesce, substr, contains
    case startsWith = "starts-with", endsWith = "ends-with", join, translate, normalizeSpace = "normalize-space"
    case int, number, string, boolean, booleanFromString = "boolean-from-string", not, `true`, `false`
    case round, floor, ceiling, abs, pow, sqrt, min, max
    case today, now, date, dateTime = "date-time", decimalDateTime = "decimal-date-time", decimalDate = "decimal-date"
    case formatDate = "format-date", formatDateTime = "format-date-time"
    case count, sum, countNonEmpty = "count-non-empty", position, indexedRepeat = "indexed-repeat", once, uuid

    /// How many arguments the function accepts; `Int.max` as the upper bound means any number.
    var arity: ClosedRange<Int> {
        switch self {
        case .today, .now, .true, .false, .uuid: return 0...0
        case .position: return 0...1
        case .countSelected, .stringLength, .normalizeSpace, .int, .number, .string, .boolean, .booleanFromString,
             .not, .floor, .ceiling, .abs, .sqrt, .date, .dateTime, .decimalDateTime, .decimalDate, .count, .sum,
             .countNonEmpty, .once:
            return 1...1
        case .selected, .selectedAt, .choiceName, .regex, .coalesce, .contains, .startsWith, .endsWith, .pow,
             .formatDate, .formatDateTime:
            return 2...2
        case .if, .translate, .indexedRepeat: return 3...3
        case .round: return 1...2
        case .substr: return 2...3
        case .concat: return 0...Int.max
        case .min, .max: return 1...Int.max
        case .join: return 2...Int.max
        }
    }

    /// "takes 3 arguments", "takes 1 or 2 arguments", "takes at least 1 argument", "takes no arguments".
    var arityText: String {
        let range = arity
        func plural(_ n: Int) -> String { n == 1 ? "1 argument" : "\(n) arguments" }
        if range.upperBound == Int.max { return "takes at least \(plural(range.lowerBound))" }
        if range.lowerBound == range.upperBound {
            return range.lowerBound == 0 ? "takes no arguments" : "takes \(plural(range.lowerBound))"
        }
        if range.upperBound == range.lowerBound + 1 {
            return "takes \(range.lowerBound) or \(plural(range.upperBound))"
        }
        return "takes \(range.lowerBound) to \(plural(range.upperBound))"
    }
}
