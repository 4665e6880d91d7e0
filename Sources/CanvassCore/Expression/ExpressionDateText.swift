import Foundation

/// Calendar arithmetic, parsing and formatting for ODK dates, done on day numbers (days since 1970-01-01)
/// so that a date is the same calendar day in every time zone.
enum ExpressionDateText {
    static let secondsPerDay = 86_400.0

    /// A parsed date string: a calendar day, or an instant when the text had a time.
    enum Parsed: Equatable {
        case day(Int)
        case instant(Date)
    }

    /// Calendar fields for format-date().
    struct Parts: Equatable {
        var year: Int, month: Int, day: Int
        var hour = 0, minute = 0, second = 0, millisecond = 0
        /// 0 = Sunday.
        var weekday: Int
        /// Week of the year as Java's Calendar counts it by default: weeks start on Sunday, and week 1
        /// is the one holding 1 January.
        var week = 1
    }

    struct FormatError: Error { let message: String }

    // MARK: Day numbers

    static func dayNumber(ofMidnight date: Date) -> Int {
        Int((date.timeIntervalSince1970 / secondsPerDay).rounded(.down))
    }

    static func midnight(ofDay day: Int) -> Date {
        Date(timeIntervalSince1970: Double(day) * secondsPerDay)
    }

    /// The instant a calendar day begins in `timeZone`.
    static func localMidnight(ofDay day: Int, in timeZone: TimeZone) -> Date {
        instant(localSeconds: Double(day) * secondsPerDay, in: timeZone)
    }

    /// The calendar day an instant falls on in `timeZone`.
    static func localDay(of instant: Date, in timeZone: TimeZone) -> Int {
        let local = instant.timeIntervalSince1970 + Double(timeZone.secondsFromGMT(for: instant))
        return Int((local / secondsPerDay).rounded(.down))
    }

