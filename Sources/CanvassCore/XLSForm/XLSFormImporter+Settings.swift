import Foundation

/// The settings sheet: form id, version, title, languages and Canvass's case key.
extension XLSFormImporter {
    static func settingsColumn(_ header: String) -> (key: String?, language: String?) {
        var tokens = tokens(header)
        let first = snake(tokens.removeFirst())
        switch first {
        case "form_title", "title", "set_form_title", "canvass_title":
            if tokens.isEmpty { return (first == "canvass_title" ? nil : "title", nil) }
            if tokens.count == 1, !tokens[0].isEmpty { return ("title", languageKey(tokens[0])) }
            return (nil, nil)
        case "form_id", "set_form_id": return tokens.isEmpty ? ("form_id", nil) : (nil, nil)
        case "id_string": return tokens.isEmpty ? ("id_string", nil) : (nil, nil)
        case "version", "default_language", "instance_name", "case_key", "allow_choice_duplicates", "name", "namespaces":
            return tokens.isEmpty ? (first, nil) : (nil, nil)
        default: return (nil, nil)
        }
    }

    mutating func readSettings(_ table: Table?, into form: inout Form) {
        let stem = Self.clean(URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent)
        var formId: String? = nil
        var version: String? = nil
        if let table {
            warnUnknownColumns(table, why: "Canvass keeps only form_title, form_id, version, default_language, instance_name and case_key")
            if let row = table.rows.first {
                let place = { (key: String) in XLSFormPlace(sheet: "settings", row: row.number, column: table.header(key)) }
                if let language = table.value(row, "default_language") { defaultLanguage = Self.languageKey(language) }
                formId = table.value(row, "form_id") ?? table.value(row, "id_string")
                version = table.value(row, "version")
                // canvass_title::Language (code) columns carry a title in several languages; form_title
                // beside them is only pyxform's copy of one of them.
                var titles: [String: String] = [:]
                for column in table.languages(of: "title") {
                    if let value = row.cells[column.index], let language = column.language { titles[language] = value }
                }
                form.title = titles.isEmpty ? table.value(row, "title").map { .plain($0) } : .localized(titles)
                form.instanceName = table.value(row, "instance_name")
                form.caseKey = table.value(row, "case_key")
                form.defaultLanguage = defaultLanguage
                allowChoiceDuplicates = Self.isYes(table.value(row, "allow_choice_duplicates"))
                for pair in (table.value(row, "namespaces") ?? "").split(whereSeparator: \.isWhitespace) {
                    if let equals = pair.firstIndex(of: "="), equals != pair.startIndex { namespaces.insert(String(pair[..<equals])) }
                }
                if let name = table.value(row, "name") { rootName = name }
                if let id = formId, Self.sanitizedId(id) != id {
                    warn("xlsform-form-id", place(table.column("form_id") != nil ? "form_id" : "id_string"),
                         "form_id '\(id)' is not an identifier; using '\(Self.sanitizedId(id))'")
                }
                if version == nil {
                    warn("xlsform-version", XLSFormPlace(sheet: "settings", row: row.number),
                         "the form has no version; using '1' (add a version column so that a changed form gets a new version)")
                }
                if let extra = table.rows.dropFirst().first {
                    warn("xlsform-settings-row", XLSFormPlace(sheet: "settings", row: extra.number),
                         "only the first row under the headers is read; the settings below it are ignored")
                }
            }
        }
        if version == nil && !warnings.contains(where: { $0.code == "xlsform-version" }) {
            warn("xlsform-version", XLSFormPlace(sheet: "settings"),
                 table == nil ? "the workbook has no settings sheet; form_id '\(Self.sanitizedId(formId ?? stem))' (from the file name) and version '1' are used"
                              : "the settings sheet has no values; form_id '\(Self.sanitizedId(formId ?? stem))' (from the file name) and version '1' are used")
        }
        form.formId = Self.sanitizedId(formId ?? stem)
        form.version = version ?? "1"
    }

    /// An identifier from free text: invalid characters become `_`, and a leading digit gets a `_` before it.
    static func sanitizedId(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let ok = scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "_-.".unicodeScalars.contains(scalar)
            scalars.append(ok ? scalar : "_")
        }
        var result = String(scalars)
        if let first = result.unicodeScalars.first, !(first == "_" || first.properties.isAlphabetic) { result = "_" + result }
        return result.isEmpty ? "form" : result
    }
}
