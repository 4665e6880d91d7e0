/// One row of a form made ready to run: its entry, where it sits, and its expressions parsed.
///
/// A class so that the many slots of an interview share one row instead of copying the entry.
public final class FormRow: Sendable, Hashable {
    public let entry: Entry
    /// Names of the enclosing groups and repeats, outermost first.
    public let ancestors: [String]
    /// Keys of the enclosing groups and repeats, outermost first.
    public let ancestorKeys: [String]
    /// Unique in the form: the name, or a path when the name is used more than once (`Form.Located`).
    public let key: String
    /// What follows the repeat instances in a stored path: the name, or its path from the nearest repeat.
    public let localKey: String
    /// Names of the enclosing repeats only, outermost first.
    public let repeats: [String]
    /// The row's choice list, for selects.
    public let choices: [Choice]?
    let relevant, required, constraint, calculation, choiceFilter, readOnly, repeatCount: Expression?
    /// `required: true`, the common case, decided without evaluating anything.
    let alwaysRequired: Bool

    init(_ located: Form.Located, ancestorKeys: [String], form: Form) throws(FormError) {
        let entry = located.entry
        func parse(_ source: String?, _ column: String) throws(FormError) -> Expression? {
            guard let source else { return nil }
            do {
                return try Expression(column == "choice_filter" ? ChoiceFilter.rewrite(source) : source)
            } catch where error.isUnsupported {
                return nil  // ODK's XPath that Canvass does not follow: left out (FormChecker warns)
            } catch {
                throw FormError(file: form.formId, message: "'\(located.key)', \(column): \(error)")
            }
        }
        self.entry = entry
        ancestors = located.ancestors
        self.ancestorKeys = ancestorKeys
        key = located.key
        localKey = located.localKey
        repeats = located.repeats
        choices = entry.type.list.flatMap { form.choiceList($0)?.choices }
        relevant = try parse(entry.relevant, "relevant")
        required = try parse(entry.required, "required")
        constraint = try parse(entry.constraint, "constraint")
        calculation = try parse(entry.calculation, "calculation")
        choiceFilter = try parse(entry.choiceFilter, "choice_filter")
        readOnly = try parse(entry.readOnly, "read_only")
        repeatCount = try parse(entry.repeatCount, "repeat_count")
        alwaysRequired = entry.required == "true()"
    }

    public var name: String { entry.name }
    public var kind: FieldType.Kind? { entry.type.kind }
    public var isContainer: Bool { entry.isContainer }

    /// Calculated rows hold no answer of their own: they are recomputed, never stored. A calculation
    /// that could give another value each time (random(), uuid(), once()) is the exception: it is
    /// made once, when empty, and then kept and stored like an answer, as ODK Collect keeps it.
    public var isDerived: Bool { calculation.map { !$0.isVolatile } ?? false }
    public var isVolatile: Bool { calculation?.isVolatile ?? false }

    public static func == (a: FormRow, b: FormRow) -> Bool { a === b }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}
