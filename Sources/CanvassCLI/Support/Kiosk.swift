import CanvassCore
import CanvassStore
import Foundation

/// The self-survey at the one-stop shop: welcome, questions, review, thank-you, welcome again,
/// for one respondent after another. Respondents never reach a shell: Ctrl-C, Ctrl-D and Ctrl-\
/// are keys the kiosk ignores, and leaving it (or seeing other interviews) takes the admin PIN,
/// which the file keeps only hashed.
struct Kiosk {
    let file: DataFile
    let form: Form
    let engine: FormEngine
    let messages: Messages
    let language: String?
    let kioskID: String
    let device: String
    let idle: TimeInterval
    let terminal: Terminal
    let screen: Screen

    static let pinSetting = "kiosk_pin"

    /// Sets the admin PIN: from CANVASS_KIOSK_PIN, or typed once by the supervisor. False if the
    /// supervisor left instead.
    func setPIN(fromEnvironment pin: String?) throws -> Bool {
        var pin = pin ?? ""
        var note = ""
        while pin.count < 4 {
            guard let typed = readSecret(messages(.pinSet), note: note, cancellable: true) else { return false }
            pin = typed
            note = messages(.pinTooShort)
        }
        var salt = [UInt8](repeating: 0, count: 16)
        var generator = SystemRandomNumberGenerator()
        for i in salt.indices { salt[i] = UInt8.random(in: 0...255, using: &generator) }
        try file.setSetting(Self.pinSetting, KioskPIN(pin: pin, salt: salt).text)
        return true
    }

    /// A masked line typed at a full screen; nil when cancelled (Ctrl-C, only if `cancellable`)
    /// or when Esc is pressed.
    func readSecret(_ prompt: String, note: String, cancellable: Bool) -> String? {
        var typed = ""
        var shown = note
        let started = Date()
        while true {
            let line = prompt + String(repeating: "•", count: typed.count)
            screen.draw([screen.bold(messages(.adminTitle)), "", line, "", shown.isEmpty ? "" : screen.yellow(shown)],
                        cursor: (2, Screen.width(line)))
            switch terminal.next(timeout: 0.2) {
            case .key(.enter): return typed
            case .key(.escape): return nil
            case .key(.backspace): if !typed.isEmpty { typed.removeLast() }
            case .key(.character(let character)): typed.append(character); shown = ""
            case .key(.control(let letter)) where cancellable && (letter == "c" || letter == "d"): return nil
            case .tick where !cancellable && Date().timeIntervalSince(started) > idle: return nil
            case .end: return nil
            default: continue
            }
        }
    }

    func checkPIN() throws -> Bool {
        guard let typed = readSecret(messages(.pinAsk), note: "", cancellable: false) else { return false }
        guard let stored = try file.setting(Self.pinSetting).flatMap(KioskPIN.init(text:)), stored.matches(typed) else {
            flash(messages(.pinWrong))
            return false
        }
        return true
    }

    func flash(_ text: String) {
        let started = Date()
        while Date().timeIntervalSince(started) < 1.5 {
            screen.draw([screen.bold(messages(.adminTitle)), "", screen.yellow(text)])
            if case .key(.enter) = terminal.next(timeout: 0.2) { return }
        }
    }

    /// Runs until the admin leaves; the counts of completed and abandoned interviews.
    func run() throws -> (completed: Int, abandoned: Int) {
        var completed = 0, abandoned = 0
        while true {
            switch welcome() {
            case .start:
                switch try respondent() {
                case .completed:
                    completed += 1
                    thankYou()
                case .idle, .saved: abandoned += 1
                }
            case .admin:
                guard try checkPIN() else { continue }
                if try admin() { return (completed, abandoned) }
            case .gone:
                // The terminal went away (its window closed): nobody is there to serve.
                return (completed, abandoned)
            }
        }
    }

    enum Choice { case start, admin, gone }

    func welcome() -> Choice {
        while true {
            let size = screen.size
            var lines = Array(repeating: "", count: max(size.rows / 3 - 2, 1))
            let title = engine.form.title.map { $0.text(in: language, fallback: form.defaultLanguage) } ?? form.formId
            for line in Screen.wrap(title, width: size.columns - 4) { lines.append("  " + screen.bold(line)) }
            lines.append("")
            for line in Screen.wrap(messages(.welcomeBody), width: size.columns - 4) { lines.append("  " + line) }
            lines.append("")
            lines.append("  " + screen.inverse(" " + messages(.welcomeStart) + " "))
            screen.draw(lines)
            switch terminal.next(timeout: 0.5) {
            case .key(.enter): return .start
            case .key(.function(12)), .key(.control("a")): return .admin
            case .end: return .gone
            default: continue
            }
        }
    }

    func respondent() throws -> QuestionScreen.Outcome {
        let id = try file.write { writer in try writer.createInterview(form: form, surveyor: kioskID, device: device, mode: .kiosk) }
        var session = PromptSession(file: file, engine: engine, interview: id, surveyor: kioskID, device: device,
                                    language: language, messages: messages, answers: [:])
        session.printer = { _ in }
        try session.start()
        let questions = QuestionScreen(session: session, terminal: terminal, screen: screen, messages: messages, kiosk: true)
        let outcome = try questions.run(idle: idle)
        if outcome != .completed {
            // Kept as a draft, marked abandoned: when, and at which question.
            let mark = CLIEnvironment.store.now().iso8601 + (questions.currentPath.map { " " + $0 } ?? " review")
            try file.write { writer in try writer.set([ReservedField.abandoned: mark], interview: id, author: kioskID, device: device) }
        }
        return outcome
    }

    func thankYou() {
        let started = Date()
        while Date().timeIntervalSince(started) < 4 {
            let size = screen.size
            var lines = Array(repeating: "", count: max(size.rows / 3, 1))
            lines.append("  " + screen.bold(messages(.thankYou)))
            screen.draw(lines)
            if case .key(.enter) = terminal.next(timeout: 0.2) { return }
        }
    }

    /// The admin menu; true to leave the kiosk.
    func admin() throws -> Bool {
        var listing: [String] = []
        while true {
            screen.draw([screen.bold(messages(.adminTitle)), "", messages(.adminMenu), ""] + listing)
            switch terminal.next(timeout: 0.5) {
            case .key(.character("1")): return true
            case .key(.character("2")):
                listing = [messages(.listTitle, ["file": file.path])] + (try file.interviews().suffix(max(screen.size.rows - 6, 1)).map { summary in
                    "\(summary.id)  \(summary.status)  \(summary.mode)  \(summary.updated)"
                })
            case .key(.escape), .end: return false
            case .tick:
                continue
            default: continue
            }
        }
    }
}
