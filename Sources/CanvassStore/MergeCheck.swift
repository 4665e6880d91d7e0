import CanvassCore
import Foundation
import GRDB

/// What the target holds, as checking a source needs it. Taken before the previous source is
/// written, so the check can run on the other core meanwhile; `MergeOffer.basis` records what it
/// assumed, and the write checks it again.
struct MergeSnapshot: Sendable {
    var held: [String: Int64]
    var engines: [String: FormEngine]
}

/// A source checked whole and read once, ready to be written: everything that needs the form
/// (value checks, status, case key) is worked out here, off the writing thread.
struct MergeOffer: Sendable {
    var path: String
    var sourceID: String
    var stamp: FileStamp
    var alreadyMerged = false
    /// The target's counter the check assumed for every origin the source holds.
    var basis: [String: Int64] = [:]
    /// Origins with rows the target lacks, with the highest counter the source holds of each.
    var wanted: [(origin: String, counter: Int64)] = []
    var newForms: [Form] = []
    var engines: [String: FormEngine] = [:]
    /// Every interview the new rows touch, with what the target needs if the interview is new to it.
    var interviews: [String: TouchedInterview] = [:]
    /// Revisions the new rows name as parents.
    var superseded: [RevisionID] = []
    var maxHLC: Int64 = 0
    var sha256 = ""

    /// Which source revisions are new: `(origin = ? AND counter > ?) OR ...`, with its arguments.
    var filter: (sql: String, arguments: StatementArguments) {
        let sql = wanted.map { _ in "(origin = ? AND counter > ?)" }.joined(separator: " OR ")
        var arguments = StatementArguments()
        for (origin, _) in wanted { arguments += [origin, basis[origin, default: 0]] }
        return ("(\(sql))", arguments)
    }
}

/// An interview's facts as the source has them, and its status, case key and latest change as
/// derived from the source's revisions (which are all of its revisions when it is new to the target).
struct TouchedInterview: Sendable {
    var form, surveyor, device, mode, created: String
    var status = InterviewStatus.draft.rawValue
    var key: String?
    var newest = ""
}

/// A file's identity, size and last change, and its WAL's size: to notice a source replaced or
/// written to between its check and its write. (Only the WAL's size: opening a file read-only
/// can touch its WAL.)
struct FileStamp: Sendable, Equatable {
    var values: [Int]

    init(path: String) {
        var info = stat(), wal = stat()
        values = stat(path, &info) == 0
            ? [Int(info.st_dev), Int(info.st_ino), Int(info.st_size), info.st_mtim.tv_sec, info.st_mtim.tv_nsec] : [-1]
        // An absent WAL is an empty one: opening the file may create it.
        values.append(stat(path + "-wal", &wal) == 0 ? Int(wal.st_size) : 0)
    }
}

extension DataFile {
    func mergeSnapshot() throws -> MergeSnapshot {
        try read { db in try mergeSnapshot(db) }
    }

    func mergeSnapshot(_ db: Database) throws -> MergeSnapshot {
        let held = try Row.fetchAll(db, sql: "SELECT origin, counter FROM origin").map { ($0[0] as String, $0[1] as Int64) }
        return MergeSnapshot(held: Dictionary(uniqueKeysWithValues: held), engines: try targetEngines(db))
    }

    /// Checks a source against what the target held at `snapshot`: read-only, safe on any thread.
    /// Nothing is taken on trust: its pages (quick_check), schema, forms, every value against its
    /// form, and that every revision names an interview it holds.
    func check(source path: String, against snapshot: MergeSnapshot) throws -> MergeOffer {
        let stamp = FileStamp(path: path)
        let source = try DataFile(path: path, mode: .untrusted, environment: environment)
        guard source.id != id else { throw StoreError.refused(path: path, reason: "it is the target itself (same file id)") }
        var offer = MergeOffer(path: path, sourceID: source.id, stamp: stamp)
        let held = snapshot.held

        // The source's own vector decides "already merged" without touching its rows. If it
        // understated what the file holds, only the source would lose: nothing is taken from it.
        let offeredForms = try source.read { db in try Row.fetchAll(db, sql: "SELECT sha256, form_id, version, definition FROM form") }
        let claimed = try source.read { db in
            try Row.fetchAll(db, sql: "SELECT origin, counter FROM origin").map { ($0[0] as String, $0[1] as Int64) }
        }
        let formsKnown = offeredForms.allSatisfy { snapshot.engines[$0[0] as String] != nil }
        if formsKnown && !claimed.isEmpty && claimed.allSatisfy({ $0.1 <= held[$0.0, default: 0] }) {
            offer.alreadyMerged = true
            return offer
        }
        // Otherwise the file is checked whole before anything of it is used.
        try source.quickCheck()
        var engines = snapshot.engines
        for row in offeredForms {
            let sha: String = row["sha256"]
            // A form we hold already is used from here: the source's copy is not needed.
            if engines[sha] != nil { continue }
            guard let form = try? Form(canonicalJSON: Data((row["definition"] as String).utf8)), form.sha256 == sha,
                form.formId == (row["form_id"] as String), form.version == (row["version"] as String)
            else { throw StoreError.refused(path: path, reason: "its embedded form \(row["form_id"] as String) does not match its sha256") }
            if let error = FormChecker.check(form).first(where: { $0.severity == .error }) {
                throw StoreError.refused(path: path, reason: "its embedded form \(form.formId) \(form.version) is not valid: \(error.message)")
            }
            engines[sha] = try engine(for: form)
            offer.newForms.append(form)
        }
        offer.engines = engines
        try source.read { db in try scan(db, into: &offer, held: held, engines: engines) }
        if offer.wanted.isEmpty && offer.newForms.isEmpty {
            offer.alreadyMerged = true
            return offer
        }
        offer.sha256 = try Self.sha256(ofFileAt: path)
        return offer
    }

