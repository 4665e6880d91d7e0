import Foundation

/// Turns the sheets of an XLSForm workbook into a `Form`, reading them as pyxform does.
///
/// Refuses (throws) what pyxform refuses on the sheets themselves: unknown types, duplicate column
/// headers, duplicate names among siblings, a missing choices sheet or list, a repeat named like the
/// form's root, unmatched begin/end rows. What only shows on the finished form (unknown references,
/// expression syntax) is FormChecker's, which `XLSForm.load` runs and places on the sheet.
///
/// Each part of the workbook is read in its own file: `+Sheets` (tables, headers, texts),
/// `+Survey` (types and rows), `+Choices`, `+Settings`, `+Indices`, and `ExternalChoices` for the
/// files beside the workbook.
struct XLSFormImporter {
    let file: String
    let workbook: XLSXWorkbook
    /// What was read but not kept, or filled in: warnings, with their place in the workbook.
    var warnings: [Finding] = []
    /// The survey row of each entry, in form order (`Form.located`'s order: a group's begin row,
    /// then its rows).
    var entryRows: [Int] = []
    /// Column headers as written, by canonical key (`relevant` → `bind:relevant`), per sheet role.
    var headers: [String: [String: String]] = [:]
    var defaultLanguage: String?
    var rootName = "data"
    var allowChoiceDuplicates = false
    /// XML namespace prefixes the settings sheet declares (`namespaces`: `esri="http://..."`).
    var namespaces: Set<String> = []

    /// The sheets an XLSForm has, by their lowercase names.
    static let roles = ["survey", "choices", "settings", "external_choices", "indices"]

    init(file: String, workbook: XLSXWorkbook) {
        self.file = file
        self.workbook = workbook
    }

    static func normalizedSheetName(_ name: String) -> String {
        name.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    /// The sheets to load: those named like an XLSForm sheet, or the only sheet there is (pyxform
    /// reads a lone sheet as the survey, whatever its name).
    static func pick(_ names: [String]) -> Set<String> {
        if names.count == 1 { return Set(names) }
        return Set(names.filter { roles.contains(normalizedSheetName($0)) })
    }

    func fail(_ sheet: String, row: Int? = nil, column: String? = nil, _ message: String) -> FormError {
        FormError(file: file, message: "\(XLSFormPlace(sheet: sheet, row: row, column: column).description): \(message)")
    }

    mutating func warn(_ code: String, _ place: XLSFormPlace, field: String? = nil, _ message: String) {
        warnings.append(Finding(.warning, code, field: field, "\(place.description): \(message)"))
    }

    // MARK: - The form

    static func classifier(_ role: String) -> (String) -> (key: String?, language: String?) {
        switch role {
        case "survey": return surveyColumn
        case "choices", "external_choices": return choicesColumn
        case "settings": return settingsColumn
        default: return indicesColumn
        }
    }

    mutating func importForm(siblings: (String) -> Data?) throws(FormError) -> Form {
        let byRole = try sheetsByRole()
        guard byRole["survey"] != nil else {
            let names = workbook.sheetNames.map { "'\($0)'" }.joined(separator: ", ")
            throw FormError(file: file, message: "the workbook has no sheet named 'survey' (its sheets: \(names.isEmpty ? "none" : names)); an XLSForm needs survey, and usually choices and settings")
        }
        // Headers are read in the workbook's sheet order, so the first problem reported is the one
        // pyxform meets first.
        var tables: [String: Table] = [:]
        for (role, sheet) in byRole.sorted(by: { (workbook.sheetNames.firstIndex(of: $0.value.name) ?? 0) < (workbook.sheetNames.firstIndex(of: $1.value.name) ?? 0) }) {
            tables[role] = try table(sheet, role: role, classify: Self.classifier(role))
        }

        var form = Form(formId: "", version: "", survey: [])
        readSettings(tables["settings"], into: &form)

        var lists: [ChoiceList] = []
        var choicesSheetPresent = false
        if let table = tables["choices"] {
            choicesSheetPresent = !table.rows.isEmpty
            lists = try choiceLists(table)
        }
        var externalLists: [ChoiceList] = []
        if let table = tables["external_choices"] {
            externalLists = try choiceLists(table)
        }

        guard let table = tables["survey"], table.column("type") != nil else {
            throw fail("survey", row: 1, "the survey sheet has no 'type' column in its first row; the first row holds the column headers (type, name, label, ...)")
        }
        try checkNamespaces(table)
        warnUnknownColumns(table, why: "Canvass has no such survey column (media, styling and app-specific columns are not imported)")
        var walk = SurveyWalk(lists: lists, externalLists: externalLists, choicesSheetPresent: choicesSheetPresent)
        form.survey = try survey(table, walk: &walk, siblings: siblings)
        form.choices = walk.lists

        if let table = tables["indices"] {
            form.indices = try indices(table)
        }
        return form
    }

    func sheetsByRole() throws(FormError) -> [String: XLSXSheet] {
        var result: [String: XLSXSheet] = [:]
        for name in workbook.sheetNames {
            var role = Self.normalizedSheetName(name)
            if workbook.sheetNames.count == 1 { role = "survey" }
            guard Self.roles.contains(role), let sheet = workbook.sheets[name] else { continue }
            if let other = result[role] {
                throw FormError(file: file, message: "the workbook has two sheets named '\(role)' ('\(other.name)' and '\(name)'); keep one")
            }
            result[role] = sheet
        }
        return result
    }
}
