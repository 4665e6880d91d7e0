import Foundation

/// The survey sheet: its columns, its types, and its rows walked into nested entries.
extension XLSFormImporter {
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

    /// The XML namespaces an XForm always declares (pyxform's NSMAP).
    static let builtInNamespaces: Set<String> = ["h", "ev", "xsd", "jr", "orx", "odk"]

    /// A `bind::PREFIX:attribute` or `body::PREFIX:attribute` column with a value writes an XML
    /// attribute in that namespace: unless the settings sheet declares it (`namespaces`), the
    /// XForm is not well-formed and ODK Validate refuses it, so Canvass refuses it too. ArcGIS
    /// Survey123's `esri:` columns are the usual case.
    func checkNamespaces(_ table: Table) throws(FormError) {
        for column in table.columns where column.key == nil {
            let tokens = Self.tokens(column.header)
            guard tokens.count == 2, ["bind", "body", "control"].contains(Self.snake(tokens[0])),
                  let colon = tokens[1].firstIndex(of: ":") else { continue }
            let prefix = String(tokens[1][..<colon])
            guard !Self.builtInNamespaces.contains(prefix), !namespaces.contains(prefix),
                  let row = table.rows.first(where: { $0.cells[column.index] != nil })
            else { continue }
            throw fail("survey", row: row.number, column: column.header,
                       "the column '\(column.header)' writes an XML attribute in the namespace '\(prefix)', which the settings sheet does not declare, so ODK Validate refuses the form; declare it in the settings' namespaces column (\(prefix)=\"URL\") or remove the column")
        }
    }

    // MARK: - Types

    enum ParsedType {
        case begin(FieldType.Kind, loop: Bool, list: String?)
        case end(FieldType.Kind, loop: Bool, written: String)
        case field(FieldType, external: Bool)
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
        add(.backgroundGeopoint, "background-geopoint")
        add(.osm, "osm")
        add(.csvExternal, "csv-external")
        add(.xmlExternal, "xml-external")
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

    /// pyxform's integer types with a range of their own: an integer with that constraint.
    static let boundedIntegers: [String: Int] = [
        "percentage": 100, "number of days in last month": 31, "number of days in last six months": 183,
        "number of days in last year": 365,
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
        if boundedIntegers[written] != nil { return .field(FieldType(kind: .integer), external: false) }
        return .unknown
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
                entryRows.append(row.number)
                var frame = Frame(entry: entry, kind: kind, row: row.number)
                frame.loop = loop
                stack.append(frame)
            case .field(let type, let external):
                var entry = Entry(type: type, name: name, label: label)
                fill(&entry, table, row)
                if let top = Self.boundedIntegers[written] {
                    // pyxform's constraint for the type, beside the row's own.
                    let range = "0 <= . and . <= \(top)"
                    entry.constraint = entry.constraint.map { "(\($0)) and \(range)" } ?? range
                }

                if let kind = type.kind, [.date, .datetime, .time].contains(kind),
                   let column = table.column("default"), let cell = row.raw[column.index], cell.kind == .number, let serial = cell.number,
                   serial >= 0, serial < 2_958_466 {  // up to 9999-12-31
                    entry.default = Self.dateText(serial: serial, kind: kind, date1904: workbook.date1904)
                }
                try checkChoices(type, external: external, row: row, column: typeHeader, parameters: entry.parameters, walk: &walk, siblings: siblings)
                entryRows.append(row.number)
                stack[stack.count - 1].children.append(entry)
            case .end, .unknown:
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
}
