import Foundation

/// Checks a revision from an untrusted file against its interview's form, before it is merged.
extension FormEngine {
    /// Longer answers than any questionnaire needs are refused rather than stored.
    public static let maxValueLength = 100_000

    /// nil when the revision fits the form; otherwise why it does not (naming the field, never the value).
    public func problem(with revision: Revision) -> String? {
        problem(field: revision.field, value: revision.value)
    }

    /// nil when `value` may be stored in `field` (a path) of this form; otherwise why not.
    public func problem(field path: String, value: String?) -> String? {
        if let value, value.utf8.count > Self.maxValueLength {
            return "field '\(path)' holds \(value.utf8.count) bytes, more than \(Self.maxValueLength)"
        }
        // Canvass stores text in NFC; Swift compares strings up to canonical equivalence, SQLite
        // by bytes, so text in another form would be one value here and another in the file.
        guard path.isNFC else { return "a field name is not in Unicode NFC, as Canvass writes it" }
        if let value, !value.isNFC { return "field '\(path)' holds text not in Unicode NFC, as Canvass writes it" }
        if ReservedField.isReserved(path) {
            switch path {
            case ReservedField.status:
                guard let value, InterviewStatus(rawValue: value) != nil else {
                    return "field '_status' holds an unknown status"
                }
                return nil
            case ReservedField.note, ReservedField.approved, ReservedField.abandoned, FieldVerification.done: return nil
            default:
                // Paper keying and its verification: marks and outcomes beside a field of the form.
                if let field = PaperValue.markedPath(path) {
                    if let value, !(PaperValue(text: value).map { $0 == .blank || $0.isRaw } ?? false) {
                        return "field '\(path)' holds a paper mark Canvass never writes"
                    }
                    return problem(field: field, value: nil).map { "field '\(path)': \($0)" }
                }
                if let field = FieldVerification.verifiedPath(path) {
                    if let value, FieldVerification(text: value) == nil { return "field '\(path)' holds a verification Canvass never writes" }
                    return problem(field: field, value: nil).map { "field '\(path)': \($0)" }
                }
                return "field '\(path)' is not one Canvass writes"
            }
        }
        guard let (repeats, localKey) = Self.parsePath(path), let row = scopes[repeats.last?.name ?? ""]?[localKey],
              !(row.entry.kind == .group)
        else {
            return "field '\(path)' is not in form \(form.formId) \(form.version)"
        }
        guard repeats.map(\.name) == row.repeats, repeats.allSatisfy({ (1...Self.maxInstances).contains($0.index) }) else {
            return "field '\(path)' does not match where '\(row.key)' sits in form \(form.formId)"
        }
        guard let value else { return nil }
        let entry = row.entry.kind == .repeat ? Entry(type: FieldType(kind: .integer), name: row.name) : row.entry
        let choices = entry.type.list.flatMap { form.choiceList($0)?.choices }
        switch FieldValue.normalize(value, for: entry, choices: entry.kind?.isSelect == true ? choices : nil) {
        case .success(let normalized) where normalized.utf8.elementsEqual(value.utf8): return nil
        case .success: return "field '\(path)' holds a value not in the form Canvass writes"
        case .failure(.type(let expected)): return "field '\(path)' holds a value that is not \(expected)"
        }
    }

    /// `members[2]/age` → ([members 2], "age"); `people[1]/details/age` → ([people 1],
    /// "details/age"): the repeat instances, then the row's local key. nil when malformed.
    public static func parsePath(_ path: String) -> ([(name: String, index: Int)], String)? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        var repeats: [(String, Int)] = []
        var rest = parts[...]
        while let part = rest.first, part.hasSuffix("]") {
            guard let open = part.firstIndex(of: "["),
                let index = Int(part[part.index(after: open)..<part.index(before: part.endIndex)])
            else { return nil }
            repeats.append((String(part[..<open]), index))
            rest = rest.dropFirst()
        }
        guard !rest.isEmpty, rest.allSatisfy({ !$0.isEmpty && !$0.contains("[") && !$0.contains("]") }) else { return nil }
        return (repeats, rest.joined(separator: "/"))
    }
}

extension String {
    /// This text in Unicode NFC, the form Canvass stores (ASCII already is).
    public var nfc: String { utf8.allSatisfy { $0 < 0x80 } ? self : precomposedStringWithCanonicalMapping }

    /// Whether this is in Unicode NFC, byte for byte.
    public var isNFC: Bool { utf8.elementsEqual(nfc.utf8) }
}
