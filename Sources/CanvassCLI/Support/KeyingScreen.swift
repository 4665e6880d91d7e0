import CanvassCore
import CanvassStore
import Foundation

/// The full-screen keying of one phiếu after another (`canvass key`), and its blind second
/// keying (`canvass verify`, through `Verifier`). Heads-down: a digit in range on a short list
/// moves on by itself, `*` records "blank on paper", Enter moves on, arrows move anywhere.
/// Every field is one committed transaction before the screen shows it.
final class KeyingScreen {
    let file: DataFile
    let engine: FormEngine
    let rules: KeyingRules
    let messages: Messages
    let language: String?
    let clerk: String
    let device: String
    let screen: Screen
    /// Set for a verification: it decides what a keyed value does.
    var verifier: Verifier?

    // The phiếu being keyed.
    var interview: String?
    var answers: Answers = [:]
    var marks: [String: String] = [:]
    var fields: [Slot] = []
    var relevance: [Bool] = []
    var carried = Set<String>()
    var cursor = 0
    var buffer = ""
    var pending: KeyingRules.Outcome?
    var message = ""
    var title = ""
    /// Makes the title from the answers, so the case key in it follows the keying.
    var makeTitle: ((Answers) -> String)?
    var layout: KeyingLayout?
    var layoutSize = (columns: 0, rows: 0)
    var completedCount = 0
    /// No full screen (a pipe, `TERM=dumb`, `--line`): each field is announced on a line of its
    /// own and ends with Enter; what would be redrawn is printed once.
    var lineMode = false
    var announced: (phieu: Int, field: String, message: String)?
    /// Phiếu begun so far (the line mode prints a title for each).
    var begun = 0
    /// In the line mode, the Enter that ends a line holding a verifier's decision.
    var swallowEnter = false

    init(file: DataFile, engine: FormEngine, messages: Messages, language: String?, clerk: String, device: String, screen: Screen) {
        self.file = file
        self.engine = engine
        self.rules = KeyingRules(engine: engine)
        self.messages = messages
        self.language = language
        self.clerk = clerk
        self.device = device
        self.screen = screen
    }

    func text(_ text: LocalizedText?) -> String { text?.text(in: language, fallback: engine.form.defaultLanguage) ?? "" }

    /// Starts a phiếu with these answers (carried fields, or a draft's), at the first field that
    /// is neither carried nor keyed already.
    func begin(interview: String?, answers: Answers, marks: [String: String], carried: Set<String>) {
        self.interview = interview
        self.answers = engine.recalculated(answers, syncRepeatCounts: true)
        self.marks = marks
        self.carried = carried
        begun += 1
        refresh()
        cursor = fields.indices.first { relevance[$0] && !carried.contains(fields[$0].path) && value(at: $0) == .empty } ?? fields.count
        buffer = ""
        pending = nil
        layout = nil
    }

    func refresh() {
        let shown = verifier?.answers ?? answers
        fields = rules.fields(shown)
        relevance = rules.relevance(fields, shown)
    }

    /// What the screen shows for a field: the phiếu's value, or in a verification the verifier's own.
    func value(at index: Int) -> PaperValue {
        guard fields.indices.contains(index) else { return .empty }
        if let verifier { return verifier.keyed(fields[index].path) }
        return PaperValue.of(fields[index].path, answers: answers, marks: marks)
    }

    // MARK: Keys

    enum Step { case stay, phieuDone, stop }

    func handle(_ key: Key) throws -> Step {
        if swallowEnter && key == .enter { swallowEnter = false; return .stay }
        if let verifier, verifier.mismatch != nil { return try verifier.decide(key, on: self) }
        if case .control(let letter) = key, ["d", "c", "q", "\\"].contains(letter) { return .stop }
        let hadPending = pending
        pending = nil
        message = ""
        if cursor >= fields.count {
            switch key {
            case .enter: return try finish()
            case .up, .backTab, .pageUp: cursor = max(fields.count - 1, 0)
            default: message = messages(.endOfPhieu)
            }
            return .stay
        }
        let slot = fields[cursor]
        switch key {
        case .enter:
            if let hadPending { try commit(hadPending.value, at: cursor) }
            else if !buffer.isEmpty { try keyed(buffer) }
            else if verifier != nil, !verifier!.hasRecord(slot.path) { try keyed("") }
            else { advance() }
        case .character(let character):
            // A line at a time (a pipe, a screen reader), every field ends with Enter.
            if lineMode { buffer.append(character) }
            else if character == KeyingRules.blankKey && buffer.isEmpty { try keyed("*") }
            else if buffer.isEmpty, character.isWholeNumber, rules.singleKeyChoices(slot, verifier?.answers ?? answers) != nil {
                try keyed(String(character))
            } else {
                buffer.append(character)
            }
        case .backspace: if !buffer.isEmpty { buffer.removeLast() }
        case .delete: buffer = ""; try commit(.empty, at: cursor)
        case .up, .backTab: move(to: cursor - 1)
        case .down, .tab: move(to: cursor + 1)
        case .home: move(to: 0)
        case .pageUp, .pageDown:
            if let layout {
                let page = layout.page(of: cursor) + (key == .pageUp ? -1 : 1)
                if page >= layout.pages.count { move(to: fields.count) } else if let first = layout.firstField(on: max(page, 0)) { move(to: first) }
            }
        default: break
        }
        return .stay
    }

