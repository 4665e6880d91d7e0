import CanvassCore
import Foundation
import GRDB

extension ServerStore {
    /// A supervisor's decision on the server (resolve, review, discard), made as everything
    /// reaches the server: pushed. The interviews named are copied into a private work file (their
    /// form, facts, current values and the revisions at their heads); the decision is written
    /// there, under the work file's own new origin, by the same `Writer` a data file uses; and the
    /// work file is pushed, checked like any other, then deleted. So a decision on the server means
    /// what it means in a file, and needs the right to push.
    public func write<T>(touching interviews: [String], _ body: (inout Writer) throws -> T) throws -> T {
        let folder = FileManager.default.temporaryDirectory
        let path = folder.appendingPathComponent("canvass-decision-\(getpid())-\(UUID().uuidString).canvass").path
        defer { DataFile.remove(path) }
        let work = try DataFile(path: path, mode: .create, environment: environment)
        try work.queue.write { db in try fill(db, interviews: interviews) }
        let result = try work.write(body)
        try work.close()
        let report = merge(sources: [path], dryRun: false) { _, _ in }[0]
        guard report.outcome != .refused else {
            throw StoreError.server(server: location, reason: "the decision was not taken: \(report.reason ?? "refused")")
        }
        return result
    }

    /// Copies what a decision on `interviews` builds on into a work file.
    private func fill(_ db: Database, interviews: [String]) throws {
        var newest: Int64 = 0
        for id in interviews {
            guard let interview = try connection.rows("SELECT form, surveyor, device, created, mode, status, updated FROM interview WHERE id = $1",
                                                      try binds(id)).first else { throw StoreError.unknownInterview(path: location, id: id) }
            let form: String = try interview[0].decode(String.self)
            let definition = try connection.rows("SELECT form_id, version, definition FROM form WHERE sha256 = $1", try binds(form))[0]
            try db.execute(sql: "INSERT OR IGNORE INTO form (sha256, form_id, version, definition) VALUES (?, ?, ?, ?)",
                           arguments: [form, try definition[0].decode(String.self), try definition[1].decode(String.self), try definition[2].decode(String.self)])
            let facts = try (1...6).map { try interview[$0].decode(String.self) }  // surveyor, device, created, mode, status, updated
            try db.execute(sql: "INSERT INTO interview (id, form, surveyor, device, created, mode, status, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           arguments: StatementArguments([id, form] + facts))
            var heads: [RevisionID] = []
            for row in try connection.rows("SELECT field, value, heads, conflict FROM current WHERE interview = $1", try binds(id)) {
                let text = try row[2].decode(String.self)
                heads += Writer.parseParents(text)
                try db.execute(sql: "INSERT INTO current (interview, field, value, heads, conflict) VALUES (?, ?, ?, ?, ?)",
                               arguments: [id, try row[0].decode(String.self), try row[1].decode(String?.self), text, try row[3].decode(Bool.self) ? 1 : 0])
            }
            for row in try connection.rows("SELECT \(Self.revisionColumns), digest FROM revision WHERE (origin, counter) IN (SELECT * FROM unnest($1::text[], $2::bigint[]))",
                                           try binds(heads.map(\.origin), heads.map(\.counter))) {
                let revision = try Self.revision(row)
                newest = max(newest, revision.hlc)
                try db.execute(sql: """
                    INSERT INTO revision (origin, counter, interview, field, value, author, device, hlc, time, parents, digest)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [revision.id.origin, revision.id.counter, revision.interview, revision.field, revision.value, revision.author,
                                     revision.device, revision.hlc, revision.time, Writer.formatParents(revision.parents), Data(try Self.bytes(row[10]))])
            }
        }
        // The decision's clock comes after what it decides on.
        try db.execute(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES ('hlc', ?)", arguments: [String(newest)])
    }
}
