import ArgumentParser
import CanvassCore
import CanvassStore
import Foundation

struct InterviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "interview",
        abstract: "Conduct an interview at the terminal, one question at a time; every answer is saved at once.",
        discussion: """
            Commands at any prompt: :back :skip :jump NAME :note TEXT :review :save
            :help Select questions take a choice number or name (several, separated by
            spaces, for select_multiple). An empty line keeps the current answer (or the
            default). On a terminal, one question per screen: arrows or a digit pick a
            choice, typing filters long lists (with or without Vietnamese marks), Esc
            goes back, a review screen comes before completing, and the commands work
            after typing ':'. When standard input is not a terminal, with TERM=dumb, or
            with --line (screen readers), it is line by line: each line answers the next
            question; the interview is completed at the end if valid, and kept as a
            draft if input ends early. --kiosk: the self-survey at the one-stop shop. A
            welcome screen, the questions, a review, a thank-you, then the welcome
            screen again for the next respondent. After --idle seconds untouched, the
            draft is kept, marked abandoned (_abandoned), and the welcome screen comes
            back. Ctrl-C, Ctrl-D and Ctrl-\\ do nothing; F12 (or Ctrl-A) asks for the
            admin PIN, to leave or to list interviews. The supervisor sets the PIN at
            start: CANVASS_KIOSK_PIN, or typed once; the file keeps only a salted hash
            of it.

            Examples:
              canvass interview forms/sipas-2017.yaml --db lan.canvass --surveyor lan --lang vi
              canvass interview forms/sipas-2017.yaml --db lan.canvass --surveyor lan --resume 3f2a
              canvass interview forms/sipas-2017.yaml --db lan.canvass --surveyor lan --plan plan.yaml
              canvass interview forms/household.yaml --db minh.canvass --surveyor minh < answers.txt
              CANVASS_KIOSK_PIN=2468 canvass interview forms/sipas-2017.yaml --db motcua.canvass --surveyor kiosk-1 --kiosk
            """
    )

    @Argument(help: "The form file.")
    var form: String

    @Option(help: "The data file (created when absent).")
    var db: String

    @Option(help: "The surveyor's id.")
    var surveyor: String

    @Option(help: "Device id (default: this machine's name).")
    var device: String?

    @Option(help: "Language of labels and messages (default: the form's).")
    var lang: String?

    @Option(help: "Continue the draft with this id (or the start of it).")
    var resume: String?

    @Option(help: "A quota plan (see canvass quota): warn when the interview falls in a cell this file has already filled.")
    var plan: String?

    @Flag(help: "The self-survey kiosk: respondents fill the form themselves, one after another.")
    var kiosk = false

    @Option(help: "With --kiosk: seconds without a key before the kiosk returns to its welcome screen.")
    var idle: Double = 120

    @Flag(help: "Line by line even on a terminal (for screen readers).")
    var line = false

    func validate() throws {
        if kiosk && resume != nil { throw ValidationError("--kiosk starts a new interview for each respondent; it takes no --resume") }
        if idle <= 0 { throw ValidationError("--idle must be a number of seconds above 0") }
        if surveyor.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--surveyor needs a non-empty id") }
    }

    func run() throws {
        let form = try FormFile.loadChecked(self.form)
        let messages = Messages.choose(lang: lang, form: form)
        if let lang, !form.languages.isEmpty, !form.languages.contains(lang) {
            throw ValidationError(messages(.noLanguage, ["lang": lang, "languages": form.languages.joined(separator: ", ")]))
        }
        let quota = try plan.map { path in
            let plan = try QuotaCommand.loadPlan(path)
            if let problem = plan.problems(with: form).first { throw ValidationError("\(path): \(problem)") }
            return plan
        }
        let fullScreen = Terminal.canRunFullScreen && !line
        if kiosk && !fullScreen { throw ValidationError(messages(.needsTerminal, ["command": "canvass interview --kiosk"])) }
        let file = try DataFile(path: db, mode: .create, environment: CLIEnvironment.store)
        let device = self.device ?? CLIEnvironment.hostName
        if kiosk { return try runKiosk(form: form, file: file, device: device, messages: messages) }
        var session: PromptSession
        if let resume {
            let summary = try file.interview(resume)
            guard summary.formId == form.formId else {
                throw ValidationError(messages(.otherForm, ["id": summary.id, "form": summary.formId, "expected": form.formId]))
            }
            guard summary.status == InterviewStatus.draft.rawValue || summary.status == InterviewStatus.rejected.rawValue else {
                throw ValidationError(messages(.notResumable, ["id": summary.id, "status": summary.status]))
            }
            // The interview continues with the definition it was started with.
            let engine = try FormEngines(file).engine(sha256: summary.form)
            session = PromptSession(file: file, engine: engine, interview: summary.id, surveyor: surveyor, device: device,
                                    language: lang ?? form.defaultLanguage, messages: messages,
                                    answers: try file.state(summary.id).answers)
        } else {
            let engine = try CLIEnvironment.engine(form)
            try file.warnOfOtherDefinitions(form)
            let id = try file.write { writer in
                try writer.createInterview(form: form, surveyor: surveyor, device: device, mode: .prompt)
            }
            session = PromptSession(file: file, engine: engine, interview: id, surveyor: surveyor, device: device,
                                    language: lang ?? form.defaultLanguage, messages: messages, answers: [:])
            if fullScreen { session.printer = { _ in } }
            try session.start()
        }
        if let quota, quota.form == nil || quota.form == form.formId {
            session.quota = (quota, try QuotaCommand.count(quota, files: [db], excluding: session.interview))
            session.warnIfCellFull()
        }
        if fullScreen {
            let terminal = Terminal()
            terminal.open()
            defer { terminal.close() }
            let questions = QuestionScreen(session: session, terminal: terminal, screen: Screen(terminal: terminal), messages: messages, kiosk: false)
            let outcome = try questions.run(idle: nil)
            terminal.close()
            Output.print(outcome == .completed ? messages(.completed, ["id": session.interview]) : messages(.savedDraft, ["id": session.interview]))
            return
        }
        let outcome = try session.run(input: LineInput())
        switch outcome {
        case .completed: return
        case .saved: return
        case .invalid: throw ExitCode(1)
        }
    }
}

