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
        } catch let error as MergeRefusal {
            return MergeReport(path: path, outcome: .refused, reason: "\(path): \(error.reason)")
        } catch {
            return MergeReport(path: path, outcome: .refused, reason: DataFile.describe(error, path: path).errorDescription)
        }
    }

    struct MergeRefusal: Error {
        var reason: String
    }

    func mergeChecked(source path: String, dryRun: Bool) throws -> MergeReport {
        let source = try DataFile(path: path, mode: .untrusted, environment: environment)
        guard source.id != id else { throw MergeRefusal(reason: "it is the target itself (same file id)") }
        var report = MergeReport(path: path, fileID: source.id, outcome: .merged)

        // Forms: each must match its own hash, be a valid form, and not clash with ours.
        let sourceForms = try source.read { db in try Row.fetchAll(db, sql: "SELECT sha256, form_id, version, definition FROM form") }
        var engines: [String: FormEngine] = [:]
        var newForms: [Form] = []
        let known = try read { db in try String.fetchAll(db, sql: "SELECT sha256 FROM form") }
        for row in sourceForms {
            let sha: String = row["sha256"]
            guard let form = try? Form(canonicalJSON: Data((row["definition"] as String).utf8)), form.sha256 == sha,
                form.formId == (row["form_id"] as String), form.version == (row["version"] as String)
            else { throw MergeRefusal(reason: "its embedded form \(row["form_id"] as String) does not match its sha256") }
            if let error = FormChecker.check(form).first(where: { $0.severity == .error }) {
                throw MergeRefusal(reason: "its embedded form \(form.formId) \(form.version) is not valid: \(error.message)")
            }
            engines[sha] = try engine(for: form)
            if !known.contains(sha) {
                if let existing = try read({ db in
                    try String.fetchOne(db, sql: "SELECT sha256 FROM form WHERE form_id = ? AND version = ?", arguments: [form.formId, form.version])
                }) {
                    throw StoreError.formClash(formId: form.formId, version: form.version, existing: existing, incoming: sha)
                }
                newForms.append(form)
            }
        }
        for (sha, engine) in try targetEngines() where engines[sha] == nil { engines[sha] = engine }

        // The version vector: what we hold from each origin is skipped without being read.
        let held = try read { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT origin, counter FROM origin").map { ($0[0] as String, $0[1] as Int64) })
        }
        let offered = try source.read { db in
            try Row.fetchAll(db, sql: "SELECT origin, max(counter) FROM revision GROUP BY origin").map { ($0[0] as String, $0[1] as Int64) }
        }
        let wanted = offered.filter { $0.1 > held[$0.0, default: 0] }
        if wanted.isEmpty && newForms.isEmpty {
            report.outcome = .alreadyMerged
            return report
        }

        // Read and check what is new.
        let sourceInterviews = try source.read { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT id, form, surveyor, device, mode, created FROM interview").map { ($0["id"] as String, $0) })
        }
        var revisions: [Revision] = []
        try source.read { db in
            for (origin, _) in wanted {
                let rows = try Row.fetchCursor(db, sql: "SELECT * FROM revision WHERE origin = ? AND counter > ? ORDER BY counter",
                                               arguments: [origin, held[origin, default: 0]])
                while let row = try rows.next() { revisions.append(DataFile.revision(row)) }
            }
        }
        for revision in revisions {
            guard let interview = sourceInterviews[revision.interview], let engine = engines[interview["form"] as String] else {
                throw MergeRefusal(reason: "revision \(revision.id) names an interview it does not hold")
            }
            if let problem = engine.problem(with: revision) {
                throw MergeRefusal(reason: "revision \(revision.id) of interview \(revision.interview): \(problem)")
            }
        }
        let touchedIDs = Set(revisions.map(\.interview))

        let sha = try Self.sha256(ofFileAt: path)
        try queue.writeWithoutTransaction { db in
            try db.inTransaction(.immediate) {
                var merge = MergeWriter(db: db, engines: engines)
                for form in newForms {
                    try db.execute(sql: "INSERT INTO form (sha256, form_id, version, definition) VALUES (?, ?, ?, ?)",
                                   arguments: [form.sha256, form.formId, form.version, String(decoding: form.canonicalJSON(), as: UTF8.self)])
                }
                var added = Set<String>()
                for id in touchedIDs.sorted() {
                    guard let row = sourceInterviews[id] else { continue }
                    if try merge.addInterview(row, path: path) { added.insert(id) }
                }
                try merge.insert(revisions)
                report.newInterviews = added.count
                report.changedInterviews = try merge.recompute(revisions).subtracting(added).count
                report.newRevisions = revisions.count
                report.newForms = newForms.count
                for (origin, counter) in wanted {
                    try db.execute(sql: """
                        INSERT INTO origin (origin, counter, source) VALUES (?, ?, ?)
                        ON CONFLICT (origin) DO UPDATE SET counter = max(counter, excluded.counter)
                        """, arguments: [origin, counter, origin == source.id ? path : "via \(path)"])
                }
                try db.execute(sql: """
                    INSERT INTO merge_log (source_id, path, sha256, time, new_interviews, new_revisions, changed_interviews)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [source.id, path, sha, environment.now().iso8601, report.newInterviews, report.newRevisions, report.changedInterviews])
                return dryRun ? .rollback : .commit
            }
        }
        return report
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

/// The writing half of a merge: inserts rows, then recomputes heads and derived columns.
struct MergeWriter {
    let db: Database
    let engines: [String: FormEngine]

    /// Adds an interview unless present; the same id with other facts is a refusal. True when new.
    mutating func addInterview(_ row: Row, path: String) throws -> Bool {
        let id: String = row["id"]
        if let existing = try Row.fetchOne(db, sql: "SELECT form, surveyor, device, mode, created FROM interview WHERE id = ?", arguments: [id]) {
            for column in ["form", "surveyor", "device", "mode", "created"] where (existing[column] as String) != (row[column] as String) {
                throw DataFile.MergeRefusal(reason: "interview \(id) exists here with another \(column); the two files disagree on who made it")
            }
            return false
        }
        try db.execute(sql: "INSERT INTO interview (id, form, surveyor, device, mode, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       arguments: [id, row["form"], row["surveyor"], row["device"], row["mode"], row["created"], row["created"]])
        return true
    }

    func insert(_ revisions: [Revision]) throws {
        let statement = try db.makeStatement(sql: """
            INSERT OR IGNORE INTO revision (origin, counter, interview, field, value, author, device, hlc, time, parents)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for revision in revisions {
            try statement.execute(arguments: [
                revision.id.origin, revision.id.counter, revision.interview, revision.field, revision.value, revision.author,
                revision.device, revision.hlc, revision.time, Writer.formatParents(revision.parents),
            ])
        }
    }

    /// New heads of each touched field: (old heads ∪ new revisions) − parents named by the new ones.
    /// Files are closed under parents, so older revisions never need to be read. Returns how many
    /// interviews' current values changed.
    func recompute(_ revisions: [Revision]) throws -> Set<String> {
        let all = Dictionary(grouping: revisions, by: \.interview)
        let upsert = try db.makeStatement(sql: """
            INSERT INTO current (interview, field, value, heads, conflict) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (interview, field) DO UPDATE SET value = excluded.value, heads = excluded.heads, conflict = excluded.conflict
            """)
        var changed = Set<String>()
        for (interview, its) in all.sorted(by: { $0.key < $1.key }) {
            let incoming = Dictionary(grouping: its.filter { $0.field != ReservedField.note }, by: \.field)
            var state = try currentState(interview)
            var interviewChanged = false
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
                interviewChanged = true
            }
            if interviewChanged { changed.insert(interview) }
            try updateDerived(interview, state: state, newest: its.map(\.time).max())
        }
        return changed
    }

    /// The current heads of every field of an interview, as revisions (values from `current`, or
    /// from the log for fields in conflict).
    func currentState(_ interview: String) throws -> [String: [Revision]] {
        var state: [String: [Revision]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT field, value, heads, conflict FROM current WHERE interview = ?", arguments: [interview]) {
            let field: String = row["field"]
            let ids = Writer.parseParents(row["heads"])
            if (row["conflict"] as Int) == 0 {
                state[field] = ids.map { Revision(id: $0, interview: interview, field: field, value: row["value"], author: "", device: "", hlc: 0, time: "", parents: []) }
            } else {
                state[field] = try ids.compactMap { id in
                    try Row.fetchOne(db, sql: "SELECT * FROM revision WHERE origin = ? AND counter = ?", arguments: [id.origin, id.counter]).map(DataFile.revision)
                }
            }
        }
        return state
    }

    /// Status, case key and last update, derived from the current values.
    func updateDerived(_ interview: String, state: [String: [Revision]], newest: String?) throws {
        guard let form: String = try String.fetchOne(db, sql: "SELECT form FROM interview WHERE id = ?", arguments: [interview]) else { return }
        var answers: Answers = [:]
        for (field, heads) in state where !ReservedField.isReserved(field) {
            if let value = FieldState(revisions: heads).value { answers[field] = value }
        }
        let statusHeads = state[ReservedField.status] ?? []
        let status = statusHeads.max { ($0.hlc, $0.id) < ($1.hlc, $1.id) }?.value ?? InterviewStatus.draft.rawValue
        let key = engines[form]?.caseKey(answers)
        try db.execute(sql: "UPDATE interview SET status = ?, key = ?, updated = max(updated, coalesce(?, updated)) WHERE id = ?",
                       arguments: [status, key, newest, interview])
    }
}
