import Foundation

/// A form read from an XLSForm, with what the import noticed.
public struct XLSFormImport: Sendable {
    public var form: Form
    /// The import's warnings (columns not kept, values filled in), then FormChecker's findings, each
    /// message starting with its place in the workbook: "survey row 12, column relevant: ...".
    public var findings: [Finding]

    public init(form: Form, findings: [Finding]) {
        self.form = form
        self.findings = findings
    }
}

/// XLSForm interop: `.xlsx` workbooks with survey, choices and settings sheets (and Canvass's indices).
///
/// `read` and `load` accept what pyxform (ODK's reference converter) accepts and refuse, with the
/// sheet, row and column, what it refuses; `write` gives a workbook pyxform converts.
public enum XLSForm {
    /// True for file names an XLSForm is read from (`.xlsx`).
    public static func isWorkbook(_ path: String) -> Bool {
        path.lowercased().hasSuffix(".xlsx")
    }

    /// Reads a form from an `.xlsx` XLSForm, texts in NFC. Like `FormLoader.load`, it refuses only
    /// what cannot be read as a form; run `FormChecker` (or use `load`) for the rest.
    /// - Parameters:
    ///   - file: The name to use in messages (the path given by the user).
    ///   - siblings: Loads a file beside the form by name (the CSV of `select_one_from_file F.csv`);
    ///     nil when there is no such file.
    public static func read(_ data: Data, file: String, siblings: (String) -> Data? = { _ in nil }) throws(FormError) -> Form {
        var importer = try importer(data, file: file)
        var form = try importer.importForm(siblings: siblings)
        _ = form.loadFiles(siblings: siblings)
        return form
    }

    /// Reads a form as `read` does and checks it: the import's warnings and FormChecker's findings,
    /// placed on the sheet, row and column they come from.
    public static func load(_ data: Data, file: String, siblings: (String) -> Data? = { _ in nil }) throws(FormError) -> XLSFormImport {
        var importer = try importer(data, file: file)
        var form = try importer.importForm(siblings: siblings)
        let files = form.loadFiles(siblings: siblings)
        let rows = Dictionary(zip(form.located.map(\.key), importer.entryRows)) { first, _ in first }
        let checked = FormChecker.check(form).map { locate($0, importer: importer, rows: rows) }
        return XLSFormImport(form: form, findings: importer.warnings + files + checked)
    }

    /// The form as an `.xlsx` XLSForm: survey, choices, settings, and indices when the form has any.
    /// Reading it back gives the same form (the same `sha256`).
    public static func write(_ form: Form) throws(FormError) -> Data {
        do {
            return try XLSXWriter.write(XLSFormExporter.sheets(form))
        } catch {
            throw FormError(file: "\(form.formId).xlsx", message: error.message)
        }
    }

    static func importer(_ data: Data, file: String) throws(FormError) -> XLSFormImporter {
        do {
            let workbook = try XLSXReader.read(data, loading: XLSFormImporter.pick)
            return XLSFormImporter(file: file, workbook: workbook)
        } catch {
            throw FormError(file: file, message: error.message)
        }
    }

    /// Which survey column a FormChecker finding is about, by its code.
    static let columnOfCode: [String: String] = [
        "unknown-type": "type", "not-collected": "type", "missing-choices": "type", "children": "type", "empty-group": "type",
        "duplicate-name": "name", "name-case": "name", "name": "name", "missing-calculation": "calculation", "no-label": "label",
        "no-constraint-message": "constraint", "missing-translation": "label",
    ]

    /// `rows` gives the survey row of each entry by key (a finding's field).
    static func locate(_ finding: Finding, importer: XLSFormImporter, rows: [String: Int]) -> Finding {
        var place: XLSFormPlace? = nil
        let survey = importer.headers["survey"] ?? [:]
        let settings = importer.headers["settings"] ?? [:]
        if finding.code == "index" {
            place = XLSFormPlace(sheet: "indices")
        } else if let field = finding.field, let row = rows[field] {
            var column = columnOfCode[finding.code]
            let prefix = "'\(field)', "
            if column == nil, finding.message.hasPrefix(prefix) {
                let rest = finding.message.dropFirst(prefix.count)
                column = rest.prefix { $0.isLetter || $0 == "_" }.description
            }
            place = XLSFormPlace(sheet: "survey", row: row, column: column.map { survey[$0] ?? $0 })
        } else if finding.field == nil {
            for key in ["case_key", "instance_name"] where finding.message.hasPrefix(key) {
                place = XLSFormPlace(sheet: "settings", row: 2, column: settings[key] ?? key)
            }
            if finding.code == "form-id" { place = XLSFormPlace(sheet: "settings", row: 2, column: settings["form_id"] ?? "form_id") }
            if finding.code == "version" { place = XLSFormPlace(sheet: "settings", row: 2, column: settings["version"] ?? "version") }
            if finding.code == "unused-choices" || finding.code == "duplicate-choice" { place = XLSFormPlace(sheet: "choices") }
        }
        guard let place else { return finding }
        var located = finding
        located.message = "\(place.description): \(finding.message)"
        return located
    }
}
