import Foundation

/// The workbook's sheets as tables: headers classified into XLSForm's columns, cells cleaned,
/// translated texts gathered from their `::language` columns.
extension XLSFormImporter {
    // MARK: - Sheets as tables

    struct Column {
        var index: Int
        var letter: String
        var header: String
        /// The canonical column (`label`, `relevant`, `list_name`), nil for columns Canvass does not know.
        var key: String?
        var language: String?
    }

    struct Row {
        var number: Int
        /// Column number → cleaned text (NFC, trimmed), non-empty cells only.
        var cells: [Int: String]
        var raw: [Int: XLSXCell]
    }

    struct Table {
        let role: String
        let columns: [Column]
        let rows: [Row]
        /// Columns by key and language, and by number: they are looked up for every row, and a sheet
        /// may have thousands of columns.
        private var byKey: [String: Column] = [:]
        private var translations: [String: [Column]] = [:]
        private var byIndex: [Int: Column] = [:]

        init(role: String, columns: [Column], rows: [Row]) {
            self.role = role
            self.columns = columns
            self.rows = rows
            for column in columns {
                byIndex[column.index] = column
                guard let key = column.key else { continue }
                if byKey[Self.identity(key, column.language)] == nil { byKey[Self.identity(key, column.language)] = column }
                if column.language != nil { translations[key, default: []].append(column) }
            }
        }

        static func identity(_ key: String, _ language: String?) -> String { "\(key)\u{1}\(language ?? "")" }

        func column(_ key: String, _ language: String? = nil) -> Column? {
            byKey[Self.identity(key, language)]
        }

        func column(at index: Int) -> Column? { byIndex[index] }

        func languages(of key: String) -> [Column] {
            translations[key] ?? []
        }

        func value(_ row: Row, _ key: String, _ language: String? = nil) -> String? {
            guard let column = column(key, language) else { return nil }
            return row.cells[column.index]
        }

        func header(_ key: String) -> String {
            column(key)?.header ?? key
        }
    }

    static func clean(_ text: String) -> String {
        text.precomposedStringWithCanonicalMapping.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs of spaces as one, as pyxform reads headers and types.
    static func collapse(_ text: String) -> String {
        text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).joined(separator: " ")
    }

    /// Reads one sheet: headers from row 1, data from the rows after it; blank cells dropped.
    mutating func table(_ sheet: XLSXSheet, role: String, classify: (String) -> (key: String?, language: String?)) throws(FormError) -> Table {
        var columns: [Column] = []
        var seen: [String: Column] = [:]
        for (index, cell) in (sheet.rows[1] ?? [:]).sorted(by: { $0.key < $1.key }) {
            let header = Self.collapse(Self.clean(cell.text))
            guard !header.isEmpty else { continue }
            let (key, language) = classify(header)
            let column = Column(index: index, letter: XLSXReader.columnName(index), header: header, key: key, language: language)
            let identity = key.map { Table.identity($0, language) } ?? "\u{2}\(header)"
            if let first = seen[identity] {
                throw fail(role, row: 1, column: column.letter,
                    "duplicate column header '\(header)' (column \(first.letter) is '\(first.header)' too); keep one of the two columns"
                    + (key == "label" || key == "hint" ? ", or name translations like label::English (en) and label::Kiswahili (sw)" : ""))
            }
            seen[identity] = column
            columns.append(column)
            if let key, headers[role]?[key] == nil { headers[role, default: [:]][key] = header }
        }
        var rows: [Row] = []
        let indices = Set(columns.map(\.index))
        for number in sheet.rowNumbers where number > 1 {
            let raw = sheet.rows[number] ?? [:]
            var cells: [Int: String] = [:]
            // The row's cells, not every column: a wide sheet with many short rows stays linear.
            for (index, cell) in raw where indices.contains(index) {
                let text = Self.clean(cell.text)
                if !text.isEmpty { cells[index] = text }
            }
            if !cells.isEmpty { rows.append(Row(number: number, cells: cells, raw: raw)) }
        }
        return Table(role: role, columns: columns, rows: rows)
    }

    /// Warns once for each column that holds values Canvass does not keep.
    mutating func warnUnknownColumns(_ table: Table, why: String) {
        var firstRow: [Int: Int] = [:]  // column number → first row with a value, in one pass over the cells
        for row in table.rows {
            for index in row.cells.keys where firstRow[index] == nil { firstRow[index] = row.number }
        }
        for column in table.columns where column.key == nil {
            guard let row = firstRow[column.index] else { continue }
            warn("xlsform-column-ignored", XLSFormPlace(sheet: table.role, row: row, column: column.header),
                 "the column '\(column.header)' is not kept: \(why)")
        }
    }

    // MARK: - Headers

    static func snake(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: "_").lowercased()
    }

    /// `label::English (en)` → [label, English (en)]; legacy `label:English`, `bind:jr:constraintMsg`.
    static func tokens(_ header: String) -> [String] {
        if header.contains("::") {
            return header.components(separatedBy: "::").map { $0.trimmingCharacters(in: .whitespaces) }
        }
        var tokens = header.split(separator: ":", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        if let jr = tokens.firstIndex(where: { $0.lowercased() == "jr" }), jr + 1 < tokens.count {
            tokens.replaceSubrange(jr...(jr + 1), with: ["jr:" + tokens[jr + 1]])
        }
        return tokens
    }

    /// A language as a key: the code in `English (en)`, else the name lowercased (`English` → `english`).
    static func languageKey(_ written: String) -> String {
        let text = clean(written)
        if text.hasSuffix(")"), let open = text.lastIndex(of: "(") {
            let code = text[text.index(after: open)..<text.index(before: text.endIndex)].trimmingCharacters(in: .whitespaces)
            if isLanguageCode(code) { return code }
        }
        return text.lowercased()
    }

    static func isLanguageCode(_ code: String) -> Bool {
        let parts = code.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, (2...3).contains(first.count), first.allSatisfy({ $0.isASCII && $0.isLetter }) else { return false }
        return parts.dropFirst().allSatisfy { (1...8).contains($0.count) && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } }
    }

    // MARK: - Texts and values

    /// A text from its plain column and its `::language` columns. A plain value beside translations
    /// belongs to the default language, as in pyxform.
    func text(_ table: Table, _ row: Row, _ key: String) -> LocalizedText? {
        let plain = table.value(row, key)
        var texts: [String: String] = [:]
        for column in table.languages(of: key) {
            if let value = row.cells[column.index], let language = column.language { texts[language] = value }
        }
        if texts.isEmpty { return plain.map { .plain($0) } }
        if let plain {
            let language = defaultLanguage ?? "default"
            if texts[language] == nil { texts[language] = plain }
        }
        return .localized(texts)
    }

    /// `required` and `read_only`: yes/true become `true()`, no/false nothing, anything else is an expression.
    static func condition(_ value: String?) -> String? {
        guard let value else { return nil }
        switch value.lowercased() {
        case "yes", "true", "true()": return "true()"
        case "no", "false", "false()", "": return nil
        default: return value
        }
    }

    static func isYes(_ value: String?) -> Bool {
        ["yes", "true", "true()"].contains(value?.lowercased() ?? "")
    }
}
