import ArgumentParser
import CanvassCore
import CanvassStore
import Foundation

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "The satisfaction index per unit and overall: criteria, elements, index, rank.",
        discussion: """
            A criterion's index is the percent of its valid answers (answers that are one of its choices) that
            are satisfied (the index's `satisfied` answers, 4 and 5 for SIPAS); an element's is the mean of its
            criteria; the index is the mean of its elements. Groups (--by) are ranked on the index; equal values
            share a rank. Only completed and approved interviews count, never drafts, rejected or discarded ones;
            a field in conflict counts as unanswered until it is resolved. The other select questions come as
            percentage tables.

            Examples:
              canvass report district.canvass --index sipas --by unit
              canvass report district.canvass --index sipas --by unit --html sipas.html --target 85 --lang vi
              canvass report district.canvass --index sipas --by unit --csv sipas.csv --json
            """
    )

    @Argument(help: "The data file.")
    var file: String

    @Option(help: "The index, as named in the form's `indices` (e.g. sipas).")
    var index: String

    @Option(help: "A field to group and rank by (e.g. unit).")
    var by: String?

    @Option(help: "The form id, when several forms in the file define the index.")
    var form: String?

    @Option(help: "Target index in percent: the line on the charts (SIPAS plans set 80-90).")
    var target: Double = 80

    @Option(help: "Language of labels (default: the form's).")
    var lang: String?

    @Option(help: "Also write the report as one self-contained HTML page with charts.")
    var html: String?

    @Option(help: "Also write one row per group (index, elements, criteria) as CSV.")
    var csv: String?

    @Flag(help: "Print the report as JSON.")
    var json = false

    func run() throws {
        let data = try Stores.open(file, mode: .readOnly, environment: CLIEnvironment.store)
        let definition = try chooseForm(try data.forms())
        var tally: IndexTally
        do {
            tally = try IndexTally(form: definition, index: index, by: by, language: lang)
        } catch {
            throw ValidationError("\(file): \(error)")
        }
        // A calculated grouping field (e.g. a district derived from the unit) needs the calculations.
        let engines = by.flatMap { definition.entry(named: $0)?.entry.kind } == .calculate ? try FormEngines(data) : nil
        let counted: Set<String> = [InterviewStatus.completed.rawValue, InterviewStatus.approved.rawValue]
        try data.forEachInterview(showing: "counting") { interview, state in
            guard interview.formId == definition.formId, counted.contains(interview.status) else { return }
            tally.add(try engines?.engine(sha256: interview.form).recalculated(state.answers) ?? state.answers)
        }
        let report = tally.report()
        if let html {
            let language = lang ?? definition.defaultLanguage ?? "en"
            let title = report.label ?? report.index
            let subtitle = "\(definition.title?.text(in: language) ?? definition.formId) · \(file)"
            try write(ReportHTML.render(report, texts: .init(title: title, subtitle: subtitle, language: language), target: target), to: html)
        }
        if let csv { try write(csvText(report), to: csv) }
        if json {
            Output.printJSON(report)
        } else {
            Output.print(text(report))
        }
    }

    func chooseForm(_ forms: [Form]) throws -> Form {
        let defining = forms.filter { form in
            form.indices.contains { $0.name == index } && (self.form == nil || form.formId == self.form)
        }
        let ids = Set(defining.map(\.formId))
        guard let newest = defining.last else {
            let known = Set(forms.flatMap { $0.indices.map(\.name) }).sorted()
            throw ValidationError("\(file): no form defines the index '\(index)'"
                + (known.isEmpty ? "; its forms define no index" : "; the indices are: \(known.joined(separator: ", "))"))
        }
        if ids.count > 1 { throw ValidationError("\(file): the forms \(ids.sorted().joined(separator: ", ")) all define '\(index)'; choose one with --form") }
        return newest
    }

    func write(_ text: String, to path: String) throws {
        let sink = try ExportSink(path: path)
        try sink.write(Array(text.utf8))
        try sink.close()
    }

    func rows(_ report: IndexReport) -> [IndexReport.Group] {
        report.groups.sorted { ($0.rank ?? Int.max, $0.group) < ($1.rank ?? Int.max, $1.group) } + [report.overall]
    }

    func text(_ report: IndexReport) -> String {
        let percent = ReportHTML.percent
        var lines = ["\(report.label ?? report.index) (\(report.index)): \(percent(report.overall.value)), "
            + "\(report.overall.respondents) respondents, target \(percent(target))"]
        let header = ["rank", by ?? "group", "respondents"] + report.overall.elements.map(\.name) + [report.index]
        let table = rows(report).map { group in
            [group.rank.map(String.init) ?? "", group.group == "overall" && group.rank == nil ? "overall" : group.label ?? group.group,
             String(group.respondents)] + group.elements.map { percent($0.value) } + [percent(group.value)]
        }
        lines.append("")
        lines.append(Table.render(header: header, rows: table))
        lines.append("")
        var criteria: [[String]] = []
        for element in report.overall.elements {
            for question in element.questions {
                criteria.append([element.name, question.name, String(question.valid), percent(question.value), question.label ?? ""])
            }
        }
        lines.append(Table.render(header: ["element", "criterion", "valid", "satisfied", "label"], rows: criteria))
        return lines.joined(separator: "\n")
    }

    func csvText(_ report: IndexReport) -> String {
        let elements = report.overall.elements
        let questions = elements.flatMap(\.questions)
        var text = CSV.line(["group", "label", "respondents", "rank", report.index] + elements.map(\.name) + questions.map(\.name))
        func number(_ value: Double?) -> String { value.map { String(format: "%.2f", $0) } ?? "" }
        for group in rows(report) {
            text += CSV.line([group.group, group.label ?? "", String(group.respondents), group.rank.map(String.init) ?? "", number(group.value)]
                + group.elements.map { number($0.value) } + group.elements.flatMap(\.questions).map { number($0.value) })
        }
        return text
    }
}
