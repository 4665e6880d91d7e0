import CanvassCore
import Foundation

/// Reading a form from disk: the one place that knows about file formats.
enum FormFile {
    static func load(_ path: String) throws -> Form {
        let url = URL(fileURLWithPath: path)
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw FormError(file: path, message: "cannot read the file; check the path")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw FormError(file: path, message: "the file is not UTF-8 text; save it as UTF-8")
        }
        return try FormLoader.load(yaml: text, file: path)
    }
}
