/// The order in which an interview is asked: relevant questions and notes in form order, repeats
/// expanded, and an "add another?" step after each repeat that has no `repeat_count`.
///
/// Pure: recomputed from the answers after every change, so relevance and repeat counts are live.
public struct InterviewFlow: Sendable {
    public let engine: FormEngine

    public init(engine: FormEngine) { self.engine = engine }

    public enum Step: Sendable, Hashable {
        /// A question to answer (or acknowledge).
        case question(Slot)
        /// A note to show; takes no answer.
        case note(Slot)
        /// Ask whether to add an instance to a repeat (the repeat's slot; the instance it would add).
        case addAnother(Slot, next: Int)

        public var slot: Slot {
            switch self {
            case .question(let slot), .note(let slot), .addAnother(let slot, _): return slot
            }
        }

        /// Identifies the step across recomputations.
        public var key: String {
            switch self {
            case .question(let slot), .note(let slot): return slot.path
            case .addAnother(let slot, _): return slot.path + "#add"
            }
        }
    }

    public func steps(_ answers: Answers) -> [Step] {
        let slots = engine.slots(answers)
        let relevance = engine.relevance(slots, answers)
        var steps: [Step] = []
        var openRepeats: [(slot: Slot, depth: Int)] = []
        for (slot, relevant) in zip(slots, relevance) {
            // Close repeats we have walked out of: their "add another?" comes after their last instance.
            while let open = openRepeats.last, !isInside(slot, open.slot) {
                steps.append(.addAnother(open.slot, next: engine.instanceCount(open.slot.path, answers) + 1))
                openRepeats.removeLast()
            }
            guard relevant, let kind = slot.entry.kind else { continue }
            if kind == .repeat && slot.entry.repeatCount == nil {
                openRepeats.append((slot, slot.ancestors.count))
            } else if kind == .note {
                steps.append(.note(slot))
            } else if kind.isQuestion && slot.entry.readOnly != "true()" {
                steps.append(.question(slot))
            }
        }
        while let open = openRepeats.popLast() {
            steps.append(.addAnother(open.slot, next: engine.instanceCount(open.slot.path, answers) + 1))
        }
        return steps
    }

    func isInside(_ slot: Slot, _ repeatSlot: Slot) -> Bool {
        slot.path.hasPrefix(repeatSlot.path + "[")
    }

    /// Where a resumed draft continues: the first question without an answer, or a repeat never
    /// entered; nil when every step has been answered.
    public func resumePoint(_ steps: [Step], _ answers: Answers) -> Int? {
        steps.firstIndex { step in
            switch step {
            case .question(let slot): return (answers[slot.path] ?? "").isEmpty
            case .note: return false
            case .addAnother(let slot, _): return answers[slot.path] == nil
            }
        }
    }

    /// Relevant questions answered and in all: the `12/31` a surveyor sees.
    public func progress(_ steps: [Step], _ answers: Answers) -> (answered: Int, total: Int) {
        var answered = 0, total = 0
        for case .question(let slot) in steps {
            total += 1
            if !(answers[slot.path] ?? "").isEmpty { answered += 1 }
        }
        return (answered, total)
    }

    /// Turns what the surveyor typed into the stored text: choice numbers or names for selects,
    /// `y`/`ok` for acknowledgements, everything checked against the type.
    public func parseInput(_ input: String, for slot: Slot, answers: Answers) -> Result<String, FieldValue.Problem> {
        let text = input.trimmingCharacters(in: .whitespaces).precomposedStringWithCanonicalMapping
        let entry = slot.entry
        switch entry.kind {
        case let kind? where kind.isSelect:
            let choices = engine.choices(slot, answers)
            let tokens = kind.takesSeveral ? text.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init) : [text]
            var names: [String] = []
            for token in tokens {
                if let choice = choices.first(where: { $0.name == token }) {
                    names.append(choice.name)
                } else if let number = Int(token), choices.indices.contains(number - 1) {
                    names.append(choices[number - 1].name)
                } else {
                    return .failure(.type("a choice number from 1 to \(choices.count)"))
                }
            }
            return FieldValue.normalize(names.joined(separator: " "), for: entry, choices: choices)
        default:
            return FieldValue.normalize(text, for: entry, choices: nil)
        }
    }
}
