import Foundation

/// The result of evaluating an expression, with JavaRosa's coercions between types.
///
/// A `.date` holds midnight UTC of its calendar day, so a date means the same day in every time zone.
/// A `.dateTime` holds an instant; showing it (or counting its day) needs a time zone: the `…(in:)`
/// methods take one, the plain properties use `TimeZone.current`.
public enum Value: Sendable, Equatable {
    case number(Double)
    case string(String)
    case boolean(Bool)
    /// A calendar day (from `date()`, `today()`), stored as midnight UTC of that day.
    case date(Date)
    /// An instant (from `now()`, `date-time()`).
    case dateTime(Date)
    /// The values of a `${name}` reference, one per node.
    case nodeset([String])

    /// XPath number(): "" and "abc" are NaN, true is 1, a date is days since 1970-01-01.
    public var number: Double { number(in: .current) }

    /// XPath string(): 10.0 is "10", NaN is "NaN", a date is "2026-11-22", a date-time is ISO 8601 with millis and offset.
    public var string: String { string(in: .current) }

    /// XPath boolean(): "" and 0/NaN are false; a node-set of one node is its value's truth, of several is true.
    public var boolean: Bool {
        switch self {
        case .number(let value): return !(value == 0 || value.isNaN)
        case .string(let value): return !value.isEmpty
        case .boolean(let value): return value
        case .date, .dateTime: return true
        case .nodeset(let nodes): return nodes.count == 1 ? !nodes[0].isEmpty : !nodes.isEmpty
        }
    }

    /// The JSON-facing type name; both date kinds are "date", a node-set reports as "string".
    public var jsonType: String {
        switch self {
        case .number: return "number"
        case .string, .nodeset: return "string"
        case .boolean: return "boolean"
        case .date, .dateTime: return "date"
        }
    }

    /// number() where a date-time counts as the calendar day it falls on in `timeZone` (JavaRosa gives whole days).
    public func number(in timeZone: TimeZone) -> Double {
        switch self {
        case .number(let value): return value
        case .string(let text): return ExpressionNumberText.parse(text)
        case .boolean(let value): return value ? 1 : 0
        case .date(let date): return Double(ExpressionDateText.dayNumber(ofMidnight: date))
        case .dateTime(let instant): return Double(ExpressionDateText.localDay(of: instant, in: timeZone))
        case .nodeset(let nodes): return ExpressionNumberText.parse(nodes.first ?? "")
        }
    }

    /// string() where a date-time shows its local time and offset in `timeZone`.
    public func string(in timeZone: TimeZone) -> String {
        switch self {
        case .number(let value): return ExpressionNumberText.format(value)
        case .string(let text): return text
        case .boolean(let value): return value ? "true" : "false"
        case .date(let date): return ExpressionDateText.formatDay(ExpressionDateText.dayNumber(ofMidnight: date))
        case .dateTime(let instant): return ExpressionDateText.formatDateTime(instant, in: timeZone)
        case .nodeset(let nodes): return nodes.first ?? ""
        }
    }
}
