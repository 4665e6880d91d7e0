import CanvassCore
import Foundation
import GRDB

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

    init(row: Row) {
        id = row["id"]
        key = row["key"]
        formId = row["form_id"]
        formVersion = row["version"]
        form = row["form"]
        status = row["status"]
        surveyor = row["surveyor"]
        device = row["device"]
        mode = row["mode"]
        created = row["created"]
        updated = row["updated"]
    }
}

/// An interview's current state: answers by path (reserved fields such as `_status` left out),
/// and the fields whose heads disagree.
public struct InterviewState: Sendable {
    public var answers: Answers
    public var conflicts: [String]
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
            return try Row.fetchAll(db, sql: DataFile.summarySQL + filter + " ORDER BY interview.created, interview.id",
                                    arguments: StatementArguments(status.map { [$0] } ?? []))
                .map(InterviewSummary.init(row:))
        }
    }

    /// Finds an interview by its id or an unambiguous prefix of it.
    public func interview(_ id: String) throws(StoreError) -> InterviewSummary {
        let rows = try read { db in
            try Row.fetchAll(db, sql: DataFile.summarySQL + " WHERE interview.id = ? OR interview.id LIKE ? ESCAPE '\\' LIMIT 2",
                             arguments: [id, Self.likePrefix(id)])
        }
        if let exact = rows.first(where: { ($0["id"] as String) == id }) { return InterviewSummary(row: exact) }
        guard rows.count == 1, let row = rows.first else {
            if rows.isEmpty { throw StoreError.unknownInterview(path: path, id: id) }
            throw StoreError.ambiguousInterview(path: path, id: id, matches: rows.count)
        }
        return InterviewSummary(row: row)
    }

    static func likePrefix(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%"
    }

    public func state(_ interview: String) throws(StoreError) -> InterviewState {
        try read { db in
            var answers: Answers = [:]
            var conflicts: [String] = []
            let rows = try Row.fetchCursor(db, sql: "SELECT field, value, conflict FROM current WHERE interview = ?", arguments: [interview])
            while let row = try rows.next() {
                let field: String = row["field"]
                if (row["conflict"] as Int) == 1 { conflicts.append(field); continue }
                if let value: String = row["value"], !ReservedField.isReserved(field) { answers[field] = value }
            }
            return InterviewState(answers: answers, conflicts: conflicts.sorted())
        }
    }

    public func revisions(_ interview: String) throws(StoreError) -> [Revision] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM revision WHERE interview = ? ORDER BY hlc, origin, counter", arguments: [interview])
                .map(DataFile.revision)
        }
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

    public func forms() throws(StoreError) -> [Form] {
        let shas = try read { db in try String.fetchAll(db, sql: "SELECT sha256 FROM form ORDER BY form_id, version") }
        var result: [Form] = []
        for sha in shas { result.append(try form(sha256: sha)) }
        return result
    }

    /// Calls `body` with every interview's summary and current answers, in id order, without
    /// holding them all in memory.
    public func forEachInterview(status: String? = nil, _ body: (InterviewSummary, InterviewState) throws -> Void) throws {
        try queue.read { db in
            let filter = status == nil ? "" : " WHERE interview.status = ?"
            let summaries = try Row.fetchCursor(db, sql: DataFile.summarySQL + filter + " ORDER BY interview.id",
                                                arguments: StatementArguments(status.map { [$0] } ?? []))
            let values = try Row.fetchCursor(db, sql: """
                SELECT current.interview, current.field, current.value, current.conflict FROM current
                \(status == nil ? "" : "JOIN interview ON interview.id = current.interview WHERE interview.status = ?")
                ORDER BY current.interview
                """, arguments: StatementArguments(status.map { [$0] } ?? []))
            // Both cursors run in interview order: one pass over each, no lookups.
            var pending: (interview: String, row: Row)? = try values.next().map { ($0[0], $0) }
            while let row = try summaries.next() {
                let summary = InterviewSummary(row: row)
                var state = InterviewState(answers: [:], conflicts: [])
                while let (interview, value) = pending, interview <= summary.id {
                    if interview == summary.id {
                        let field: String = value[1]
                        if (value[3] as Int) == 1 {
                            state.conflicts.append(field)
                        } else if let text: String = value[2], !ReservedField.isReserved(field) {
                            state.answers[field] = text
                        }
                    }
                    pending = try values.next().map { ($0[0], $0) }
                }
                try body(summary, state)
            }
        }
    }
}
