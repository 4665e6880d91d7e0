import CanvassCore
import CanvassStore
import Foundation

/// One question per screen, on a terminal: `interview` at a console and the kiosk. Choices are
/// picked with the arrows or a digit, and long lists filter as one types, with or without
/// Vietnamese marks ("dong anh" finds "Đông Anh"). Esc goes back from anywhere, an invalid
/// answer included. A review screen comes before the interview is submitted.
final class QuestionScreen {
    var session: PromptSession
    let screen: Screen
    let terminal: Terminal
    let messages: Messages
    let kiosk: Bool
    var history: [String] = []
    var index = 0
    var input = ""
    var highlight = 0
    var toggled: [String] = []
    var message = ""
    var reviewing = false
    var reviewRow = 0
    var shownKey: String?
    var lastActivity = Date()
    /// Folded choice labels of the question on screen, for filtering.
    var folded: [String] = []

    enum Outcome { case completed, saved, idle }

    init(session: PromptSession, terminal: Terminal, screen: Screen, messages: Messages, kiosk: Bool) {
        self.session = session
        self.terminal = terminal
        self.screen = screen
        self.messages = messages
        self.kiosk = kiosk
        let steps = session.flow.steps(session.answers)
        index = session.flow.resumePoint(steps, session.answers) ?? steps.count
        reviewing = index >= steps.count
        // What the session would print (a quota warning) is shown on the message line.
        self.session.printer = { [weak self] text in self?.message = text }
    }

    var engine: FormEngine { session.engine }
    var steps: [InterviewFlow.Step] { session.flow.steps(session.answers) }

    /// Shows questions until the interview is submitted, left (Ctrl-D; not at a kiosk), or idle
    /// for `idle` seconds.
    func run(idle: TimeInterval?) throws -> Outcome {
        while true {
            draw()
            switch terminal.next(timeout: 0.2) {
            case .key(let key):
                lastActivity = Date()
                if let outcome = try handle(key) { return outcome }
            case .tick:
                if let idle, Date().timeIntervalSince(lastActivity) >= idle { return .idle }
            case .end: return kiosk ? .idle : .saved
            }
        }
    }

    /// The question now on screen, if any (for the "abandoned at" mark).
    var currentPath: String? {
        let steps = self.steps
        return steps.indices.contains(index) && !reviewing ? steps[index].slot.path : nil
    }

    // MARK: Choices

    struct Option { var name: String; var label: String; var number: Int }

    func options(_ step: InterviewFlow.Step) -> [Option] {
        switch step {
        case .addAnother: return [Option(name: "y", label: messages(.yes), number: 1), Option(name: "n", label: messages(.no), number: 2)]
        case .question(let slot) where slot.entry.kind?.takesList == true:
            return engine.choices(slot, session.answers).enumerated().map { n, choice in
                let label = session.text(choice.label)
                return Option(name: choice.name, label: label.isEmpty ? choice.name : label, number: n + 1)
            }
        default: return []
        }
    }

    /// The options the typed filter lets through: every word, marks or none, in the label, or
    /// the number typed as the start of the option's number.
    func filtered(_ options: [Option]) -> [Option] {
        guard !input.isEmpty, !input.hasPrefix(":") else { return options }
        if folded.count != options.count { folded = options.map { TextFold.fold($0.label + " " + $0.name) } }
        if input.allSatisfy(\.isNumber) { return options.filter { String($0.number).hasPrefix(input) } }
        return zip(options, folded).filter { TextFold.matches(query: input, folded: $1) }.map(\.0)
    }

    // MARK: Keys

    func handle(_ key: Key) throws -> Outcome? {
        if case .control(let letter) = key, ["c", "d", "\\", "q"].contains(letter) {
            return kiosk ? nil : .saved
        }
        if reviewing { return try review(key) }
        let steps = self.steps
        guard steps.indices.contains(index) else { reviewing = true; reviewRow = 0; return nil }
        let step = steps[index]
        let options = self.options(step)
        let shown = filtered(options)
        let isList = !options.isEmpty
        if shownKey != step.key { enter(step) }
        switch key {
        case .escape: back()
        case .left where isList && input.isEmpty: back()
        case .up: highlight = max(highlight - 1, 0)
        case .down: highlight = min(highlight + 1, max(shown.count - 1, 0))
        case .backspace:
            if !input.isEmpty { input.removeLast(); highlight = 0 }
        case .character(" ") where isList && input.isEmpty:
            if case .question(let slot) = step, slot.entry.kind == .selectMultiple, shown.indices.contains(highlight) { toggle(shown[highlight].name) }
        case .character(let character):
            message = ""
            if character == ":" && input.isEmpty && !kiosk {
                input = ":"
            } else if isList && input.isEmpty && character.isNumber && options.count <= 9, let digit = character.wholeNumberValue {
                if options.indices.contains(digit - 1) {
                    highlight = digit - 1
                    if case .question(let slot) = step, slot.entry.kind == .selectMultiple { toggle(options[digit - 1].name) }
                }
            } else {
                input.append(character)
                if isList && !input.hasPrefix(":") { highlight = 0 }
            }
        case .enter:
            if input.hasPrefix(":") {
                let command = input
                input = ""
                return try self.command(command, step: step)
            }
            message = ""
            switch step {
            case .note:
                history.append(step.key)
                index += 1
            case .addAnother:
                guard shown.indices.contains(highlight) else { return nil }
                try accept(shown[highlight].name, step: step)
            case .question(let slot):
                if !isList {
                    try accept(input, step: step)
                } else if slot.entry.kind == .selectMultiple {
                    try accept(toggled.joined(separator: " "), step: step)
                } else if shown.indices.contains(highlight) {
                    try accept(shown[highlight].name, step: step)
                } else if input.isEmpty {
                    try accept("", step: step)
                } else {
                    message = messages(.noMatch, ["query": input])
                }
            }
        default: break
        }
        return nil
    }

