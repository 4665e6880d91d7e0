import ArgumentParser
import CanvassCore
import CanvassStore
import Foundation

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge surveyors' files into one: nothing lost, conflicts and duplicates reported.",
        discussion: """
            TARGET is created when absent. Each source is checked whole (read-only, defensive SQLite,
            quick_check, schema, forms, every value against its form) before it is written: a
            refused source names the file and why, leaves TARGET untouched, and the rest still merge.
            A source's line is printed once it is committed; a merge stopped at any moment leaves
            TARGET as after a whole number of sources. Merging a file twice changes nothing; the
            order of merges does not change the result (of two files that diverged, the one merged
            second is the one refused). Exit 1 if any source was refused.

            Names are never trusted alone: a source that gives one revision name (origin and
            counter) to a revision other than TARGET's has diverged (a copy that kept writing as
            its original). It is refused by name, with the command that renames its own revisions
            (canvass fork SOURCE --against TARGET), after which it merges with nothing lost.
            A source whose -wal cannot be read beside it is merged without it, with a warning.

            A PostgreSQL server (postgres://…) as TARGET takes a push of the files; as a source, it
            is pulled into TARGET, whole or a slice (?where=province=hn). See docs/server.md.

            Examples:
              canvass merge district.canvass team/*.canvass
              canvass merge district.canvass lan.canvass --dry-run
              canvass merge province.canvass district-*.canvass --json
              canvass merge postgres://hoa@db.tinh.vn/sipas lan.canvass minh.canvass
              canvass merge hn.canvass 'postgres://hoa@db.tinh.vn/sipas?where=province=hn'
            """
    )

    @Argument(help: "The file to merge into (created when absent), or a server URL to push to.")
    var target: String

    @Argument(help: "Files to merge in, or a server URL to pull from.")
    var sources: [String]

    @Flag(help: "Check and count, but change nothing.")
    var dryRun = false

    @Flag(help: "Print the report as JSON.")
    var json = false

    struct Totals: Encodable {
        var conflicts: Int
        var duplicateGroups: Int
        enum CodingKeys: String, CodingKey { case conflicts, duplicateGroups = "duplicate_groups" }
    }

    struct Report: Encodable {
        var target: String
        var dryRun: Bool
        var sources: [MergeReport]
        var totals: Totals?
        enum CodingKeys: String, CodingKey { case target, sources, totals, dryRun = "dry_run" }
    }

    func run() throws {
        let file = try Stores.open(target, mode: .create, environment: CLIEnvironment.store)
        let progress = Progress(total: sources.count, label: "merging")
        progress.update(0, detail: sources.first ?? "")
        let reports = file.merge(sources: sources, dryRun: dryRun) { index, report in
            if !json {
                Output.print(line(report))
                for warning in report.warnings { Output.print(Output.styled("  warning: ", .yellow) + warning) }
            }
            progress.update(index + 1, detail: index + 1 < sources.count ? sources[index + 1] : "")
        }
        progress.finish()
        // A server role that may push but not read answers (canvass_push) gets no totals.
        let readable = try file.canRead()
        let totals = readable ? Totals(conflicts: try file.conflicts().count, duplicateGroups: try file.duplicates().count) : nil
        if json {
            Output.printJSON(Report(target: target, dryRun: dryRun, sources: reports, totals: totals))
        } else {
            let merged = reports.filter { $0.outcome == .merged }.count
            let refused = reports.filter { $0.outcome == .refused }.count
            Output.print("\(dryRun ? "would merge" : "merged") \(merged), already merged \(reports.count - merged - refused), refused \(refused)"
                + (totals.map { "; open conflicts \($0.conflicts), duplicate groups \($0.duplicateGroups)" } ?? ""))
        }
        if reports.contains(where: { $0.outcome == .refused }) { throw ExitCode(1) }
    }

    func line(_ report: MergeReport) -> String {
        switch report.outcome {
        case .merged:
            return "\(report.path): merged: \(report.newInterviews) new interviews, \(report.newRevisions) new revisions, \(report.changedInterviews) interviews changed"
        case .alreadyMerged:
            return "\(report.path): already merged"
        case .refused:
            return Output.styled("\(report.path): refused: ", .red) + (report.reason ?? "")
        }
    }
}
