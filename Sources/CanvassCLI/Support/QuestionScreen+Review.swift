import CanvassCore
import CanvassStore
import Foundation

/// The review screen before submitting: every answer, each one Enter away from being changed,
/// and Submit, which names what is still missing rather than completing an invalid interview.
extension QuestionScreen {
    func reviewRows() -> [(step: InterviewFlow.Step?, text: String)] {
        var rows: [(InterviewFlow.Step?, String)] = []
        for step in steps {
            guard case .question(let slot) = step else { continue }
            let label = engine.interpolate(session.text(slot.entry.label), at: slot, session.answers)
            rows.append((step, "\(Screen.pad(label.isEmpty ? slot.path : label, 50))  \(display(slot))"))
        }
        rows.append((nil, "[ " + messages(.submit) + " ]"))
        return rows
    }

    func display(_ slot: Slot) -> String {
        guard let value = session.answers[slot.path], !value.isEmpty else { return messages(.noAnswer) }
        guard slot.entry.kind?.takesList == true else { return value }
        let choices = engine.choices(slot, session.answers)
        return value.split(separator: " ").map { name in
            choices.first { $0.name == name }.map { session.text($0.label) } ?? String(name)
        }.joined(separator: ", ")
    }

    func review(_ key: Key) throws -> Outcome? {
        let rows = reviewRows()
        switch key {
        case .up: reviewRow = max(reviewRow - 1, 0)
        case .down: reviewRow = min(reviewRow + 1, rows.count - 1)
        case .escape, .left:
            reviewing = false
            index = max(steps.count - 1, 0)
            shownKey = nil
            message = ""
        case .enter:
            if let step = rows[reviewRow].step {
                reviewing = false
                history.append(step.key)
                index = steps.firstIndex { $0.key == step.key } ?? 0
                shownKey = nil
                message = ""
                return nil
            }
            let errors = engine.validate(session.answers, language: session.language).filter { $0.severity == .error }
            if !errors.isEmpty {
                let fields = errors.compactMap(\.field)
                message = messages(.missing, ["list": fields.joined(separator: ", ")])
                reviewRow = rows.firstIndex { row in row.step.map { fields.contains($0.slot.path) } ?? false } ?? reviewRow
                return nil
            }
            var new = session.answers
            for slot in engine.slots(session.answers) where slot.entry.kind == .end {
                new[slot.path] = PromptSession.dateTime(CLIEnvironment.store.now(), engine.timeZone)
            }
            try session.save(new)
            let session = self.session
            try session.file.write { writer in try writer.setStatus(.completed, interview: session.interview, author: session.surveyor, device: session.device) }
            return .completed
        default: break
        }
        return nil
    }
}
