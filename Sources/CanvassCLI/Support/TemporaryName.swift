import Foundation

/// Names for files an export writes beside its output before moving them into place:
/// `.NAME.KIND-PID`. A killed export leaves its own behind; the next export to the same name
/// removes those whose process is gone, or that carry its own process id (left before a reboot),
/// as they hold personal data. (On a folder shared between machines, a process id says nothing
/// about another machine: two machines should not export to the same name at once.)
enum TemporaryName {
    static func make(for url: URL, kind: String) -> URL {
        removeLeftovers(for: url, kind: kind)
        return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(kind)-\(getpid())")
    }

    static func removeLeftovers(for url: URL, kind: String) {
        let directory = url.deletingLastPathComponent()
        let prefix = ".\(url.lastPathComponent).\(kind)-"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [] where name.hasPrefix(prefix) {
            guard let pid = Int32(name.dropFirst(prefix.count)), pid == getpid() || (kill(pid, 0) != 0 && errno == ESRCH) else { continue }
            try? FileManager.default.removeItem(at: directory.appendingPathComponent(name))
        }
    }
}
