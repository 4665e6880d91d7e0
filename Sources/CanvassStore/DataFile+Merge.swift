import CanvassCore
import Crypto
import Foundation
import GRDB

extension DataFile {
    /// Merges one source file into this one: a union of forms, interviews and revisions, then the
    /// heads of the fields it touched recomputed. Idempotent, commutative and associative by
    /// construction. The source is untrusted: it is checked whole before anything is written, and
    /// everything it adds is one transaction, so a refusal or a kill leaves this file as it was.
    public func merge(source path: String, dryRun: Bool = false) -> MergeReport {
        do {
            return try mergeChecked(source: path, dryRun: dryRun)
        } catch let error as StoreError {
            return MergeReport(path: path, outcome: .refused, reason: error.errorDescription)
        } catch {
            return MergeReport(path: path, outcome: .refused, reason: DataFile.describe(error, path: path).errorDescription)
        }
    }

    func mergeChecked(source path: String, dryRun: Bool) throws -> MergeReport {
        let source = try DataFile(path: path, mode: .untrusted, environment: environment)
        guard source.id != id else { throw StoreError.refused(path: path, reason: "it is the target itself (same file id)") }
        var report = MergeReport(path: path, fileID: source.id, outcome: .merged)

        // The version vector: what we hold from each origin is skipped without being read.
        let held = try read { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT origin, counter FROM origin").map { ($0[0] as String, $0[1] as Int64) })
        }
        let known = try read { db in try String.fetchAll(db, sql: "SELECT sha256 FROM form") }
        let offeredForms = try source.read { db in try String.fetchAll(db, sql: "SELECT sha256 FROM form") }
        // The source's own vector decides "already merged" without touching its rows. If it
        // understated what the file holds, only the source would lose: nothing is taken from it.
        let claimed = try source.read { db in
            try Row.fetchAll(db, sql: "SELECT origin, counter FROM origin").map { ($0[0] as String, $0[1] as Int64) }
        }
        if claimed.allSatisfy({ $0.1 <= held[$0.0, default: 0] }) && offeredForms.allSatisfy(known.contains)
            && !claimed.isEmpty {
            report.outcome = .alreadyMerged
            return report
        }
        // Otherwise the real vector, from the rows themselves: it becomes ours, so it must not be taken on trust.
        let offered = try source.read { db in
            try Row.fetchAll(db, sql: "SELECT origin, max(counter) FROM revision GROUP BY origin").map { ($0[0] as String, $0[1] as Int64) }
        }
        let wanted = offered.filter { $0.1 > held[$0.0, default: 0] }
        if wanted.isEmpty && offeredForms.allSatisfy(known.contains) {
            report.outcome = .alreadyMerged
            return report
        }
        // Something is new: now the whole file is checked before anything of it is used.
        try source.quickCheck()


        // Forms: each must match its own hash, be a valid form, and not clash with ours.
        let sourceForms = try source.read { db in try Row.fetchAll(db, sql: "SELECT sha256, form_id, version, definition FROM form") }
        var engines: [String: FormEngine] = [:]
        var newForms: [Form] = []
        for row in sourceForms {
            let sha: String = row["sha256"]
            // A form we hold already is used from here: the source's copy is not needed.
            if known.contains(sha) { continue }
            guard let form = try? Form(canonicalJSON: Data((row["definition"] as String).utf8)), form.sha256 == sha,
                form.formId == (row["form_id"] as String), form.version == (row["version"] as String)
            else { throw StoreError.refused(path: path, reason: "its embedded form \(row["form_id"] as String) does not match its sha256") }
            if let error = FormChecker.check(form).first(where: { $0.severity == .error }) {
                throw StoreError.refused(path: path, reason: "its embedded form \(form.formId) \(form.version) is not valid: \(error.message)")
            }
            engines[sha] = try engine(for: form)
            if let existing = try read({ db in
                try String.fetchOne(db, sql: "SELECT sha256 FROM form WHERE form_id = ? AND version = ?", arguments: [form.formId, form.version])
            }) {
                throw StoreError.formClash(formId: form.formId, version: form.version, existing: existing, incoming: sha)
            }
            newForms.append(form)
        }
        for (sha, engine) in try targetEngines() where engines[sha] == nil { engines[sha] = engine }

        // Check what is new: every distinct (form, field, value) it brings, and that every revision
        // names an interview the source holds. Rows are read once, by SQLite, not one by one.
        var filter = wanted.map { _ in "(origin = ? AND counter > ?)" }.joined(separator: " OR ")
        filter = "(\(filter))"
        var arguments = StatementArguments()
        for (origin, _) in wanted { arguments += [origin, held[origin, default: 0]] }
        let filterArguments = arguments
        try source.read { db in
            let orphans = try Int.fetchOne(db, sql: """
                SELECT count(*) FROM revision WHERE \(filter) AND interview NOT IN (SELECT id FROM interview)
                """, arguments: filterArguments) ?? 0
            if orphans > 0 { throw StoreError.refused(path: path, reason: "\(orphans) revisions name interviews it does not hold") }
            // With one form (the usual case) no join is needed to know each value's form.
            let single = sourceForms.count == 1 ? sourceForms[0]["sha256"] as String : nil
            let values = try Row.fetchCursor(db, sql: single != nil ? """
                SELECT DISTINCT ?, field, value FROM revision WHERE \(filter)
                """ : """
                SELECT DISTINCT interview.form, revision.field, revision.value FROM revision
                JOIN interview ON interview.id = revision.interview WHERE \(filter.replacingOccurrences(of: "origin", with: "revision.origin").replacingOccurrences(of: "counter", with: "revision.counter"))
                """, arguments: single.map { [$0] + filterArguments } ?? filterArguments)
            while let row = try values.next() {
                guard let engine = engines[row[0] as String] else {
                    throw StoreError.refused(path: path, reason: "an interview uses a form it does not embed")
                }
                if let problem = engine.problem(field: row[1], value: row[2]) { throw StoreError.refused(path: path, reason: problem) }
            }
        }

        let sha = try Self.sha256(ofFileAt: path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "ATTACH DATABASE ? AS src", arguments: [Self.readOnlyURI(path)])
            defer { try? db.execute(sql: "DETACH DATABASE src") }
            try db.inTransaction(.immediate) {
                let merge = MergeWriter(db: db, engines: engines, filter: filter, arguments: filterArguments, path: path)
                for form in newForms {
                    try db.execute(sql: "INSERT INTO form (sha256, form_id, version, definition) VALUES (?, ?, ?, ?)",
                                   arguments: [form.sha256, form.formId, form.version, String(decoding: form.canonicalJSON(), as: UTF8.self)])
                }
                let counts = try merge.run()
                report.newInterviews = counts.newInterviews
                report.changedInterviews = counts.changedInterviews
                report.newRevisions = counts.newRevisions
                report.newForms = newForms.count
                for (origin, counter) in wanted {
                    // The source of an origin is the file that wrote it once that file is merged itself.
                    try db.execute(sql: """
                        INSERT INTO origin (origin, counter, source) VALUES (?, ?, ?)
                        ON CONFLICT (origin) DO UPDATE SET counter = max(counter, excluded.counter),
                            source = CASE WHEN excluded.source NOT LIKE 'via %' THEN excluded.source ELSE source END
                        """, arguments: [origin, counter, origin == source.id ? path : "via \(path)"])
                }
                // Our clock moves past every merged revision, so later edits here come after them.
                var clock = HybridClock(last: try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'hlc'").flatMap { Int64($0) } ?? 0)
                clock.observe(try Int64.fetchOne(db, sql: "SELECT max(hlc) FROM (SELECT hlc FROM src.revision WHERE \(filter))", arguments: filterArguments) ?? 0)
                try db.execute(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES ('hlc', ?)", arguments: [String(clock.last)])
                try db.execute(sql: """
                    INSERT INTO merge_log (source_id, path, sha256, time, new_interviews, new_revisions, changed_interviews)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [source.id, path, sha, environment.now().iso8601, report.newInterviews, report.newRevisions, report.changedInterviews])
                return dryRun ? .rollback : .commit
            }
        }
        return report
    }

    /// A read-only URI for ATTACH, so the source cannot be changed through the target's connection.
    static func readOnlyURI(_ path: String) -> String {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        let allowed = CharacterSet.urlPathAllowed.subtracting(CharacterSet(charactersIn: "?#%"))
        return "file:\(absolute.addingPercentEncoding(withAllowedCharacters: allowed) ?? absolute)?mode=ro"
    }

    func targetEngines() throws -> [String: FormEngine] {
        let shas = try read { db in try String.fetchAll(db, sql: "SELECT sha256 FROM form") }
        var engines: [String: FormEngine] = [:]
        for sha in shas {
            engines[sha] = try engineCache.withLock { $0[sha] } ?? engine(for: try form(sha256: sha))
        }
        return engines
    }

    /// Engines are made once per form and kept: a merge of hundreds of files sees the same few forms.
    func engine(for form: Form) throws -> FormEngine {
        let sha = form.sha256
        if let engine = engineCache.withLock({ $0[sha] }) { return engine }
        let engine = try FormEngine(form: form)
        engineCache.withLock { $0[sha] = engine }
        return engine
    }

    static func sha256(ofFileAt path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw StoreError.notFound(path: path) }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}

/// The writing half of a merge, inside the target's transaction with the source attached as `src`.
///
/// SQLite copies the rows; Swift only recomputes what needs the form. Interviews new to the target
/// (nearly all, in a fleet merge) get their heads in one SQL statement: a revision is a head when no
/// other revision of its field names it as a parent. Interviews the target already had are rare and
/// go through `recompute`, which reads only their old heads and the new revisions.
struct MergeWriter {
    let db: Database
    let engines: [String: FormEngine]
    /// Which source revisions are new: `(origin = ? AND counter > ?) OR ...`, with its arguments.
    let filter: String
    let arguments: StatementArguments
    /// The source's path, for messages.
    let path: String

    struct Counts {
        var newInterviews = 0, newRevisions = 0, changedInterviews = 0
    }

    func run() throws -> Counts {
        var counts = Counts()
        let source = "SELECT * FROM src.revision WHERE \(filter)"
        // Interview facts never change: the same id with other facts is two files that disagree.
        if let clash = try Row.fetchOne(db, sql: """
            SELECT s.id FROM src.interview s JOIN main.interview m ON m.id = s.id
            WHERE s.id IN (SELECT interview FROM (\(source)))
              AND (s.form != m.form OR s.surveyor != m.surveyor OR s.device != m.device OR s.mode != m.mode OR s.created != m.created)
            LIMIT 1
            """, arguments: arguments) {
            throw StoreError.refused(path: path, reason: "interview \(clash[0] as String) exists here with other facts (form, surveyor, device or creation); the two files disagree on who made it")
        }
        // One pass over the new rows: which interviews they touch, and each one's latest time.
        var newest: [String: String] = [:], oldIDs: [String] = []
        for row in try Row.fetchAll(db, sql: "SELECT interview, max(time) FROM (\(source)) GROUP BY interview", arguments: arguments) {
            let id: String = row[0]
            if try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM main.interview WHERE id = ?"), arguments: [id]) == true {
                oldIDs.append(id)
            } else {
                newest[id] = row[1]
            }
        }
        try db.execute(sql: "DROP TABLE IF EXISTS temp.merge_new; CREATE TEMP TABLE merge_new (id TEXT PRIMARY KEY) WITHOUT ROWID")
        let addNew = try db.makeStatement(sql: "INSERT INTO temp.merge_new VALUES (?)")
        for id in newest.keys { try addNew.execute(arguments: [id]) }
        // The new revisions of interviews already here, read before they are inserted.
        var old: [Revision] = []
        if !oldIDs.isEmpty {
            old = try Row.fetchAll(db, sql: "\(source) AND interview NOT IN (SELECT id FROM temp.merge_new)", arguments: arguments)
                .map(DataFile.revision)
        }
        try db.execute(sql: """
            INSERT INTO main.interview (id, form, surveyor, device, mode, created, updated)
            SELECT id, form, surveyor, device, mode, created, created FROM src.interview WHERE id IN (SELECT id FROM temp.merge_new)
            """)
        counts.newInterviews = db.changesCount
        try db.execute(sql: "INSERT OR IGNORE INTO main.revision \(source)", arguments: arguments)
        counts.newRevisions = db.changesCount
        // Heads of the new interviews: their revisions that no other names as a parent. The few
        // revisions with parents are read to list the superseded ones; SQLite does the rest.
        try db.execute(sql: "DROP TABLE IF EXISTS temp.merge_superseded")
        try db.execute(sql: "CREATE TEMP TABLE merge_superseded (origin TEXT, counter INTEGER, PRIMARY KEY (origin, counter)) WITHOUT ROWID")
        let superseded = try db.makeStatement(sql: "INSERT OR IGNORE INTO temp.merge_superseded VALUES (?, ?)")
        for parents in try String.fetchAll(db, sql: "SELECT parents FROM (\(source)) WHERE parents != ''", arguments: arguments) {
            for id in Writer.parseParents(parents) { try superseded.execute(arguments: [id.origin, id.counter]) }
        }
        // Rows come in (origin, counter) order, so a field's heads are appended already sorted; a
        // second head with another value turns the field into a conflict.
        try db.execute(sql: """
            INSERT INTO main.current (interview, field, value, heads, conflict)
            SELECT r.interview, r.field, r.value, r.origin || ':' || r.counter, 0 FROM (\(source)) r
            WHERE r.field != '\(ReservedField.note)' AND r.interview IN (SELECT id FROM temp.merge_new)
              AND NOT EXISTS (SELECT 1 FROM temp.merge_superseded s WHERE s.origin = r.origin AND s.counter = r.counter)
            ORDER BY r.origin, r.counter
            ON CONFLICT (interview, field) DO UPDATE SET
                heads = heads || ' ' || excluded.heads,
                conflict = CASE WHEN conflict = 0 AND value IS excluded.value THEN 0 ELSE 1 END,
                value = CASE WHEN conflict = 0 AND value IS excluded.value THEN value END
            """, arguments: arguments)
        for (id, time) in newest.sorted(by: { $0.key < $1.key }) {
            try updateDerived(id, state: try currentState(id, fields: keyFields(id)), newest: time)
        }
        counts.changedInterviews = try recompute(old).count
        return counts
    }

    /// The fields the derived columns need: the status and what the case key refers to.
    func keyFields(_ interview: String) throws -> [String]? {
        guard let form = try String.fetchOne(db.cachedStatement(sql: "SELECT form FROM main.interview WHERE id = ?"), arguments: [interview]),
              let engine = engines[form]
        else { return nil }
        return engine.caseKeyFields.map { [ReservedField.status] + $0 }
    }

    /// New heads of each touched field: (old heads ∪ new revisions) − parents named by the new ones.
    /// Files are closed under parents, so older revisions never need to be read. Returns the
    /// interviews whose current values changed.
    func recompute(_ revisions: [Revision]) throws -> Set<String> {
        let all = Dictionary(grouping: revisions, by: \.interview)
        let upsert = try db.makeStatement(sql: """
            INSERT INTO current (interview, field, value, heads, conflict) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (interview, field) DO UPDATE SET value = excluded.value, heads = excluded.heads, conflict = excluded.conflict
            """)
        var changed = Set<String>()
        for (interview, its) in all.sorted(by: { $0.key < $1.key }) {
            let incoming = Dictionary(grouping: its.filter { $0.field != ReservedField.note }, by: \.field)
            var state = try currentState(interview, fields: nil)
            for (field, new) in incoming {
                let old = state[field] ?? []
                let superseded = Set(new.flatMap(\.parents))
                let heads = (old + new).filter { !superseded.contains($0.id) }
                let unique = Dictionary(heads.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }).values.sorted { $0.id < $1.id }
                guard unique.map(\.id) != old.map(\.id).sorted() else { continue }
                let merged = FieldState(revisions: Array(unique))
                try upsert.execute(arguments: [
                    interview, field, merged.value, Writer.formatParents(merged.headIDs), merged.isConflict ? 1 : 0,
                ])
                state[field] = Array(unique)
                changed.insert(interview)
            }
            try updateDerived(interview, state: state, newest: its.map(\.time).max())
        }
        return changed
    }

    /// The current heads of an interview's fields (all, or the ones named), as revisions (values
    /// from `current`, or from the log for fields in conflict).
    func currentState(_ interview: String, fields: [String]?) throws -> [String: [Revision]] {
        var state: [String: [Revision]] = [:]
        var sql = "SELECT field, value, heads, conflict FROM current WHERE interview = ?"
        var arguments: StatementArguments = [interview]
        if let fields {
            sql += " AND field IN (\(fields.map { _ in "?" }.joined(separator: ", ")))"
            arguments += StatementArguments(fields)
        }
        for row in try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments) {
            let field: String = row["field"]
            let ids = Writer.parseParents(row["heads"])
            if (row["conflict"] as Int) == 0 {
                state[field] = ids.map { Revision(id: $0, interview: interview, field: field, value: row["value"], author: "", device: "", hlc: 0, time: "", parents: []) }
            } else {
                state[field] = try ids.compactMap { id in
                    try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM revision WHERE origin = ? AND counter = ?"), arguments: [id.origin, id.counter]).map(DataFile.revision)
                }
            }
        }
        return state
    }

    /// Status, case key and last update, derived from the current values.
    func updateDerived(_ interview: String, state: [String: [Revision]], newest: String?) throws {
        guard let form: String = try String.fetchOne(db.cachedStatement(sql: "SELECT form FROM interview WHERE id = ?"), arguments: [interview]) else { return }
        var answers: Answers = [:]
        for (field, heads) in state where !ReservedField.isReserved(field) {
            if let value = FieldState(revisions: heads).value { answers[field] = value }
        }
        let statusHeads = state[ReservedField.status] ?? []
        let status = statusHeads.max { ($0.hlc, $0.id) < ($1.hlc, $1.id) }?.value ?? InterviewStatus.draft.rawValue
        let key = engines[form]?.caseKey(answers)
        try db.cachedStatement(sql: "UPDATE interview SET status = ?, key = ?, updated = max(updated, coalesce(?, updated)) WHERE id = ?")
            .execute(arguments: [status, key, newest, interview])
    }
}
