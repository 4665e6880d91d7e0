import Foundation

/// The result of evaluating an expression, with JavaRosa's coercions between types.
///
/// A `.date` holds midnight UTC of its calendar day, so a date means the same day in every time zone.
/// A `.dateTime` holds an instant; showing it (or counting its day) needs a time zone: the `…(in:)`
/// methods take one, the plain properties use `TimeZone.current`.
public enum Value: Sendable, Equatable, ExpressibleByStringLiteral {
    case number(Double)
    case string(String)
    case boolean(Bool)
    /// A calendar day (from `date()`, `today()`, a date field), stored as midnight UTC of that day.
    case date(Date)
    /// An instant (from `now()`, `date-time()`, a date-time or time field).
    case dateTime(Date)
    /// The nodes a `${name}` reference names, each typed as JavaRosa types a field's value (a number
    /// for an integer, a date for a date field, text otherwise; an empty node is the text "").
    case nodeset([Value])

    public init(stringLiteral value: String) { self = .string(value) }

    /// XPath number(): "" and "abc" are NaN, true is 1, a date is days since 1970-01-01.
    public var number: Double { number(in: .current) }

    /// XPath string(): 10.0 is "10", NaN is "NaN", a date or date-time is its day "2026-11-22".
    public var string: String { string(in: .current) }

    /// XPath boolean(): "" and 0/NaN are false; a node-set of one node is its value's truth, of several is true.
    public var boolean: Bool {
        switch self {
        case .number(let value): return !(Swift.abs(value) <= 1e-12 || value.isNaN)
        case .string(let value): return !value.isEmpty
        case .boolean(let value): return value
        case .date, .dateTime: return true
        case .nodeset(let nodes): return nodes.count == 1 ? nodes[0].boolean : !nodes.isEmpty
        }
    }

    /// The JSON-facing type name; both date kinds are "date", a node-set reports as its first node.
    public var jsonType: String {
        switch self {
        case .number: return "number"
        case .string: return "string"
        case .boolean: return "boolean"
        case .date, .dateTime: return "date"
        case .nodeset(let nodes): return nodes.count == 1 ? nodes[0].jsonType : "string"
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
        case .nodeset(let nodes): return nodes.first?.number(in: timeZone) ?? .nan
        }
    }

    /// string() as JavaRosa gives it: a date, and a date-time too, shows only its day ("2026-11-22")
    /// in `timeZone`.
    public func string(in timeZone: TimeZone) -> String {
        switch self {
        case .number(let value): return ExpressionNumberText.format(value)
        case .string(let text): return text
        case .boolean(let value): return value ? "true" : "false"
        case .date(let date): return ExpressionDateText.formatDay(ExpressionDateText.dayNumber(ofMidnight: date))
        case .dateTime(let instant): return ExpressionDateText.formatDay(ExpressionDateText.localDay(of: instant, in: timeZone))
        case .nodeset(let nodes): return nodes.first?.string(in: timeZone) ?? ""
        }
    }
}

/// How a field's stored text reads in an expression: JavaRosa hands expressions typed values
/// (an integer field is a number, a date field a date), so `${birth} + 365` and `. <= today()`
/// work on dates, and `${count} = '05'` compares numbers.
public enum NodeKind: Sendable, Hashable {
    case text, number, date, dateTime, time, boolean
    /// A geopoint, geotrace or geoshape, which JavaRosa shows with every number as a Java double
    /// and all four per point ("21.0 105.0 0.0 0.0"), points joined by "; ".
    case geo

    /// The kind of a stored answer of this type; nil for a calculation, whose kind is its expression's.
    public init?(_ kind: FieldType.Kind?) {
        switch kind {
        case .integer?, .decimal?, .range?: self = .number
        case .date?, .today?: self = .date
        case .datetime?, .start?, .end?: self = .dateTime
        case .time?: self = .time
        case .geopoint?, .geotrace?, .geoshape?, .startGeopoint?: self = .geo
        case .calculate?: return nil
        default: self = .text
        }
    }

    /// The value of a node holding `text`. An empty node is "" whatever its kind, as in JavaRosa;
    /// text that does not read as its kind (a damaged file) stays text. A time is that time of day
    /// on the day of `now`, as JavaRosa reads it.
    public func value(_ text: String, now: Date, timeZone: TimeZone) -> Value {
        if text.isEmpty { return .string("") }
        switch self {
        case .text:
            return .string(text)
        case .number:
            let number = ExpressionNumberText.parse(text)
            return number.isNaN ? .string(text) : .number(number)
        case .boolean:
            return .boolean(text == "1" || text == "true")
        case .date, .dateTime:
            switch ExpressionDateText.parse(text, in: timeZone) {
            case .day(let day)?: return self == .date ? .date(ExpressionDateText.midnight(ofDay: day)) : .dateTime(ExpressionDateText.localMidnight(ofDay: day, in: timeZone))
            case .instant(let instant)?: return self == .date ? .date(ExpressionDateText.midnight(ofDay: ExpressionDateText.localDay(of: instant, in: timeZone))) : .dateTime(instant)
            case nil: return .string(text)
            }
        case .time:
            guard let instant = ExpressionDateText.parseTime(text, onDayOf: now, in: timeZone) else { return .string(text) }
            return .dateTime(instant)
        case .geo:
            var points: [String] = []
            for point in text.split(separator: ";", omittingEmptySubsequences: false) {
                let numbers = point.split(separator: " ").map { Double($0) }
                guard numbers.count <= 4, numbers.allSatisfy({ $0 != nil }) else { return .string(text) }
                let padded = numbers.compactMap { $0 } + Array(repeating: 0, count: 4 - numbers.count)
                points.append(padded.map(ExpressionNumberText.javaDouble).joined(separator: " "))
            }
            return .string(points.joined(separator: "; "))
        }
    }
}
