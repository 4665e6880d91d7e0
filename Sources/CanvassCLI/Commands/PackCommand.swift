import ArgumentParser
import CanvassStore
import Foundation

struct PackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pack",
        abstract: "Write one consistent, checked, private file to hand over (USB stick, shared folder).",
        discussion: """
            A data file being written keeps its newest answers in FILE-wal for a moment, and people
            copy the file, not its -wal. pack writes everything FILE holds now, -wal included, as a
            single file: checked as a merge checks a source, readable only by you (0600), synced to
            disk, and moved into place only when whole. OUTPUT is never overwritten. A packed file
            merges like its original; if anyone writes to it, it takes a new origin first.

            Examples:
              canvass pack lan.canvass -o /media/usb/lan-2026-12-04.canvass
              canvass pack district.canvass -o shared/district.canvass --json
            """
    )

    @Argument(help: "The data file to pack.")
    var file: String

    @Option(name: .shortAndLong, help: "The file to write (must not exist).")
    var output: String

    @Flag(help: "Print the result as JSON.")
    var json = false

    func run() throws {
        let data = try DataFile(path: file, mode: .readOnly, environment: CLIEnvironment.store)
        if data.walUnread {
            Output.error("warning: \(file)'s -wal could not be read here, so its newest answers are not packed; pack it where it was written")
        }
        let temporary = TemporaryName.make(for: URL(fileURLWithPath: output), kind: "packing")
        let report = try data.pack(to: output, via: temporary.path)
        if json {
            Output.printJSON(report)
        } else {
            Output.print("packed \(file) into \(output): \(report.interviews) interviews, \(report.revisions) revisions, \(report.bytes) bytes, sha256 \(report.sha256.prefix(12))")
        }
    }
}
