import CanvassCore
import Foundation
import GRDB

extension DataFile {
    /// Runs `body` in one immediate transaction: all of it is durable when this returns, or none of it.
    @discardableResult
    public func write<T>(_ body: (inout Writer) throws -> T) throws -> T {
        guard access == .write else { throw StoreError.refused(path: path, reason: "it was opened for reading only; nothing was written") }
        do {
            return try queue.writeWithoutTransaction { db in
                var result: T?
                var last: RevisionID?
                try db.inTransaction(.immediate) {
                    var writer = try Writer(db: db, file: self)
                    result = try body(&writer)
                    try writer.finish()
                    last = RevisionID(origin: writer.origin, counter: writer.counter)
                    return .commit
                }
                guard let result, let last else { throw StoreError.corrupt(path: path, detail: "the write did not complete") }
                Seal.write(path, last)
                // Into the main file at once, so that a copy made while a command still runs (an
                // interview, say) holds every answer acknowledged: people copy the file, not its
                // -wal. Passive: a reader in the way only delays it to the next write.
                _ = try? db.checkpoint(.passive)
                return result
            }
        } catch let error as DatabaseError {
            throw DataFile.describe(error, path: path)
        }
    }
}

/// How an interview was entered: at the prompt, in bulk from JSON, keyed from a paper form by a
/// clerk, or filled by the respondent at a kiosk. The speed check applies to the prompt only.
public enum EntryMode: String, Sendable, Codable {
    case prompt, bulk, key, kiosk
}

/// Writes revisions for one transaction: numbers them with this file's origin and counter,
/// chains their digests, and ticks the clock.
public struct Writer {
    let db: Database
    let file: DataFile
    /// The origin this transaction writes under (a copy takes a new one first).
    private(set) var origin: String
    private(set) var counter: Int64
    /// The digest of the origin's last revision, which the next one chains from.
    private var previous: [UInt8]
    var clock: HybridClock
    var insertRevision: Statement
    var upsertCurrent: Statement
    /// Forms already embedded in this transaction, by id and version: hashing a form is not free.
    var embedded: [String: (form: Form, sha: String)] = [:]
    /// Fields written in this transaction of interviews created in it: any other field of those
    /// interviews has no revision yet, so there are no heads to look up.
    var fresh: [String: Set<String>] = [:]

