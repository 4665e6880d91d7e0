import ArgumentParser
import CanvassCore
import Foundation
import Yams

struct FormImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Convert an XLSForm (.xlsx, as written for ODK, Kobo or SurveyCTO) to a Canvass YAML form.",
        discussion: """
            Nothing is lost: reading the YAML back gives the same form (the same sha256 in form show --json).
            Problems are reported with the sheet, row and column; exit 1 if the form has errors.

            Examples:
              canvass form import survey.xlsx -o forms/survey.yaml
              canvass form import survey.xlsx | less
            """
    )

    @Argument(help: "The XLSForm (.xlsx).")
    var form: String

    @Option(name: .shortAndLong, help: "The YAML file to write (standard output when absent).")
    var output: String?

    @Flag(help: "Print the result as JSON.")
    var json = false

    func validate() throws {
        if !XLSForm.isWorkbook(form) { throw ValidationError("'\(form)' is not an .xlsx XLSForm") }
        if json && output == nil { throw ValidationError("--json reports on the file written: give -o FILE.yaml") }
    }

    func run() throws {
        let (form, findings) = try FormFile.loadChecked(self.form, check: true)
        for finding in findings { Output.error(render(finding)) }
        if findings.hasErrors { throw ExitCode(1) }
        let yaml = FormYAML.write(form)
        if let output {
            guard FileManager.default.createFile(atPath: output, contents: Data(yaml.utf8)) else {
                throw ValidationError("cannot write \(output)")
            }
            Output.result("wrote \(output): \(form.formId) version \(form.version), \(form.fields.count) fields", json: json, [
                "file": .string(output), "form_id": .string(form.formId), "version": .string(form.version),
                "fields": .number(Double(form.fields.count)), "sha256": .string(form.sha256),
            ])
        } else {
            Output.print(yaml)
        }
    }
}
