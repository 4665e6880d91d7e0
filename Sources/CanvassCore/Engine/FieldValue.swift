import Foundation

/// Checking and normalising an answer against its field's type, as text in XForm's form
/// (`42`, `3.5`, `2024-03-01`, `a b` for a multiple selection).
public enum FieldValue {
    public enum Problem: Error, Equatable, Sendable {
        case type(String)
    }

    /// The canonical text of `raw` for `entry`, or a problem saying what was expected.
    /// `choices` is the entry's choice list (for selects).
    public static func normalize(_ raw: String, for entry: Entry, choices: [Choice]?) -> Result<String, Problem> {
        // Refused at entry as merge refuses it in a file: otherwise a file could hold what no merge
        // takes. Checked on the normalised text, which is what is stored: NFC can lengthen text
        // (U+0958 becomes two characters) as well as shorten it. Far too long is refused unread.
        let tooLong = Result<String, Problem>.failure(.type("at most \(FormEngine.maxValueLength) bytes long"))
        guard raw.utf8.count <= 4 * FormEngine.maxValueLength else { return tooLong }
        // ASCII is already NFC; normalising only the rest keeps merges of large files fast.
        let text = raw.utf8.allSatisfy({ $0 < 0x80 }) ? raw : raw.precomposedStringWithCanonicalMapping
        guard text.utf8.count <= FormEngine.maxValueLength else { return tooLong }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let kind = entry.kind else { return .success(text) }
        switch kind {
        case .integer:
            guard let number = Int64(trimmed.hasPrefix("+") ? String(trimmed.dropFirst()) : trimmed) else {
                return .failure(.type("a whole number"))
            }
            return .success(String(number))
        case .decimal, .range:
            guard let number = Double(trimmed), number.isFinite, !trimmed.lowercased().contains("n") else {
                return .failure(.type("a number"))
            }
            if kind == .range {
                let range = RangeParameters(entry.parameters)
                guard range.contains(number) else { return .failure(.type(range.description)) }
            }
            return .success(format(number))
        case .selectOne, .selectOneFromFile:
            guard let choices else { return .success(trimmed) }
            guard choices.contains(where: { $0.name == trimmed }) else {
                return .failure(.type("one of the choices (\(names(choices)))"))
            }
            return .success(trimmed)
        case .selectMultiple, .rank, .selectMultipleFromFile:
            let tokens = trimmed.split(separator: " ").map(String.init)
            if kind == .rank, Set(tokens).count != tokens.count {
                return .failure(.type("the choices in order, each once, separated by spaces"))
            }
            // The wrong token is not shown: it is answer text, and messages show only field names.
            if let choices, tokens.contains(where: { token in !choices.contains { $0.name == token } }) {
                return .failure(.type("choices from (\(names(choices))), separated by spaces"))
            }
            var seen = Set<String>()
            return .success(tokens.filter { seen.insert($0).inserted }.joined(separator: " "))
        case .date, .today:
            guard isDate(trimmed) else { return .failure(.type("a date as YYYY-MM-DD")) }
            return .success(trimmed)
        case .time:
            guard trimmed.range(of: #"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?([+-][0-9]{2}:?[0-9]{2}|Z)?$"#, options: .regularExpression) != nil else {
                return .failure(.type("a time as HH:MM"))
            }
            return .success(trimmed)
        case .datetime, .start, .end:
            let datePart = String(trimmed.prefix(10))
            guard isDate(datePart), trimmed.count == 10 || trimmed.dropFirst(10).first == "T" else {
                return .failure(.type("a date and time as YYYY-MM-DDTHH:MM:SS"))
            }
            return .success(trimmed)
        case .geopoint, .startGeopoint:
            guard let point = geopoint(trimmed) else { return .failure(.type("a location as 'latitude longitude [altitude accuracy]'")) }
            return .success(point)
        case .geotrace, .geoshape:
            // ODK writes points as "lat lon alt acc" joined by "; " (or ";").
            let points = trimmed.split(separator: ";").map { geopoint($0.trimmingCharacters(in: .whitespaces)) }
            let expected = kind == .geotrace
                ? "a line of 2 points or more, each 'latitude longitude [altitude accuracy]', separated by ';'"
                : "a closed shape of 4 points or more (the last the same as the first), each 'latitude longitude [altitude accuracy]', separated by ';'"
            guard points.allSatisfy({ $0 != nil }) else { return .failure(.type(expected)) }
            let clean = points.compactMap { $0 }
            if kind == .geotrace, clean.count < 2 { return .failure(.type(expected)) }
            if kind == .geoshape {
                let ends = clean.map { $0.split(separator: " ").prefix(2).compactMap { Double($0) } }
                guard clean.count >= 4, ends.first == ends.last else { return .failure(.type(expected)) }
            }
            return .success(clean.joined(separator: ";"))
        case .image, .audio, .video, .file:
            // The name of a file stored in the data file; a command turns a path into it (MediaFile).
            guard MediaFile.sha256(ofStoredName: trimmed) != nil else { return .failure(.type("a file (give its path)")) }
            return .success(trimmed)
        case .acknowledge:
            guard ["OK", "ok", "yes", "true", "1"].contains(trimmed) else { return .failure(.type("OK to acknowledge")) }
            return .success("OK")
        default:
            return .success(text)
        }
    }

