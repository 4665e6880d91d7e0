import Foundation

/// What a calculation holds once computed, and how it reads back: JavaRosa keeps a calculate's
/// result typed (IAnswerData.wrapData), writes it as the text below, and hands the typed value to
/// the expressions that refer to it.
extension Value {
    /// The text a field of type `kind` holds for this result; nil (empty) for "" and NaN.
    /// Numbers within 1e-9 of an integer are written whole, others as Java writes a double
    /// ("0.30000000000000004", "1.0E-5"); booleans as 1 and 0; dates as a date-time with the local
    /// offset (a date, or a time, in a field of that type); text as it is.
    public func storedText(for kind: FieldType.Kind?, timeZone: TimeZone) -> String? {
        switch self {
        case .nodeset(let nodes):
            return (nodes.first ?? .string("")).storedText(for: kind, timeZone: timeZone)
        case .string(let text):
            return text.isEmpty ? nil : text
        case .number(let number):
            if number.isNaN { return nil }
            if number.isInfinite { return number < 0 ? "-Infinity" : "Infinity" }
            let whole = number.rounded(.towardZero)
            if kind == .integer || (Swift.abs(number - whole) < 1e-9 && Swift.abs(whole) < 9.2e18) {
                return String(Int64(Swift.max(Swift.min(whole, 9.2e18), -9.2e18)))
            }
            return ExpressionNumberText.javaDoubleString(number)
        case .boolean(let flag):
            return flag ? "1" : "0"
        case .date(let day):
            let dayNumber = ExpressionDateText.dayNumber(ofMidnight: day)
            switch kind {
            case .date?: return ExpressionDateText.formatDay(dayNumber)
            default:
                let instant = ExpressionDateText.localMidnight(ofDay: dayNumber, in: timeZone)
                return Value.dateTime(instant).storedText(for: kind, timeZone: timeZone)
            }
        case .dateTime(let instant):
            let full = ExpressionDateText.formatDateTime(instant, in: timeZone)
            switch kind {
            case .date?: return String(full.prefix(10))
            case .time?: return String(full.dropFirst(11))
            default: return full
            }
        }
    }
}

extension NodeKind {
    /// How a calculation's stored text reads back, from the type of its expression's result; text
    /// when the result's type depends on the answers.
    public static func ofResult(_ expression: Expression, kindOf: (String) -> NodeKind?) -> NodeKind {
        ofResult(expression.root, kindOf: kindOf) ?? .text
    }

    static func ofResult(_ node: ExpressionNode, kindOf: (String) -> NodeKind?) -> NodeKind? {
        switch node.kind {
        case .number, .negate, .position: return .number
        case .string: return .text
        case .reference(let name), .indexedRepeat(let name, _): return kindOf(name)
        case .current: return nil
        case .chain(_, let links):
            switch links.last?.op {
            case .plus?, .minus?, .times?, .divide?, .modulo?: return .number
            default: return .boolean
            }
        case .call(let function, let args):
            switch function {
            case .if:
                let a = ofResult(args[1], kindOf: kindOf)
                return a == ofResult(args[2], kindOf: kindOf) ? a : nil
            case .coalesce:
                let a = ofResult(args[0], kindOf: kindOf)
                return a == ofResult(args[1], kindOf: kindOf) ? a : nil
            case .once, .depend: return ofResult(args[0], kindOf: kindOf)
            case .not, .true, .false, .boolean, .booleanFromString, .checklist, .weightedChecklist, .selected,
                 .isSelected, .contains, .startsWith, .endsWith, .regex, .geofence, .intersects:
                return .boolean
            case .today, .date, .now, .dateTime: return .dateTime
            case .countSelected, .stringLength, .count, .countNonEmpty, .sum, .position, .number, .int, .round, .abs,
                 .pow, .sqrt, .exp, .exp10, .log, .log10, .sin, .cos, .tan, .asin, .acos, .atan, .atan2, .pi, .min,
                 .max, .random, .decimalDateTime, .decimalTime, .area, .enclosedArea, .distance:
                return .number
            case .randomize, .indexedRepeat: return nil
            case .selectedAt, .choiceName, .string, .concat, .join, .substr, .substringBefore, .substringAfter,
                 .translate, .normalizeSpace, .digest, .base64Decode, .extractSigned, .formatDate, .formatDateTime,
                 .uuid, .version, .pulldata:
                return .text
            }
        }
    }
}
