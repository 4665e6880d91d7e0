import CanvassCore
import Foundation
import GRDB

/// One field whose heads disagree, with every competing value and where it came from.
public struct Conflict: Sendable, Codable, Hashable {
    public struct Side: Sendable, Codable, Hashable {
        public var value: String?
        public var revision: String
        public var author: String
        public var device: String
        public var time: String
        public var source: String
    }

    public var interview: String
    public var field: String
    public var values: [Side]
}

public struct DuplicateGroup: Sendable, Codable, Hashable {
    public var key: String
    public var interviews: [String]
}

public struct MergeLogEntry: Sendable, Codable, Hashable {
    public var sourceID: String
    public var path: String
    public var sha256: String
    public var time: String
    public var newInterviews: Int
    public var newRevisions: Int
    public var changedInterviews: Int

    enum CodingKeys: String, CodingKey {
        case path, sha256, time
        case sourceID = "source_id"
        case newInterviews = "new_interviews"
        case newRevisions = "new_revisions"
        case changedInterviews = "changed_interviews"
    }
}

extension DataFile {
    /// Every field in conflict, plus approved interviews whose answers changed since (or beside) the approval.
    public func conflicts() throws(StoreError) -> [Conflict] {
        try read { db in
            let sources = Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT origin, source FROM origin").map { ($0[0] as String, $0[1] as String) })
            func side(_ revision: Revision) -> Conflict.Side {
                Conflict.Side(value: revision.value, revision: revision.id.description, author: revision.author, device: revision.device,
                              time: revision.time, source: revision.id.origin == id ? "this file" : sources[revision.id.origin] ?? "unknown")
            }
            var result: [Conflict] = []
            let rows = try Row.fetchAll(db, sql: "SELECT interview, field, heads FROM current WHERE conflict = 1 ORDER BY interview, field")
            for row in rows {
                let heads = try Writer.parseParents(row["heads"]).compactMap { id in
                    try Row.fetchOne(db, sql: "SELECT * FROM revision WHERE origin = ? AND counter = ?", arguments: [id.origin, id.counter]).map(DataFile.revision)
                }
                let ordered = heads.sorted { ($0.hlc, $0.id) < ($1.hlc, $1.id) }
                result.append(Conflict(interview: row["interview"], field: row["field"], values: ordered.map(side)))
            }
            // Approved, then edited without the approver seeing the edit: flagged on _status.
            for interview in try String.fetchAll(db, sql: "SELECT id FROM interview WHERE status = 'approved' ORDER BY id") {
                let approval = try String.fetchOne(db, sql: "SELECT value FROM current WHERE interview = ? AND field = ?",
                                                   arguments: [interview, ReservedField.approved])
                guard approval != nil, approval != (try DataFile.answerDigest(db, interview)) else { continue }
                result.append(Approval.editedSince(interview, history: try DataFile.history(db, interview), side: side))
            }
            return result
        }
    }

    /// A digest of an interview's answer heads: what an approval approved.
    static func answerDigest(_ db: Database, _ interview: String) throws -> String {
        let rows = try Row.fetchAll(db, sql: "SELECT field, heads FROM current WHERE interview = ?", arguments: [interview])
        return Approval.digest(rows.map { (field: $0["field"], heads: $0["heads"]) })
    }

    /// Interviews with different ids and the same case key, discarded ones left out.
    public func duplicates() throws(StoreError) -> [DuplicateGroup] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT key, group_concat(id, ' ') FROM (
                    SELECT key, id FROM interview WHERE key IS NOT NULL AND status != 'discarded' ORDER BY key, id)
                GROUP BY key HAVING count(*) > 1 ORDER BY key
                """).map { DuplicateGroup(key: $0[0], interviews: ($0[1] as String).split(separator: " ").map(String.init)) }
        }
    }

    public func mergeLog() throws(StoreError) -> [MergeLogEntry] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM merge_log ORDER BY id").map { row in
                MergeLogEntry(sourceID: row["source_id"], path: row["path"], sha256: row["sha256"], time: row["time"],
                              newInterviews: row["new_interviews"], newRevisions: row["new_revisions"], changedInterviews: row["changed_interviews"])
            }
        }
    }
}
