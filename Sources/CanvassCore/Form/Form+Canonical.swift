import Crypto
import Foundation

extension Form {
    /// The form as canonical JSON: sorted keys, absent values omitted, texts in NFC.
    ///
    /// Two definitions are the same form exactly when these bytes are equal, whatever file format
    /// (YAML, XLSForm) or key order they were written in.
    public func canonicalJSON() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding plain Codable values of strings cannot fail.
        return (try? encoder.encode(self)) ?? Data()
    }

    /// SHA-256 of `canonicalJSON()`, in lowercase hex.
    public var sha256: String {
        Array(SHA256.hash(data: canonicalJSON())).hex
    }

    /// Reads a form back from its canonical JSON (as embedded in a data file).
    public init(canonicalJSON data: Data) throws {
        self = try JSONDecoder().decode(Form.self, from: data)
    }
}
