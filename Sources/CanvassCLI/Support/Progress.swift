import Foundation

/// A one-line progress counter on standard error, only when it is a terminal.
struct Progress {
    let total: Int
    let label: String
    let enabled = isatty(STDERR_FILENO) == 1

    func update(_ done: Int, detail: String) {
        guard enabled, total > 1 else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K\(label) \(done + 1)/\(total) \(detail)".utf8))
    }

    func finish() {
        guard enabled, total > 1 else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
