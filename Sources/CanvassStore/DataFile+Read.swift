import CanvassCore
import Foundation
import GRDB
import GRDBSQLite

/// An interview as `list` shows it.
public struct InterviewSummary: Sendable, Hashable, Codable {
    public var id: String
    public var key: String?
    public var formId: String
    public var formVersion: String
    public var form: String
    public var status: String
    public var surveyor: String
    public var device: String
    public var mode: String
    public var created: String
    public var updated: String

    enum CodingKeys: String, CodingKey {
        case id, key, status, surveyor, device, mode, created, updated
        case formId = "form_id"
        case formVersion = "form_version"
        case form = "form_sha256"
    }

    init(id: String, key: String?, formId: String, formVersion: String, form: String, status: String, surveyor: String,
         device: String, mode: String, created: String, updated: String) {
        self.id = id
        self.key = key
        self.formId = formId
        self.formVersion = formVersion
        self.form = form
        self.status = status
        self.surveyor = surveyor
        self.device = device
        self.mode = mode
        self.created = created
        self.updated = updated
    }

    /// A row of `DataFile.summarySQL`, read by position: by name, GRDB searches the columns for
    /// every value, which was most of the time of reading a quarter of a million interviews.
    /// The version is the form's label (`FormLabels`).
    init(row: Row, labels: [String: String]) {
        id = row[0]
        key = row[1]
        form = row[2]
        status = row[3]
        surveyor = row[4]
        device = row[5]
        mode = row[6]
        created = row[7]
        updated = row[8]
        formId = row[9]
        formVersion = labels[form] ?? row[10]
    }
}

/// An interview's current state: answers by path (reserved fields such as `_status` left out),
/// the fields whose heads disagree, and the paper marks of a keyed phiếu (`_paper/PATH`, by PATH).
public struct InterviewState: Sendable {
    public var answers: Answers
    public var conflicts: [String]
    public var paper: [String: String] = [:]

    public init(answers: Answers = [:], conflicts: [String] = [], paper: [String: String] = [:]) {
        self.answers = answers
        self.conflicts = conflicts
        self.paper = paper
    }

    /// Files and servers both keep (field, value, conflict) rows; this is where one lands.
    mutating func take(field: String, value: String?, conflict: Bool) {
        if conflict { conflicts.append(field); return }
        guard let value else { return }
        if !ReservedField.isReserved(field) {
            answers[field] = value
        } else if let path = PaperValue.markedPath(field) {
            paper[path] = value
        }
    }
}

extension DataFile {
    static let summarySQL = """
        SELECT interview.id, interview.key, interview.form, interview.status, interview.surveyor, interview.device, interview.mode,
               interview.created, interview.updated, form.form_id, form.version
        FROM interview JOIN form ON form.sha256 = interview.form
        """

    public func interviewCount() throws(StoreError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM interview") ?? 0 }
    }

    public func interviews(status: String? = nil) throws(StoreError) -> [InterviewSummary] {
        try read { db in
            let filter = status == nil ? "" : " WHERE interview.status = ?"
            let labels = try DataFile.formLabels(db, schemaVersion: schemaVersion)
            return try Row.fetchAll(db, sql: DataFile.summarySQL + filter + " ORDER BY interview.created, interview.id",
                                    arguments: StatementArguments(status.map { [$0] } ?? []))
                .map { InterviewSummary(row: $0, labels: labels) }
        }
    }

    /// Finds an interview by its id or an unambiguous prefix of it.
    public func interview(_ id: String) throws(StoreError) -> InterviewSummary {
        let (rows, labels) = try read { db in
            (try Row.fetchAll(db, sql: DataFile.summarySQL + " WHERE interview.id = ? OR interview.id LIKE ? ESCAPE '\\' LIMIT 2",
                              arguments: [id, Self.likePrefix(id)]),
             try DataFile.formLabels(db, schemaVersion: schemaVersion))
        }
        if let exact = rows.first(where: { ($0["id"] as String) == id }) { return InterviewSummary(row: exact, labels: labels) }
        guard rows.count == 1, let row = rows.first else {
            if rows.isEmpty { throw StoreError.unknownInterview(path: path, id: id) }
            throw StoreError.ambiguousInterview(path: path, id: id, matches: rows.count)
        }
        return InterviewSummary(row: row, labels: labels)
    }

    static func likePrefix(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%"
    }

    public func state(_ interview: String) throws(StoreError) -> InterviewState {
        try read { db in
            var state = InterviewState()
            let rows = try Row.fetchCursor(db, sql: "SELECT field, value, conflict FROM current WHERE interview = ?", arguments: [interview])
            while let row = try rows.next() {
                state.take(field: row["field"], value: row["value"], conflict: (row["conflict"] as Int) == 1)
            }
            state.conflicts.sort()
            return state
        }
    }

    /// Every revision of an interview, oldest first by clock.
    public func revisions(_ interview: String) throws(StoreError) -> [Revision] {
        try read { db in try DataFile.history(db, interview) }
    }

