import ArgumentParser
import CanvassStore

struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Show what was merged into a file: each source's id, path, SHA-256, time and counts.",
        discussion: """
            Examples:
              canvass log district.canvass
              canvass log district.canvass --json
            """
    )

    @Argument(help: "The data file.")
    var file: String

    @Flag(help: "Print the log as JSON.")
    var json = false

    func run() throws {
        let data = try DataFile(path: file, mode: .readOnly, environment: CLIEnvironment.store)
        let log = try data.mergeLog()
        if json {
            Output.printJSON(log)
            return
        }
        let rows = log.map { [$0.time, $0.path, String($0.sha256.prefix(12)), $0.sourceID, "\($0.newInterviews)", "\($0.newRevisions)", "\($0.changedInterviews)"] }
        Output.print(Table.render(header: ["time", "source", "sha256", "file id", "interviews", "revisions", "changed"], rows: rows))
        Output.print("\(log.count) merges")
    }
}
