import ArgumentParser
import CanvassCore

struct FormCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check forms: names, types, choice lists, expressions, references, cycles, indices.",
        discussion: """
            Exit 0 when every form is valid (warnings allowed), 1 when any is not.

            Examples:
              canvass form check forms/*.yaml
              canvass form check forms/household.yaml --json
              canvass form check survey.xlsx
            """
    )

    @Argument(help: "Form files (.yaml, or .xlsx XLSForms).")
    var forms: [String]

    @Flag(help: "Print the findings as JSON.")
    var json = false

    struct Report: Encodable {
        var file: String
        var formId: String?
        var version: String?
        var valid: Bool
        var findings: [Finding]

        enum CodingKeys: String, CodingKey {
            case file, formId = "form_id", version, valid, findings
        }
    }

    func run() throws {
        var reports: [Report] = []
        for path in forms {
            do {
                let (form, findings) = try FormFile.loadChecked(path, check: true)
                reports.append(Report(file: path, formId: form.formId, version: form.version, valid: !findings.hasErrors, findings: findings))
            } catch let error as FormError {
                reports.append(Report(file: path, valid: false, findings: [Finding(.error, "unreadable", error.description)]))
            }
        }
        if json {
            Output.printJSON(reports)
        } else {
            for report in reports {
                for finding in report.findings {
                    let severity = finding.severity == .error ? Output.styled("error", .red) : Output.styled("warning", .yellow)
                    let field = finding.field.map { " [\($0)]" } ?? ""
                    let message = finding.code == "unreadable" ? finding.message : "\(report.file):\(field) \(finding.message)"
                    Output.print("\(severity): \(message)")
                }
                let verdict = report.valid ? Output.styled("ok", .green) : Output.styled("invalid", .red)
                let counts = report.findings.isEmpty ? "" : " (\(report.findings.filter { $0.severity == .error }.count) errors, \(report.findings.filter { $0.severity == .warning }.count) warnings)"
                Output.print("\(report.file): \(verdict)\(counts)")
            }
        }
        if reports.contains(where: { !$0.valid }) { throw ExitCode(1) }
    }
}