    /// The log has no index by interview: a field's revisions are its heads in `current` and, back
    /// from them, the parents they name. Every revision but a head is the parent of a later one of
    /// its field (merge refuses files where it is not), so the walk finds them all. Notes, which
    /// have no heads, have an index of their own.
    static func history(_ db: Database, _ interview: String) throws -> [Revision] {
        var pending = try String.fetchAll(db, sql: "SELECT heads FROM current WHERE interview = ?", arguments: [interview])
            .flatMap(Writer.parseParents)
        let byID = try db.cachedStatement(sql: "SELECT * FROM revision WHERE origin = ? AND counter = ?")
        var found: [RevisionID: Revision] = [:]
        while let id = pending.popLast() {
            guard found[id] == nil, let revision = try Row.fetchOne(byID, arguments: [id.origin, id.counter]).map(DataFile.revision),
                  revision.interview == interview
            else { continue }
            found[id] = revision
            pending += revision.parents
        }
        for note in try Row.fetchAll(db, sql: "SELECT * FROM revision WHERE interview = ? AND field = ?", arguments: [interview, ReservedField.note]) {
            let revision = DataFile.revision(note)
            found[revision.id] = revision
        }
        return found.values.sorted { ($0.hlc, $0.id) < ($1.hlc, $1.id) }
    }

    static func revision(_ row: Row) -> Revision {
        Revision(
            id: RevisionID(origin: row["origin"], counter: row["counter"]), interview: row["interview"], field: row["field"],
            value: row["value"], author: row["author"], device: row["device"], hlc: row["hlc"], time: row["time"],
            parents: Writer.parseParents(row["parents"]))
    }

    public func form(sha256: String) throws(StoreError) -> Form {
        let json = try read { db in try String.fetchOne(db, sql: "SELECT definition FROM form WHERE sha256 = ?", arguments: [sha256]) }
        guard let json, let form = try? Form(canonicalJSON: Data(json.utf8)) else {
            throw StoreError.corrupt(path: path, detail: "the embedded form \(sha256.prefix(12)) is missing or unreadable")
        }
        return form
    }

    /// Every embedded form, by form id and then version, oldest first: versions compare as
    /// numbers where they are numbers ("9" before "10", "2017.2" before "2017.10").
    public func forms() throws(StoreError) -> [Form] {
        let shas = try read { db in try String.fetchAll(db, sql: "SELECT sha256 FROM form") }
        var result: [Form] = []
        for sha in shas { result.append(try form(sha256: sha)) }
        return result.sorted { a, b in
            a.formId != b.formId ? a.formId < b.formId : a.version.compare(b.version, options: .numeric) == .orderedAscending
        }
    }

    /// Calls `body` with every interview's summary and current answers, in id order, without
    /// holding them all in memory.
    ///
    /// Exports, reports and validation read every value of every interview through here, so the
    /// rows are read with SQLite's own calls: an interview id is compared as bytes, not made into a
    /// string for each of its answers, and answers (short, mostly) become strings once.
    public func forEachInterview(status: String? = nil, _ body: (InterviewSummary, InterviewState) throws -> Void) throws {
        try queue.read { db in
            let filter = status == nil ? "" : " WHERE interview.status = ?"
            let labels = try DataFile.formLabels(db, schemaVersion: schemaVersion)
            let summaries = try Row.fetchCursor(db, sql: DataFile.summarySQL + filter + " ORDER BY interview.id",
                                                arguments: StatementArguments(status.map { [$0] } ?? []))
            let values = try db.makeStatement(sql: """
                SELECT current.interview, current.field, current.value, current.conflict FROM current
                \(status == nil ? "" : "JOIN interview ON interview.id = current.interview WHERE interview.status = ?")
                ORDER BY current.interview
                """)
            if let status { try values.setArguments([status]) }
            let rows = ValueRows(values.sqliteStatement)
            // Both run in interview order: one pass over each, no lookups. `values` owns the
            // statement `rows` steps, so it must outlive the loop.
            try withExtendedLifetime(values) {
            var more = try rows.step()
            while let row = try summaries.next() {
                let summary = InterviewSummary(row: row, labels: labels)
                var state = InterviewState(answers: Dictionary(minimumCapacity: 64), conflicts: [])
                let id = Array(summary.id.utf8)
                while more {
                    let order = rows.compareInterview(id)
                    if order > 0 { break }
                    if order == 0 {
                        state.take(field: rows.text(1)!, value: rows.text(2), conflict: rows.int(3) == 1)
                    }
                    more = try rows.step()
                }
                try body(summary, state)
            }
            }
        }
    }
}

/// Steps a prepared statement and reads its columns without going through `Row`.
struct ValueRows {
    let statement: OpaquePointer

    init(_ statement: OpaquePointer) { self.statement = statement }

