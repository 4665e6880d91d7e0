import ArgumentParser
import CanvassCore
import Foundation

struct FormExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a form as an XLSForm (.xlsx) that pyxform, ODK and Kobo accept.",
        discussion: """
            Examples:
              canvass form export forms/sipas-2017.yaml -o sipas-2017.xlsx
            """
    )

    @Argument(help: "The form (.yaml or .xlsx).")
    var form: String

    @Option(name: .shortAndLong, help: "The .xlsx file to write.")
    var output: String

    @Flag(help: "Print the result as JSON.")
    var json = false

    func validate() throws {
        if !XLSForm.isWorkbook(output) { throw ValidationError("-o must name an .xlsx file") }
    }

    func run() throws {
        let form = try FormFile.loadChecked(self.form)
        let data = try XLSForm.write(form)
        guard FileManager.default.createFile(atPath: output, contents: data) else {
            throw ValidationError("cannot write \(output)")
        }
        Output.result("wrote \(output): \(form.formId) version \(form.version), \(form.fields.count) fields", json: json, [
            "file": .string(output), "form_id": .string(form.formId), "version": .string(form.version),
            "fields": .number(Double(form.fields.count)), "sha256": .string(form.sha256),
        ])
    }
}
