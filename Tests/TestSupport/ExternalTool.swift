import Foundation

/// Programs some tests run that are not ours. `tools/test.sh` installs them, Python's into
/// `.venv`. A test that lacks one fails with `#require(ExternalTool.find(...), ...)`, naming it:
/// a check that skipped itself would hide the gap.
public enum ExternalTool {
    /// The repository's root.
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The program's path: `.venv/bin` first, then PATH, then the system's folders.
    public static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let folders = [root.appendingPathComponent(".venv/bin").path] + path.split(separator: ":").map(String.init) + ["/usr/bin", "/bin"]
        return folders.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Why a missing program fails a test, and how to get it.
    public static func missing(_ name: String, from package: String) -> String {
        "\(name) is not installed (\(package)); run tools/test.sh, which installs it"
    }
}
