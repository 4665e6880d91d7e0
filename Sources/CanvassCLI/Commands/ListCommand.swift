import ArgumentParser
import CanvassCore
import CanvassStore

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the interviews in a data file.",
        discussion: """
            Examples:
              canvass list hanoi.canvass
              canvass list hanoi.canvass --status draft
              canvass list hanoi.canvass --json
            """
    )

    @Argument(help: "The data file.")
    var file: String

    @Option(help: "Only interviews with this status (draft, completed, approved, rejected, discarded).")
    var status: InterviewStatus?

    @Flag(help: "Print the interviews as JSON.")
    var json = false

    func run() throws {
        let data = try Stores.open(file, mode: .readOnly, environment: CLIEnvironment.store)
        let interviews = try data.interviews(status: status?.rawValue)
        if json {
            Output.printJSON(interviews)
            return
        }
        let rows = interviews.map { [$0.id, $0.key ?? "-", "\($0.formId) \($0.formVersion)", $0.status, $0.surveyor, $0.updated] }
        Output.print(Table.render(header: ["id", "key", "form", "status", "surveyor", "updated"], rows: rows))
        Output.print("\(interviews.count) interviews")
    }
}

extension InterviewStatus: ExpressibleByArgument {}
