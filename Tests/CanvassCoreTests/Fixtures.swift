import CanvassCore
import Foundation

/// Paths into the repository, for tests that read the real forms.
enum Repo {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func form(_ name: String) throws -> Form {
        let path = root.appendingPathComponent("forms/\(name)").path
        return try FormLoader.load(yaml: String(contentsOfFile: path, encoding: .utf8), file: "forms/\(name)")
    }

    static func yaml(_ text: String) throws -> Form {
        try FormLoader.load(yaml: text, file: "test.yaml")
    }
}