    func move(to index: Int) {
        buffer = ""
        cursor = max(0, min(index, fields.count))
    }

    /// The next field that applies after the cursor, or the end of the phiếu.
    func advance() {
        buffer = ""
        var next = cursor + 1
        while next < fields.count && !relevance[next] { next += 1 }
        cursor = next
    }

    /// Interprets what was keyed; keeps it, or asks for the one confirming key.
    func keyed(_ typed: String) throws {
        buffer = ""
        let slot = fields[cursor]
        let outcome = rules.interpret(typed, slot: slot, answers: verifier?.answers ?? answers, relevant: relevance[cursor])
        guard let doubt = outcome.doubt else { return try commit(outcome.value, at: cursor) }
        pending = outcome
        let shown: String = switch outcome.value { case .raw(let raw): raw; case .value(let value): value; default: typed }
        switch doubt {
        case .notAChoice(let count): message = messages(.confirmNotAChoice, ["value": shown, "max": String(count)])
        case .wrongType(let expected):
            _ = expected
            message = messages(.confirmType, ["value": shown, "expected": messages.expected(slot, choices: engine.choices(slot, answers).count)])
        case .constraint(let own):
            message = messages(.confirmConstraint, ["message": own.map(text) ?? messages(.constraintFailed, ["constraint": slot.entry.constraint ?? ""])])
        case .notRelevant: message = messages(.confirmNotRelevant)
        }
    }

    /// Keeps a value: the phiếu's own keying writes it; a verification compares it first.
    func commit(_ value: PaperValue, at index: Int) throws {
        if let verifier {
            try verifier.keyed(value, at: index, on: self)
            return
        }
        try store(value, path: fields[index].path, author: clerk)
        carried.remove(fields[index].path)
        advance()
    }

    /// Writes a field of the phiếu (creating the phiếu at its first field), with its paper mark,
    /// recalculated repeat counts and case key, in one transaction.
    func store(_ value: PaperValue, path: String, author: String, extra: [String: String?] = [:]) throws {
        var new = answers
        if case .value(let text) = value { new[path] = text } else { new[path] = nil }
        let updated = engine.recalculated(new, syncRepeatCounts: true)
        var changes = engine.changes(from: answers, to: updated)
        let mark = PaperValue.markField(path)
        let markText: String? = (value == .blank || value.isRaw) ? value.text : nil
        if marks[path] != markText { changes[mark] = markText }
        changes.merge(extra) { _, new in new }
        let key = engine.caseKey(updated)
        let form = engine.form
        let existing = interview
        let clerk = self.clerk, device = self.device
        let created: String = try file.write { writer in
            let id = try existing ?? writer.createInterview(form: form, surveyor: clerk, device: device, mode: .key)
            if existing == nil {
                // The carried fields belong to this phiếu too.
                let carriedValues = Dictionary(uniqueKeysWithValues: self.carried.compactMap { path in self.answers[path].map { (path, Optional($0)) } })
                try writer.set(carriedValues, interview: id, author: clerk, device: device)
            }
            if !changes.isEmpty { try writer.set(changes, interview: id, author: author, device: device) }
            try writer.setKey(key, interview: id)
            return id
        }
        interview = created
        answers = updated
        marks[path] = markText
        refresh()
    }

    /// The end of the phiếu: completed as keyed (the paper is the truth; `validate` reports what
    /// does not fit), or in a verification, checked for fields left unverified.
    func finish() throws -> Step {
        if let verifier { return try verifier.finish(on: self) }
        guard let interview else { return .phieuDone }
        try file.write { writer in try writer.setStatus(.completed, interview: interview, author: clerk, device: device) }
        completedCount += 1
        return .phieuDone
    }

    // MARK: Drawing