    /// The instant a local wall-clock time (seconds since 1970-01-01T00:00 local) happens in `timeZone`.
    static func instant(localSeconds: Double, in timeZone: TimeZone) -> Date {
        let guess = Date(timeIntervalSince1970: localSeconds)
        let offset = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: localSeconds - Double(timeZone.secondsFromGMT(for: guess))))
        return Date(timeIntervalSince1970: localSeconds - Double(offset))
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil).
    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The calendar date of a day number (Howard Hinnant's civil_from_days).
    static func civil(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // MARK: Parts

    static func parts(ofDay day: Int) -> Parts {
        let (year, month, dayOfMonth) = civil(day)
        return Parts(year: year, month: month, day: dayOfMonth, weekday: weekday(ofDay: day), week: week(ofDay: day, year: year))
    }

    static func week(ofDay day: Int, year: Int) -> Int {
        let sunday = day - weekday(ofDay: day)
        let nextYear = days(year: year + 1, month: 1, day: 1)
        if sunday + 6 >= nextYear { return 1 }
        let january = days(year: year, month: 1, day: 1)
        return (sunday - (january - weekday(ofDay: january))) / 7 + 1
    }

    static func parts(of instant: Date, in timeZone: TimeZone) -> Parts {
        let local = instant.timeIntervalSince1970 + Double(timeZone.secondsFromGMT(for: instant))
        let millis = Int((local * 1000).rounded(.down))
        let day = Int((Double(millis) / 86_400_000).rounded(.down))
        let millisOfDay = millis - day * 86_400_000
        var parts = parts(ofDay: day)
        parts.hour = millisOfDay / 3_600_000
        parts.minute = millisOfDay / 60_000 % 60
        parts.second = millisOfDay / 1000 % 60
        parts.millisecond = millisOfDay % 1000
        return parts
    }

    static func weekday(ofDay day: Int) -> Int {
        ((day % 7) + 7 + 4) % 7  // 1970-01-01 was a Thursday
    }

    // MARK: Formatting

    static func formatDay(_ day: Int) -> String {
        let (year, month, dayOfMonth) = civil(day)
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(dayOfMonth, 2))"
    }

    /// ISO 8601 with milliseconds and the zone's offset, as ODK stores date-times: 2026-11-22T10:15:30.000+07:00.
    static func formatDateTime(_ instant: Date, in timeZone: TimeZone) -> String {
        let p = parts(of: instant, in: timeZone)
        let offsetMinutes = timeZone.secondsFromGMT(for: instant) / 60
        let sign = offsetMinutes < 0 ? "-" : "+"
        let offset = "\(sign)\(pad(abs(offsetMinutes) / 60, 2)):\(pad(abs(offsetMinutes) % 60, 2))"
        return "\(pad(p.year, 4))-\(pad(p.month, 2))-\(pad(p.day, 2))T\(pad(p.hour, 2)):\(pad(p.minute, 2)):\(pad(p.second, 2)).\(pad(p.millisecond, 3))\(offset)"
    }

    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    static let dayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]

    /// format-date() codes as JavaRosa knows them: %Y %y %m %n %b %d %e %a %H %h %M %S %3 and %%.
    static func format(_ p: Parts, pattern: String) throws(FormatError) -> String {
        var result = ""
        var iterator = pattern.makeIterator()
        while let character = iterator.next() {
            guard character == "%" else {
                result.append(character)
                continue
            }
            guard let code = iterator.next() else {
                throw FormatError(message: "ends with a lone '%'")
            }
            switch code {
            case "Y": result += pad(p.year, 4)
            case "y": result += pad(((p.year % 100) + 100) % 100, 2)
            case "m": result += pad(p.month, 2)
            case "n": result += String(p.month)
            case "b": result += monthNames[p.month - 1]
            case "d": result += pad(p.day, 2)
            case "e": result += String(p.day)
            case "a": result += dayNames[p.weekday]
            case "H": result += pad(p.hour, 2)
            case "h": result += String(p.hour)
            case "M": result += pad(p.minute, 2)
            case "S": result += pad(p.second, 2)
            case "3": result += pad(p.millisecond, 3)
            case "W": result += String(p.week)
            case "%": result += "%"
            default: throw FormatError(message: "has an unknown code '%\(code)'")
            }
        }
        return result
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(abs(value))
        let padded = String(repeating: "0", count: max(width - digits.count, 0)) + digits
        return value < 0 ? "-" + padded : padded
    }

    // MARK: Parsing

    /// Parses `YYYY-M-D`, optionally followed by `THH:MM[:SS[.fff]]` and `Z` or `±HH[:MM]`.
    /// A time without an offset is local time in `timeZone`. Returns nil for anything else, or an impossible date.
    static func parse(_ text: String, in timeZone: TimeZone) -> Parsed? {
        var scanner = Cursor(Array(text))
        guard let year = scanner.number(maxDigits: 6), scanner.take("-"),
              let month = scanner.number(maxDigits: 2), scanner.take("-"),
              let day = scanner.number(maxDigits: 2),
              (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month)
        else { return nil }
        let dayNumber = days(year: year, month: month, day: day)
        if scanner.atEnd { return .day(dayNumber) }
        guard scanner.take("T"), let hour = scanner.number(maxDigits: 2), scanner.take(":"),
              let minute = scanner.number(maxDigits: 2), hour < 24, minute < 60
        else { return nil }
        var seconds = 0.0
        if scanner.take(":") {
            guard let whole = scanner.number(maxDigits: 2), whole < 60 else { return nil }
            seconds = Double(whole)
            if scanner.take(".") {
                guard let fraction = scanner.digits(maxDigits: 9) else { return nil }
                seconds += (Double("0." + fraction) ?? 0)
            }
        }
        let local = Double(dayNumber) * secondsPerDay + Double(hour * 3600 + minute * 60) + seconds
        if scanner.atEnd { return .instant(instant(localSeconds: local, in: timeZone)) }
        if scanner.take("Z"), scanner.atEnd { return .instant(Date(timeIntervalSince1970: local)) }
        guard let signCharacter = scanner.next(), signCharacter == "+" || signCharacter == "-",
              let offsetHours = scanner.number(maxDigits: 2), offsetHours < 24
        else { return nil }
        var offsetMinutes = 0
        if !scanner.atEnd {
            _ = scanner.take(":")
            guard let minutes = scanner.number(maxDigits: 2), minutes < 60, scanner.atEnd else { return nil }
            offsetMinutes = minutes
        }
        let offset = Double(offsetHours * 3600 + offsetMinutes * 60) * (signCharacter == "-" ? -1 : 1)
        return .instant(Date(timeIntervalSince1970: local - offset))
    }

    /// A time of day (`HH:MM[:SS[.fff]]`, with an optional offset) as an instant on the local day of
    /// `now`: JavaRosa reads a time field so.
    static func parseTime(_ text: String, onDayOf now: Date, in timeZone: TimeZone) -> Date? {
        guard !text.contains("T"), case .instant(let instant)? = parse(formatDay(localDay(of: now, in: timeZone)) + "T" + text, in: timeZone)
        else { return nil }
        return instant
    }

    /// A cursor over characters for `parse`.
    private struct Cursor {
        let characters: [Character]
        var index = 0
        init(_ characters: [Character]) { self.characters = characters }
        var atEnd: Bool { index >= characters.count }

        mutating func next() -> Character? {
            guard index < characters.count else { return nil }
            defer { index += 1 }
            return characters[index]
        }

        mutating func take(_ expected: Character) -> Bool {
            guard index < characters.count, characters[index] == expected else { return false }
            index += 1
            return true
        }

        mutating func digits(maxDigits: Int) -> String? {
            var text = ""
            while index < characters.count, text.count < maxDigits,
                  characters[index].isASCII, characters[index].isWholeNumber {
                text.append(characters[index])
                index += 1
            }
            return text.isEmpty ? nil : text
        }

        mutating func number(maxDigits: Int) -> Int? {
            digits(maxDigits: maxDigits).flatMap { Int($0) }
        }
    }
}
