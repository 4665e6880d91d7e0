import CanvassCore
import Foundation
import GRDB
import NIOCore
import PostgresNIO

extension ServerStore {
    /// Writes what a pull takes into a new data file at `path`, to be merged like any other
    /// source (checked whole, digests compared): for every origin of the slice, and every origin
    /// its revisions build on, the revisions the target lacks, from the one at the counter the
    /// target holds (so the merge compares digests there); the parents they name; and the
    /// interviews, forms, forks and form equivalences they need.
    ///
    /// A role that reads some provinces only (row-level security) pulls the origins it sees
    /// whole, and none of those it sees nothing of; an origin it sees only part of is refused.
    ///
    /// A slice (`where=`) takes whole origins: every origin that wrote in the slice, entire, so
    /// that each origin a file holds is still a run from 1 without a gap, which its digests need.
    /// It can hold interviews outside the slice, which those origins also wrote in.
    func exportForPull(into path: String, held: [String: Int64], only origins: Set<String>? = nil) throws {
        let file = try DataFile(path: path, mode: .create, environment: environment)
        defer { try? file.close() }
        let serverID = try connection.rows("SELECT value FROM meta WHERE key = 'file_id'").first.map { try $0[0].decode(String.self) } ?? location
        let tips = try pulledOrigins().filter { origins?.contains($0.key) ?? true }
        try file.queue.write { db in
            // Revisions arrive before the interviews they name: the keys are checked at commit.
            try db.execute(sql: "PRAGMA defer_foreign_keys = ON")
            try db.execute(sql: "UPDATE meta SET value = ? WHERE key = 'file_id'", arguments: [serverID])
            var have = Set<RevisionID>(), wanted = Set<RevisionID>(), interviews = Set<String>()
            func insert(_ rows: [PostgresRandomAccessRow]) throws {
                for row in rows {
                    let revision = try Self.revision(row)
                    guard have.insert(revision.id).inserted else { continue }
                    interviews.insert(revision.interview)
                    wanted.formUnion(revision.parents)
                    try db.execute(sql: """
                        INSERT INTO revision (origin, counter, interview, field, value, author, device, hlc, time, parents, digest)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [revision.id.origin, revision.id.counter, revision.interview, revision.field, revision.value,
                                         revision.author, revision.device, revision.hlc, revision.time, Writer.formatParents(revision.parents),
                                         Data(try Self.bytes(row[10]))])
                }
            }
            for (origin, counter) in tips.sorted(by: { $0.key < $1.key }) where counter > held[origin, default: 0] {
                let from = max(held[origin, default: 0], 1)
                let rows = try connection.rows("SELECT \(Self.revisionColumns), digest FROM revision WHERE origin = $1 AND counter >= $2 ORDER BY counter",
                                               try binds(origin, from))
                // Row-level security hides the revisions of other provinces' interviews: an origin
                // this role sees none of is not its to pull; one with a gap cannot be merged.
                if rows.isEmpty { continue }
                guard rows.count == Int(counter - from + 1) else {
                    throw StoreError.server(server: location, reason: "\(address.user) may not read every revision of origin \(origin) (row-level security: it wrote in provinces this role does not see); pull as a role that sees them, or read on the server")
                }
                try insert(rows)
            }
            wanted.subtract(have)
            let parents = Array(wanted)
            for start in stride(from: 0, to: parents.count, by: 5000) {
                let chunk = parents[start..<min(start + 5000, parents.count)]
                try insert(try connection.rows("SELECT \(Self.revisionColumns), digest FROM revision WHERE (origin, counter) IN (SELECT * FROM unnest($1::text[], $2::bigint[]))",
                                               try binds(chunk.map(\.origin), chunk.map(\.counter))))
            }
            let ids = Array(interviews)
            var forms = Set<String>()
            for start in stride(from: 0, to: ids.count, by: 5000) {
                let chunk = Array(ids[start..<min(start + 5000, ids.count)])
                for row in try connection.rows("SELECT id, form, surveyor, device, created, mode, status, updated FROM interview WHERE id = ANY($1::text[])",
                                               try binds(chunk)) {
                    let values = try (0...7).map { try row[$0].decode(String.self) }
                    forms.insert(values[1])
                    try db.execute(sql: "INSERT INTO interview (id, form, surveyor, device, created, mode, status, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                   arguments: StatementArguments(values))
                }
            }
            // The files those interviews' answers name, one at a time (each can be tens of megabytes).
            for start in stride(from: 0, to: ids.count, by: 5000) {
                let chunk = Array(ids[start..<min(start + 5000, ids.count)])
                for row in try connection.rows("SELECT DISTINCT sha256 FROM attachment_use WHERE interview = ANY($1::text[])", try binds(chunk)) {
                    let sha = try row[0].decode(String.self)
                    guard let data = try attachment(sha) else { continue }
                    try db.execute(sql: "INSERT OR IGNORE INTO attachment (sha256, data) VALUES (?, ?)", arguments: [sha, data])
                }
            }
            for row in try connection.rows("SELECT sha256, form_id, version, definition FROM form WHERE sha256 = ANY($1::text[])", try binds(Array(forms))) {
                try db.execute(sql: "INSERT INTO form (sha256, form_id, version, definition) VALUES (?, ?, ?, ?)",
                               arguments: StatementArguments(try (0...3).map { try row[$0].decode(String.self) }))
            }
            for row in try connection.rows("SELECT sha256, same_as, author, time FROM form_equivalent WHERE sha256 = ANY($1::text[]) AND same_as = ANY($1::text[])",
                                           try binds(Array(forms))) {
                try db.execute(sql: "INSERT INTO form_equivalent (sha256, same_as, author, time) VALUES (?, ?, ?, ?)",
                               arguments: StatementArguments(try (0...3).map { try row[$0].decode(String.self) }))
            }
            for row in try connection.rows("SELECT origin, previous, first, last, digest, reason, time, path, host FROM fork") {
                try db.execute(sql: "INSERT INTO fork (origin, previous, first, last, digest, reason, time, path, host) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                               arguments: [try row[0].decode(String.self), try row[1].decode(String.self), try row[2].decode(Int64?.self),
                                           try row[3].decode(Int64?.self), try row[4].decode(ByteBuffer?.self).map { Data($0.readableBytesView) },
                                           try row[5].decode(String.self), try row[6].decode(String.self), try row[7].decode(String.self),
                                           try row[8].decode(String.self)])
            }
        }
    }

    /// The origins a pull takes, with the server's highest counter of each: all of them, or
    /// those that wrote in the slice and, again and again, those whose revisions theirs build on.
    private func pulledOrigins() throws -> [String: Int64] {
        var filters: [String] = [], values: [String] = []
        for (key, value) in address.slice.sorted(by: { $0.key < $1.key }) {
            values.append(value)
            switch key {
            case "form": filters.append("i.form IN (SELECT sha256 FROM form WHERE form_id = $\(values.count))")
            case "province": filters.append("$\(values.count) = ANY(i.province)")
            default: filters.append("EXISTS (SELECT 1 FROM current c WHERE c.interview = i.id AND c.field = 'unit' AND c.value = $\(values.count))")
            }
        }
        let chosen = filters.isEmpty ? "SELECT origin FROM origin" : """
            WITH RECURSIVE chosen(origin) AS (
                SELECT DISTINCT r.origin FROM revision r JOIN interview i ON i.id = r.interview WHERE \(filters.joined(separator: " AND "))
                UNION
                SELECT DISTINCT split_part(p, ':', 1) FROM chosen c JOIN revision r ON r.origin = c.origin,
                    unnest(string_to_array(NULLIF(r.parents, ''), ' ')) p)
            SELECT origin FROM chosen
            """
        var bindings = PostgresBindings()
        for value in values { bindings.append(value) }
        return Dictionary(uniqueKeysWithValues: try connection.rows("SELECT o.origin, o.counter FROM origin o WHERE o.origin IN (\(chosen))", bindings).map {
            (try $0[0].decode(String.self), try $0[1].decode(Int64.self))
        })
    }
}
