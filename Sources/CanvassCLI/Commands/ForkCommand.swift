import ArgumentParser
import CanvassStore

struct ForkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fork",
        abstract: "Give a file a new origin; with --against, rename the revisions it diverged in.",
        discussion: """
            Each file writes its revisions under its own origin. A copy, a restored backup or a
            cloned disk finds itself out and takes a new origin on its own before it writes. What
            it cannot see (a virtual machine rolled back, a file edited by hand) shows at merge:
            "diverged", the same revision names for different revisions, refused by name.

            --against OTHER is the way out of a divergence, and loses nothing: FILE's revisions
            that differ from OTHER's under the same names are renamed under a new origin, and FILE
            writes under a new one from then on. Then merge as usual; where both changed a field,
            it is a conflict to resolve. Fork the copy, not the original. Every file that holds
            the copy's revisions needs the same fork; forked against the same original, they
            rename them alike, and still merge.

            Without --against, FILE simply takes a new origin now: before a disk image is made,
            say, or for a copy you know of.

            Examples:
              canvass fork lan-old-laptop.canvass --against district.canvass
              canvass fork lan.canvass --against postgres://hoa@db.tinh.vn/sipas
              canvass fork image/lan.canvass --reason "before cloning the team's laptops"
            """
    )

    @Argument(help: "The data file to fork.")
    var file: String

    @Option(help: "The file or server URL FILE diverged from: rename FILE's revisions that differ from its.")
    var against: String?

    @Option(help: "Why, recorded with the fork (without --against).")
    var reason = "forked by hand"

    @Flag(help: "Print the result as JSON.")
    var json = false

    struct Report: Encodable {
        var file: String
        var forks: [Fork]
        var origin: String
    }

    func run() throws {
        let data = try DataFile(path: file, mode: .readWrite, environment: CLIEnvironment.store)
        let forks: [Fork]
        if let against {
            forks = try data.fork(against: against)
        } else {
            let previous = data.id
            let origin = try data.fork(reason: reason)
            forks = [Fork(origin: origin, previous: previous, reason: reason, time: "", path: file, host: "")]
        }
        if json {
            Output.printJSON(Report(file: file, forks: forks, origin: data.id))
            return
        }
        if forks.isEmpty, let against {
            Output.print("\(file) and \(against) agree on every revision they both name; nothing to fork")
            return
        }
        for fork in forks {
            if let first = fork.first, let last = fork.last {
                Output.print("\(file): renamed \(fork.previous):\(first)-\(last) as \(fork.origin):1-\(last - first + 1)")
            }
        }
        Output.print("\(file) now writes as \(data.id)" + (against == nil ? " (was \(forks[0].previous))" : "; merge it again"))
    }
}
