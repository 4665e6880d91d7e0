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
    var answers: Answers
    var history: [String] = []
    var shownSection: [String] = []
    var shownStep: String?
    /// The plan's cells and how full this file already has them, for `--plan`.
    var quota: (plan: QuotaPlan, counts: [QuotaCount])?
    var warnedCells = Set<String>()
    /// Photos, recordings and documents typed as paths, stored with the answer that names them.
    let media = MediaInput(base: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))

    enum Outcome { case completed, saved, invalid }

    init(file: DataFile, engine: FormEngine, interview: String, surveyor: String, device: String, language: String?, answers: Answers) {
        self.file = file
        self.engine = engine
        self.flow = InterviewFlow(engine: engine)
        self.interview = interview
        self.surveyor = surveyor
        self.device = device
        self.language = language
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
        Output.print(Output.styled("interview \(interview)", .bold) + " (\(engine.form.formId) \(engine.form.version)); type :help for commands")
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
            let filled = share.map { "your share, \($0.completed) of \($0.target!)" } ?? "\(count.completed) of \(count.target)"
            Output.print(Output.styled("quota: this interview is in the cell '\(cell.name)', already full in this file (\(filled) completed); "
                + "check with your supervisor before going on", .yellow))
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
                Output.print(Output.styled("ℹ " + engine.interpolate(text(slot.entry.label), at: slot, answers), .cyan))
                index += 1
                continue
            }
            // After a refused answer only the prompt comes again, not the whole question.
            if shownStep != step.key {
                Output.print(question(step, progress: flow.progress(steps, answers)))
                shownStep = step.key
            }
            guard let line = input.read(prompt: "> ") else {
                Output.print("input ended: interview \(interview) saved as a draft; continue with --resume \(interview)")
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
        guard let name = slot.ancestors.last, let group = slot.row.ancestorKeys.last.flatMap(engine.row)?.entry else { return }
        let number = slot.instances.last.map { " #\($0.index)" } ?? ""
        Output.print(Output.styled("\n== \(text(group.label).isEmpty ? name : text(group.label))\(number) ==", .bold))
    }

    func question(_ step: InterviewFlow.Step, progress: (answered: Int, total: Int)) -> String {
        let counter = Output.styled("\(progress.answered)/\(progress.total)", .dim)
        switch step {
        case .addAnother(let slot, let next):
            let label = text(slot.entry.label).isEmpty ? slot.name : text(slot.entry.label)
            return "\(counter) " + Output.styled("Add \(label) #\(next)? [y/n]", .bold)
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
            if let how = Self.howToAnswer(entry) { lines.append("   " + Output.styled(how, .dim)) }
            if let current = answers[slot.path] {
                lines.append("   " + Output.styled("[current: \(current)]", .dim))
            } else if let value = defaultValue(slot) {
                lines.append("   " + Output.styled("[default: \(value)]", .dim))
            }
            if entry.kind == .acknowledge { lines.append("   " + Output.styled("(type OK)", .dim)) }
            return lines.joined(separator: "\n")
        }
    }

    /// How to type an answer that is not plain text or a choice number.
    static func howToAnswer(_ entry: Entry) -> String? {
        switch entry.kind {
        case .geopoint?, .startGeopoint?: return "(latitude longitude [altitude accuracy], e.g. 21.0285 105.8542)"
        case .geotrace?: return "(points 'latitude longitude' separated by ';', 2 or more)"
        case .geoshape?: return "(points 'latitude longitude' separated by ';', the last the same as the first)"
        case .image?, .audio?, .video?, .file?: return "(the path of the file; it is stored in the data file)"
        case .rank?: return "(the choices in order, by number, e.g. 3 1 2)"
        case .range?: return "(\(RangeParameters(entry.parameters)))"
        case .barcode?: return "(type the code)"
        default: return nil
        }
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
                Output.print(Output.styled("  answer y or n", .yellow))
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
                    let message = slot.entry.requiredMessage.map(text) ?? "an answer is required"
                    Output.print(Output.styled("  \(message)", .yellow))
                    return nil
                }
                return position(after: step)
            }
            if slot.row.kind?.isMedia == true, MediaFile.sha256(ofStoredName: value) == nil {
                do {
                    value = try media.add(value)
                } catch {
                    Output.print(Output.styled("  \(error.localizedDescription)", .yellow))
                    return nil
                }
            }
            let normalized: String
            switch flow.parseInput(value, for: slot, answers: answers) {
            case .success(let text): normalized = text
            case .failure(.type(let expected)):
                Output.print(Output.styled("  expected \(expected)", .yellow))
                return nil
            }
            var new = answers
            new[slot.path] = normalized
            if let problem = engine.check(slot, value: normalized, answers: new, language: language).first {
                Output.print(Output.styled("  " + problem.message.replacingOccurrences(of: "'\(slot.path)': ", with: ""), .yellow))
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
                Output.print(Output.styled("  this is the first question", .yellow))
                return nil
            }
            index = found
        case ":skip", ":s":
            guard let step else { return nil }
            if case .question(let slot) = step, isRequired(slot) {
                Output.print(Output.styled("  '\(slot.path)' is required and cannot be skipped", .yellow))
                return nil
            }
            history.append(step.key)
            index = position(after: step)
        case ":jump", ":j":
            guard let found = steps.firstIndex(where: { $0.slot.path == argument || $0.slot.name == argument }) else {
                Output.print(Output.styled("  no question '\(argument)' applies now; see :review for the names", .yellow))
                return nil
            }
            if let step { history.append(step.key) }
            index = found
        case ":note", ":n":
            guard !argument.isEmpty else {
                Output.print(Output.styled("  write the note after :note", .yellow))
                return nil
            }
            guard argument.utf8.count <= FormEngine.maxValueLength else {
                Output.print(Output.styled("  a note is at most \(FormEngine.maxValueLength) bytes; not saved", .yellow))
                return nil
            }
            try file.write { writer in try writer.note(argument, interview: interview, author: surveyor, device: device) }
            Output.print("  note saved")
        case ":review", ":r":
            review()
            shownStep = nil
        case ":save", ":quit", ":q":
            Output.print("interview \(interview) saved as a draft; continue with --resume \(interview)")
            return .saved
        case ":help", ":h", ":?":
            Output.print("""
                  :back        go to the previous question
                  :skip        leave an optional question unanswered
                  :jump NAME   go to the question NAME (e.g. :jump e3_2 or :jump members[2]/age)
                  :note TEXT   attach a note to this interview
                  :review      show the answers so far and what is missing
                  :save        keep the draft and quit (continue later with --resume)
                """)
            shownStep = nil
        default:
            Output.print(Output.styled("  unknown command \(parts[0]); type :help", .yellow))
        }
        return nil
    }

    func review() {
        for case .question(let slot) in flow.steps(answers) {
            Output.print("  \(slot.path) = \(answers[slot.path] ?? "—")")
        }
        for finding in engine.validate(answers, language: language) { Output.print("  " + render(finding)) }
    }

    /// At the end: validate; complete if valid (asking first on a terminal), else show what to fix.
    mutating func finish(input: LineInput, steps: [InterviewFlow.Step], index: inout Int) throws -> Outcome? {
        let errors = engine.validate(answers, language: language).filter { $0.severity == .error }
        if let first = errors.first {
            Output.print(Output.styled("\nThe interview is not complete:", .bold))
            for finding in errors { Output.print("  " + render(finding)) }
            guard input.interactive else {
                Output.print("interview \(interview) kept as a draft; continue with --resume \(interview)")
                return .invalid
            }
            index = steps.firstIndex { $0.slot.path == first.field } ?? max(steps.count - 1, 0)
            return nil
        }
        if input.interactive {
            review()
            guard let line = input.read(prompt: "Finalise this interview? [y/n] ") else { return .saved }
            let reply = line.lowercased().trimmingCharacters(in: .whitespaces)
            if reply.hasPrefix(":") { return try command(reply, step: nil, steps: steps, index: &index) }
            if !["y", "yes", "c", "có"].contains(reply) {
                Output.print("interview \(interview) kept as a draft; continue with --resume \(interview)")
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
        Output.print(Output.styled("interview \(interview) completed", .green))
        return .completed
    }
}
