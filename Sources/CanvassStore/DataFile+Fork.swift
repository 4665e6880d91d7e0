import CanvassCore
import Foundation
import GRDB

/// A diverged branch renamed: `previous`'s revisions from `first` on became `origin`:1...
/// `digest` is the branch's first revision's digest under its old name: any file holding a
/// revision with that digest there holds the branch unrenamed.
struct Rename: Sendable {
    var origin: String
    var previous: String
    var first: Int64
    var digest: [UInt8]

    /// A file's renames, from its fork table (none before schema 4).
    static func all(_ db: Database) throws -> [Rename] {
        guard try db.columns(in: "fork").contains(where: { $0.name == "digest" }) else { return [] }
        return try Row.fetchAll(db, sql: "SELECT origin, previous, first, digest FROM fork WHERE first IS NOT NULL AND digest IS NOT NULL").map {
            Rename(origin: $0[0], previous: $0[1], first: $0[2], digest: [UInt8]($0[3] as Data))
        }
    }
}

extension DataFile {
    /// The way out of a divergence, which loses nothing: this file's revisions that carry the
    /// same names as different revisions in `other` are renamed under a new origin, and this
    /// file writes under a new origin from then on. Then the two merge, and where both changed a
    /// field it shows as a conflict. Returns the forks made (none when nothing diverged).
    ///
    /// The new name is derived from the diverged branch itself (its origin and the digest of its
    /// first revision), so every file that holds the branch renames it alike, and the results
    /// merge. A branch `other` has renamed already is renamed here the same way. Revisions that
    /// name renamed ones as parents are rewritten to match, and the digests after them worked out
    /// again: other files holding those revisions hold the branch too, and need the same fork.
    public func fork(against otherPath: String) throws -> [Fork] {
        guard Stores.isServer(otherPath) else { return try fork(against: otherPath, named: otherPath) }
        // A server: what it holds of this file's origins, in a private file beside this one.
        let server = try ServerStore(address: try Stores.address(otherPath), environment: environment)
        let copy = path + ".server-\(getpid())"
        defer { DataFile.remove(copy) }
        let origins = try read { db in try DataFile.origins(db) }
        try server.exportForPull(into: copy, held: [:], only: Set(origins))
        return try fork(against: copy, named: server.location)
    }

    private func fork(against otherPath: String, named otherName: String) throws -> [Fork] {
        let other = try DataFile(path: otherPath, mode: .untrusted, environment: environment)
        guard !FileStamp.sameFile(otherPath, path) else {
            throw StoreError.refused(path: otherPath, reason: "it is \(path) itself; give the file it diverged from")
        }
        let (theirTips, theirRenames) = try other.read { db in
            (try Dictionary(uniqueKeysWithValues: DataFile.origins(db).map { origin in
                (origin, try Int64.fetchOne(db, sql: "SELECT max(counter) FROM revision WHERE origin = ?", arguments: [origin]) ?? 0)
            }), other.schemaVersion >= 4 ? try Rename.all(db) : [])
        }
        return try write { writer in
            let db = writer.db
            // Every branch to rename is found before any is renamed: a rename rewrites the links
            // of other origins, which would then seem to differ.
            var plan: [(origin: String, renamed: ClosedRange<Int64>, name: String, digest: [UInt8], reason: String)] = []
            for tip in try DataFile.tips(db) ?? [] {
                if let known = theirRenames.first(where: { $0.previous == tip.origin && $0.first <= tip.counter }),
                   try DataFile.digest(db, tip.origin, known.first) == known.digest {
                    plan.append((tip.origin, known.first...tip.counter, known.origin, known.digest,
                                 "its revisions \(tip.origin):\(known.first)-\(tip.counter) are those \(otherName) renamed as \(known.origin)"))
                    continue
                }
                let shared = min(tip.counter, theirTips[tip.origin] ?? 0)
                guard shared > 0 else { continue }
                let theirs = try DataFile.sourceDigests(other, origin: tip.origin, upTo: shared)
                guard try DataFile.digest(db, tip.origin, shared) != theirs(shared) else { continue }
                let first = try DataFile.firstDifference(upTo: shared, { try DataFile.digest(db, tip.origin, $0) }, theirs)
                let digest = try DataFile.digest(db, tip.origin, first) ?? []
                plan.append((tip.origin, first...tip.counter, "\(tip.origin)~\(digest.hex.prefix(8))", digest,
                             "its revisions \(tip.origin):\(first)-\(tip.counter) differ from those of \(otherName)"))
            }
            var made: [Fork] = []
            for step in plan {
                try rename(db, origin: step.origin, step.renamed, to: step.name)
                _ = try DataFile.fork(db, file: self, previous: step.origin, reason: step.reason, stamp: nil, newOrigin: step.name,
                                      renamed: step.renamed, digest: step.digest)
                made.append(Fork(origin: step.name, previous: step.origin, first: step.renamed.lowerBound, last: step.renamed.upperBound,
                                 reason: step.reason, time: environment.now().iso8601, path: path, host: ""))
                if writer.origin == step.origin {
                    let fresh = try DataFile.fork(db, file: self, previous: step.origin, reason: "its own origin diverged from \(otherName)",
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
        // A file that also holds the renamed copies would otherwise name one head twice.
        func rewrite(_ text: String) -> String { Writer.formatParents(Array(Set(Writer.parseParents(text).map(renamed)))) }
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
                                           revision.device, revision.hlc, revision.time, rewrite(Writer.formatParents(revision.parents))])
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
