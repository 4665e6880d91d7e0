/// An interview's current answers: field path → value as text, the way ODK stores an instance.
///
/// Paths name a field by its name, prefixed by the repeat instances around it:
/// `age` at top level, `members[2]/age` in the second member. A repeat's own path holds its
/// number of instances (`members` → `"3"`). Groups do not appear in paths: names are unique.
/// An absent path is unanswered; numbers, dates and selections are kept in their XForm text form.
public typealias Answers = [String: String]

/// A place in an interview: one row of the form at one repeat instance.
public struct Slot: Sendable, Hashable {
    public let row: FormRow
    public var path: String
    /// The enclosing repeats with the 1-based instance of each, outermost first.
    public var instances: [Instance]
    /// The index, in the same slot list, of the group or repeat instance around this slot.
    public var parent: Int?

    public struct Instance: Sendable, Hashable {
        public var repeatName: String
        public var index: Int
    }

    public var entry: Entry { row.entry }
    public var name: String { row.entry.name }
    /// Names of the enclosing groups and repeats, outermost first (for section headers).
    public var ancestors: [String] { row.ancestors }

    /// The path prefix for rows inside this slot's repeat instances.
    var prefix: String { Slot.prefix(instances) }

    static func prefix(_ instances: [Instance]) -> String {
        instances.isEmpty ? "" : instances.map { "\($0.repeatName)[\($0.index)]/" }.joined()
    }
}

/// The answers with every calculation brought up to date, the slots they expand to, and which
/// slots are relevant: everything `validate`, the prompt and exports need, computed once.
public struct Evaluation: Sendable {
    public var answers: Answers
    public var slots: [Slot]
    public var relevant: [Bool]
}