    func draw() {
        if lineMode { return announce() }
        let size = screen.size
        if layout == nil || layoutSize != size {
            layout = KeyingLayout(fields: fields, engine: engine, label: text, height: max(size.rows - 5, 3))
            layoutSize = size
        }
        guard let layout else { return }
        let pageNumber = layout.page(of: cursor)
        var lines: [String] = []
        let page = messages(.page, ["n": String(pageNumber + 1), "total": String(layout.pages.count)])
        if let makeTitle { title = makeTitle(answers) }
        lines.append(screen.bold(Screen.pad(title, max(size.columns - Screen.width(page) - 1, 1))) + " " + screen.dim(page))
        var cursorPosition: (row: Int, column: Int)?
        let labelWidth = max(size.columns - 40, 12)
        for line in layout.pages[pageNumber] {
            switch line {
            case .header(let text): lines.append(screen.bold("── " + text))
            case .field(let index):
                let slot = fields[index]
                let name = Screen.pad(slot.path, 14)
                let label = Screen.pad(text(slot.entry.label), labelWidth)
                let (shown, column) = cell(index, width: max(size.columns - 19 - labelWidth, 6))
                var row = "  " + name + " " + label + " " + shown
                if index == cursor {
                    row = screen.inverse("▸ " + name + " " + label) + " " + shown
                    cursorPosition = (lines.count, 2 + 14 + 1 + labelWidth + 1 + column)
                } else if !relevance[index] {
                    row = screen.dim(row)
                }
                lines.append(row)
            case .grid(let label, let indices):
                var row = "  " + Screen.pad(label, 16) + " "
                let nameWidth = indices.map { Screen.width(fields[$0].path) }.max() ?? 4
                for index in indices {
                    let (shown, column) = cell(index, width: 3)
                    let name = Screen.pad(fields[index].path, nameWidth)
                    let item = (index == cursor ? screen.inverse(name) : relevance[index] ? name : screen.dim(name)) + " " + shown
                    if index == cursor { cursorPosition = (lines.count, Screen.width(row) + nameWidth + 1 + column) }
                    row += item + " "
                }
                lines.append(row)
            }
        }
        while lines.count < size.rows - 3 { lines.append("") }
        if cursor < fields.count {
            let slot = fields[cursor]
            var about = slot.path + " · " + engine.interpolate(text(slot.entry.label), at: slot, verifier?.answers ?? answers)
            let choices = slot.entry.kind?.takesList == true ? engine.choices(slot, verifier?.answers ?? answers) : []
            if !choices.isEmpty {
                about += " · " + choices.enumerated().map { "\($0.offset + 1) \(text($0.element.label).isEmpty ? $0.element.name : text($0.element.label))" }.joined(separator: " · ")
            }
            lines.append(about)
        } else {
            lines.append(screen.bold(messages(.endOfPhieu)))
            cursorPosition = nil
        }
        lines.append(message.isEmpty ? "" : screen.yellow(message))
        lines.append(screen.dim(messages(verifier == nil ? .keyHelp : .verifyHelp)))
        screen.draw(lines, cursor: cursorPosition)
    }

    /// The line mode's output: the phiếu's title when it starts, each field as the cursor reaches
    /// it (its place, name, label and codes), and each new message.
    func announce() {
        if let makeTitle { title = makeTitle(answers) }
        if announced?.phieu != begun { Output.print("== " + title) }
        let field = cursor < fields.count ? fields[cursor].path : ""
        if announced?.phieu != begun || announced?.field != field {
            if cursor < fields.count {
                let slot = fields[cursor]
                var line = "\(cursor + 1)/\(fields.count) \(slot.path) " + engine.interpolate(text(slot.entry.label), at: slot, verifier?.answers ?? answers)
                let choices = slot.entry.kind?.takesList == true ? engine.choices(slot, verifier?.answers ?? answers) : []
                if !choices.isEmpty {
                    line += " [" + choices.enumerated().map { "\($0.offset + 1) \(text($0.element.label).isEmpty ? $0.element.name : text($0.element.label))" }.joined(separator: "; ") + "]"
                }
                let shown = value(at: cursor)
                if shown != .empty { line += " (\(shown.text))" }
                Output.print(line)
            } else {
                Output.print(messages(.endOfPhieu))
            }
        }
        if !message.isEmpty && (announced?.message != message || announced?.field != field) { Output.print("  " + message) }
        announced = (begun, field, message)
    }

    /// Draws and handles keys until the phiếu is done or the clerk stops.
    func run(_ terminal: Terminal) throws -> Step {
        while true {
            draw()
            switch terminal.next(timeout: 1) {
            case .key(let key):
                let step = try handle(key)
                if step != .stay { return step }
            case .tick: continue
            case .end: return .stop
            }
        }
    }

    /// A field's value as shown, and where the typing cursor goes in it.
    func cell(_ index: Int, width: Int) -> (String, Int) {
        if index == cursor, let pending {
            let shown: String = switch pending.value { case .raw(let raw): raw; case .value(let value): value; case .blank: "*"; case .empty: "" }
            return (Screen.pad(screen.yellow(shown), width), Screen.width(shown))
        }
        if index == cursor && !buffer.isEmpty {
            return (Screen.pad(buffer, width), Screen.width(buffer))
        }
        let slot = fields[index]
        var shown: String
        switch value(at: index) {
        case .empty: shown = width <= 3 ? "_" : ""
        case .blank: shown = width <= 3 ? "*" : messages(.blank)
        case .raw(let raw): shown = screen.yellow("!" + raw)
        case .value(let text):
            shown = text
            if slot.entry.kind == .selectOne, width > 3 {
                let choices = engine.choices(slot, verifier?.answers ?? answers)
                if let number = choices.firstIndex(where: { $0.name == text }) {
                    shown = "\(number + 1) \(self.text(choices[number].label))"
                }
            } else if slot.entry.kind == .selectOne {
                let choices = engine.choices(slot, verifier?.answers ?? answers)
                if let number = choices.firstIndex(where: { $0.name == text }) { shown = String(number + 1) }
            }
        }
        if carried.contains(slot.path), width > 3 { shown += " ↻" }
        return (Screen.pad(shown, width), 0)
    }
}