    /// One pass over the source's log, in key order, reading with SQLite's own calls: the real
    /// version vector, and for every row the target lacks its checks and what it changes.
    private func scan(_ db: Database, into offer: inout MergeOffer, held: [String: Int64], engines: [String: FormEngine]) throws {
        let path = offer.path
        var interviews: [String: TouchedInterview] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, form, surveyor, device, mode, created FROM interview") {
            interviews[row[0]] = TouchedInterview(form: row[1], surveyor: row[2], device: row[3], mode: row[4], created: row[5])
        }
        // The fields each form's status and case key need (nil: all of them, the key being calculated).
        let keyFields = engines.mapValues { engine in engine.caseKeyFields.map { Set([ReservedField.status] + $0) } }

        struct Checked: Hashable { var form, field: String; var value: String? }
        var checked = Set<Checked>()
        var touched: [String: TouchedInterview] = [:]
        var deriving: [String: [Revision]] = [:]
        var orphans = 0
        var origins: [(origin: String, counter: Int64)] = []
        let statement = try db.makeStatement(sql: "SELECT origin, counter, interview, field, value, hlc, time, parents FROM revision ORDER BY origin, counter")
        let rows = ValueRows(statement.sqliteStatement)
        try withExtendedLifetime(statement) {
            var originHeld: Int64 = 0
            while try rows.step() {
                let counter = Int64(rows.int(1))
                if origins.isEmpty || !rows.equals(0, origins[origins.count - 1].origin) {
                    let origin = rows.text(0) ?? ""
                    origins.append((origin, counter))
                    originHeld = held[origin, default: 0]
                }
                origins[origins.count - 1].counter = counter
                guard counter > originHeld else { continue }
                guard let interview = rows.text(2), var facts = touched[interview] ?? interviews[interview] else {
                    orphans += 1
                    continue
                }
                let field = rows.text(3) ?? "", value = rows.text(4)
                if checked.insert(Checked(form: facts.form, field: field, value: value)).inserted {
                    guard let engine = engines[facts.form] else {
                        throw StoreError.refused(path: path, reason: "an interview uses a form it does not embed")
                    }
                    if let problem = engine.problem(field: field, value: value) { throw StoreError.refused(path: path, reason: problem) }
                }
                let hlc = Int64(rows.int(5)), time = rows.text(6) ?? ""
                let parents = rows.text(7).map(Writer.parseParents) ?? []
                offer.maxHLC = max(offer.maxHLC, hlc)
                offer.superseded += parents
                facts.newest = max(facts.newest, time)
                touched[interview] = facts
                if keyFields[facts.form]??.contains(field) ?? true {
                    let revision = Revision(id: RevisionID(origin: origins[origins.count - 1].origin, counter: counter), interview: interview,
                                            field: field, value: value, author: "", device: "", hlc: hlc, time: time, parents: parents)
                    deriving[interview, default: []].append(revision)
                }
            }
        }
        if orphans > 0 { throw StoreError.refused(path: path, reason: "\(orphans) revisions name interviews it does not hold") }
        for (id, facts) in touched {
            touched[id] = Self.derive(facts, from: deriving[id] ?? [], engine: engines[facts.form])
        }
        offer.interviews = touched
        offer.basis = Dictionary(origins.map { ($0.origin, held[$0.origin, default: 0]) }, uniquingKeysWith: max)
        offer.wanted = origins.filter { $0.counter > held[$0.origin, default: 0] }
    }

    /// Status and case key from an interview's revisions: the latest status head, and the key
    /// from the values of the fields it names.
    static func derive(_ facts: TouchedInterview, from revisions: [Revision], engine: FormEngine?) -> TouchedInterview {
        var facts = facts
        var answers: Answers = [:]
        var statusHeads: [Revision] = []
        for (field, its) in Dictionary(grouping: revisions, by: \.field) {
            let state = FieldState(revisions: its)
            if field == ReservedField.status { statusHeads = state.heads }
            if !ReservedField.isReserved(field), let value = state.value { answers[field] = value }
        }
        facts.status = statusHeads.max { ($0.hlc, $0.id) < ($1.hlc, $1.id) }?.value ?? InterviewStatus.draft.rawValue
        facts.key = engine?.caseKey(answers)
        return facts
    }
}
