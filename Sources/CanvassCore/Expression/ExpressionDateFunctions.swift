import Foundation

/// today(), now(), date(), date-time(), decimal-date-time(), decimal-time(), format-date(),
/// format-date-time(), as JavaRosa's toDate() and toDecimalDateTime() read their arguments:
/// a number is days since 1970-01-01, text is an ISO date or date-time (local time when it has no
/// offset), "" and NaN pass through unchanged, anything else is an error.
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
            if case .number(let days) = value {
                let whole = toInt(days)
                if whole.isNaN { return value }
                try checkRange(whole, value, at: args[0])
                return .date(ExpressionDateText.midnight(ofDay: Int(whole)))
            }
            switch try moment(value, at: args[0]) {
            case .day(let day)?: return .date(ExpressionDateText.midnight(ofDay: day))
            // Text with a time keeps it (JavaRosa rounds only a date it is given).
            case .instant(let instant)? where isText(value): return .dateTime(instant)
            case .instant(let instant)?: return .date(ExpressionDateText.midnight(ofDay: ExpressionDateText.localDay(of: instant, in: timeZone)))
            case nil: return value
            }
        case .dateTime:
            let value = try scalar(args[0])
            if case .number(let days) = value {
                if days.isNaN { return value }
                return .dateTime(try instant(ofDays: days, value, at: args[0]))
            }
            guard let moment = try moment(value, at: args[0]) else { return value }
            return .dateTime(instant(of: moment))
        case .decimalDateTime, .decimalTime:
            let value = try scalar(args[0])
            if case .number(let days) = value {
                if days.isNaN { return value }
                try checkRange(days, value, at: args[0])
                return .number(function == .decimalDateTime ? days : days - days.rounded(.down))
            }
            guard let moment = try moment(value, at: args[0]) else { return value }
            let millis = (instant(of: moment).timeIntervalSince1970 * 1000).rounded(.down)
            if function == .decimalDateTime { return .number(millis / 86_400_000) }
            // The fraction of the local day, with the zone's offset of today (as JavaRosa takes it).
            let local = (millis + Double(timeZone.secondsFromGMT(for: context.now)) * 1000) / 86_400_000
            return .number(local - local.rounded(.down))
        default:
            return try formatDate(function, args)
        }
    }

    private func isText(_ value: Value) -> Bool {
        if case .string = value { return true }
        return false
    }

    /// JavaRosa refuses a number of days beyond Java's int range as a date.
    /// Days since 1970 as JavaRosa makes an instant of them: to the millisecond, toward zero.
    private func instant(ofDays days: Double, _ value: Value, at node: ExpressionNode) throws(ExpressionError) -> Date {
        try checkRange(days, value, at: node)
        return Date(timeIntervalSince1970: (days * 86_400_000).rounded(.towardZero) / 1000)
    }

    private func checkRange(_ days: Double, _ value: Value, at node: ExpressionNode) throws(ExpressionError) {
        if !days.isFinite || days > 2_147_483_647 || days < -2_147_483_648 {
            throw error("the value \"\(string(value))\" is out of range for a date", at: node.offset)
        }
    }

    /// format-date(value, pattern); an empty or NaN value gives "".
    private func formatDate(_ function: ExpressionFunction, _ args: [ExpressionNode]) throws(ExpressionError) -> Value {
        var value = try scalar(args[0])
        if case .number(let days) = value {
            if days.isNaN { return .string("") }
            value = .dateTime(try instant(ofDays: days, value, at: args[0]))
        }
        guard let moment = try moment(value, at: args[0]) else { return .string("") }
        let pattern = try text(args[1])
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
        case .day(let day): return ExpressionDateText.localMidnight(ofDay: day, in: timeZone)
        case .instant(let instant): return instant
        }
    }

    /// Reads a value that is not a number as a date the way JavaRosa does: dates as they are, text as
    /// an ISO date or date-time, "" as nil (no date); anything else is an error.
    func moment(_ value: Value, at node: ExpressionNode) throws(ExpressionError) -> Moment? {
        switch value {
        case .date(let date):
            return .day(ExpressionDateText.dayNumber(ofMidnight: date))
        case .dateTime(let instant):
            return .instant(instant)
        case .string(let text):
            if text.isEmpty { return nil }
            switch ExpressionDateText.parse(text, in: timeZone) {
            case .day(let day): return .day(day)
            case .instant(let instant): return .instant(instant)
            case nil: throw error("the value \"\(text)\" can't be converted to a date", at: node.offset)
            }
        case .number, .boolean, .nodeset:
            throw error("the value \"\(string(value))\" can't be converted to a date", at: node.offset)
        }
    }
}
