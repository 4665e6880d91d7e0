/// Completeness and correctness of one interview's answers against its form.
///
/// Codes are stable: `required`, `constraint`, `type`, `repeat-count` (errors) and `not-relevant`
/// (a warning: an answer kept on a question that no longer applies). Keyed paper forms add
/// `out-of-range` (an error: what the paper says is not a value of the field) and `blank-on-paper`
/// (a warning in place of `required`: the respondent left it blank, the paper is the truth).
extension FormEngine {
    /// Brings calculations up to date, then checks every slot. `paper` holds the `_paper/PATH`
    /// marks of a keyed phiếu, by path.
    public func validate(_ answers: Answers, language: String? = nil, paper: [String: String] = [:]) -> [Finding] {
        validate(evaluate(answers), language: language, paper: paper)
    }

    public func validate(_ evaluation: Evaluation, language: String? = nil, paper: [String: String] = [:]) -> [Finding] {
        let language = language ?? form.defaultLanguage
        var findings: [Finding] = []
        for (slot, relevant) in zip(evaluation.slots, evaluation.relevant) {
            guard let kind = slot.row.kind else { continue }
            let value = evaluation.answers[slot.path] ?? ""
            if value.isEmpty, let mark = paper[slot.path], let marked = PaperValue(text: mark) {
                if case .raw = marked {
                    findings.append(Finding(.error, "out-of-range", field: slot.path,
                        "'\(slot.path)' was keyed as it is on the paper form, but that is not a valid answer; correct it with canvass edit if the paper was misread"))
                    continue
                }
                if marked == .blank {
                    if relevant && kind.isQuestion && !check(slot, value: "", answers: evaluation.answers, language: language).isEmpty {
                        findings.append(Finding(.warning, "blank-on-paper", field: slot.path, "'\(slot.path)' is required but was left blank on the paper form"))
                    }
                    continue
                }
            }
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
