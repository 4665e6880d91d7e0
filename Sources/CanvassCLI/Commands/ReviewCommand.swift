import ArgumentParser
import CanvassCore
import CanvassStore

struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Approve or reject an interview, with a note for the surveyor.",
        discussion: """
            Approving needs a valid interview with no conflicts. A rejected interview goes back to the
            surveyor, who fixes it and completes it again.

            Examples:
              canvass review hanoi.canvass 3f2a approve --as hoa
              canvass review hanoi.canvass 3f2a reject --as hoa --note "thiếu câu e3_2, hỏi lại"
            """
    )

    enum Decision: String, ExpressibleByArgument, CaseIterable {
        case approve, reject
    }

    @Argument(help: "The data file.")
    var file: String

    @Argument(help: "The interview id (or its unambiguous start).")
    var id: String

    @Argument(help: "approve or reject.")
    var decision: Decision

    @OptionGroup var who: AuthorOptions

    @Option(help: "A note for the surveyor.")
    var note: String?

    @Flag(help: "Print the result as JSON.")
    var json = false

    func run() throws {
        let data = try Stores.open(file, mode: .readWrite, environment: CLIEnvironment.store)
        let summary = try data.interview(id)
        if decision == .approve {
            let engine = try FormEngines(data).engine(sha256: summary.form)
            let state = try data.state(summary.id)
            let errors = engine.validate(state.answers).filter { $0.severity == .error }
            guard errors.isEmpty, state.conflicts.isEmpty else {
                for finding in errors { Output.error(render(finding)) }
                if !state.conflicts.isEmpty { Output.error("in conflict: \(state.conflicts.joined(separator: ", ")); resolve them first") }
                Output.error("\(summary.id) was not approved: it is not valid; reject it with a note instead")
                throw ExitCode(1)
            }
        }
        let status: InterviewStatus = decision == .approve ? .approved : .rejected
        try data.write(touching: [summary.id]) { writer in
            try writer.setStatus(status, interview: summary.id, author: who.author, device: who.deviceID, note: note)
        }
        Output.result("\(summary.id): \(status.rawValue)", json: json, ["interview": .string(summary.id), "status": .string(status.rawValue)])
    }
}
