import Foundation

/// Canvass's own indices sheet: which questions make up each satisfaction index.
extension XLSFormImporter {
    static func indicesColumn(_ header: String) -> (key: String?, language: String?) {
        var tokens = tokens(header)
        let first = snake(tokens.removeFirst())
        switch first {
        case "index", "satisfied", "element", "question": return tokens.isEmpty ? (first, nil) : (nil, nil)
        case "index_label", "element_label":
            if tokens.isEmpty { return (first, nil) }
            if tokens.count == 1, !tokens[0].isEmpty { return (first, languageKey(tokens[0])) }
            return (nil, nil)
        default: return (nil, nil)
        }
    }

    // MARK: - Indices (Canvass-only)

    func indices(_ table: Table) throws(FormError) -> [FormIndex] {
        guard !table.rows.isEmpty else { return [] }
        guard table.column("index") != nil else {
            throw fail("indices", row: 1, "the indices sheet has no 'index' column; its columns are index, index_label, satisfied, element, element_label, question")
        }
        var result: [FormIndex] = []
        var lastIndex: String? = nil
        var lastElement: String? = nil
        for row in table.rows {
            let written = table.value(row, "index")
            guard let name = written ?? lastIndex else {
                throw fail("indices", row: row.number, column: table.header("index"), "the row names no index; write the index name in every row")
            }
            if written != nil && written != lastIndex { lastElement = nil }
            lastIndex = name
            var position = result.firstIndex { $0.name == name }
            if position == nil {
                result.append(FormIndex(name: name, satisfied: [], elements: []))
                position = result.count - 1
            }
            guard let i = position else { continue }
            if result[i].label == nil { result[i].label = text(table, row, "index_label") }
            if result[i].satisfied.isEmpty, let satisfied = table.value(row, "satisfied") {
                result[i].satisfied = satisfied.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
            }
            let elementWritten = table.value(row, "element")
            guard let element = elementWritten ?? (written == nil ? lastElement : nil) else { continue }
            lastElement = element
            var e = result[i].elements.firstIndex { $0.name == element }
            if e == nil {
                result[i].elements.append(FormIndex.Element(name: element, questions: []))
                e = result[i].elements.count - 1
            }
            guard let j = e else { continue }
            if result[i].elements[j].label == nil { result[i].elements[j].label = text(table, row, "element_label") }
            if let question = table.value(row, "question") { result[i].elements[j].questions.append(question) }
        }
        return result
    }
}