    /// A geopoint's numbers, single-spaced: latitude within ±90 and longitude within ±180, then
    /// altitude and accuracy, if given.
    static func geopoint(_ text: String) -> String? {
        let words = text.split(separator: " ")
        let parts = words.compactMap { Double($0) }
        guard (2...4).contains(parts.count), parts.count == words.count, parts.allSatisfy(\.isFinite),
              abs(parts[0]) <= 90, abs(parts[1]) <= 180
        else { return nil }
        return words.joined(separator: " ")
    }

    /// What a stored value should have been, or nil when it fits its field's type. Cheaper than
    /// `normalize`: stored text is already normalised, so it is only checked, never rewritten.
    public static func problem(stored value: String, for entry: Entry, choices: [Choice]?) -> String? {
        switch entry.kind {
        case .text?, .note?, .calculate?, nil: return nil
        case .selectOne?:
            guard let choices, !choices.contains(where: { $0.name == value }) else { return nil }
            return "one of the choices (\(names(choices)))"
        case .integer?:
            return Int64(value) == nil ? "a whole number" : nil
        default:
            if case .failure(.type(let expected)) = normalize(value, for: entry, choices: choices) { return expected }
            return nil
        }
    }

    /// Decimals as JavaRosa writes them: no trailing `.0`.
    public static func format(_ number: Double) -> String {
        if number == number.rounded(), abs(number) < 1e15 { return String(Int64(number)) }
        return String(number)
    }

    static func names(_ choices: [Choice]) -> String {
        let names = choices.prefix(12).map(\.name)
        return names.joined(separator: ", ") + (choices.count > 12 ? ", …" : "")
    }

    static func isDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.count == 10, parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            parts[0].count == 4, (1...12).contains(month), day >= 1
        else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= days[month - 1]
    }
}

/// A range question's `start`, `end` and `step` parameters (XLSForm's defaults: 1, 10, 1).
public struct RangeParameters: Sendable, Equatable, CustomStringConvertible {
    public var start = 1.0, end = 10.0, step = 1.0

    public init(_ parameters: String?) {
        for (key, text) in Entry.parameterValues(parameters) {
            guard let value = Double(text), value.isFinite else { continue }
            switch key {
            case "start": start = value
            case "end": end = value
            case "step": step = value
            default: continue
            }
        }
    }

    /// Within start and end (either way round) and a whole number of steps from start.
    public func contains(_ value: Double) -> Bool {
        guard value >= min(start, end) - 1e-9, value <= max(start, end) + 1e-9 else { return false }
        guard step != 0 else { return true }
        let steps = (value - start) / step
        return abs(steps - steps.rounded()) < 1e-9
    }

    public var description: String {
        "a number from \(FieldValue.format(start)) to \(FieldValue.format(end)) in steps of \(FieldValue.format(abs(step)))"
    }
}
