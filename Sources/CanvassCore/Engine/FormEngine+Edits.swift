/// Changing answers by hand (`edit`, `resolve`) and working out what to write.
extension FormEngine {
    /// A value a person typed for a field path such as `form_no`, `members[2]/age` or `grp_a/age`,
    /// checked and normalised; nil when the path names no field that takes a value (a repeat takes
    /// its count).
    public func normalize(_ text: String, forPath path: String) -> Result<String, FieldValue.Problem>? {
        guard let row = row(atPath: path)?.row, !(row.kind == .group) else { return nil }
        let entry = row.kind == .repeat ? Entry(type: FieldType(kind: .integer), name: row.name) : row.entry
        return FieldValue.normalize(text, for: entry, choices: row.kind?.isSelect == true ? row.choices : nil)
    }

    /// The stored answers to write to go from `old` to `new`: changed and added values, and nil for
    /// cleared ones. Calculations are left out: they are never stored.
    public func changes(from old: Answers, to new: Answers) -> [String: String?] {
        let before = stored(old), after = stored(new)
        var changes: [String: String?] = [:]
        for path in Set(after.keys).union(before.keys) where after[path] != before[path] {
            changes[path] = after[path]
        }
        return changes
    }
}
