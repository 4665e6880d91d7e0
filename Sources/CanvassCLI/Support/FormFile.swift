import CanvassCore
import Foundation

/// Reading a form from disk: the one place that knows about file formats (YAML, XLSForm).
enum FormFile {
    static func load(_ path: String) throws -> Form {
        try loadChecked(path, check: false).form
    }

    /// The form and, with `check`, every finding: an XLSForm's are placed on its sheet, row and column.
    static func loadChecked(_ path: String, check: Bool) throws -> (form: Form, findings: [Finding]) {
        let data = try read(path)
        if XLSForm.isWorkbook(path) {
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
            let siblings: (String) -> Data? = { try? Data(contentsOf: directory.appendingPathComponent($0)) }
            if check {
                let result = try XLSForm.load(data, file: path, siblings: siblings)
                return (result.form, result.findings)
            }
            return (try XLSForm.read(data, file: path, siblings: siblings), [])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw FormError(file: path, message: "the file is not UTF-8 text; save it as UTF-8 (or give an .xlsx XLSForm)")
        }
        var form = try FormLoader.load(yaml: text, file: path)
        // Choices files and pulldata() files beside the form are read into it (the data file keeps them).
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        let files = form.loadFiles { try? Data(contentsOf: directory.appendingPathComponent($0)) }
        return (form, check ? files + FormChecker.check(form) : [])
    }

    static func read(_ path: String) throws -> Data {
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw FormError(file: path, message: "cannot read the file; check the path")
        }
    }
}
