/// The rules of heads-down keying from paper (CSPro's operator-controlled mode): which fields
/// are keyed, which take a single key, and what a keyed entry becomes.
///
/// The paper is the truth: nothing a keyer types from it is refused. What the form would not
/// accept (a code out of range, a value that fails a constraint, an answer skip logic would hide)
/// asks for one confirming key, then is kept and left for `validate` to report.
public struct KeyingRules: Sendable {
    public let engine: FormEngine

    public init(engine: FormEngine) { self.engine = engine }

    /// The key that records "blank on paper".
    public static let blankKey: Character = "*"

    /// Every field keyed from paper, in paper (form) order, whether or not it applies: the keyer
    /// may move into any of them. A repeat without `repeat_count` is keyed as its number of entries.
    public func fields(_ answers: Answers) -> [Slot] {
        engine.slots(answers).filter { slot in
            guard let kind = slot.entry.kind else { return false }
            if kind == .repeat { return slot.entry.repeatCount == nil }
            return kind.isQuestion && slot.entry.readOnly != "true()"
        }
    }

    /// Whether each field applies (its own `relevant` and every group around it).
    public func relevance(_ fields: [Slot], _ answers: Answers) -> [Bool] {
        let slots = engine.slots(answers)
        let relevant = engine.relevance(slots, answers)
        var byPath: [String: Bool] = [:]
        for (slot, flag) in zip(slots, relevant) { byPath[slot.path] = flag }
        return fields.map { byPath[$0.path] ?? true }
    }

    /// The choice count of a field where one digit 1-9 picks a choice and moves on, else nil.
    public func singleKeyChoices(_ slot: Slot, _ answers: Answers) -> Int? {
        guard slot.entry.kind == .selectOne else { return nil }
        let count = engine.choices(slot, answers).count
        return (1...9).contains(count) ? count : nil
    }

    /// Why an entry needs a confirming key before it is kept.
    public enum Doubt: Sendable, Equatable {
        /// Not a value of the field's type: for a select, not one of the `choices` codes.
        case notAChoice(choices: Int)
        case wrongType(expected: String)
        /// Fails the field's constraint; the form's message, if it has one.
        case constraint(message: LocalizedText?)
        /// Skip logic hides this field for the answers so far.
        case notRelevant
    }

    /// What an entry becomes, and whether it needs a confirming key first.
    public struct Outcome: Sendable, Equatable {
        public var value: PaperValue
        public var doubt: Doubt?
    }

    /// Interprets what was keyed into `slot`: `*` is blank on paper, an empty entry clears,
    /// a select takes a choice number or name, everything else its type.
    public func interpret(_ typed: String, slot: Slot, answers: Answers, relevant: Bool) -> Outcome {
        let text = typed.trimmingCharacters(in: .whitespaces).nfc
        if text == String(Self.blankKey) { return Outcome(value: .blank, doubt: relevant ? nil : .notRelevant) }
        if text.isEmpty { return Outcome(value: .empty, doubt: nil) }
        let entry = slot.entry
        var value: String
        if entry.kind == .repeat {
            guard let count = Int(text), (0...FormEngine.maxInstances).contains(count) else {
                return Outcome(value: .raw(text), doubt: .wrongType(expected: "a whole number"))
            }
            value = String(count)
        } else if entry.kind?.takesList == true {
            let choices = engine.choices(slot, answers)
            let tokens = entry.kind == .selectOne ? [text] : text.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
            var names: [String] = []
            for token in tokens {
                if let number = Int(token), choices.indices.contains(number - 1) {
                    names.append(choices[number - 1].name)
                } else if let choice = choices.first(where: { $0.name == token }) {
                    names.append(choice.name)
                } else {
                    return Outcome(value: .raw(text), doubt: .notAChoice(choices: choices.count))
                }
            }
            value = names.joined(separator: " ")
        } else {
            value = text
        }
        if entry.kind != .repeat {
            let choices = entry.kind?.takesList == true ? engine.choices(slot, answers) : nil
            switch FieldValue.normalize(value, for: entry, choices: choices) {
            case .success(let normalized): value = normalized
            case .failure(.type(let expected)): return Outcome(value: .raw(text), doubt: .wrongType(expected: expected))
            }
        }
        if !relevant { return Outcome(value: .value(value), doubt: .notRelevant) }
        if let constraint = slot.row.constraint {
            var new = answers
            new[slot.path] = value
            let passes = (try? engine.evaluate(constraint, at: slot, new, current: value).boolean) ?? false
            if !passes { return Outcome(value: .value(value), doubt: .constraint(message: entry.constraintMessage)) }
        }
        return Outcome(value: .value(value), doubt: nil)
    }
}
