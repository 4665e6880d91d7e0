import CanvassStore
import Foundation

/// A one-line progress counter on standard error, only when it is a terminal.
struct Progress {
    let total: Int
    let label: String
    let enabled = isatty(STDERR_FILENO) == 1

    func update(_ done: Int, detail: String) {
        guard enabled, total > 1 else { return }
        Output.write(STDERR_FILENO, "\r\u{1B}[K\(label) \(done + 1)/\(total) \(detail)")
    }

    func finish() {
        guard enabled, total > 1 else { return }
        Output.write(STDERR_FILENO, "\r\u{1B}[K")
    }
}

extension Store {
    /// Every interview, as `forEachInterview`, with a counter on a terminal: reading a quarter of
    /// a million interviews takes seconds.
    func forEachInterview(showing label: String, _ body: (InterviewSummary, InterviewState) throws -> Void) throws {
        let progress = Progress(total: try interviewCount(), label: label)
        defer { progress.finish() }
        var done = 0
        try forEachInterview { interview, state in
            if done % 1000 == 0 { progress.update(done, detail: "") }
            done += 1
            try body(interview, state)
        }
    }
}
