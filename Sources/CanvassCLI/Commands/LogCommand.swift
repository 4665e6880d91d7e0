import ArgumentParser
import CanvassStore

struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Show a file's provenance: every merge into it, and every new origin a file took (a fork).",
        discussion: """
            A merge lists its source's id, path, SHA-256, time and counts. A fork lists the origin a
            file took and why: it was copied, restored from a backup, written on another machine,
            forked by hand, or its diverged revisions were renamed (canvass fork --against). Forks
            of the files merged in are listed too.

            Examples:
              canvass log district.canvass
              canvass log district.canvass --json
            """
    )

    @Argument(help: "The data file.")
    var file: String

    @Flag(help: "Print the log as JSON: {merges, forks}.")
    var json = false

    struct Log: Encodable {
        var merges: [MergeLogEntry]
        var forks: [Fork]
    }

    func run() throws {
        let data = try Stores.open(file, mode: .readOnly, environment: CLIEnvironment.store)
        let log = Log(merges: try data.mergeLog(), forks: try data.forks())
        if json {
            Output.printJSON(log)
            return
        }
        let rows = log.merges.map { [$0.time, $0.path, String($0.sha256.prefix(12)), $0.sourceID, "\($0.newInterviews)", "\($0.newRevisions)", "\($0.changedInterviews)"] }
        Output.print(Table.render(header: ["time", "source", "sha256", "file id", "interviews", "revisions", "changed"], rows: rows))
        Output.print("\(log.merges.count) merges")
        guard !log.forks.isEmpty else { return }
        let forks = log.forks.map { fork in
            let renamed = fork.first.map { first in "\(fork.previous):\(first)-\(fork.last ?? first)" } ?? fork.previous
            return [fork.time, fork.path, fork.origin, renamed, fork.reason]
        }
        Output.print("")
        Output.print(Table.render(header: ["time", "file", "new origin", "from", "why"], rows: forks))
        Output.print("\(log.forks.count) forks")
    }
}