extension InterviewCommand {
    func runKiosk(form: Form, file: DataFile, device: String, messages: Messages) throws {
        let terminal = Terminal()
        // Respondents' keys must not stop the kiosk, even between raw-mode reads.
        for signal in [SIGINT, SIGQUIT, SIGTSTP] { Glibc.signal(signal, SIG_IGN) }
        terminal.open()
        defer { terminal.close() }
        let kiosk = Kiosk(file: file, form: form, engine: try CLIEnvironment.engine(form), messages: messages, language: lang ?? form.defaultLanguage,
                          kioskID: surveyor, device: device, idle: idle, terminal: terminal, screen: Screen(terminal: terminal))
        guard try kiosk.setPIN(fromEnvironment: ProcessInfo.processInfo.environment["CANVASS_KIOSK_PIN"]) else {
            terminal.close()
            throw ExitCode(1)
        }
        let counts = try kiosk.run()
        terminal.close()
        Output.print(messages(.kioskClosed, ["completed": String(counts.completed), "abandoned": String(counts.abandoned)]))
    }
}

/// Where answers come from: the terminal (with prompts and line editing) or a pipe (one answer per line).
struct LineInput {
    let interactive = isatty(STDIN_FILENO) == 1

    func read(prompt: String) -> String? {
        guard interactive else { return readLine(strippingNewline: true) }
        if let editor = LineEditor.shared { return editor.read(prompt: prompt) }
        Output.write(STDOUT_FILENO, prompt)
        return readLine(strippingNewline: true)
    }
}