    /// True while there is a row.
    func step() throws -> Bool {
        switch sqlite3_step(statement) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let code: throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(sqlite3_db_handle(statement))))
        }
    }

    func text(_ column: Int32) -> String? {
        guard let bytes = sqlite3_column_text(statement, column) else { return nil }
        return String(decoding: UnsafeBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(statement, column))), as: UTF8.self)
    }

    func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(statement, column)) }

    func isInteger(_ column: Int32) -> Bool { sqlite3_column_type(statement, column) == SQLITE_INTEGER }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(statement, column) == SQLITE_NULL }

    func emptyText(_ column: Int32) -> Bool {
        sqlite3_column_type(statement, column) == SQLITE_TEXT && sqlite3_column_bytes(statement, column) == 0
    }

    /// The column's text when it is text as Canvass writes it: stored as TEXT (the type is read
    /// first: reading a BLOB as text changes its type), valid UTF-8, no NUL (which a bound string
    /// would be cut at). nil otherwise, where `text` would quietly put U+FFFD in place of bad bytes.
    func validText(_ column: Int32) -> String? {
        guard sqlite3_column_type(statement, column) == SQLITE_TEXT, let bytes = sqlite3_column_text(statement, column) else { return nil }
        let count = Int(sqlite3_column_bytes(statement, column))
        guard memchr(bytes, 0, count) == nil else { return nil }
        // Decoding replaces bad bytes, so valid text decodes to the same bytes. (Faster here than
        // String(validating:as:), which is generic.)
        var text = String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
        let same = text.withUTF8 { $0.count == count && (count == 0 || memcmp($0.baseAddress!, bytes, count) == 0) }
        return same ? text : nil
    }

    /// Whether the column is text as `validText` requires, without making a string of plain ASCII.
    func isValidText(_ column: Int32) -> Bool {
        guard sqlite3_column_type(statement, column) == SQLITE_TEXT, let bytes = sqlite3_column_text(statement, column) else { return false }
        let count = Int(sqlite3_column_bytes(statement, column))
        let ascii = UnsafeBufferPointer(start: bytes, count: count).allSatisfy { $0 != 0 && $0 < 0x80 }
        return ascii || validText(column) != nil
    }

    /// Whether a text column holds `text`, without making a string of it (a BLOB never does).
    func equals(_ column: Int32, _ text: String) -> Bool {
        guard sqlite3_column_type(statement, column) == SQLITE_TEXT, let bytes = sqlite3_column_text(statement, column) else { return false }
        let count = Int(sqlite3_column_bytes(statement, column))
        var text = text
        return text.withUTF8 { $0.count == count && (count == 0 || memcmp(bytes, $0.baseAddress!, count) == 0) }
    }

    /// A column's bytes as text (nil for NULL): what a revision's digest covers.
    func bytes(_ column: Int32) -> UnsafeRawBufferPointer? {
        guard sqlite3_column_type(statement, column) != SQLITE_NULL else { return nil }
        let text = sqlite3_column_text(statement, column)
        return UnsafeRawBufferPointer(start: text, count: text == nil ? 0 : Int(sqlite3_column_bytes(statement, column)))
    }

    /// The digest of a row of `origin, counter, interview, field, value, hlc, time, parents,
    /// author, device`, chained after `previous`, in `RevisionDigest.of`'s order.
    func chain(after previous: [UInt8]) -> [UInt8] {
        var digest = RevisionDigest(after: previous)
        digest.text(bytes(0))
        digest.integer(sqlite3_column_int64(statement, 1))
        digest.text(bytes(2))
        digest.text(bytes(3))
        digest.text(bytes(4))
        digest.text(bytes(8))
        digest.text(bytes(9))
        digest.integer(sqlite3_column_int64(statement, 5))
        digest.text(bytes(6))
        digest.text(bytes(7))
        return digest.finalize()
    }

    /// A stored digest: 32 bytes of BLOB, or an empty array (which matches no digest).
    func digest(_ column: Int32) -> [UInt8] { [UInt8](storedDigest(column)) }

    /// The same, in SQLite's memory: valid until the next step.
    func storedDigest(_ column: Int32) -> UnsafeRawBufferPointer {
        guard sqlite3_column_type(statement, column) == SQLITE_BLOB, sqlite3_column_bytes(statement, column) == 32,
              let blob = sqlite3_column_blob(statement, column) else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: blob, count: 32)
    }

    func digestEquals(_ column: Int32, _ digest: [UInt8]) -> Bool {
        guard sqlite3_column_type(statement, column) == SQLITE_BLOB, sqlite3_column_bytes(statement, column) == 32,
              let blob = sqlite3_column_blob(statement, column) else { return false }
        return memcmp(blob, digest, 32) == 0
    }

    /// The row's interview id (column 0) against `id`, as SQLite's BINARY collation orders them.
    func compareInterview(_ id: [UInt8]) -> Int {
        let count = Int(sqlite3_column_bytes(statement, 0))
        guard let bytes = sqlite3_column_text(statement, 0) else { return -1 }
        let common = min(count, id.count)
        if common > 0 {
            let order = id.withUnsafeBufferPointer { memcmp(bytes, $0.baseAddress!, common) }
            if order != 0 { return Int(order) }
        }
        return count - id.count
    }
}
