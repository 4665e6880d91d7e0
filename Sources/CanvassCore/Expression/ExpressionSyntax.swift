import Foundation

/// A binary operator, from lowest to highest precedence (XPath 1.0).
enum ExpressionOperator: String, Sendable {
    case or, and
    case equal = "=", notEqual = "!="
    case less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case plus = "+", minus = "-"
    case times = "*", divide = "div", modulo = "mod"

    /// Precedence of the binary levels below unary minus.
    var precedence: Int {
        switch self {
        case .or: return 1
        case .and: return 2
        case .equal, .notEqual: return 3
        case .less, .lessOrEqual, .greater, .greaterOrEqual: return 4
        case .plus, .minus: return 5
        case .times, .divide, .modulo: return 6
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
        /// `indexed-repeat(${field}, ${repeat}, index [, ${inner}, index ...])`: the names are kept, not looked up.
        case indexedRepeat(field: String, repeats: [(name: String, index: ExpressionNode)])
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

/// The functions of ODK's XPath dialect, by their XPath names: those of ODK's "Form Operators and
/// Functions" and the ODK XForms spec, and JavaRosa's other names for some of them.
enum ExpressionFunction: String, CaseIterable, Sendable {
    // Logic and control
    case `if`, coalesce, once, not, `true`, `false`, boolean, booleanFromString = "boolean-from-string"
    case checklist, weightedChecklist = "weighted-checklist", depend
    // Selects
    case selected, isSelected = "is-selected", countSelected = "count-selected", selectedAt = "selected-at"
    case choiceName = "jr:choice-name"
    // Text
    case string, stringLength = "string-length", concat, join, substr, substringBefore = "substring-before"
    case substringAfter = "substring-after", contains, startsWith = "starts-with", endsWith = "ends-with"
    case translate, normalizeSpace = "normalize-space", regex
    case digest, base64Decode = "base64-decode", extractSigned = "extract-signed"
    // Numbers
    case number, int, round, abs, pow, sqrt, exp, exp10, log, log10
    case sin, cos, tan, asin, acos, atan, atan2, pi, min, max, random
    // Node-sets and repeats
    case count, countNonEmpty = "count-non-empty", sum, position, indexedRepeat = "indexed-repeat", randomize
    // Dates
    case today, now, date, dateTime = "date-time", decimalDateTime = "decimal-date-time"
    case decimalTime = "decimal-time"
    case formatDate = "format-date", formatDateTime = "format-date-time"
    // Geography
    case area, enclosedArea = "enclosed-area", distance, geofence, intersects
    // The form and the device
    case uuid, version, pulldata

    /// How many arguments the function accepts; `Int.max` as the upper bound means any number.
    var arity: ClosedRange<Int> {
        switch self {
        case .today, .now, .true, .false, .pi, .random, .version: return 0...0
        case .position, .uuid, .stringLength, .normalizeSpace: return 0...1
        case .countSelected, .string, .boolean, .booleanFromString, .not, .int, .number, .abs,
             .sqrt, .exp, .exp10, .log, .log10, .sin, .cos, .tan, .asin, .acos, .atan, .date, .dateTime,
             .decimalDateTime, .decimalTime, .count, .countNonEmpty, .sum, .once, .base64Decode,
             .area, .enclosedArea, .intersects:
            return 1...1
        case .selected, .isSelected, .selectedAt, .choiceName, .regex, .coalesce, .contains, .startsWith, .endsWith,
             .pow, .atan2, .formatDate, .formatDateTime, .substringBefore, .substringAfter, .extractSigned, .geofence:
            return 2...2
        case .if, .translate: return 3...3
        case .round, .randomize: return 1...2
        case .substr, .digest: return 2...3
        case .pulldata: return 4...4
        case .indexedRepeat: return 3...11
        case .concat, .min, .max: return 0...Int.max
        case .join, .depend, .distance: return 1...Int.max
        case .checklist: return 2...Int.max
        case .weightedChecklist: return 4...Int.max
        }
    }

    /// "takes 3 arguments", "takes 1 or 2 arguments", "takes at least 1 argument", "takes no arguments".
    var arityText: String {
        if self == .indexedRepeat { return "takes 3, 5, 7, 9 or 11 arguments" }
        if self == .weightedChecklist { return "takes an even number of arguments, at least 4" }
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

    /// Whether `count` arguments are accepted: the arity, and the odd counts of indexed-repeat and
    /// the even counts of weighted-checklist.
    func accepts(_ count: Int) -> Bool {
        guard arity.contains(count) else { return false }
        switch self {
        case .indexedRepeat: return count % 2 == 1
        case .weightedChecklist: return count % 2 == 0
        default: return true
        }
    }
}
