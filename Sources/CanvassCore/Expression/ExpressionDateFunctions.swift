import Foundation

/// today(), now(), date(), date-time(), decimal-date-time(), decimal-date(), format-date().
extension ExpressionEvaluator {
    /// A value read as a point in time: a calendar day, or an instant when the time of day matters.
    enum Moment {
        case day(Int)
        case instant(Date)
    }

    func dateFunction(_ function: ExpressionFunction, _ args: [ExpressionNode]) throws(ExpressionError) -> Value {
        switch function {
        case .today:
            return .date(ExpressionDateText.midnight(ofDay: ExpressionDateText.localDay(of: context.now, in: timeZone)))
        case .now:
            return .dateTime(context.now)
        case .date:
            let value = try scalar(args[0])
            if case .number(let days) = value, days.isNaN { return value }
            switch try moment(value, keepTime: false, at: args[0]) {
            case .day(let day): return .date(ExpressionDateText.midnight(ofDay: day))
            case .instant(let instant): return .date(ExpressionDateText.midnight(ofDay: ExpressionDateText.localDay(of: instant, in: timeZone)))
            case nil: return .string("")
            }
        case .dateTime:
            let value = try scalar(args[0])
            if case .number(let days) = value, days.isNaN { return value }
            guard let moment = try moment(value, keepTime: true, at: args[0]) else { return .string("") }
            return .dateTime(instant(of: moment))
        case .decimalDateTime:
            // Fractional days since 1970-01-01T00:00Z of the instant (JavaRosa): 12:00Z on 1970-01-01 is 0.5.
            let value = try scalar(args[0])
            if case .number = value { return .number(number(value)) }
            guard let moment = try moment(value, keepTime: true, at: args[0]) else { return .string("") }
            return .number(instant(of: moment).timeIntervalSince1970 / ExpressionDateText.secondsPerDay)
        case .decimalDate:
            // Not in JavaRosa: the whole number of days of date(x).
            let value = try scalar(args[0])
            if case .number(let days) = value { return .number(days.rounded(.towardZero)) }
            switch try moment(value, keepTime: false, at: args[0]) {
            case .day(let day): return .number(Double(day))
            case .instant(let instant): return .number(Double(ExpressionDateText.localDay(of: instant, in: timeZone)))
            case nil: return .string("")
            }
        default:
            return try formatDate(function, args)
        }
    }

    /// format-date(value, pattern); an empty or NaN value gives "".
    private func formatDate(_ function: ExpressionFunction, _ args: [ExpressionNode]) throws(ExpressionError) -> Value {
        let value = try scalar(args[0])
        let pattern = try text(args[1])
        if case .number(let days) = value, days.isNaN { return .string("") }
        guard let moment = try moment(value, keepTime: true, at: args[0]) else { return .string("") }
        let parts: ExpressionDateText.Parts
        switch moment {
        case .day(let day): parts = ExpressionDateText.parts(ofDay: day)
        case .instant(let instant): parts = ExpressionDateText.parts(of: instant, in: timeZone)
        }
        do {
            return .string(try ExpressionDateText.format(parts, pattern: pattern))
        } catch {
            throw self.error("the \(function.rawValue)() pattern \(error.message)", at: args[1].offset)
        }
    }

    /// The instant of a moment; a calendar day starts at local midnight in the context's time zone.
    private func instant(of moment: Moment) -> Date {
        switch moment {
        case .day(let day): return ExpressionDateText.instant(localSeconds: Double(day) * ExpressionDateText.secondsPerDay, in: timeZone)
        case .instant(let instant): return instant
        }
    }

    /// Reads a value as a date the way JavaRosa does: numbers are days since 1970-01-01 (an instant in UTC when
    /// `keepTime`, else the day, truncated), strings are ISO dates or date-times, "" is nil (no date).
    func moment(_ value: Value, keepTime: Bool, at node: ExpressionNode) throws(ExpressionError) -> Moment? {
        switch value {
        case .date(let date):
            return .day(ExpressionDateText.dayNumber(ofMidnight: date))
        case .dateTime(let instant):
            return keepTime ? .instant(instant) : .day(ExpressionDateText.localDay(of: instant, in: timeZone))
        case .number(let days):
            if days.isNaN { return nil }
            guard Swift.abs(days) < ExpressionDateText.dayLimit else {
                throw error("the value \"\(string(value))\" is out of range for a date", at: node.offset)
            }
            if keepTime { return .instant(Date(timeIntervalSince1970: days * ExpressionDateText.secondsPerDay)) }
            return .day(Int(days.rounded(.towardZero)))
        case .string(let text):
            if text.isEmpty { return nil }
            switch ExpressionDateText.parse(text, in: timeZone) {
            case .day(let day):
                return .day(day)
            case .instant(let instant):
                return keepTime ? .instant(instant) : .day(ExpressionDateText.localDay(of: instant, in: timeZone))
            case nil:
                throw error("the value \"\(text)\" can't be converted to a date", at: node.offset)
            }
        case .boolean, .nodeset:
            throw error("the value \"\(string(value))\" can't be converted to a date", at: node.offset)
        }
    }
}
