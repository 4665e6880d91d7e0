import CanvassCore
import Foundation
import GRDB

/// A digest one file holds for a revision, which another must hold too for the name to mean
/// the same revision in both.
struct Agreement: Sendable {
    var origin: String
    var counter: Int64
    var digest: [UInt8]
}

/// One origin naming different revisions in two files, from `counter` on: a copy that kept
/// writing under its original's name, a restored backup or VM, or a hand-edited file.
public struct Divergence: Sendable, Codable, Hashable {
    public var origin: String
    /// The first counter whose revisions differ.
    public var counter: Int64
    /// The file refused, and the highest counter of `origin` it holds.
    public var path: String
    public var holds: Int64
    /// The file it diverged from, the counter it holds, and which file first brought it there.
    public var other: String
    public var otherHolds: Int64
    public var otherGotItFrom: String

    enum CodingKeys: String, CodingKey {
        case origin, counter, path, holds, other
        case otherHolds = "other_holds"
        case otherGotItFrom = "other_got_it_from"
    }

    public var message: String {
        "\(path) diverged from \(other): revision \(origin):\(counter) is one revision there and another here "
            + "(\(path) holds \(origin) up to \(holds); \(other) holds it up to \(otherHolds), from \(otherGotItFrom)). "
            + "One of them is a copy that kept writing under the other's name. Nothing of \(path) was merged. "
            + "Fork the copy, then merge again: if \(path) is the copy, canvass fork \(path) --against \(other); "
            + "if \(other) merged the copy before, canvass fork \(other) --against \(path)"
    }
}

extension DataFile {
    /// Each origin of a log with its highest counter and that revision's digest: a skip-scan of
    /// the primary key, so a few lookups per origin however long the log. nil when any of it is
    /// not as Canvass writes it (the caller then reads the whole file, which names the problem).
    static func tips(_ db: Database) throws -> [Agreement]? {
        var tips: [Agreement] = []
        let next = try db.makeStatement(sql: "SELECT origin FROM revision WHERE origin > ? ORDER BY origin LIMIT 1")
        let last = try db.makeStatement(sql: "SELECT counter, digest FROM revision WHERE origin = ? ORDER BY counter DESC LIMIT 1")
        var origin = try Row.fetchOne(db, sql: "SELECT origin FROM revision ORDER BY origin LIMIT 1")?[0] as DatabaseValue?
        while let value = origin {
            guard case .string(let name) = value.storage, let row = try Row.fetchOne(last, arguments: [name]),
                  case .int64(let counter) = (row[0] as DatabaseValue).storage, case .blob(let digest) = (row[1] as DatabaseValue).storage,
                  digest.count == 32
            else { return nil }
            tips.append(Agreement(origin: name, counter: counter, digest: [UInt8](digest)))
            origin = try Row.fetchOne(next, arguments: [name])?[0] as DatabaseValue?
        }
        return tips
    }

    /// Every origin of the log, by a skip-scan of the primary key.
    static func origins(_ db: Database) throws -> [String] {
        var origins: [String] = []
        let next = try db.makeStatement(sql: "SELECT origin FROM revision WHERE origin > ? ORDER BY origin LIMIT 1")
        var origin = try String.fetchOne(db, sql: "SELECT origin FROM revision ORDER BY origin LIMIT 1")
        while let name = origin {
            origins.append(name)
            origin = try String.fetchOne(next, arguments: [name])
        }
        return origins
    }

    static func digest(_ db: Database, _ origin: String, _ counter: Int64) throws -> [UInt8]? {
        try (Data.fetchOne(db.cachedStatement(sql: "SELECT digest FROM revision WHERE origin = ? AND counter = ?"), arguments: [origin, counter]))
            .map { [UInt8]($0) }
    }

    /// The first counter at which two chains of one origin differ, given that they differ at
    /// `upTo`: a binary search, as chains agree up to some counter and differ from it on.
    static func firstDifference(upTo: Int64, _ a: (Int64) throws -> [UInt8]?, _ b: (Int64) throws -> [UInt8]?) rethrows -> Int64 {
        var (low, high) = (Int64(1), upTo)
        while low < high {
            let middle = low + (high - low) / 2
            if try a(middle) == b(middle) { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// A source's digests of one origin up to `counter`: read from its log, or worked out from
    /// its rows when it was written before digests (schema 3 and older).
    static func sourceDigests(_ source: DataFile, origin: String, upTo counter: Int64) throws -> (Int64) -> [UInt8]? {
        if source.schemaVersion >= 4 {
            return { k in try? source.read { db in try DataFile.digest(db, origin, k) } }
        }
        // Read as the merge check reads rows (ValueRows): whatever their types, nothing traps.
        let chain = try source.read { db -> [Int64: [UInt8]] in
            let statement = try db.makeStatement(sql: """
                SELECT origin, counter, interview, field, value, hlc, time, parents, author, device
                FROM revision WHERE origin = ? AND counter <= ? ORDER BY counter
                """)
            try statement.setArguments([origin, counter])
            let rows = ValueRows(statement.sqliteStatement)
            var chain: [Int64: [UInt8]] = [:]
            var previous = RevisionDigest.start
            try withExtendedLifetime(statement) {
                while try rows.step(), rows.isInteger(1), Int64(rows.int(1)) == Int64(chain.count) + 1 {
                    previous = rows.chain(after: previous)
                    chain[Int64(rows.int(1))] = previous
                }
            }
            return chain
        }
        return { chain[$0] }
    }

    /// Whether this file holds a branch that `rename` renamed elsewhere, under its old names.
    func holds(_ rename: Rename) throws -> Bool {
        let present = try read { db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM revision WHERE origin = ? AND counter = ?", arguments: [rename.previous, rename.first]) == true
        }
        guard present else { return false }
        return try DataFile.sourceDigests(self, origin: rename.previous, upTo: rename.first)(rename.first) == rename.digest
    }

    /// Checks, in the target's transaction, that every name a source shares with the target
    /// means the same revisions: its digests must equal the target's. The rows at or below what
    /// the target holds never change, so a check made earlier still holds. And a branch the
    /// source renamed after a divergence must not be here under its old names.
    func verify(_ offer: MergeOffer, _ db: Database) throws {
        for rename in offer.renames where try DataFile.digest(db, rename.previous, rename.first) == rename.digest {
            throw StoreError.refused(path: offer.path, reason: "it renamed revisions \(rename.previous):\(rename.first) and after as \(rename.origin) after a divergence, and \(path) still holds them under their old names; fork \(path) the same way first: canvass fork \(path) --against \(offer.path)")
        }
        for agreement in offer.agreements {
            let here = try DataFile.digest(db, agreement.origin, agreement.counter)
            guard here != agreement.digest else { continue }
            let source = try DataFile(path: offer.path, mode: .untrusted, environment: environment)
            let theirs = try DataFile.sourceDigests(source, origin: agreement.origin, upTo: agreement.counter)
            let first = DataFile.firstDifference(upTo: agreement.counter, { try? DataFile.digest(db, agreement.origin, $0) }, theirs)
            let holds = try source.read { db in
                try Int64.fetchOne(db, sql: "SELECT max(counter) FROM revision WHERE origin = ?", arguments: [agreement.origin])
            } ?? agreement.counter
            let row = try Row.fetchOne(db, sql: "SELECT counter, source FROM origin WHERE origin = ?", arguments: [agreement.origin])
            throw StoreError.diverged(Divergence(
                origin: agreement.origin, counter: first, path: offer.path, holds: holds, other: path,
                otherHolds: row?["counter"] ?? agreement.counter, otherGotItFrom: row?["source"] ?? "this file"))
        }
    }
}
