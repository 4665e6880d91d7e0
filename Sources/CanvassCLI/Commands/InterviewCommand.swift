import ArgumentParser
import CanvassCore
import CanvassStore
import Foundation

struct InterviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "interview",
        abstract: "Conduct an interview at the terminal, one question at a time; every answer is saved at once.",
        discussion: """
            Commands at any prompt: :back  :skip  :jump NAME  :note TEXT  :review  :save  :help
            Select questions take a choice number or name (several, separated by spaces, for select_multiple).
            An empty line keeps the current answer (or the default).
            When standard input is not a terminal, each line answers the next question; the interview is
            completed at the end if valid, and kept as a draft if input ends early.

            Examples:
              canvass interview forms/sipas-2017.yaml --db lan.canvass --surveyor lan --lang vi
              canvass interview forms/sipas-2017.yaml --db lan.canvass --surveyor lan --resume 3f2a
              canvass interview forms/sipas-2017.yaml --db lan.canvass --surveyor lan --plan plan.yaml
              canvass interview forms/household.yaml --db minh.canvass --surveyor minh < answers.txt
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

    func validate() throws {
        if surveyor.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--surveyor needs a non-empty id") }
    }

    func run() throws {
        let form = try FormFile.loadChecked(self.form)
        if let lang, !form.languages.isEmpty, !form.languages.contains(lang) {
            throw ValidationError("the form has no '\(lang)' labels; its languages are \(form.languages.joined(separator: ", "))")
        }
        let quota = try plan.map { path in
            let plan = try QuotaCommand.loadPlan(path)
            if let problem = plan.problems(with: form).first { throw ValidationError("\(path): \(problem)") }
            return plan
        }
        let messages = Messages.choose(lang: lang, form: form)
        let file = try DataFile(path: db, mode: .create, environment: CLIEnvironment.store)
        let device = self.device ?? CLIEnvironment.hostName
        var session: PromptSession
        if let resume {
            let summary = try file.interview(resume)
            guard summary.formId == form.formId else {
                throw ValidationError("interview \(summary.id) is of form \(summary.formId), not \(form.formId)")
            }
            guard summary.status == InterviewStatus.draft.rawValue || summary.status == InterviewStatus.rejected.rawValue else {
                throw ValidationError("interview \(summary.id) is \(summary.status); only drafts and rejected interviews can be resumed (use canvass edit)")
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
            try session.start()
        }
        if let quota, quota.form == nil || quota.form == form.formId {
            session.quota = (quota, try QuotaCommand.count(quota, files: [db], excluding: session.interview))
            session.warnIfCellFull()
        }
        let outcome = try session.run(input: LineInput())
        switch outcome {
        case .completed: return
        case .saved: return
        case .invalid: throw ExitCode(1)
        }
    }
}

/// Where answers come from: the terminal (with prompts and line editing) or a pipe (one answer per line).
struct LineInput {
    let interactive = isatty(STDIN_FILENO) == 1

    func read(prompt: String) -> String? {
        guard interactive else { return readLine(strippingNewline: true) }
        if let editor = LineEditor.shared { return editor.read(prompt: prompt) }
        FileHandle.standardOutput.write(Data(prompt.utf8))
        return readLine(strippingNewline: true)
    }
}
