import ArgumentParser
import CanvassCore
import CanvassStore

struct DiscardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "discard",
        abstract: "Discard an interview (a status, never a deletion): it leaves reports and exports, stays in the file.",
        discussion: """
            Examples:
              canvass discard district.canvass 9b1c --reason "trùng phiếu số 125, giữ bản của Lan" --as hoa
            """
    )

    @Argument(help: "The data file.")
    var file: String

    @Argument(help: "The interview id (or its unambiguous start).")
    var id: String

    @Option(help: "Why it is discarded (kept as a note).")
    var reason: String

    @OptionGroup var who: AuthorOptions

    @Flag(help: "Print the result as JSON.")
    var json = false

    func validate() throws {
        if reason.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--reason must say why") }
    }

    func run() throws {
        let data = try Stores.open(file, mode: .readWrite, environment: CLIEnvironment.store)
        let summary = try data.interview(id)
        try data.write(touching: [summary.id]) { writer in
            try writer.setStatus(.discarded, interview: summary.id, author: who.author, device: who.deviceID, note: reason)
        }
        Output.result("\(summary.id): discarded", json: json, ["interview": .string(summary.id), "status": .string("discarded")])
    }
}
