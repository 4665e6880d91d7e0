/// The tables an export writes for one form: one row per interview, and one table per repeat
/// with one row per instance, keyed by the interview's `_id` and the instance's `_path`.
///
/// Columns are the union over the form's versions (newest first, then what only older versions
/// had), so every interview of every version fits. A select_multiple is its space-separated
/// value plus one 0/1 column per choice (`name/choice`, as ODK names them). A field whose name is
/// used more than once in the form is the column of its path within its table's repeat (`grp_a/age`).
public struct ExportLayout: Sendable {
    public let formId: String
    public let tables: [Table]
    let labels: Bool

    public struct Table: Sendable {
        /// `form_id` for the interviews, `form_id-repeat` for a repeat.
        public let name: String
        /// The repeat, nil for the interviews' table.
        public let repeatName: String?
        public let columns: [String]
        let fields: [Field]
    }

    public enum Cell: Sendable, Equatable {
        case text(String)
        /// A number as stored, for spreadsheets to read as a number.
        case number(String)

        public var text: String {
            switch self {
            case .text(let text), .number(let text): return text
            }
        }
    }

    /// A field and how it becomes cells; the newest version that has it gives its choices. Only
    /// what the cells need is kept: this is copied for every field of every interview.
    struct Field: Sendable {
        let name: String
        let kind: FieldType.Kind?
        let choices: [String]
        /// Choice name to label, when exporting labels.
        let labels: [String: String]
    }

    /// A location's columns after its value, as ODK Central names them.
    static let pointParts = ["Latitude", "Longitude", "Altitude", "Accuracy"]

    static func isPoint(_ kind: FieldType.Kind?) -> Bool { kind == .geopoint || kind == .startGeopoint }

    public static let interviewColumns = ["_id", "_status", "_surveyor", "_device", "_created", "_updated", "_form_version"]
    public static let repeatColumns = ["_parent_id", "_path"]

    /// `versions` are one form's versions, oldest first.
    public init(versions: [Form], labels: Bool, language: String?) {
        let newest = versions.last!
        formId = newest.formId
        self.labels = labels
        var byRepeat: [String: [Field]] = [:]
        var repeatOrder: [String] = []
        var seen = Set<String>()
        for form in versions.reversed() {
            for located in form.located {
                let entry = located.entry
                if entry.kind == .repeat, !repeatOrder.contains(entry.name) { repeatOrder.append(entry.name) }
                let scope = located.repeats.last ?? ""
                guard !entry.isContainer, entry.kind != .note, seen.insert(scope + "\u{1}" + located.localKey).inserted else { continue }
                let choices = entry.type.list.flatMap { form.choiceList($0)?.choices } ?? []
                let language = language ?? newest.defaultLanguage
                byRepeat[scope, default: []].append(Field(
                    name: located.localKey, kind: entry.kind, choices: choices.map(\.name),
                    labels: labels ? Dictionary(choices.map { ($0.name, $0.label?.text(in: language) ?? $0.name) }) { a, _ in a } : [:]))
            }
        }
        func columns(_ fields: [Field]) -> [String] {
            fields.flatMap { field in
                [field.name] + (field.kind == .selectMultiple ? field.choices.map { "\(field.name)/\($0)" } : [])
                    + (Self.isPoint(field.kind) ? Self.pointParts.map { "\(field.name)-\($0)" } : [])
            }
        }
        let main = byRepeat[""] ?? [], formId = newest.formId
        tables = [Table(name: formId, repeatName: nil, columns: Self.interviewColumns + columns(main) + ["_conflicts"], fields: main)]
            + repeatOrder.map { name in
                let fields = byRepeat[name] ?? []
                return Table(name: "\(formId)-\(name)", repeatName: name, columns: Self.repeatColumns + columns(fields), fields: fields)
            }
    }

    /// Interview facts the store keeps beside the answers.
    public struct Interview: Sendable {
        public var id, status, surveyor, device, created, updated, formVersion: String
        public var conflicts: [String]

        public init(id: String, status: String, surveyor: String, device: String, created: String, updated: String,
                    formVersion: String, conflicts: [String]) {
            self.id = id
            self.status = status
            self.surveyor = surveyor
            self.device = device
            self.created = created
            self.updated = updated
            self.formVersion = formVersion
            self.conflicts = conflicts
        }
    }

    /// Rows for one interview, as (table index, cells). `answers` should be recalculated, so that
    /// calculations are exported; `engine` is the interview's own version, which knows its repeats.
    public func rows(_ interview: Interview, _ answers: Answers, engine: FormEngine) -> [(table: Int, cells: [Cell])] {
        let meta = [interview.id, interview.status, interview.surveyor, interview.device, interview.created,
                    interview.updated, interview.formVersion].map(Cell.text)
        var result = [(0, meta + cells(tables[0].fields, prefix: "", answers) + [.text(interview.conflicts.joined(separator: " "))])]
        for (t, table) in tables.enumerated().dropFirst() {
            guard let row = engine.row(table.repeatName!) else { continue }
            for prefix in instancePrefixes(row.repeats + [row.entry.name], answers, engine) {
                let path = String(prefix.dropLast())
                result.append((t, [.text(interview.id), .text(path)] + cells(table.fields, prefix: prefix, answers)))
            }
        }
        return result
    }

    /// `members[1]/`, `members[2]/`, ... (and `a[1]/b[2]/` for nested repeats).
    func instancePrefixes(_ repeats: [String], _ answers: Answers, _ engine: FormEngine) -> [String] {
        var prefixes = [""]
        for name in repeats {
            prefixes = prefixes.flatMap { prefix in
                (0..<engine.instanceCount(prefix + name, answers)).map { "\(prefix)\(name)[\($0 + 1)]/" }
            }
        }
        return prefixes
    }

    func cells(_ fields: [Field], prefix: String, _ answers: Answers) -> [Cell] {
        var cells: [Cell] = []
        cells.reserveCapacity(fields.count + 8)
        for field in fields {
            let value = answers[prefix.isEmpty ? field.name : prefix + field.name] ?? ""
            switch field.kind {
            case .integer?, .decimal?, .range?:
                cells.append(value.isEmpty ? .text("") : .number(value))
            case .selectOne?:
                cells.append(.text(labels ? field.labels[value] ?? value : value))
            case .selectMultiple?:
                let picked = value.split(separator: " ").map(String.init)
                cells.append(.text(labels ? picked.map { field.labels[$0] ?? $0 }.joined(separator: "; ") : value))
                for choice in field.choices { cells.append(value.isEmpty ? .text("") : .number(picked.contains(choice) ? "1" : "0")) }
            case .geopoint?, .startGeopoint?:
                cells.append(.text(value))
                let parts = value.split(separator: " ").map(String.init)
                for index in Self.pointParts.indices {
                    cells.append(index < parts.count && Double(parts[index]) != nil ? .number(parts[index]) : .text(""))
                }
            default:
                cells.append(.text(value))
            }
        }
        return cells
    }
}
