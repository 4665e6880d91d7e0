import ArgumentParser
import CanvassCore
import CanvassStore

struct ConflictsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conflicts",
        abstract: "List fields changed on two sides without either seeing the other, with every value.",
        discussion: """
            Also lists approved interviews whose answers changed since the approval (field _status).
            Resolve with canvass resolve. Exit 1 if there are any.

            Examples:
              canvass conflicts district.canvass
              canvass conflicts district.canvass --json
            """
    )

    @Argument(help: "The data file.")
    var file: String

    @Flag(help: "Print the conflicts as JSON.")
    var json = false

    func run() throws {
        let data = try Stores.open(file, mode: .readOnly, environment: CLIEnvironment.store)
        let conflicts = try data.conflicts()
        if json {
            Output.printJSON(conflicts)
        } else {
            for conflict in conflicts {
                Output.print(Output.styled("\(conflict.interview) \(conflict.field)", .bold))
                for side in conflict.values {
                    Output.print("  \(side.value ?? "(cleared)")  by \(side.author) on \(side.device) at \(side.time), from \(side.source)  [\(side.revision)]")
                }
            }
            Output.print("\(conflicts.count) conflicts" + (conflicts.isEmpty ? "" : "; resolve with canvass resolve \(file) ID FIELD --keep REVISION --as YOU"))
        }
        if !conflicts.isEmpty { throw ExitCode(1) }
    }
}