    init(db: Database, file: DataFile) throws {
        self.db = db
        self.file = file
        origin = try DataFile.writingOrigin(db, file: file)
        let newest = try Row.fetchOne(db, sql: "SELECT counter, digest FROM revision WHERE origin = ? ORDER BY counter DESC LIMIT 1", arguments: [origin])
        counter = newest?[0] ?? 0
        previous = (newest?[1] as Data?).map { [UInt8]($0) } ?? RevisionDigest.start
        let last = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'hlc'").flatMap { Int64($0) }
        // The clock's last reading is kept in meta (a merge advances it past what it brings), so a
        // write never scans the log.
        clock = HybridClock(last: last ?? 0)
        insertRevision = try db.makeStatement(sql: """
            INSERT INTO revision (origin, counter, interview, field, value, author, device, hlc, time, parents, digest)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        upsertCurrent = try db.makeStatement(sql: """
            INSERT INTO current (interview, field, value, heads, conflict) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (interview, field) DO UPDATE SET value = excluded.value, heads = excluded.heads, conflict = excluded.conflict
            """)
    }

    mutating func finish() throws {
        try db.execute(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES ('hlc', ?)", arguments: [String(clock.last)])
        try db.execute(sql: """
            INSERT INTO origin (origin, counter, source) VALUES (?, ?, 'this file')
            ON CONFLICT (origin) DO UPDATE SET counter = max(counter, excluded.counter)
            """, arguments: [origin, counter])
    }

    /// Writes under `origin` from now on, a new one with no revisions yet (a fork).
    mutating func adopt(_ origin: String) {
        self.origin = origin
        counter = 0
        previous = RevisionDigest.start
    }

    /// Embeds a form unless already present. Another definition under the same id and version
    /// (a form fixed without a new version) is kept beside it: both have interviews, and
    /// `FormLabels` shows them apart (`DataFile.otherDefinitions` says so before recording).
    @discardableResult
    public mutating func embed(_ form: Form) throws -> String {
        let identity = "\(form.formId)\u{0}\(form.version)"
        if let known = embedded[identity], known.form == form { return known.sha }
        let sha = form.sha256
        defer { embedded[identity] = (form, sha) }
        if try Bool.fetchOne(db, sql: "SELECT 1 FROM form WHERE sha256 = ?", arguments: [sha]) == true { return sha }
        try db.execute(sql: "INSERT INTO form (sha256, form_id, version, definition) VALUES (?, ?, ?, ?)",
                       arguments: [sha, form.formId, form.version, String(decoding: form.canonicalJSON(), as: UTF8.self)])
        return sha
    }

    /// Creates an interview (a draft) and returns its id.
    public mutating func createInterview(id: String? = nil, form: Form, surveyor: String, device: String, mode: EntryMode) throws -> String {
        let sha = try embed(form)
        // Text is stored in NFC (merge refuses other forms): a name typed in decomposed Vietnamese is made so here.
        let id = (id ?? file.environment.newID()).nfc, surveyor = surveyor.nfc, device = device.nfc
        try refuseNUL([id, surveyor, device])
        if try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM interview WHERE id = ?"), arguments: [id]) == true {
            throw StoreError.exists(path: file.path, id: id)
        }
        let now = file.environment.now().iso8601
        try db.cachedStatement(sql: "INSERT INTO interview (id, form, surveyor, device, mode, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?)")
            .execute(arguments: [id, sha, surveyor, device, mode.rawValue, now, now])
        fresh[id] = []
        try set([ReservedField.status: InterviewStatus.draft.rawValue], interview: id, author: surveyor, device: device)
        return id
    }

    /// Writes a new revision for every field whose value changes, superseding the field's current heads.
    /// A value equal to the current one writes nothing, unless `force` (a decision worth recording).
    /// Returns the revisions written.
    @discardableResult
    public mutating func set(_ changes: [String: String?], interview: String, author: String, device: String, force: Bool = false) throws -> [Revision] {
        var written: [Revision] = []
        let now = file.environment.now()
        for (field, value) in changes.map({ ($0.key.nfc, $0.value?.nfc) }).sorted(by: { $0.0 < $1.0 }) {
            var row: Row?
            if fresh[interview]?.contains(field) == false {
                fresh[interview]?.insert(field)
            } else {
                row = try Row.fetchOne(db.cachedStatement(sql: "SELECT value, heads, conflict FROM current WHERE interview = ? AND field = ?"),
                                       arguments: [interview, field])
            }
            let heads = (row?["heads"] as String?).map(Writer.parseParents) ?? []
            let conflict = (row?["conflict"] as Int?) == 1
            if !force, row != nil, !conflict, (row?["value"] as String?) == value { continue }
            if row == nil, value == nil { continue }
            written.append(try append(interview: interview, field: field, value: value, parents: heads,
                                      author: author, device: device, now: now))
        }
        if !written.isEmpty { try touch(interview, now: now, statusChange: changes[ReservedField.status] ?? nil) }
        return written
    }

    /// Sets an interview's status, always as a new revision (a decision is worth recording even when it
    /// repeats), with an optional note. An approval also records a digest of the answers it approved,
    /// so that a later or concurrent edit shows (see `DataFile.conflicts`).
    public mutating func setStatus(_ status: InterviewStatus, interview: String, author: String, device: String, note: String? = nil) throws {
        try set([ReservedField.status: status.rawValue], interview: interview, author: author, device: device, force: true)
        if status == .approved {
            try set([ReservedField.approved: try answerDigest(interview)], interview: interview, author: author, device: device)
        }
        if let note { try self.note(note, interview: interview, author: author, device: device) }
    }

    /// A note on an interview: notes accumulate, none replaces another.
    public mutating func note(_ text: String, interview: String, author: String, device: String) throws {
        // As long as an answer may be, once normalised as stored: a longer note would make this
        // file one that merge refuses.
        let text = text.precomposedStringWithCanonicalMapping
        guard text.utf8.count <= FormEngine.maxValueLength else {
            throw StoreError.refused(path: file.path, reason: "a note is at most \(FormEngine.maxValueLength) bytes; nothing was written")
        }
        let now = file.environment.now()
        _ = try append(interview: interview, field: ReservedField.note, value: text,
                       parents: [], author: author, device: device, now: now)
        try touch(interview, now: now, statusChange: nil)
    }

    func answerDigest(_ interview: String) throws -> String {
        try DataFile.answerDigest(db, interview)
    }

    /// Stores the derived case key, computed by the caller from the form.
    public mutating func setKey(_ key: String?, interview: String) throws {
        try db.cachedStatement(sql: "UPDATE interview SET key = ? WHERE id = ?").execute(arguments: [key, interview])
    }

    mutating func append(interview: String, field: String, value: String?, parents: [RevisionID],
                         author: String, device: String, now: Date) throws -> Revision {
        try refuseNUL([interview, field, value, author, device])
        counter += 1
        let revision = Revision(
            id: RevisionID(origin: origin, counter: counter), interview: interview, field: field, value: value,
            author: author, device: device, hlc: clock.tick(wallMilliseconds: Int64(now.timeIntervalSince1970 * 1000)),
            time: now.iso8601, parents: parents)
        previous = RevisionDigest.of(revision, after: previous)
        try insertRevision.execute(arguments: [
            revision.id.origin, revision.id.counter, interview, field, value, author, device, revision.hlc, revision.time,
            Writer.formatParents(parents), Data(previous),
        ])
        if field != ReservedField.note {
            try upsertCurrent.execute(arguments: [interview, field, value, revision.id.description, 0])
        }
        return revision
    }

    mutating func touch(_ interview: String, now: Date, statusChange: String?) throws {
        if let status = statusChange {
            try db.cachedStatement(sql: "UPDATE interview SET updated = ?, status = ? WHERE id = ?").execute(arguments: [now.iso8601, status, interview])
        } else {
            try db.cachedStatement(sql: "UPDATE interview SET updated = ? WHERE id = ?").execute(arguments: [now.iso8601, interview])
        }
    }

    /// SQLite takes a bound string up to its first NUL: stored, such text would be cut, and no
    /// longer match its digest. Refused, naming the file; nothing of the transaction is written.
    func refuseNUL(_ texts: [String?]) throws {
        guard texts.contains(where: { $0?.utf8.contains(0) == true }) else { return }
        throw StoreError.refused(path: file.path, reason: "a value, id or name holds a NUL character, which Canvass cannot store; remove it (nothing was written)")
    }

    static func parseParents(_ text: String) -> [RevisionID] {
        text.split(separator: " ").compactMap { RevisionID(String($0)) }
    }

    static func formatParents(_ parents: [RevisionID]) -> String {
        parents.sorted().map(\.description).joined(separator: " ")
    }
}
