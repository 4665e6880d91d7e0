import Foundation

/// The choices and external_choices sheets, and the lists a select row needs.
extension XLSFormImporter {
    static func choicesColumn(_ header: String) -> (key: String?, language: String?) {
        var tokens = tokens(header)
        let first = snake(tokens.removeFirst())
        switch first {
        case "list_name" where tokens.isEmpty: return ("list_name", nil)
        case "name" where tokens.isEmpty, "value" where tokens.isEmpty: return ("name", nil)
        case "label", "caption":
            if tokens.isEmpty { return ("label", nil) }
            if tokens.count == 1, !tokens[0].isEmpty { return ("label", languageKey(tokens[0])) }
            return (nil, nil)
        default: return (nil, nil)
        }
    }

    // MARK: - Choices

    mutating func choiceLists(_ table: Table) throws(FormError) -> [ChoiceList] {
        guard !table.rows.isEmpty else { return [] }
        guard table.column("list_name") != nil else {
            throw fail(table.role, row: 1, "the \(table.role) sheet has no 'list_name' column; its columns are list_name, name and label")
        }
        guard table.column("name") != nil else {
            throw fail(table.role, row: 1, "the \(table.role) sheet has no 'name' column; its columns are list_name, name and label")
        }
        var order: [String] = []
        var lists: [String: [Choice]] = [:]
        var seen: [String: [String: Int]] = [:]
        for row in table.rows {
            guard let listName = table.value(row, "list_name") else { continue }
            guard let name = table.value(row, "name") else {
                throw fail(table.role, row: row.number, column: table.header("name"),
                           "the choice of list '\(listName)' has no name; every choice needs one (it is what is stored)")
            }
            // external_choices become a CSV that pyxform never checks: a name may repeat under another filter.
            if let first = seen[listName]?[name], !allowChoiceDuplicates, table.role == "choices" {
                throw fail(table.role, row: row.number, column: table.header("name"),
                           "the list '\(listName)' has the choice '\(name)' twice (rows \(first) and \(row.number)); choice names must be unique in a list")
            }
            seen[listName, default: [:]][name] = seen[listName]?[name] ?? row.number
            var choice = Choice(name: name, label: text(table, row, "label"))
            for (index, value) in row.cells {
                if let column = table.column(at: index), column.key == nil { choice.extra[column.header] = value }
            }
            if lists[listName] == nil { order.append(listName) }
            lists[listName, default: []].append(choice)
        }
        return order.map { ChoiceList(name: $0, choices: lists[$0] ?? []) }
    }

    mutating func checkChoices(_ type: FieldType, external: Bool, row: Row, column: String, parameters: String?, walk: inout SurveyWalk, siblings: (String) -> Data?) throws(FormError) {
        guard let kind = type.kind, let list = type.list else { return }
        let place = XLSFormPlace(sheet: "survey", row: row.number, column: column)
        if kind.takesFile {
            let lower = list.lowercased()
            guard [".csv", ".xml", ".geojson"].contains(where: { lower.hasSuffix($0) }) else {
                throw fail("survey", row: row.number, column: column,
                           "'\(type.raw)' needs a file name ending in .csv, .xml or .geojson")
            }
            if walk.has(list) { return }
            guard let data = sibling(list, place, siblings) else { return }
            // XLSForm's parameters name other value and label columns: value=code label=title.
            let parameters = Entry.parameterValues(parameters)
            do {
                walk.add(ChoiceList(name: list, choices: try ExternalChoices.parse(
                    data, file: list, defaultLanguage: defaultLanguage, value: parameters["value"] ?? "name", label: parameters["label"] ?? "label")))
            } catch {
                throw FormError(file: list, message: "\(error.message) (the choices of survey row \(row.number))")
            }
            return
        }
        guard !list.hasPrefix("${") else { return }
        if walk.has(list) { return }
        if let externalList = walk.external(list) {
            walk.add(externalList)
            return
        }
        if external {
            throw fail("survey", row: row.number, column: column,
                       "the list '\(list)' of '\(type.raw)' is not in the external_choices sheet; add it there")
        }
        if !walk.choicesSheetPresent {
            throw fail("survey", row: row.number, column: column,
                       "there is no choices sheet, but '\(type.raw)' needs the choice list '\(list)'; add a sheet named choices with the columns list_name, name and label")
        }
        throw fail("survey", row: row.number, column: column,
                   "the choice list '\(list)' is not in the choices sheet; add its choices (list_name '\(list)') or fix the name")
    }

    /// A file beside the form, by a name without folders; nil, with a warning, when there is none.
    mutating func sibling(_ name: String, _ place: XLSFormPlace, _ siblings: (String) -> Data?) -> Data? {
        guard !name.contains("/"), !name.contains("\\"), name != ".." else {
            warn("xlsform-file-choices", place, "'\(name)' is a path; files are read only from beside the form, named without folders")
            return nil
        }
        guard let data = siblings(name) else {
            warn("xlsform-file-choices", place, "'\(name)' is not beside the form, so what it holds is missing; put the file next to the form")
            return nil
        }
        return data
    }
}
