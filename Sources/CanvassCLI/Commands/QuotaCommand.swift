import ArgumentParser
import CanvassCore
import CanvassStore
import Foundation

struct QuotaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quota",
        abstract: "How full each cell of the sampling plan is: completed, drafts, remaining, overshoot.",
        discussion: """
            The plan (YAML) lists cells, each an expression over the answers with a target and, optionally, each
            surveyor's share:

              form: sipas_2017
              cells:
                - name: Sở Tư pháp
                  filter: "${unit} = 'stp'"
                  target: 150
                  allocations: {lan: 75, minh: 75}

            Completed counts completed and approved interviews; rejected and discarded ones count nowhere. An
            interview in several files (a laptop's file and the merged one) counts once, as its latest state.
            Give the plan to `interview --plan` too, and the prompt warns when an interview falls in a full cell.

            Examples:
              canvass quota district.canvass --plan plan.yaml
              canvass quota team/*.canvass --plan plan.yaml --by surveyor
              canvass quota lan.canvass --plan plan.yaml --json
            """
    )

    @Argument(help: "Data files.")
    var files: [String]

    @Option(help: "The plan: cells with filters, targets and allocations.")
    var plan: String

    @Option(help: "Break each cell down by: surveyor.")
    var by: Breakdown?

    @Flag(help: "Print the counts as JSON.")
    var json = false

    enum Breakdown: String, ExpressibleByArgument, CaseIterable { case surveyor }

    func run() throws {
        let plan = try Self.loadPlan(plan)
        let counts = try Self.count(plan, files: files)
        if json {
            Output.printJSON(counts)
            return
        }
        var rows: [[String]] = []
        for cell in counts {
            rows.append([cell.name, bar(cell.completed, cell.target), "\(cell.completed)/\(cell.target)", String(cell.approved),
                         String(cell.drafts), String(cell.remaining), cell.overshoot > 0 ? "+\(cell.overshoot)" : ""])
            guard by == .surveyor else { continue }
            for share in cell.surveyors {
                let target = share.target.map(String.init) ?? "–"
                rows.append(["  \(share.surveyor)", share.target.map { bar(share.completed, $0) } ?? "", "\(share.completed)/\(target)", "",
                             String(share.drafts), share.remaining.map(String.init) ?? "", ""])
            }
        }
        Output.print(Table.render(header: ["cell", "progress", "completed", "approved", "drafts", "remaining", "over"], rows: rows))
        let total = counts.reduce(0) { $0 + $1.target }, done = counts.reduce(0) { $0 + min($1.completed, $1.target) }
        Output.print("\(done) of \(total) planned interviews done; \(counts.filter { $0.remaining == 0 }.count) of \(counts.count) cells full")
    }

    static func loadPlan(_ path: String) throws -> QuotaPlan {
        guard let text = String(data: try FormFile.read(path), encoding: .utf8) else {
            throw FormError(file: path, message: "the plan is not UTF-8 text; save it as UTF-8")
        }
        return try QuotaPlan.load(yaml: text, file: path)
    }

    /// Counts interviews of all files into the plan's cells, each interview once, at its latest update.
    static func count(_ plan: QuotaPlan, files: [String], excluding: String? = nil) throws -> [QuotaCount] {
        var latest: [String: (updated: String, status: InterviewStatus, surveyor: String, cells: [Int])] = [:]
        for path in files {
            let data = try Stores.open(path, mode: .readOnly, environment: CLIEnvironment.store)
            let engines = try FormEngines(data)
            var checked = Set<String>()
            try data.forEachInterview(showing: "counting \(path)") { interview, state in
                guard plan.form == nil || plan.form == interview.formId, interview.id != excluding,
                      let status = InterviewStatus(rawValue: interview.status),
                      (latest[interview.id]?.updated ?? "") <= interview.updated
                else { return }
                let engine = try engines.engine(sha256: interview.form)
                if checked.insert(interview.form).inserted, let problem = plan.problems(with: engine.form).first {
                    throw ValidationError("\(path): \(problem)")
                }
                let answers = engine.recalculated(state.answers)
                let cells = plan.cells.indices.filter { (try? engine.evaluate(plan.cells[$0].filter, answers).boolean) ?? false }
                latest[interview.id] = (interview.updated, status, interview.surveyor, cells)
            }
        }
        var counts = plan.cells.map(QuotaCount.init)
        for interview in latest.values {
            for cell in interview.cells { counts[cell].add(status: interview.status, surveyor: interview.surveyor) }
        }
        return counts
    }

    func bar(_ done: Int, _ target: Int, width: Int = 20) -> String {
        let filled = target == 0 ? width : min(width, done * width / target)
        return String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
    }
}