    /// Sets up a question as it comes on screen: the highlight on the current answer.
    func enter(_ step: InterviewFlow.Step) {
        shownKey = step.key
        input = ""
        folded = []
        highlight = 0
        toggled = []
        guard case .question(let slot) = step, let current = session.answers[slot.path] else { return }
        let options = self.options(step)
        if slot.entry.kind == .selectMultiple {
            toggled = current.split(separator: " ").map(String.init)
        } else if let found = options.firstIndex(where: { $0.name == current }) {
            highlight = found
        }
    }

    func toggle(_ name: String) {
        if let found = toggled.firstIndex(of: name) { toggled.remove(at: found) } else { toggled.append(name) }
    }

    func back() {
        message = ""
        let steps = self.steps
        guard let previous = history.popLast(), let found = steps.firstIndex(where: { $0.key == previous }) else {
            message = messages(.firstQuestion)
            return
        }
        index = found
        shownKey = nil
    }

    func forward(from step: InterviewFlow.Step) {
        history.append(step.key)
        index = session.position(after: step)
        shownKey = nil
        if index >= steps.count { reviewing = true; reviewRow = 0 }
    }

    /// Checks and saves an answer (at once, durably), then moves on; or says what is wrong.
    func accept(_ typed: String, step: InterviewFlow.Step) throws {
        switch step {
        case .note: forward(from: step)
        case .addAnother(let slot, let next):
            var new = session.answers
            if typed == "y" {
                new[slot.path] = String(next)
                try session.save(new)
                history.append(step.key)
                index = session.flow.steps(session.answers).firstIndex { $0.slot.path.hasPrefix("\(slot.path)[\(next)]/") } ?? index
                shownKey = nil
            } else {
                if new[slot.path] == nil { new[slot.path] = "0"; try session.save(new) }
                forward(from: step)
            }
        case .question(let slot):
            var value = typed.trimmingCharacters(in: .whitespaces)
            if value.isEmpty {
                if let current = session.answers[slot.path], !current.isEmpty, slot.entry.kind != .selectMultiple { return forward(from: step) }
                if let fallback = session.defaultValue(slot) { value = fallback }
            }
            if value.isEmpty {
                if session.isRequired(slot) {
                    message = slot.entry.requiredMessage.map(session.text) ?? messages(.required)
                    return
                }
                if session.answers[slot.path] != nil { var new = session.answers; new[slot.path] = nil; try session.save(new) }
                return forward(from: step)
            }
            do {
                value = try session.media.stored(value, kind: slot.row.kind)
            } catch {
                message = (error as? MediaInput.Failure).map(messages.media) ?? error.localizedDescription
                return
            }
            let normalized: String
            switch session.flow.parseInput(value, for: slot, answers: session.answers) {
            case .success(let text): normalized = text
            case .failure:
                message = messages(.expected, ["what": messages.expected(slot, choices: engine.choices(slot, session.answers).count)])
                return
            }
            var new = session.answers
            new[slot.path] = normalized
            if let problem = engine.check(slot, value: normalized, answers: new, language: session.language).first {
                message = session.problemText(problem, slot)
                return
            }
            try session.save(new)
            forward(from: step)
        }
    }

