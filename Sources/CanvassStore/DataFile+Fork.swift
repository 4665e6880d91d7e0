import CanvassCore
import Foundation
import GRDB

extension DataFile {
    /// The way out of a divergence, which loses nothing: this file's revisions that carry the
    /// same names as different revisions in `other` are renamed under a new origin, and this
    /// file writes under a new origin from now on. Then the two merge, and where both changed a
    /// field it shows as a conflict. Returns the forks made (none when nothing diverged).
    ///
    /// The new name is derived from the diverged branch itself (its origin and the digest of its
    /// first revision), so every file that holds the branch, forked against the same original,
    /// renames it alike and the results merge. Revisions that name renamed ones as parents are
    /// rewritten to match, and the digests after them worked out again: other files holding
    /// those revisions hold the branch too, and need the same fork.
    public func fork(against otherPath: String) throws -> [Fork] {
        let other = try DataFile(path: otherPath, mode: .untrusted, environment: environment)
        guard !FileStamp.sameFile(otherPath, path) else {
            throw StoreError.refused(path: otherPath, reason: "it is \(path) itself; give the file it diverged from")
        }
        let theirTips = try other.read { db in
            try Dictionary(uniqueKeysWithValues: DataFile.origins(db).map { origin in
                (origin, try Int64.fetchOne(db, sql: "SELECT max(counter) FROM revision WHERE origin = ?", arguments: [origin]) ?? 0)
            })
        }
        return try write { writer in
            let db = writer.db
            var made: [Fork] = []
            for tip in try DataFile.tips(db) ?? [] {
                let shared = min(tip.counter, theirTips[tip.origin] ?? 0)
                guard shared > 0 else { continue }
                let their = try DataFile.sourceDigests(other, origin: tip.origin, upTo: shared)
                guard try DataFile.digest(db, tip.origin, shared) != their(shared) else { continue }
                let first = try DataFile.firstDifference(upTo: shared, { try DataFile.digest(db, tip.origin, $0) }, their)
                let renamed = first...tip.counter
                let name = "\(tip.origin)~\(try DataFile.digest(db, tip.origin, first)?.hex.prefix(8) ?? "")"
                try rename(db, origin: tip.origin, renamed, to: name)
                _ = try DataFile.fork(db, file: self, previous: tip.origin, reason: "its revisions \(tip.origin):\(first)-\(tip.counter) differ from those of \(otherPath)",
                                      stamp: nil, newOrigin: name, renamed: renamed)
                made.append(Fork(origin: name, previous: tip.origin, first: first, last: tip.counter,
                                 reason: "diverged from \(otherPath)", time: environment.now().iso8601, path: path, host: ""))
                if writer.origin == tip.origin {
                    let fresh = try DataFile.fork(db, file: self, previous: tip.origin, reason: "its own origin diverged from \(otherPath)",
                                                  stamp: WriterStamp.of(path: path, environment: environment))
                    writer.adopt(fresh)
                }
            }
            return made
        }
    }

    /// Renames `origin`'s revisions `counters` as `name`:1..., rewrites every parent link and
    /// head naming them, and works out again the digests of every origin it changed.
    private func rename(_ db: Database, origin: String, _ counters: ClosedRange<Int64>, to name: String) throws {
        let offset = counters.lowerBound - 1
        func renamed(_ id: RevisionID) -> RevisionID {
            id.origin == origin && counters.contains(id.counter) ? RevisionID(origin: name, counter: id.counter - offset) : id
        }
        func rewrite(_ text: String) -> String { Writer.formatParents(Writer.parseParents(text).map(renamed)) }
        // The branch itself, under its new name (a row already there from another file's same
        // fork is the same revision, and stays).
        let branch = try Row.fetchAll(db, sql: "SELECT * FROM revision WHERE origin = ? AND counter BETWEEN ? AND ? ORDER BY counter",
                                      arguments: [origin, counters.lowerBound, counters.upperBound]).map(DataFile.revision)
        try db.execute(sql: "DELETE FROM revision WHERE origin = ? AND counter BETWEEN ? AND ?", arguments: [origin, counters.lowerBound, counters.upperBound])
        let insert = try db.makeStatement(sql: """
            INSERT OR IGNORE INTO revision (origin, counter, interview, field, value, author, device, hlc, time, parents)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for revision in branch {
            let id = renamed(revision.id)
            try insert.execute(arguments: [id.origin, id.counter, revision.interview, revision.field, revision.value, revision.author,
                                           revision.device, revision.hlc, revision.time, Writer.formatParents(revision.parents.map(renamed))])
        }
        // Links into the branch from revisions of other origins, and the heads.
        var changed: [String: Int64] = [name: 1]
        let linking = try Row.fetchAll(db, sql: "SELECT origin, counter, parents FROM revision WHERE instr(parents, ?) > 0 AND origin != ?",
                                       arguments: [origin + ":", name])
        for row in linking {
            let parents: String = row["parents"]
            guard rewrite(parents) != parents else { continue }
            try db.execute(sql: "UPDATE revision SET parents = ? WHERE origin = ? AND counter = ?", arguments: [rewrite(parents), row["origin"], row["counter"]])
            let from: String = row["origin"], counter: Int64 = row["counter"]
            changed[from] = min(changed[from] ?? counter, counter)
        }
        for row in try Row.fetchAll(db, sql: "SELECT interview, field, heads FROM current WHERE instr(heads, ?) > 0", arguments: [origin + ":"]) {
            try db.execute(sql: "UPDATE current SET heads = ? WHERE interview = ? AND field = ?",
                           arguments: [rewrite(row["heads"]), row["interview"], row["field"]])
        }
        for (changedOrigin, from) in changed {
            var previous = from == 1 ? RevisionDigest.start : try DataFile.digest(db, changedOrigin, from - 1) ?? RevisionDigest.start
            let update = try db.makeStatement(sql: "UPDATE revision SET digest = ? WHERE origin = ? AND counter = ?")
            for revision in try Row.fetchAll(db, sql: "SELECT * FROM revision WHERE origin = ? AND counter >= ? ORDER BY counter",
                                             arguments: [changedOrigin, from]).map(DataFile.revision) {
                previous = RevisionDigest.of(revision, after: previous)
                try update.execute(arguments: [Data(previous), changedOrigin, revision.id.counter])
            }
        }
        // The version vector: the old origin now ends before the branch; the new one holds it.
        let source = try String.fetchOne(db, sql: "SELECT source FROM origin WHERE origin = ?", arguments: [origin]) ?? "this file"
        try db.execute(sql: "UPDATE origin SET counter = ? WHERE origin = ?", arguments: [offset, origin])
        try db.execute(sql: """
            INSERT INTO origin (origin, counter, source) VALUES (?, ?, ?)
            ON CONFLICT (origin) DO UPDATE SET counter = max(counter, excluded.counter)
            """, arguments: [name, Int64(counters.count), source])
    }
}
