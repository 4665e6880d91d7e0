/// Completeness and correctness of one interview's answers against its form.
///
/// Codes are stable: `required`, `constraint`, `type`, `repeat-count` (errors) and `not-relevant`
/// (a warning: an answer kept on a question that no longer applies).
extension FormEngine {
    /// Brings calculations up to date, then checks every slot.
    public func validate(_ answers: Answers, language: String? = nil) -> [Finding] {
        validate(evaluate(answers), language: language)
    }

    public func validate(_ evaluation: Evaluation, language: String? = nil) -> [Finding] {
        let language = language ?? form.defaultLanguage
        var findings: [Finding] = []
        for (slot, relevant) in zip(evaluation.slots, evaluation.relevant) {
            guard let kind = slot.row.kind else { continue }
            let value = evaluation.answers[slot.path] ?? ""
            if !relevant {
                if !value.isEmpty && kind.isQuestion {
                    findings.append(Finding(.warning, "not-relevant", field: slot.path,
                        "'\(slot.path)' has an answer but does not apply (relevant: \(slot.entry.relevant ?? "its group")); it is kept but not counted"))
                }
                continue
            }
            if kind == .repeat || kind.isQuestion {
                findings += check(slot, value: value, answers: evaluation.answers, language: language)
            }
        }
        return findings
    }

    /// The findings for one slot's value: what the prompt checks before accepting an answer.
    /// `value` is stored text (already normalised).
    public func check(_ slot: Slot, value: String, answers: Answers, language: String?) -> [Finding] {
        let row = slot.row
        guard let kind = row.kind else { return [] }
        if kind == .repeat {
            guard let expression = row.repeatCount else { return [] }
            let expected = (try? evaluate(expression, at: slot, answers).number) ?? .nan
            let actual = instanceCount(slot.path, answers)
            if expected.isFinite, Int(expected) != actual {
                return [Finding(.error, "repeat-count", field: slot.path,
                    "'\(slot.path)' has \(actual) entries but should have \(Int(expected)) (repeat_count: \(row.entry.repeatCount ?? ""))")]
            }
            return []
        }
        guard kind.isQuestion else { return [] }
        if value.isEmpty {
            if row.alwaysRequired || (row.required.map { (try? evaluate($0, at: slot, answers).boolean) == true } ?? false) {
                let message = row.entry.requiredMessage?.text(in: language, fallback: form.defaultLanguage) ?? "an answer is required"
                return [Finding(.error, "required", field: slot.path, "'\(slot.path)': \(message)")]
            }
            return []
        }
        if let expected = FieldValue.problem(stored: value, for: row.entry, choices: kind.isSelect ? row.choices : nil) {
            return [Finding(.error, "type", field: slot.path, "'\(slot.path)' must be \(expected)")]
        }
        if let constraint = row.constraint {
            let passes = (try? evaluate(constraint, at: slot, answers, current: value).boolean) ?? false
            if !passes {
                let message = row.entry.constraintMessage?.text(in: language, fallback: form.defaultLanguage)
                    ?? "the answer does not meet the constraint \(row.entry.constraint ?? "")"
                return [Finding(.error, "constraint", field: slot.path, "'\(slot.path)': \(message)")]
            }
        }
        return []
    }
}
