import CanvassCore
import CanvassStore
import Foundation

/// The interview loop: shows the next step, reads a line, checks it, saves it durably, moves on.
///
/// Every accepted answer (and the calculations it changes) is one committed transaction before the
/// next prompt appears, so a crash or kill loses nothing that was acknowledged.
struct PromptSession {
    let file: DataFile
    let engine: FormEngine
    let flow: InterviewFlow
    let interview: String
    let surveyor: String
    let device: String
    let language: String?
    let messages: Messages
    var answers: Answers
    var history: [String] = []
    var shownSection: [String] = []
    var shownStep: String?
    /// The plan's cells and how full this file already has them, for `--plan`.
    var quota: (plan: QuotaPlan, counts: [QuotaCount])?
    var warnedCells = Set<String>()
    /// Where messages go: standard output in line mode; the full-screen screens keep them.
    var printer: (String) -> Void = { Output.print($0) }
    /// Photos, recordings and documents typed as paths, stored with the answer that names them.
    let media = MediaInput(base: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))

    enum Outcome { case completed, saved, invalid }

    init(file: DataFile, engine: FormEngine, interview: String, surveyor: String, device: String, language: String?,
         messages: Messages, answers: Answers) {
        self.file = file
        self.engine = engine
        self.flow = InterviewFlow(engine: engine)
        self.interview = interview
        self.surveyor = surveyor
        self.device = device
        self.language = language
        self.messages = messages
        // Stored answers hold no calculations: bring them up to date before asking anything.
        self.answers = engine.recalculated(answers)
    }

    /// Fills the metadata a device knows (start, today, device, user) and saves it.
    mutating func start() throws {
        var filled = answers
        let now = CLIEnvironment.store.now()
        for slot in engine.slots(answers) {
            switch slot.entry.kind {
            case .start?: filled[slot.path] = Self.dateTime(now, engine.timeZone)
            case .today?: filled[slot.path] = String(Self.dateTime(now, engine.timeZone).prefix(10))
            case .deviceid?: filled[slot.path] = device
            case .username?: filled[slot.path] = surveyor
            default: break
            }
        }
        try save(filled)
        printer(messages(.interviewStarted, ["id": interview, "form": engine.form.formId, "version": engine.form.version]))
    }

    static func dateTime(_ date: Date, _ zone: TimeZone) -> String {
        var style = Date.ISO8601FormatStyle(timeZone: zone)
        style = style.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: false).timeZone(separator: .colon)
        return date.formatted(style)
    }

    func text(_ text: LocalizedText?) -> String {
        text?.text(in: language, fallback: engine.form.defaultLanguage) ?? ""
    }

    /// Writes whatever differs between the current answers and `new`, with recalculated fields.
    mutating func save(_ new: Answers) throws {
        let updated = engine.recalculated(new, syncRepeatCounts: true)
        let changes = engine.changes(from: answers, to: updated)
        if !changes.isEmpty {
            let key = engine.caseKey(updated)
            let media = self.media
            try file.write { writer in
                try media.attach(&writer)
                try writer.set(changes, interview: interview, author: surveyor, device: device)
                try writer.setKey(key, interview: interview)
            }
        }
        answers = updated
        warnIfCellFull()
    }

    /// Says once per cell when this interview falls in a cell this laptop has already filled.
    mutating func warnIfCellFull() {
        guard let quota else { return }
        for (cell, count) in zip(quota.plan.cells, quota.counts) where !warnedCells.contains(cell.name) && count.isFull(for: surveyor) {
            guard (try? engine.evaluate(cell.filter, answers).boolean) == true else { continue }
            warnedCells.insert(cell.name)
            let share = count.surveyors.first { $0.surveyor == surveyor && $0.target != nil }
            let filled = share.map { messages(.quotaShare, ["done": String($0.completed), "target": String($0.target ?? 0)]) }
                ?? messages(.quotaCount, ["done": String(count.completed), "target": String(count.target)])
            printer(Output.styled(messages(.quotaFull, ["cell": cell.name, "filled": filled]), .yellow))
        }
    }

    mutating func run(input: LineInput) throws -> Outcome {
        var steps = flow.steps(answers)
        var index = flow.resumePoint(steps, answers) ?? steps.count
        while true {
            steps = flow.steps(answers)
            guard index < steps.count else {
                if let outcome = try finish(input: input, steps: steps, index: &index) { return outcome }
                continue
            }
            let step = steps[index]
            showSection(step.slot)
            if case .note(let slot) = step {
                printer(Output.styled("ℹ " + engine.interpolate(text(slot.entry.label), at: slot, answers), .cyan))
                index += 1
                continue
            }
            // After a refused answer only the prompt comes again, not the whole question.
            if shownStep != step.key {
                printer(question(step, progress: Self.position(of: step, in: steps)))
                shownStep = step.key
            }
            guard let line = input.read(prompt: "> ") else {
                printer(messages(.inputEnded, ["id": interview]))
                return .saved
            }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix(":") {
                if let outcome = try command(trimmed, step: step, steps: steps, index: &index) { return outcome }
                continue
            }
            if let next = try answer(trimmed, step: step, steps: steps, index: index) {
                history.append(step.key)
                index = next
            }
        }
    }

    /// A header when the group, or the repeat instance, changes.
    mutating func showSection(_ slot: Slot) {
        let section = slot.ancestors + slot.instances.map { "#\($0.index)" }
        guard section != shownSection else { return }
        shownSection = section
        guard let name = slot.ancestors.last, let group = engine.group(of: slot.row)?.entry else { return }
        let number = slot.instances.last.map { " #\($0.index)" } ?? ""
        printer(Output.styled("\n== \(text(group.label).isEmpty ? name : text(group.label))\(number) ==", .bold))
    }

    func question(_ step: InterviewFlow.Step, progress: (answered: Int, total: Int)) -> String {
        let counter = Output.styled("\(progress.answered)/\(progress.total)", .dim)
        switch step {
        case .addAnother(let slot, let next):
            let label = text(slot.entry.label).isEmpty ? slot.name : text(slot.entry.label)
            return "\(counter) " + Output.styled(messages(.addAnother, ["label": label, "n": String(next)]), .bold)
        case .question(let slot), .note(let slot):
            let entry = slot.entry
            let required = isRequired(slot) ? Output.styled(" *", .red) : ""
            let label = engine.interpolate(text(entry.label), at: slot, answers)
            var lines = ["\(counter) \(Output.styled(slot.path, .dim)) " + Output.styled(label, .bold) + required]
            if let hint = entry.hint { lines.append("   " + Output.styled(text(hint), .dim)) }
            if entry.kind?.isSelect == true {
                for (number, choice) in engine.choices(slot, answers).enumerated() {
                    lines.append("   \(number + 1)) \(text(choice.label).isEmpty ? choice.name : text(choice.label))")
                }
            }
            if let how = messages.hint(entry) { lines.append("   " + Output.styled(how, .dim)) }
            if let current = answers[slot.path] {
                lines.append("   " + Output.styled(messages(.current, ["value": current]), .dim))
            } else if let value = defaultValue(slot) {
                lines.append("   " + Output.styled(messages(.defaultValue, ["value": value]), .dim))
            }
            if entry.kind == .acknowledge { lines.append("   " + Output.styled(messages(.typeOK), .dim)) }
            return lines.joined(separator: "\n")
        }
    }

    /// The question's place among the questions that apply (the `13/42` a surveyor sees): where
    /// it stands, not how many are answered, so going back does not move it forward.
    static func position(of step: InterviewFlow.Step, in steps: [InterviewFlow.Step]) -> (answered: Int, total: Int) {
        var position = 0, total = 0, before = 0
        for candidate in steps {
            if candidate.key == step.key { before = total }
            guard case .question = candidate else { continue }
            total += 1
            if candidate.key == step.key { position = total }
        }
        // An "add another?" step stands after the questions before it.
        return (position > 0 ? position : min(before + 1, total), total)
    }

    /// A refused answer's reason, without the field name the prompt already shows.
    func problemText(_ finding: Finding, _ slot: Slot) -> String {
        if finding.code == "constraint", let own = slot.entry.constraintMessage { return text(own) }
        if finding.code == "constraint" { return messages(.constraintFailed, ["constraint": slot.entry.constraint ?? ""]) }
        if finding.code == "required" { return slot.entry.requiredMessage.map(text) ?? messages(.required) }
        return messages(.expected, ["what": messages.expected(slot, choices: engine.choices(slot, answers).count)])
    }

    func isRequired(_ slot: Slot) -> Bool {
        guard let required = slot.entry.required, let expression = try? Expression(required) else { return false }
        return (try? engine.evaluate(expression, at: slot, answers).boolean) ?? false
    }

    func defaultValue(_ slot: Slot) -> String? {
        guard let value = slot.entry.default, !value.isEmpty else { return nil }
        if value.contains("${") || value.contains("("), let expression = try? Expression(value) {
            return (try? engine.evaluate(expression, at: slot, answers))?.storedText(for: slot.row.kind, timeZone: engine.timeZone)
        }
        return value
    }

    /// Handles an answer; returns the next step's index when accepted, nil to ask again.
    mutating func answer(_ input: String, step: InterviewFlow.Step, steps: [InterviewFlow.Step], index: Int) throws -> Int? {
        switch step {
        case .note: return index + 1
        case .addAnother(let slot, let next):
            switch input.lowercased() {
            case "y", "yes", "c", "có", "co":
                var new = answers
                new[slot.path] = String(next)
                try save(new)
                // The new instance's first question follows the previous step.
                return flow.steps(answers).firstIndex { $0.slot.path.hasPrefix("\(slot.path)[\(next)]/") } ?? index
            case "n", "no", "k", "không", "khong":
                if answers[slot.path] == nil { var new = answers; new[slot.path] = "0"; try save(new) }
                return position(after: step)
            default:
                printer(Output.styled("  " + messages(.answerYesNo), .yellow))
                return nil
            }
        case .question(let slot):
            var value = input
            if value.isEmpty {
                if let current = answers[slot.path], !current.isEmpty { return position(after: step) }
                if let fallback = defaultValue(slot) { value = fallback }
            }
            if value.isEmpty {
                if isRequired(slot) {
                    let message = slot.entry.requiredMessage.map(text) ?? messages(.required)
                    printer(Output.styled("  \(message)", .yellow))
                    return nil
                }
                return position(after: step)
            }
            do {
                value = try media.stored(value, kind: slot.row.kind)
            } catch {
                let message = (error as? MediaInput.Failure).map(messages.media) ?? error.localizedDescription
                printer(Output.styled("  " + message, .yellow))
                return nil
            }
            let normalized: String
            switch flow.parseInput(value, for: slot, answers: answers) {
            case .success(let text): normalized = text
            case .failure:
                let what = messages.expected(slot, choices: engine.choices(slot, answers).count)
                printer(Output.styled("  " + messages(.expected, ["what": what]), .yellow))
                return nil
            }
            var new = answers
            new[slot.path] = normalized
            if let problem = engine.check(slot, value: normalized, answers: new, language: language).first {
                printer(Output.styled("  " + problemText(problem, slot), .yellow))
                return nil
            }
            try save(new)
            return position(after: step)
        }
    }

    /// The index of the step after `step` once the answers changed (relevance may add or remove steps).
    func position(after step: InterviewFlow.Step) -> Int {
        let steps = flow.steps(answers)
        if let index = steps.firstIndex(where: { $0.key == step.key }) { return index + 1 }
        return flow.resumePoint(steps, answers) ?? steps.count
    }

    /// `step` is nil at the final "finalise?" prompt.
    mutating func command(_ line: String, step: InterviewFlow.Step?, steps: [InterviewFlow.Step], index: inout Int) throws -> Outcome? {
        let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
        let argument = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        switch parts[0] {
        case ":back", ":b":
            guard let previous = history.popLast() ?? (step == nil ? steps.last?.key : nil), let found = steps.firstIndex(where: { $0.key == previous }) else {
                printer(Output.styled("  " + messages(.firstQuestion), .yellow))
                return nil
            }
            index = found
        case ":skip", ":s":
            guard let step else { return nil }
            if case .question(let slot) = step, isRequired(slot) {
                printer(Output.styled("  " + messages(.cannotSkip, ["field": slot.path]), .yellow))
                return nil
            }
            history.append(step.key)
            index = position(after: step)
        case ":jump", ":j":
            guard let found = steps.firstIndex(where: { $0.slot.path == argument || $0.slot.name == argument }) else {
                printer(Output.styled("  " + messages(.noSuchQuestion, ["name": argument]), .yellow))
                return nil
            }
            if let step { history.append(step.key) }
            index = found
        case ":note", ":n":
            guard !argument.isEmpty else {
                printer(Output.styled("  " + messages(.noteNeedsText), .yellow))
                return nil
            }
            guard argument.utf8.count <= FormEngine.maxValueLength else {
                printer(Output.styled("  " + messages(.noteTooLong, ["max": String(FormEngine.maxValueLength)]), .yellow))
                return nil
            }
            try file.write { writer in try writer.note(argument, interview: interview, author: surveyor, device: device) }
            printer("  " + messages(.noteSaved))
        case ":review", ":r":
            review()
            shownStep = nil
        case ":save", ":quit", ":q":
            printer(messages(.savedDraft, ["id": interview]))
            return .saved
        case ":help", ":h", ":?":
            printer(messages(.help))
            shownStep = nil
        default:
            printer(Output.styled("  " + messages(.unknownCommand, ["command": parts[0]]), .yellow))
        }
        return nil
    }

    func review() {
        for case .question(let slot) in flow.steps(answers) {
            printer("  \(slot.path) = \(answers[slot.path] ?? "—")")
        }
        for finding in engine.validate(answers, language: language) { printer("  " + messages.finding(finding, form: engine.form)) }
    }

    /// At the end: validate; complete if valid (asking first on a terminal), else show what to fix.
    mutating func finish(input: LineInput, steps: [InterviewFlow.Step], index: inout Int) throws -> Outcome? {
        let errors = engine.validate(answers, language: language).filter { $0.severity == .error }
        if let first = errors.first {
            printer(Output.styled("\n" + messages(.notComplete), .bold))
            for finding in errors { printer("  " + messages.finding(finding, form: engine.form)) }
            guard input.interactive else {
                printer(messages(.keptDraft, ["id": interview]))
                return .invalid
            }
            index = steps.firstIndex { $0.slot.path == first.field } ?? max(steps.count - 1, 0)
            return nil
        }
        if input.interactive {
            review()
            guard let line = input.read(prompt: messages(.finalise)) else { return .saved }
            let reply = line.lowercased().trimmingCharacters(in: .whitespaces)
            if reply.hasPrefix(":") { return try command(reply, step: nil, steps: steps, index: &index) }
            if !["y", "yes", "c", "có", "co"].contains(reply) {
                printer(messages(.keptDraft, ["id": interview]))
                return .saved
            }
        }
        var new = answers
        for slot in engine.slots(answers) where slot.entry.kind == .end {
            new[slot.path] = Self.dateTime(CLIEnvironment.store.now(), engine.timeZone)
        }
        try save(new)
        try file.write { writer in
            try writer.setStatus(.completed, interview: interview, author: surveyor, device: device)
        }
        printer(Output.styled(messages(.completed, ["id": interview]), .green))
        return .completed
    }
}
