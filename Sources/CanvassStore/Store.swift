import CanvassCore
import Foundation

/// Where answers are kept: a data file (SQLite, `DataFile`) or a server (PostgreSQL,
/// `ServerStore`). Commands that read or review work through this, and never ask which: the
/// semantics (a union of revisions, heads and conflicts derived from the set) are the same.
public protocol Store: AnyObject, Sendable {
    /// Where it is, as a user would name it: a path, or a URL without its password.
    var location: String { get }
    /// What a user should know of the store as opened (a data file's -wal that could not be read).
    var openWarning: String? { get }
    func interviewCount() throws -> Int
    func interviews(status: String?) throws -> [InterviewSummary]
    /// An interview by its id or an unambiguous start of it.
    func interview(_ id: String) throws -> InterviewSummary
    func state(_ interview: String) throws -> InterviewState
    func revisions(_ interview: String) throws -> [Revision]
    func forms() throws -> [Form]
    func definitions() throws -> [FormDefinition]
    /// Every interview with its current answers, in id order, without holding them all in memory.
    func forEachInterview(status: String?, _ body: (InterviewSummary, InterviewState) throws -> Void) throws
    func conflicts() throws -> [Conflict]
    func duplicates() throws -> [DuplicateGroup]
    func mergeLog() throws -> [MergeLogEntry]
    func forks() throws -> [Fork]
    /// The bytes of an answered file (photo, recording, document), by its SHA-256; nil when not held.
    func attachment(_ sha256: String) throws -> Data?
    /// Merges sources (paths of data files, or server URLs) in: see `DataFile.merge`.
    func merge(sources: [String], dryRun: Bool, each: (Int, MergeReport) -> Void) -> [MergeReport]
    /// Whether this user may read answers here (a server's canvass_push role may not).
    func canRead() throws -> Bool
    /// New revisions about the interviews named, in one transaction: a supervisor's decision.
    func write<T>(touching interviews: [String], _ body: (inout Writer) throws -> T) throws -> T
}

extension Store {
    public func interviews() throws -> [InterviewSummary] { try interviews(status: nil) }

    public func forEachInterview(_ body: (InterviewSummary, InterviewState) throws -> Void) throws {
        try forEachInterview(status: nil, body)
    }
}

/// Opens a store by what the user typed: a server URL (`postgres://`, `postgresql://`), or the
/// path of a data file.
public enum Stores {
    public static func isServer(_ location: String) -> Bool {
        location.hasPrefix("postgres://") || location.hasPrefix("postgresql://")
    }

    public static func open(_ location: String, mode: DataFile.Mode, environment: StoreEnvironment) throws -> any Store {
        if isServer(location) { return try ServerStore(address: try address(location), environment: environment) }
        return try DataFile(path: location, mode: mode, environment: environment)
    }

    /// A server URL completed as libpq completes one, from this process's environment and home.
    public static func address(_ location: String) throws(StoreError) -> ServerAddress {
        try ServerAddress.parse(location, environment: ProcessInfo.processInfo.environment, home: ProcessInfo.processInfo.environment["HOME"],
                                user: ProcessInfo.processInfo.userName)
    }
}

extension DataFile: Store {
    public var location: String { path }

    public func write<T>(touching interviews: [String], _ body: (inout Writer) throws -> T) throws -> T {
        try write(body)
    }

    public func canRead() throws -> Bool { true }

    public var openWarning: String? {
        walUnread ? "its -wal could not be read here, so its newest answers are not counted; ask for it as one file made with canvass pack" : nil
    }
}
