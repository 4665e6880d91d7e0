/// Completeness and correctness of one interview's answers against its form.
///
/// Codes are stable: `required`, `constraint`, `type`, `repeat-count` (errors) and `not-relevant`
/// (a warning: an answer kept on a question that no longer applies).
extension FormEngine {
    public func validate(_ answers: Answers, language: String? = nil) -> [Finding] {
        let language = language ?? form.defaultLanguage
        let slots = self.slots(answers)
        let relevance = self.relevance(slots, answers)
        var findings: [Finding] = []
        for (slot, relevant) in zip(slots, relevance) {
            let value = answers[slot.path] ?? ""
            guard let kind = slot.entry.kind else { continue }
            if !relevant {
                if !value.isEmpty && kind.isQuestion {
                    findings.append(Finding(.warning, "not-relevant", field: slot.path,
                        "'\(slot.path)' has an answer but does not apply (relevant: \(slot.entry.relevant ?? "its group")); it is kept but not counted"))
                }
                continue
            }
            findings += check(slot, value: value, answers: answers, language: language)
        }
        return findings
    }

    /// The findings for one slot's value: what the prompt checks before accepting an answer.
    public func check(_ slot: Slot, value: String, answers: Answers, language: String?) -> [Finding] {
        let entry = slot.entry
        let compiled = expressions(entry.name)
        guard let kind = entry.kind else { return [] }
        if kind == .repeat {
            guard let expression = compiled.repeatCount else { return [] }
            let expected = (try? evaluate(expression, at: slot, answers).number) ?? .nan
            let actual = instanceCount(slot.path, answers)
            if expected.isFinite, Int(expected) != actual {
                return [Finding(.error, "repeat-count", field: slot.path,
                    "'\(slot.path)' has \(actual) entries but should have \(Int(expected)) (repeat_count: \(entry.repeatCount ?? ""))")]
            }
            return []
        }
        guard kind.isQuestion else { return [] }
        if value.isEmpty {
            if let required = compiled.required, (try? evaluate(required, at: slot, answers).boolean) == true {
                let message = entry.requiredMessage?.text(in: language, fallback: form.defaultLanguage) ?? "an answer is required"
                return [Finding(.error, "required", field: slot.path, "'\(slot.path)': \(message)")]
            }
            return []
        }
        let choices = entry.type.list.flatMap { form.choiceList($0)?.choices }
        if case .failure(.type(let expected)) = FieldValue.normalize(value, for: entry, choices: kind.takesList ? choices : nil) {
            return [Finding(.error, "type", field: slot.path, "'\(slot.path)' must be \(expected)")]
        }
        if let constraint = compiled.constraint {
            let passes: Bool
            do {
                passes = try evaluate(constraint, at: slot, answers, current: value).boolean
            } catch {
                passes = false
            }
            if !passes {
                let message = entry.constraintMessage?.text(in: language, fallback: form.defaultLanguage)
                    ?? "the answer does not meet the constraint \(entry.constraint ?? "")"
                return [Finding(.error, "constraint", field: slot.path, "'\(slot.path)': \(message)")]
            }
        }
        return []
    }
}