    /// The enumerator's commands (`:help` lists them); the kiosk has none.
    func command(_ line: String, step: InterviewFlow.Step) throws -> Outcome? {
        let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
        let argument = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        switch parts[0] {
        case ":back", ":b": back()
        case ":save", ":quit", ":q": return .saved
        case ":review", ":r": reviewing = true; reviewRow = 0
        case ":skip", ":s":
            if case .question(let slot) = step, session.isRequired(slot) { message = messages(.cannotSkip, ["field": slot.path]) } else { forward(from: step) }
        case ":jump", ":j":
            guard let found = steps.firstIndex(where: { $0.slot.path == argument || $0.slot.name == argument }) else {
                message = messages(.noSuchQuestion, ["name": argument])
                return nil
            }
            history.append(step.key)
            index = found
            shownKey = nil
        case ":note", ":n":
            guard !argument.isEmpty else { message = messages(.noteNeedsText); return nil }
            guard argument.utf8.count <= FormEngine.maxValueLength else { message = messages(.noteTooLong, ["max": String(FormEngine.maxValueLength)]); return nil }
            let session = self.session
            try session.file.write { writer in try writer.note(argument, interview: session.interview, author: session.surveyor, device: session.device) }
            message = messages(.noteSaved)
        case ":help", ":h", ":?": message = messages(.help)
        default: message = messages(.unknownCommand, ["command": parts[0]])
        }
        return nil
    }

    // MARK: Drawing

    func draw() {
        let size = screen.size
        var lines: [String] = []
        let title = kiosk ? session.text(engine.form.title) : "\(engine.form.formId) · \(session.interview)"
        if reviewing {
            lines.append(screen.bold(messages(.reviewTitle)))
            lines.append("")
            let rows = reviewRows()
            let room = max(size.rows - 6, 3)
            let start = min(max(reviewRow - room / 2, 0), max(rows.count - room, 0))
            for (n, row) in rows.enumerated().dropFirst(start).prefix(room) {
                lines.append(n == reviewRow ? screen.inverse("▸ " + row.text) : "  " + row.text)
            }
            while lines.count < size.rows - 2 { lines.append("") }
            lines.append(message.isEmpty ? "" : screen.yellow(message))
            lines.append(screen.dim(messages(.reviewHelp)))
            return screen.draw(lines)
        }
        let steps = self.steps
        guard steps.indices.contains(index) else { return screen.draw([title]) }
        let step = steps[index]
        if shownKey != step.key { enter(step) }
        let progress = PromptSession.position(of: step, in: steps)
        let counter = messages(.progress, ["n": String(progress.answered), "total": String(progress.total)])
        lines.append(screen.bold(Screen.pad(title, max(size.columns - Screen.width(counter) - 1, 1))) + " " + screen.dim(counter))
        if let row = engine.group(of: step.slot.row) {
            lines.append(screen.dim(session.text(row.entry.label)))
        } else {
            lines.append("")
        }
        lines.append("")
        let width = max(size.columns - 2, 10)
        let label: String = switch step {
        case .addAnother(let slot, let next): messages(.addAnother, ["label": session.text(slot.entry.label), "n": String(next)])
        default: engine.interpolate(session.text(step.slot.entry.label), at: step.slot, session.answers)
        }
        for line in Screen.wrap(label, width: width) { lines.append(screen.bold(line)) }
        if case .question(let slot) = step, let hint = slot.entry.hint {
            for line in Screen.wrap(session.text(hint), width: width) { lines.append(screen.dim(line)) }
        }
        lines.append("")
        var cursor: (row: Int, column: Int)?
        let options = self.options(step)
        let helpLine: String
        if !options.isEmpty {
            let shown = filtered(options)
            if !input.isEmpty {
                lines.append("> " + input)
                cursor = (lines.count - 1, 2 + Screen.width(input))
            }
            let room = max(size.rows - lines.count - 3, 1)
            let start = min(max(highlight - room / 2, 0), max(shown.count - room, 0))
            let current = step.slot.entry.kind == .selectMultiple ? toggled : [session.answers[step.slot.path] ?? ""]
            for (n, option) in shown.enumerated().dropFirst(start).prefix(room) {
                let mark = current.contains(option.name) ? "●" : " "
                let text = "\(mark) \(String(option.number).leftPadded(3))  \(option.label)"
                lines.append(n == highlight ? screen.inverse("▸" + text) : " " + text)
            }
            if shown.isEmpty { lines.append(screen.yellow(messages(.noMatch, ["query": input]))) }
            helpLine = options.count > 9 || !input.isEmpty
                ? messages(.helpFilter, ["shown": String(shown.count), "total": String(options.count)]) + " · " + messages(.helpChoice)
                : messages(.helpChoice)
        } else if case .note = step {
            helpLine = "Enter · Esc"
        } else {
            if input.isEmpty, let current = session.answers[step.slot.path] {
                lines.append(screen.dim("[" + current + "]"))
            }
            lines.append("> " + input)
            cursor = (lines.count - 1, 2 + Screen.width(input))
            helpLine = messages(.helpText)
        }
        let messageLines = message.isEmpty ? [] : message.split(separator: "\n").map(String.init)
        while lines.count < size.rows - 1 - max(messageLines.count, 1) { lines.append("") }
        if messageLines.isEmpty { lines.append("") } else { lines += messageLines.map { screen.yellow($0) } }
        lines.append(screen.dim(kiosk ? helpLine : helpLine + " · " + messages(.helpCommands)))
        screen.draw(lines, cursor: cursor)
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
