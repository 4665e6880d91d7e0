import ArgumentParser
import CanvassCore
import CanvassStore
import Foundation

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "The day's dashboard: interviews by status, surveyor and day; open conflicts, duplicates and findings.",
        discussion: """
            Over several files (laptops' files before a merge, or with the merged file), an interview in more
            than one counts once, as its latest state; duplicates are looked for across all of them. Days are
            the local date each interview was started (TZ, as ODK Collect's today()): an interview started
            at 06:30 in Vietnam (UTC+7) counts on that day, not the day before. Exit 1 when there are open conflicts, duplicates or
            invalid interviews, so a script can tell a clean day from one that needs work.

            Examples:
              canvass status district.canvass
              canvass status team/*.canvass --json
            """
    )

    @Argument(help: "Data files.")
    var files: [String]

    @Option(help: "Minimum plausible interview length in seconds, for the speed check (as validate).")
    var minDuration: Int = 120

    @Flag(help: "Print the dashboard as JSON.")
    var json = false

    struct Dashboard: Encodable {
        var interviews = 0
        var statuses: [String: Int] = [:]
        var surveyors: [Row] = []
        var days: [Row] = []
        /// Interviews with a field in conflict.
        var conflicts = 0
        var duplicateGroups = 0
        var invalid = 0
        var findings: [String: Int] = [:]
        /// Files whose -wal could not be read: their newest answers are not counted.
        var warnings: [String] = []

        /// A surveyor's or a day's interviews by status.
        struct Row: Encodable {
            var name: String
            var total: Int
            var statuses: [String: Int]
        }

        enum CodingKeys: String, CodingKey {
            case interviews, statuses, surveyors, days, conflicts, invalid, findings, warnings
            case duplicateGroups = "duplicate_groups"
        }
    }

    func run() throws {
        // Each interview once, as its latest copy; conflicts and findings are those of that copy.
        var latest: [String: (summary: InterviewSummary, file: Int)] = [:]
        var dashboard = Dashboard()
        var conflicted: [Int: Set<String>] = [:], findings: [Int: [String: [Finding]]] = [:]
        for (index, path) in files.enumerated() {
            let data = try Stores.open(path, mode: .readOnly, environment: CLIEnvironment.store)
            if let warning = data.openWarning { dashboard.warnings.append("\(path): \(warning)") }
            for interview in try data.interviews() where (latest[interview.id]?.summary.updated ?? "") <= interview.updated {
                latest[interview.id] = (interview, index)
            }
            conflicted[index] = Set(try data.conflicts().map(\.interview))
            for found in try ValidateCommand.check(path, minDuration: minDuration, language: nil) {
                if let id = found.first?.interview { findings[index, default: [:]][id] = found }
            }
        }
        for (id, copy) in latest where copy.summary.status != InterviewStatus.discarded.rawValue {
            if conflicted[copy.file]?.contains(id) == true { dashboard.conflicts += 1 }
            let found = findings[copy.file]?[id] ?? []
            for finding in found { dashboard.findings["\(finding.severity.rawValue) \(finding.code)", default: 0] += 1 }
            if found.hasErrors { dashboard.invalid += 1 }
        }
        let interviews = latest.values.map(\.summary).sorted { $0.id < $1.id }
        dashboard.interviews = interviews.count
        for interview in interviews { dashboard.statuses[interview.status, default: 0] += 1 }
        dashboard.surveyors = rows(interviews, by: \.surveyor)
        let zone = CLIEnvironment.timeZone
        dashboard.days = rows(interviews) { CLIEnvironment.localDay($0.created, in: zone) }
        let keyed = Dictionary(grouping: interviews.filter { $0.key != nil && $0.status != InterviewStatus.discarded.rawValue }) {
            "\($0.formId)\u{1F}\($0.key!)"
        }
        dashboard.duplicateGroups = keyed.values.filter { $0.count > 1 }.count
        if json {
            Output.printJSON(dashboard)
        } else {
            for warning in dashboard.warnings { Output.error("warning: \(warning)") }
            Output.print(text(dashboard))
        }
        if dashboard.conflicts > 0 || dashboard.duplicateGroups > 0 || dashboard.invalid > 0 { throw ExitCode(1) }
    }

    func rows(_ interviews: [InterviewSummary], by name: (InterviewSummary) -> String) -> [Dashboard.Row] {
        Dictionary(grouping: interviews, by: name).map { name, group in
            Dashboard.Row(name: name, total: group.count, statuses: Dictionary(grouping: group, by: \.status).mapValues(\.count))
        }.sorted { $0.name < $1.name }
    }

    func text(_ dashboard: Dashboard) -> String {
        let statuses = InterviewStatus.allCases.map(\.rawValue)
        func table(_ title: String, _ rows: [Dashboard.Row]) -> String {
            Table.render(header: [title, "total"] + statuses,
                         rows: rows.map { row in [row.name, String(row.total)] + statuses.map { String(row.statuses[$0] ?? 0) } })
        }
        var lines = ["\(dashboard.interviews) interviews: " + statuses.compactMap { status in
            dashboard.statuses[status].map { "\($0) \(status)" }
        }.joined(separator: ", ")]
        lines += ["", table("surveyor", dashboard.surveyors), "", table("day", dashboard.days), ""]
        func flag(_ count: Int, _ text: String, _ fix: String) -> String {
            count == 0 ? "\(Output.styled("ok", .green))  no \(text)" : "\(Output.styled("!!", .red))  \(count) \(text) (\(fix))"
        }
        lines.append(flag(dashboard.conflicts, "interviews with open conflicts", "canvass conflicts"))
        lines.append(flag(dashboard.duplicateGroups, "duplicate groups", "canvass duplicates"))
        lines.append(flag(dashboard.invalid, "invalid interviews", "canvass validate"))
        for (code, count) in dashboard.findings.sorted(by: { $0.key < $1.key }) { lines.append("    \(count) \(code)") }
        return lines.joined(separator: "\n")
    }
}
