import CanvassCore
import CFileIdentity
import Foundation
import GRDB

/// What a copy of a data file cannot keep: the machine (`Machine`), the file's inode number and
/// its birth time. Recorded when a file takes its origin; a write from anywhere else first forks.
///
/// A rename or a move within one file system keeps the inode, so it does not fork. A file
/// restored by a tool that deletes and creates it may get the old inode number back, but not
/// its birth time. Where the file system keeps no birth time, the device number stands in (a
/// stick mounted elsewhere then forks, harmlessly). A move to another disk is a copy and a
/// delete, and forks (harmlessly) at its next write.
struct WriterStamp: Equatable {
    var machine: String
    /// The inode number and birth time (`b` seconds.nanoseconds), or the device (`d` number).
    var file: String

    var text: String { "\(machine) \(file)" }

    init(machine: String, file: String) {
        self.machine = machine
        self.file = file
    }

    init?(text: String) {
        guard let space = text.firstIndex(of: " ") else { return nil }
        self.init(machine: String(text[..<space]), file: String(text[text.index(after: space)...]))
    }

    static func of(path: String, environment: StoreEnvironment) -> WriterStamp? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        var seconds: Int64 = 0, nanoseconds: UInt32 = 0
        let born = canvass_birth_time(path, &seconds, &nanoseconds) == 0 ? "b\(seconds).\(nanoseconds)" : "d\(info.st_dev)"
        return WriterStamp(machine: environment.machine(UInt64(info.st_dev)), file: "\(info.st_ino) \(born)")
    }
}

/// The origin and counter of a file's last write, kept in an extended attribute of its inode.
///
/// `cp backup.canvass lan.canvass` over the live file keeps its inode, and with it the seal, while
/// the content goes back in time: a seal ahead of the content, or naming another origin, shows
/// the file was restored. A plain copy has no seal, and its inode tells. File systems without
/// extended attributes (FAT sticks) keep no seal; the inode check still holds there.
enum Seal {
    static let name = "user.canvass.seal"

    static func read(_ path: String) -> RevisionID? {
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = getxattr(path, name, &buffer, buffer.count)
        guard count > 0 else { return nil }
        return RevisionID(String(decoding: buffer.prefix(count), as: UTF8.self))
    }

    /// After a commit: a write lost to a crash between the two leaves the seal behind the
    /// content, which is never taken for a restore.
    static func write(_ path: String, _ last: RevisionID) {
        let text = Array(last.description.utf8)
        _ = setxattr(path, name, text, text.count, 0)
    }
}

/// A new origin a file took, and why.
public struct Fork: Sendable, Codable, Hashable {
    public var origin: String
    public var previous: String
    /// For a diverged copy: `previous`'s counters first...last, renamed `origin`:1...
    public var first: Int64?
    public var last: Int64?
    public var reason: String
    public var time: String
    public var path: String
    public var host: String

    public init(origin: String, previous: String, first: Int64? = nil, last: Int64? = nil, reason: String, time: String, path: String, host: String) {
        self.origin = origin
        self.previous = previous
        self.first = first
        self.last = last
        self.reason = reason
        self.time = time
        self.path = path
        self.host = host
    }
}

extension DataFile {
    /// The origin this file may write under now, inside the writing transaction. A file that
    /// has been copied, restored or cloned since its last write takes a new origin first, and
    /// records why: the revisions it holds keep their names, and its own new ones cannot take
    /// names its original also gives out.
    static func writingOrigin(_ db: Database, file: DataFile) throws -> String {
        let origin = try meta(db, "file_id") ?? file.id
        guard let stamp = WriterStamp.of(path: file.path, environment: file.environment) else { return origin }
        guard let recorded = try meta(db, "writer") else {
            try setMeta(db, "writer", stamp.text)
            return origin
        }
        var reason: String?
        if recorded != stamp.text {
            reason = WriterStamp(text: recorded)?.machine != stamp.machine
                ? "it is written on another machine than before (a cloned disk, or a file carried over)"
                : "it is a copy (its inode is not its last writer's)"
        } else if let seal = Seal.read(file.path) {
            let held = try Int64.fetchOne(db, sql: "SELECT max(counter) FROM revision WHERE origin = ?", arguments: [origin]) ?? 0
            if seal.origin != origin || seal.counter > held {
                reason = "it was restored from an older copy (its last write was \(seal.short), it now holds \(origin.prefix(8)):\(held))"
            }
        }
        guard let reason else { return origin }
        return try fork(db, file: file, previous: origin, reason: reason, stamp: stamp)
    }

    /// Takes a new writing origin and records it. `renamed`: the counters of `previous` that a
    /// diverged copy's fork renamed (`canvass fork --against`).
    static func fork(_ db: Database, file: DataFile, previous: String, reason: String, stamp: WriterStamp?,
                     newOrigin: String? = nil, renamed: ClosedRange<Int64>? = nil, digest: [UInt8]? = nil) throws -> String {
        let origin = newOrigin ?? file.environment.newID()
        try db.execute(sql: "INSERT OR IGNORE INTO fork (origin, previous, first, last, digest, reason, time, path, host) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       arguments: [origin, previous, renamed?.lowerBound, renamed?.upperBound, digest.map { Data($0) }, reason,
                                   file.environment.now().iso8601, URL(fileURLWithPath: file.path).standardizedFileURL.path.nfc,
                                   ProcessInfo.processInfo.hostName.nfc])
        if newOrigin == nil {
            try setMeta(db, "file_id", origin)
            if let stamp { try setMeta(db, "writer", stamp.text) }
            file.origin.withLock { $0 = origin }
        }
        return origin
    }

    /// Takes a new writing origin now, whatever the checks say: before a file is copied to
    /// make an image, say, or when a user knows it is a copy. Returns the new origin.
    public func fork(reason: String) throws -> String {
        try write { writer in
            let origin = try DataFile.fork(writer.db, file: self, previous: writer.origin, reason: reason,
                                           stamp: WriterStamp.of(path: path, environment: environment))
            writer.adopt(origin)
            return origin
        }
    }

    /// Every fork this file knows of (its own, and those merged in), oldest first.
    public func forks() throws(StoreError) -> [Fork] {
        guard schemaVersion >= 4 else { return [] }
        return try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM fork ORDER BY time, origin").map { row in
                Fork(origin: row["origin"], previous: row["previous"], first: row["first"], last: row["last"], reason: row["reason"],
                     time: row["time"], path: row["path"], host: row["host"])
            }
        }
    }

    static func meta(_ db: Database, _ key: String) throws -> String? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT value FROM meta WHERE key = ?"), arguments: [key])
    }

    static func setMeta(_ db: Database, _ key: String, _ value: String) throws {
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)").execute(arguments: [key, value])
    }
}
