import Foundation

/// The choices of `select_one_from_file F.csv`: a CSV with `name` and `label` columns (and
/// `label::Language (code)` columns, and any others for choice filters).
enum CSVChoices {
    static let maxBytes = 20 << 20

    static func parse(_ data: Data, defaultLanguage: String?) throws(XLSXError) -> [Choice] {
        guard data.count <= maxBytes else { throw XLSXError("the file is larger than \(maxBytes >> 20) MB; refusing it") }
        var bytes = data
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        guard let text = String(data: bytes, encoding: .utf8) else { throw XLSXError("the file is not UTF-8 text; save it as CSV UTF-8") }
        let records = rows(text)
        guard let header = records.first?.map({ XLSFormImporter.clean($0) }) else { return [] }
        guard let nameColumn = header.firstIndex(where: { XLSFormImporter.snake($0) == "name" }) else {
            throw XLSXError("the file has no 'name' column in its first line; choices files have name and label columns")
        }
        let columns = header.enumerated().map { index, title in (index, title, XLSFormImporter.choicesColumn(title)) }
        var choices: [Choice] = []
        for record in records.dropFirst() {
            func cell(_ i: Int) -> String? {
                guard i < record.count else { return nil }
                let value = XLSFormImporter.clean(record[i])
                return value.isEmpty ? nil : value
            }
            guard let name = cell(nameColumn) else { continue }
            var choice = Choice(name: name)
            var plain: String? = nil
            var texts: [String: String] = [:]
            for (index, title, (key, language)) in columns where index != nameColumn {
                guard let value = cell(index) else { continue }
                if key == "label" {
                    if let language { texts[language] = value } else { plain = value }
                } else if key == nil || key == "list_name" {
                    choice.extra[title] = value
                }
            }
            if texts.isEmpty {
                choice.label = plain.map { .plain($0) }
            } else {
                if let plain, texts[defaultLanguage ?? "default"] == nil { texts[defaultLanguage ?? "default"] = plain }
                choice.label = .localized(texts)
            }
            choices.append(choice)
        }
        return choices
    }

    /// RFC 4180 records: quoted fields may hold commas, quotes ("") and line breaks.
    static func rows(_ text: String) -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let p = pending { pending = nil; return p }
            return iterator.next()
        }
        while let c = next() {
            if quoted {
                if c == "\"" {
                    if let following = next() {
                        if following == "\"" { field.unicodeScalars.append("\"") } else { quoted = false; pending = following }
                    } else {
                        quoted = false
                    }
                } else {
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"" where field.isEmpty: quoted = true
            case ",":
                record.append(field)
                field = ""
            case "\r": continue
            case "\n":
                record.append(field)
                records.append(record)
                record = []
                field = ""
            default: field.unicodeScalars.append(c)
            }
        }
        if !field.isEmpty || !record.isEmpty {
            record.append(field)
            records.append(record)
        }
        return records
    }
}
