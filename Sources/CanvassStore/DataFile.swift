import CanvassCore
import Foundation
import CSQLiteDefensive
import GRDB
import Synchronization

/// One Canvass data file: a SQLite file holding forms, interviews and the revision log.
///
/// Opening checks that the file is ours and not from a newer version before anything is changed.
public final class DataFile: Sendable {
    public let path: String
    /// The origin this file writes its revisions under: its identity until it finds itself
    /// copied, restored or cloned, when it takes a new one (`DataFile+Identity.swift`).
    public var id: String { origin.withLock { $0 } }
    let origin: Mutex<String>
    /// The schema version the file had when opened (older files are migrated only when written).
    let schemaVersion: Int
    /// Opened without its -wal, which could not be read (a read-only folder, say): newer
    /// answers may be in it. Read-only modes only.
    public let walUnread: Bool
    let access: Access
    let queue: DatabaseQueue
    let environment: StoreEnvironment
    let formEngines = FormEngines()

    public enum Mode: Sendable {
        case readOnly, readWrite, create
        /// A file from the field, about to be merged: read-only, defensive, checked before use.
        case untrusted
    }

    /// Opens a data file. `.create` makes it (mode 0600) when absent; `.readOnly` and `.untrusted` never write.
    public init(path: String, mode: Mode, environment: StoreEnvironment = .live) throws(StoreError) {
        self.path = path
        self.environment = environment
        if !FileManager.default.fileExists(atPath: path) {
            guard mode == .create else { throw StoreError.notFound(path: path) }
            try DataFile.createAtomically(path: path, environment: environment)
        }
        // How to open, in order. A file of one's own is opened writable (though never written
        // through: `write` refuses), so that closing it checkpoints and removes its -wal, as a
        // writer's close does: every command leaves the main file whole. Where that cannot be,
        // read-only; and where SQLite cannot open the file with its -wal (it must make a -shm
        // beside it, which a read-only folder forbids), the main file alone (immutable), and the
        // caller warns if the -wal held anything.
        let alone = DataFile.readOnlyURI(path, immutable: true)
        let attempts: [(location: String, access: Access)] = switch mode {
        case .readWrite, .create: [(path, .write)]
        case .readOnly: [(path, .readable), (path, .readOnly), (alone, .withoutWAL)]
        // A source that no program has open (no -wal, no -shm) is read as it lies, which leaves
        // nothing beside it (a USB stick, a shared folder); were it written meanwhile, the merge
        // sees the file changed.
        case .untrusted where !DataFile.isOpenSomewhere(path): [(alone, .immutable)]
        case .untrusted: [(path, .readOnly), (alone, .withoutWAL)]
        }
        var opened: (queue: DatabaseQueue, file: Opened, access: Access)?
        do {
            for (n, attempt) in attempts.enumerated() {
                do {
                    let queue = try DatabaseQueue(path: attempt.location, configuration: DataFile.configuration(readOnly: ![.write, .readable].contains(attempt.access)))
                    let file = try queue.writeWithoutTransaction { db in
                        try DataFile.prepare(db, path: path, onDisk: path, mode: mode, environment: environment)
                    }
                    opened = (queue, file, attempt.access)
                    break
                } catch let error as DatabaseError where n + 1 < attempts.count
                    && [.SQLITE_CANTOPEN, .SQLITE_READONLY, .SQLITE_PERM].contains(error.resultCode.primaryResultCode) {
                    continue
                }
            }
        } catch {
            throw DataFile.describe(error, path: path)
        }
        guard let (queue, file, access) = opened else { throw StoreError.notFound(path: path) }
        self.queue = queue
        self.origin = Mutex(file.id)
        self.schemaVersion = file.version
        // An empty -wal holds nothing: reading without it misses nothing.
        self.walUnread = access == .withoutWAL && DataFile.hasWAL(path)
        self.access = access
    }

    /// How the file was opened: `readable` is writable by SQLite but never written by Canvass.
    enum Access { case write, readable, readOnly, immutable, withoutWAL }

    /// Read as the main file alone, without SQLite's locks, -wal or -shm (a source with no -wal,
    /// or whose -wal could not be read): attach it so too.
    public var immutable: Bool { access == .immutable || access == .withoutWAL }

    /// What opening found: the file's origin and schema version (after any migration).
    struct Opened {
        var id: String
        var version: Int
    }

    static func hasWAL(_ path: String) -> Bool {
        ((try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0) > 0
    }

    /// A -wal or -shm beside a file: a program has it open (or was stopped before closing it).
    static func isOpenSomewhere(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: path + "-wal") || FileManager.default.fileExists(atPath: path + "-shm")
    }

