import Foundation

/// Turns the sheets of an XLSForm workbook into a `Form`, reading them as pyxform does.
///
/// Refuses (throws) what pyxform refuses on the sheets themselves: unknown types, duplicate column
/// headers, duplicate names among siblings, a missing choices sheet or list, a repeat named like the
/// form's root, unmatched begin/end rows. What only shows on the finished form (unknown references,
/// expression syntax) is FormChecker's, which `XLSForm.load` runs and places on the sheet.
struct XLSFormImporter {
    let file: String
    let workbook: XLSXWorkbook
    /// What was read but not kept, or filled in: warnings, with their place in the workbook.
    var warnings: [Finding] = []
    /// The survey row of each entry, by name (the first row, when a name repeats).
    var rowOfName: [String: Int] = [:]
    /// Column headers as written, by canonical key (`relevant` → `bind:relevant`), per sheet role.
    var headers: [String: [String: String]] = [:]
    var defaultLanguage: String?
    var rootName = "data"
    var allowChoiceDuplicates = false

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

    func fail(_ sheet: String, row: Int? = nil, column: String? = nil, _ message: String) -> FormError {
        FormError(file: file, message: "\(XLSFormPlace(sheet: sheet, row: row, column: column).description): \(message)")
    }

    mutating func warn(_ code: String, _ place: XLSFormPlace, field: String? = nil, _ message: String) {
        warnings.append(Finding(.warning, code, field: field, "\(place.description): \(message)"))
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

    static let surveyAliases: [String: String] = [
        "type": "type", "command": "type",
        "name": "name", "tag": "name", "value": "name",
        "label": "label", "caption": "label",
        "hint": "hint",
        "required": "required",
        "required_message": "required_message", "requiredmsg": "required_message", "jr:requiredmsg": "required_message",
        "relevant": "relevant", "relevance": "relevant",
        "constraint": "constraint",
        "constraint_message": "constraint_message", "constraining_message": "constraint_message",
        "jr:constraintmsg": "constraint_message",
        "calculation": "calculation", "calculate": "calculation",
        "choice_filter": "choice_filter",
        "default": "default",
        "read_only": "read_only", "readonly": "read_only",
        "appearance": "appearance",
        "repeat_count": "repeat_count", "count": "repeat_count", "jr:count": "repeat_count",
        "parameters": "parameters",
        "disabled": "disabled",
    ]
    /// What may follow the legacy `bind::`, `body::` and `control::` prefixes.
    static let prefixedKeys: Set<String> = [
        "relevant", "required", "constraint", "calculation", "read_only", "required_message",
        "constraint_message", "appearance", "repeat_count",
    ]
    static let translatable: Set<String> = ["label", "hint", "required_message", "constraint_message"]

    static func surveyColumn(_ header: String) -> (key: String?, language: String?) {
        var tokens = tokens(header)
        var first = snake(tokens.removeFirst())
        var prefixed = false
        if ["bind", "body", "control"].contains(first), !tokens.isEmpty {
            first = snake(tokens.removeFirst())
            prefixed = true
        }
        guard let key = surveyAliases[first], !prefixed || prefixedKeys.contains(key) else { return (nil, nil) }
        if tokens.isEmpty { return (key, nil) }
        guard translatable.contains(key), tokens.count == 1, !tokens[0].isEmpty else { return (nil, nil) }
        return (key, languageKey(tokens[0]))
    }

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
        case "version", "default_language", "instance_name", "case_key", "allow_choice_duplicates", "name":
            return tokens.isEmpty ? (first, nil) : (nil, nil)
        default: return (nil, nil)
        }
    }

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

    // MARK: - Types

    enum ParsedType {
        case begin(FieldType.Kind, loop: Bool, list: String?)
        case end(FieldType.Kind, loop: Bool, written: String)
        case field(FieldType, external: Bool)
        case unsupported
        case unknown
    }

    static let controls: [(String, FieldType.Kind, Bool)] = [
        ("looped group", .repeat, false), ("lgroup", .repeat, false), ("group", .group, false),
        ("repeat", .repeat, false), ("loop", .group, true),
    ]

    static let selectCommands: [(String, FieldType.Kind, Bool)] = [
        ("add select one prompt using", .selectOne, false), ("add select multiple prompt using", .selectMultiple, false),
        ("select all that apply from", .selectMultiple, false), ("select one from", .selectOne, false),
        ("select1", .selectOne, false), ("select_one", .selectOne, false), ("select one", .selectOne, false),
        ("select_multiple", .selectMultiple, false), ("select all that apply", .selectMultiple, false),
        ("select_one_external", .selectOne, true),
        ("select_one_from_file", .selectOneFromFile, false), ("select_multiple_from_file", .selectMultipleFromFile, false),
        ("select one from file", .selectOneFromFile, false), ("select multiple from file", .selectMultipleFromFile, false),
        ("rank", .rank, false),
    ]

    /// pyxform's question types (exact spelling: pyxform does not ignore case), as Canvass kinds.
    static let simpleTypes: [String: FieldType.Kind] = {
        var table: [String: FieldType.Kind] = [:]
        func add(_ kind: FieldType.Kind, _ names: String...) { for name in names { table[name] = kind } }
        add(.acknowledge, "acknowledge", "add acknowledge prompt", "q acknowledge", "trigger")
        add(.audio, "audio", "add audio prompt", "q audio")
        add(.barcode, "barcode", "add barcode prompt", "q barcode")
        add(.calculate, "calculate", "add calculate prompt", "q calculate")
        add(.date, "date", "add date prompt", "q date")
        add(.datetime, "datetime", "dateTime", "date time", "add date time prompt", "add dateTime prompt", "q date time", "q dateTime")
        add(.decimal, "decimal", "add decimal prompt", "q decimal")
        add(.file, "file", "add file prompt")
        add(.image, "image", "photo", "add image prompt", "add photo prompt", "q image", "q picture")
        add(.integer, "integer", "int", "add integer prompt", "q int")
        add(.geopoint, "geopoint", "gps", "location", "add location prompt", "q geopoint", "q location")
        add(.note, "note", "add note prompt", "q note")
        add(.text, "text", "string", "add text prompt", "q string")
        add(.video, "video", "add video prompt", "q video")
        add(.audit, "audit")
        add(.backgroundAudio, "background-audio")
        add(.deviceid, "deviceid", "device id", "get device id", "imei", "uri:deviceid")
        add(.email, "email", "uri:email")
        add(.end, "end", "end time", "get end time")
        add(.start, "start", "start time", "get start time")
        add(.startGeopoint, "start-geopoint")
        add(.geoshape, "geoshape", "q geoshape")
        add(.geotrace, "geotrace", "q geotrace")
        add(.hidden, "hidden")
        add(.phonenumber, "phonenumber", "phone number", "get phone number", "uri:phonenumber")
        add(.range, "range")
        add(.simserial, "simserial", "sim id", "get sim id", "uri:simserial")
        add(.subscriberid, "subscriberid", "subscriber id", "get subscriber id", "uri:subscriberid")
        add(.today, "today", "get today")
        add(.username, "username", "uri:username")
        add(.time, "time")
        return table
    }()

    /// Types pyxform knows that Canvass cannot ask.
    static let unsupportedTypes: Set<String> = [
        "background-geopoint", "csv-external", "xml-external", "osm", "percentage",
        "number of days in last month", "number of days in last six months", "number of days in last year",
    ]

    static func parseType(_ written: String) -> ParsedType {
        for prefix in ["begin", "end"] where written.hasPrefix(prefix + " ") || written.hasPrefix(prefix + "_") {
            let rest = written.dropFirst(prefix.count + 1)
            for (control, kind, loop) in controls where rest == control || rest.hasPrefix(control + " ") {
                if prefix == "end" {
                    guard rest == control else { return .unknown }
                    return .end(kind, loop: loop, written: written)
                }
                var tail = rest.dropFirst(control.count).trimmingCharacters(in: .whitespaces)
                if tail.hasPrefix("over ") { tail = String(tail.dropFirst(5)) }
                if tail.contains(" ") { return .unknown }
                return .begin(kind, loop: loop, list: tail.isEmpty ? nil : tail)
            }
        }
        for (command, kind, external) in selectCommands where written.hasPrefix(command + " ") {
            var rest = Substring(written.dropFirst(command.count + 1))
            var orOther = false
            for suffix in [" or specify other", " or_other", " or other"] where rest.hasSuffix(suffix) {
                orOther = true
                rest = rest.dropLast(suffix.count)
                break
            }
            guard !rest.isEmpty, !rest.contains(" ") else { continue }
            return .field(FieldType(kind: kind, list: String(rest), orOther: orOther), external: external)
        }
        if let kind = simpleTypes[written] { return .field(FieldType(kind: kind), external: false) }
        if unsupportedTypes.contains(written) { return .unsupported }
        return .unknown
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
            if let first = seen[listName]?[name], !allowChoiceDuplicates {
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

    // MARK: - Survey

    struct SurveyWalk {
        /// The choices sheet's lists, then the external and file lists the survey uses.
        private(set) var lists: [ChoiceList]
        /// Lists by name, so that a select row is not a scan of every list (a sheet may have thousands).
        private var listNames: Set<String>
        private var externalLists: [String: ChoiceList] = [:]
        var choicesSheetPresent: Bool
        var repeatNames: [String: Int] = [:]

        init(lists: [ChoiceList], externalLists: [ChoiceList], choicesSheetPresent: Bool) {
            self.lists = lists
            self.listNames = Set(lists.map(\.name))
            for list in externalLists where self.externalLists[list.name] == nil { self.externalLists[list.name] = list }
            self.choicesSheetPresent = choicesSheetPresent
        }

        func has(_ name: String) -> Bool { listNames.contains(name) }

        func external(_ name: String) -> ChoiceList? { externalLists[name] }

        mutating func add(_ list: ChoiceList) {
            lists.append(list)
            listNames.insert(list.name)
        }
    }

    struct Frame {
        var entry: Entry?
        var kind: FieldType.Kind?
        var loop = false
        var row = 0
        var children: [Entry] = []
        var names: [String: Int] = [:]
    }

    /// Deepest nesting of groups and repeats accepted. Real forms use a handful of levels; thousands
    /// of `begin group` rows (a few hundred KB of workbook) would overflow the stack of every
    /// recursive walk over the form, from FormChecker to the engine.
    static let maxNesting = 100

    mutating func survey(_ table: Table, walk: inout SurveyWalk, siblings: (String) -> Data?) throws(FormError) -> [Entry] {
        var stack = [Frame()]
        let typeHeader = table.header("type")
        let nameHeader = table.header("name")
        for row in table.rows {
            if Self.isYes(table.value(row, "disabled")) { continue }
            let label = text(table, row, "label")
            guard let written = table.value(row, "type").map(Self.collapse) else {
                if table.value(row, "name") != nil || label != nil {
                    throw fail("survey", row: row.number, column: typeHeader,
                               "the row has a name or label but no type; give it a type such as text, integer or select_one LIST")
                }
                continue
            }
            let parsed = Self.parseType(written)
            if case .end(let kind, let loop, let endWritten) = parsed {
                guard stack.count > 1, let top = stack.last, top.kind == kind, top.loop == loop else {
                    let open = stack.count > 1 ? stack.last.map { " (the open block is the \($0.loop ? "loop" : $0.kind?.rawValue ?? "") '\($0.entry?.name ?? "")' from row \($0.row))" } ?? "" : ""
                    throw fail("survey", row: row.number, column: typeHeader,
                               "unmatched '\(endWritten)': no matching 'begin \(loop ? "loop" : kind.rawValue)' before it\(open); add the begin row or remove this one")
                }
                let frame = stack.removeLast()
                guard var entry = frame.entry else { continue }
                entry.children = frame.children
                stack[stack.count - 1].children.append(entry)
                continue
            }

            var name = table.value(row, "name")
            if name == nil, case .field(let type, _) = parsed, type.kind == .note {
                name = "generated_note_name_\(row.number)"
            }
            switch parsed {
            case .unknown:
                throw fail("survey", row: row.number, column: typeHeader,
                           "unknown type '\(written)'; use one of XLSForm's types (text, integer, decimal, select_one LIST, select_multiple LIST, date, note, calculate, begin group, ...), spelled as XLSForm spells them")
            case .unsupported:
                throw fail("survey", row: row.number, column: typeHeader,
                           "the type '\(written)' is XLSForm's but Canvass cannot ask it; replace it (e.g. with text or integer) or remove the row")
            default: break
            }
            guard let name else {
                throw fail("survey", row: row.number, column: nameHeader, "the \(written) row has no name; give every question and group a name")
            }
            if name == "meta" {
                throw fail("survey", row: row.number, column: nameHeader, "the name 'meta' is reserved for the form's metadata; rename it")
            }
            if let first = stack[stack.count - 1].names[name] {
                throw fail("survey", row: row.number, column: nameHeader,
                           "duplicate name '\(name)': row \(first) in the same group already uses it; names must be unique — rename one")
            }
            stack[stack.count - 1].names[name] = row.number
            if rowOfName[name] == nil { rowOfName[name] = row.number }

            switch parsed {
            case .begin(let kind, let loop, let list):
                if stack.count > Self.maxNesting {
                    throw fail("survey", row: row.number, column: typeHeader,
                               "'\(written)' nests groups and repeats more than \(Self.maxNesting) deep; close some of them with their end rows")
                }
                if kind == .repeat {
                    if name == rootName {
                        throw fail("survey", row: row.number, column: nameHeader,
                                   "the repeat is named '\(name)', like the survey's root element ('\(rootName)'); rename the repeat")
                    }
                    if let first = walk.repeatNames[name] {
                        throw fail("survey", row: row.number, column: nameHeader,
                                   "the repeat name '\(name)' is already used by the repeat on row \(first); repeat names must be unique in the form")
                    }
                    walk.repeatNames[name] = row.number
                }
                var entry = Entry(type: FieldType(kind: kind), name: name, label: label)
                fill(&entry, table, row)
                if loop {
                    guard let list else {
                        throw fail("survey", row: row.number, column: typeHeader, "'begin loop' needs a choice list: begin loop over LIST")
                    }
                    guard walk.has(list) else {
                        throw fail("survey", row: row.number, column: typeHeader, "the loop's list '\(list)' is not in the choices sheet; add it or fix the name")
                    }
                    warn("xlsform-loop", XLSFormPlace(sheet: "survey", row: row.number, column: typeHeader), field: name,
                         "'\(written)' is imported as a group: Canvass has no loops, so its questions are asked once, not once per choice of '\(list)'")
                }
                var frame = Frame(entry: entry, kind: kind, row: row.number)
                frame.loop = loop
                stack.append(frame)
            case .field(let type, let external):
                var entry = Entry(type: type, name: name, label: label)
                fill(&entry, table, row)
                if let kind = type.kind, [.date, .datetime, .time].contains(kind),
                   let column = table.column("default"), let cell = row.raw[column.index], cell.kind == .number, let serial = cell.number,
                   serial >= 0, serial < 2_958_466 {  // up to 9999-12-31
                    entry.default = Self.dateText(serial: serial, kind: kind, date1904: workbook.date1904)
                }
                try checkChoices(type, external: external, row: row, column: typeHeader, walk: &walk, siblings: siblings)
                stack[stack.count - 1].children.append(entry)
            case .end, .unknown, .unsupported:
                break
            }
        }
        if stack.count > 1, let open = stack.last {
            let what = open.loop ? "loop" : open.kind?.rawValue ?? "group"
            throw fail("survey", row: open.row, column: typeHeader,
                       "unmatched 'begin \(what)' ('\(open.entry?.name ?? "")'): no 'end \(what)' closes it; add an 'end \(what)' row after its last question")
        }
        return stack[0].children
    }

    func fill(_ entry: inout Entry, _ table: Table, _ row: Row) {
        entry.hint = text(table, row, "hint")
        entry.required = Self.condition(table.value(row, "required"))
        entry.requiredMessage = text(table, row, "required_message")
        entry.relevant = table.value(row, "relevant")
        entry.constraint = table.value(row, "constraint")
        entry.constraintMessage = text(table, row, "constraint_message")
        entry.calculation = table.value(row, "calculation")
        entry.choiceFilter = table.value(row, "choice_filter")
        entry.default = table.value(row, "default")
        entry.readOnly = Self.condition(table.value(row, "read_only"))
        entry.appearance = table.value(row, "appearance")
        entry.repeatCount = table.value(row, "repeat_count")
        entry.parameters = table.value(row, "parameters")
    }

    mutating func checkChoices(_ type: FieldType, external: Bool, row: Row, column: String, walk: inout SurveyWalk, siblings: (String) -> Data?) throws(FormError) {
        guard let kind = type.kind, let list = type.list else { return }
        let place = XLSFormPlace(sheet: "survey", row: row.number, column: column)
        if kind.takesFile {
            let lower = list.lowercased()
            guard [".csv", ".xml", ".geojson"].contains(where: { lower.hasSuffix($0) }) else {
                throw fail("survey", row: row.number, column: column,
                           "'\(type.raw)' needs a file name ending in .csv, .xml or .geojson")
            }
            if walk.has(list) { return }
            guard lower.hasSuffix(".csv") else {
                warn("xlsform-file-choices", place, "the choices in '\(list)' are not loaded: Canvass reads choices from .csv files only")
                return
            }
            guard !list.contains("/"), !list.contains("\\"), list != ".." else {
                warn("xlsform-file-choices", place, "'\(list)' is a path; choices are read only from a file beside the form, named without folders")
                return
            }
            guard let data = siblings(list) else {
                warn("xlsform-file-choices", place, "'\(list)' is not beside the form, so the question has no choices; put the file next to the .xlsx")
                return
            }
            do {
                walk.add(ChoiceList(name: list, choices: try CSVChoices.parse(data, defaultLanguage: defaultLanguage)))
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

    /// A spreadsheet date (days since 1899-12-30, or since 1904-01-01) as an ODK value.
    static func dateText(serial: Double, kind: FieldType.Kind, date1904: Bool) -> String {
        let offset = date1904 ? 24_107.0 : 25_569.0  // days from the epoch to 1970-01-01
        var days = (serial - offset).rounded(.down)
        var seconds = Int(((serial - offset - days) * 86_400).rounded())
        if seconds >= 86_400 {
            seconds -= 86_400
            days += 1
        }
        let (year, month, day) = ExpressionDateText.civil(Int(days))
        let date = String(format: "%04d-%02d-%02d", year, month, day)
        let time = String(format: "%02d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
        switch kind {
        case .date: return date
        case .time: return time
        default: return date + "T" + time
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
