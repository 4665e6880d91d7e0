import CanvassCore
import Foundation
import GRDB

/// The writing half of a merge, inside the target's transaction with the source attached as `src`.
///
/// SQLite copies the rows; what needs the form was worked out by the check. Interviews new to the
/// target (nearly all, in a fleet merge) are inserted with their derived columns, and their heads
/// written in one SQL statement: a revision is a head when no other revision of its field names it
/// as a parent. Interviews the target already had are rare and go through `recompute`, which reads
/// only their old heads and the new revisions.
struct MergeWriter {
    let db: Database
    let offer: MergeOffer
    /// The source's name in the target's connection.
    let schema: String
    var engines: [String: FormEngine] { offer.engines }

    struct Counts {
        var newInterviews = 0, newRevisions = 0, changedInterviews = 0
    }

    func run() throws -> Counts {
        var counts = Counts()
        let (filter, arguments) = offer.filter
        // A source older than digests gives NULL, and `fillDigests` works them out after the copy.
        let columns = "origin, counter, interview, field, value, author, device, hlc, time, parents"
        let source = "SELECT \(columns), \(offer.schemaVersion >= 4 ? "digest" : "NULL") AS digest FROM \(schema).revision WHERE \(filter)"
        // Interview facts never change: the same id with other facts is two files that disagree.
        let existing = try db.makeStatement(sql: "SELECT form, surveyor, device, mode, created FROM main.interview WHERE id = ?")
        let insert = try db.makeStatement(sql: """
            INSERT INTO main.interview (id, form, surveyor, device, mode, created, key, status, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        var oldIDs: [String] = []
        for (id, facts) in offer.interviews.sorted(by: { $0.key < $1.key }) {
            if let row = try Row.fetchOne(existing, arguments: [id]) {
                let same = zip([facts.form, facts.surveyor, facts.device, facts.mode, facts.created], 0...).allSatisfy { text, column in
                    (row[column] as String).utf8.elementsEqual(text.utf8)
                }
                guard same else {
                    throw StoreError.refused(path: offer.path, reason: "interview \(id) exists here with other facts (form, surveyor, device or creation); the two files disagree on who made it")
                }
                oldIDs.append(id)
            } else {
                try insert.execute(arguments: [id, facts.form, facts.surveyor, facts.device, facts.mode, facts.created,
                                               facts.key, facts.status, max(facts.created, facts.newest)])
                counts.newInterviews += 1
            }
        }
        // The new revisions of interviews already here, read before they are inserted.
        var old: [Revision] = []
        var onlyNew = ""
        if !oldIDs.isEmpty {
            try db.execute(sql: "DROP TABLE IF EXISTS temp.merge_old; CREATE TEMP TABLE merge_old (id TEXT PRIMARY KEY) WITHOUT ROWID")
            let add = try db.makeStatement(sql: "INSERT INTO temp.merge_old VALUES (?)")
            for id in oldIDs { try add.execute(arguments: [id]) }
            old = try Row.fetchAll(db, sql: "\(source) AND interview IN (SELECT id FROM temp.merge_old)", arguments: arguments)
                .map(DataFile.revision)
            onlyNew = "AND r.interview NOT IN (SELECT id FROM temp.merge_old)"
        }
        // Never OR IGNORE: a name the target already holds was checked to be the same revision,
        // so meeting one here means the target is damaged, and the source is refused.
        try db.execute(sql: "INSERT INTO main.revision (\(columns), digest) \(source)", arguments: arguments)
        counts.newRevisions = db.changesCount
        // Exactly the rows the check read: a file written to meanwhile may have moved under the copy.
        let expected = offer.wanted.reduce(0) { $0 + Int($1.counter - offer.basis[$1.origin, default: 0]) }
        guard counts.newRevisions == expected else {
            throw StoreError.refused(path: offer.path, reason: "it changed while it was being merged (\(counts.newRevisions) revisions copied, \(expected) checked); merge it again")
        }
        if offer.schemaVersion < 4 { try fillDigests() }
        // Heads of the new interviews: their revisions that no other names as a parent.
        var heads = ""
        if !offer.superseded.isEmpty {
            try db.execute(sql: "DROP TABLE IF EXISTS temp.merge_superseded")
            try db.execute(sql: "CREATE TEMP TABLE merge_superseded (origin TEXT, counter INTEGER, PRIMARY KEY (origin, counter)) WITHOUT ROWID")
            let superseded = try db.makeStatement(sql: "INSERT OR IGNORE INTO temp.merge_superseded VALUES (?, ?)")
            for id in offer.superseded { try superseded.execute(arguments: [id.origin, id.counter]) }
            heads = "AND NOT EXISTS (SELECT 1 FROM temp.merge_superseded s WHERE s.origin = r.origin AND s.counter = r.counter)"
        }
        // Rows come in (origin, counter) order, so a field's heads are appended already sorted; a
        // second head with another value turns the field into a conflict.
        try db.execute(sql: """
            INSERT INTO main.current (interview, field, value, heads, conflict)
            SELECT r.interview, r.field, r.value, r.origin || ':' || r.counter, 0 FROM (\(source)) r
            WHERE r.field != '\(ReservedField.note)' \(onlyNew) \(heads)
            ORDER BY r.origin, r.counter
            ON CONFLICT (interview, field) DO UPDATE SET
                heads = heads || ' ' || excluded.heads,
                conflict = CASE WHEN conflict = 0 AND value IS excluded.value THEN 0 ELSE 1 END,
                value = CASE WHEN conflict = 0 AND value IS excluded.value THEN value END
            """, arguments: arguments)
        counts.changedInterviews = try recompute(old).count
        return counts
    }

    /// The digests of a source older than them, chained on from the target's, which the check
    /// found to be the source's too.
    func fillDigests() throws {
        let update = try db.makeStatement(sql: "UPDATE main.revision SET digest = ? WHERE origin = ? AND counter = ?")
        for (origin, counter) in offer.wanted {
            let from = offer.basis[origin, default: 0]
            guard let start = from == 0 ? RevisionDigest.start : try DataFile.digest(db, origin, from) else {
                throw StoreError.corrupt(path: "the target", detail: "revision \(origin):\(from) has no digest")
            }
            var previous = start
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM main.revision WHERE origin = ? AND counter > ? AND counter <= ? ORDER BY counter",
                                        arguments: [origin, from, counter])
            for revision in rows.map(DataFile.revision) {
                previous = RevisionDigest.of(revision, after: previous)
                try update.execute(arguments: [Data(previous), origin, revision.id.counter])
            }
        }
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