    /// Deletes a private work file and its -wal and -shm.
    static func remove(_ path: String) {
        for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) }
    }

    /// How long a command waits for another process's write to finish before giving up, in seconds.
    public static let busyTimeout: TimeInterval = 10

    static func configuration(readOnly: Bool) -> Configuration {
        var config = Configuration()
        config.readonly = readOnly
        config.busyMode = .timeout(busyTimeout)
        config.prepareDatabase { db in
            // Defensive settings: a file from the field may carry hostile schema objects.
            try db.execute(sql: "PRAGMA trusted_schema = OFF")
            // Sorts and temporary tables hold answers: in memory, never in /var/tmp.
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
            if let connection = db.sqliteConnection { _ = canvass_sqlite_defensive(UnsafeMutableRawPointer(connection)) }
        }
        return config
    }

    /// Makes a new data file beside `path` and moves it into place whole, so that a crash while
    /// creating leaves either no file or a complete, empty one (mode 0600: answers are personal data).
    static func createAtomically(path: String, environment: StoreEnvironment) throws(StoreError) {
        let temporary = path + ".creating-\(getpid())"
        let fd = open(temporary, O_CREAT | O_EXCL | O_WRONLY, 0o600)
        guard fd >= 0 else { throw StoreError.cannotCreate(path: path, reason: String(cString: strerror(errno))) }
        Glibc.close(fd)
        defer { DataFile.remove(temporary) }
        do {
            // The writer recorded is the temporary file, whose inode the link below gives `path`.
            let queue = try DatabaseQueue(path: temporary, configuration: configuration(readOnly: false))
            _ = try queue.writeWithoutTransaction { db in try prepare(db, path: path, onDisk: temporary, mode: .create, environment: environment) }
            try queue.close()
        } catch {
            throw describe(error, path: path)
        }
        // link() fails if another process created the file meanwhile: then theirs is used.
        if link(temporary, path) != 0 && errno != EEXIST {
            throw StoreError.cannotCreate(path: path, reason: String(cString: strerror(errno)))
        }
    }

    /// Checks identity and version; creates or migrates the schema when writing. `onDisk` is
    /// where the file is now (a new file is made beside its path and moved into place).
    static func prepare(_ db: Database, path: String, onDisk: String, mode: Mode, environment: StoreEnvironment) throws -> Opened {
        let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
        let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
        let tables = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") ?? 0
        if applicationID != Schema.applicationID {
            guard applicationID == 0, tables == 0, mode == .readWrite || mode == .create else {
                throw StoreError.notCanvass(path: path, detail: applicationID == 0 ? "a SQLite file of another application" : "application_id \(applicationID)")
            }
        }
        if version > Schema.version { throw StoreError.newerVersion(path: path, found: version, known: Schema.version) }
        if mode == .untrusted { try checkUntrusted(db, path: path, version: version) }
        if mode == .readWrite || mode == .create {
            // 16 KB pages for a new file: a merge writes a fifth faster than with SQLite's 4 KB
            // (BENCHMARKS.md §4). It can only be set before the first table.
            if tables == 0 { try db.execute(sql: "PRAGMA page_size = 16384") }
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = FULL")
            if version < Schema.version {
                // Schema 4 rebuilds a table that others refer to; Schema.migrate checks the keys.
                try db.execute(sql: "PRAGMA foreign_keys = OFF")
                defer { try? db.execute(sql: "PRAGMA foreign_keys = ON") }
                try db.inTransaction(.immediate) {
                    try Schema.migrate(db)
                    if try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'file_id'") == nil {
                        try db.execute(sql: "INSERT INTO meta(key, value) VALUES ('file_id', ?), ('created', ?)",
                                       arguments: [environment.newID(), environment.now().iso8601])
                    }
                    // A new file records its writer; an older one adopts the one opening it.
                    if try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'writer'") == nil,
                       let stamp = WriterStamp.of(path: onDisk, environment: environment) {
                        try db.execute(sql: "INSERT INTO meta(key, value) VALUES ('writer', ?)", arguments: [stamp.text])
                    }
                    return .commit
                }
            }
        }
        guard let id = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'file_id'") else {
            throw StoreError.notCanvass(path: path, detail: "it has no file identity")
        }
        return Opened(id: id, version: try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0)
    }

    /// A file from the field must have exactly the schema Canvass writes (no hidden trigger or view).
    static func checkUntrusted(_ db: Database, path: String, version: Int) throws {
        let expected = try Schema.objects(version: version)
        let found = try Schema.objects(db)
        for (object, sql) in found.sorted(by: { $0.key < $1.key }) where expected[object] != sql {
            let what = expected[object] == nil ? "has a \(object) that Canvass never creates" : "has a \(object) changed from what Canvass creates"
            throw StoreError.notCanvass(path: path, detail: "its schema \(what)")
        }
        if let missing = expected.keys.sorted().first(where: { found[$0] == nil }) {
            throw StoreError.notCanvass(path: path, detail: "its schema lacks the \(missing)")
        }
    }

    /// Closes the file, its -wal checkpointed into it and removed (SQLite does so when the last
    /// connection closes): the main file is whole, ready to be copied. Used no more after.
    public func close() throws(StoreError) {
        do { try queue.close() } catch { throw DataFile.describe(error, path: path) }
    }

    /// SQLite's quick_check: the file's pages and records are intact. Reads the whole file, so a
    /// merge runs it only on a source that has something new to give.
    public func quickCheck() throws(StoreError) {
        let check = try read { db in try String.fetchAll(db, sql: "PRAGMA quick_check") }
        guard check == ["ok"] else { throw StoreError.corrupt(path: path, detail: "quick_check: \(check.first ?? "no answer")") }
    }

    /// Turns SQLite's errors into messages that name the file.
    static func describe(_ error: Error, path: String) -> StoreError {
        if let error = error as? StoreError { return error }
        if let error = error as? DatabaseError {
            switch error.resultCode {
            case .SQLITE_NOTADB: return .notCanvass(path: path, detail: "not a SQLite database")
            case .SQLITE_CORRUPT: return .corrupt(path: path, detail: error.message ?? "corrupt")
            case .SQLITE_BUSY, .SQLITE_LOCKED: return .busy(path: path)
            case .SQLITE_CANTOPEN where FileManager.default.fileExists(atPath: path): return .cannotOpen(path: path)
            case .SQLITE_CANTOPEN: return .notFound(path: path)
            default: return .corrupt(path: path, detail: error.message ?? "\(error.resultCode)")
            }
        }
        return .corrupt(path: path, detail: "\(error)")
    }

    func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try queue.read(body)
        } catch {
            throw DataFile.describe(error, path: path)
        }
    }
}
