import Foundation

/// Conditions that stop a command on a data file. Each message names the file or the interview and what to do.
public enum StoreError: LocalizedError, Sendable, Equatable {
    case notFound(path: String)
    case cannotCreate(path: String, reason: String)
    case notCanvass(path: String, detail: String)
    case newerVersion(path: String, found: Int, known: Int)
    case corrupt(path: String, detail: String)
    case cannotOpen(path: String)
    case busy(path: String)
    case unknownInterview(path: String, id: String)
    case ambiguousInterview(path: String, id: String, matches: Int)
    case exists(path: String, id: String)
    /// A merge source that cannot be taken in, and why.
    case refused(path: String, reason: String)
    /// One name, two revisions: refused by name, never dropped or overwritten.
    case diverged(Divergence)
    /// A server URL that cannot be read (the password left out of `text`).
    case badServer(text: String, reason: String)
    /// A server that refused or could not be reached (`server` without its password).
    case server(server: String, reason: String)
    /// One of the server's own checks refused a push (`ServerSchema.apply`; code CV001...).
    case serverRule(server: String, code: String, detail: String)

    public var errorDescription: String? {
        switch self {
        case .notFound(let path):
            return "\(path): no such data file; check the path (interview and record create one)"
        case .cannotCreate(let path, let reason):
            return "cannot create \(path): \(reason); check the folder exists and is writable"
        case .notCanvass(let path, let detail):
            return "\(path) is not a Canvass data file (\(detail)); give a file written by canvass"
        case .newerVersion(let path, let found, let known):
            return "\(path) was written by a newer Canvass (schema \(found); this one knows up to \(known)); update canvass to open it"
        case .corrupt(let path, let detail):
            return "\(path) is damaged (\(detail)); use a backup or the surveyor's copy"
        case .cannotOpen(let path):
            return "\(path) cannot be opened here: SQLite cannot open it, or the -wal and -shm beside it; check the folder's permissions, or copy the file to a folder you can write"
        case .busy(let path):
            return "\(path) is busy: another program kept it locked for more than \(Int(DataFile.busyTimeout)) s; nothing was written; try again when it has finished"
        case .unknownInterview(let path, let id):
            return "\(path) has no interview '\(id)'; see canvass list \(path)"
        case .ambiguousInterview(let path, let id, let matches):
            return "'\(id)' matches \(matches) interviews in \(path); give more of the id"
        case .refused(let path, let reason):
            return "\(path): \(reason)"
        case .diverged(let divergence):
            return divergence.message
        case .badServer(let text, let reason):
            return "\(text): \(reason)"
        case .server(let server, let reason):
            return "\(server): \(reason)"
        case .serverRule(let server, let code, let detail):
            return "\(server): refused by its check \(code) (\(detail))"
        case .exists(let path, let id):
            return "\(path) already has an interview with id '\(id)'; remove _id to make a new one, or use canvass edit"
        }
    }
}
