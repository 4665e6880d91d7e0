import CanvassCore
import Foundation
import GRDB

/// What `pack` wrote.
public struct PackReport: Sendable, Codable, Hashable {
    public var file: String
    public var output: String
    public var interviews: Int
    public var revisions: Int
    public var bytes: Int
    public var sha256: String
}

extension DataFile {
    /// Writes one consistent, checked, private file to hand over: what this file holds now,
    /// its -wal included, in a single file with no -wal of its own (SQLite's VACUUM INTO).
    ///
    /// It is made at `temporary` (beside `output`, mode 0600 from the start), checked as a merge
    /// checks a source (pages, schema, forms, every value and digest), synced, and only then
    /// moved to `output`, which is never overwritten. Its inode is new, so it takes a new origin
    /// the first time anything writes to it; read or merged, it is its original.
    public func pack(to output: String, via temporary: String) throws -> PackReport {
        guard !FileManager.default.fileExists(atPath: output) else {
            throw StoreError.refused(path: output, reason: "it exists already; give a new name (pack never overwrites)")
        }
        guard !walUnread else {
            throw StoreError.refused(path: path, reason: "its -wal cannot be read here, so its newest answers could not be packed; pack it where it was written")
        }
        let fd = open(temporary, O_CREAT | O_EXCL | O_WRONLY, 0o600)
        guard fd >= 0 else { throw StoreError.cannotCreate(path: output, reason: String(cString: strerror(errno))) }
        Glibc.close(fd)
        defer { unlink(temporary) }
        do {
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "VACUUM INTO ?", arguments: [temporary])
            }
        } catch {
            throw DataFile.describe(error, path: path)
        }
        do {
            _ = try check(source: temporary, against: MergeSnapshot(held: [:], engines: [:], extras: []))
        } catch {
            throw StoreError.refused(path: path, reason: "its packed copy does not pass the checks a merge makes (\(DataFile.describe(error, path: temporary).errorDescription ?? "")); nothing was written")
        }
        let (interviews, revisions) = try DataFile(path: temporary, mode: .untrusted, environment: environment).read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM interview") ?? 0, try Int.fetchOne(db, sql: "SELECT count(*) FROM revision") ?? 0)
        }
        let handle = open(temporary, O_RDONLY)
        if handle >= 0 { fsync(handle); Glibc.close(handle) }
        // link() refuses an existing name, where rename() would replace it. FAT sticks have no
        // links: there, the name is checked just before the rename.
        if link(temporary, output) != 0 {
            guard [EPERM, ENOTSUP, EOPNOTSUPP].contains(errno), !FileManager.default.fileExists(atPath: output), rename(temporary, output) == 0 else {
                throw StoreError.cannotCreate(path: output, reason: String(cString: strerror(errno)))
            }
        }
        let folder = open(URL(fileURLWithPath: output).deletingLastPathComponent().path, O_RDONLY)
        if folder >= 0 { fsync(folder); Glibc.close(folder) }
        let bytes = (try? FileManager.default.attributesOfItem(atPath: output)[.size] as? Int) ?? 0
        return PackReport(file: path, output: output, interviews: interviews, revisions: revisions, bytes: bytes,
                          sha256: try DataFile.sha256(ofFileAt: output))
    }
}
