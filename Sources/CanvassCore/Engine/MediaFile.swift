import Crypto
import Foundation

/// How an answer to an image, audio, video or file question names its file: by the SHA-256 of the
/// file's bytes and the extension it came with (`3f2a…c1.jpg`), so the same photo is one file
/// however often it is answered, copied or merged, and the data file holds it (`DataFile.attachment`).
public enum MediaFile {
    /// The stored answer for a file with these bytes' SHA-256 (lowercase hex) and original name.
    public static func storedName(sha256: String, originalName: String) -> String {
        let ext = URL(fileURLWithPath: originalName).pathExtension.lowercased()
        let clean = ext.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) }
        return clean && !ext.isEmpty && ext.count <= 16 ? "\(sha256).\(ext)" : sha256
    }

    /// The SHA-256 of a file's bytes, lowercase hex.
    public static func sha256(of data: Data) -> String {
        Array(SHA256.hash(data: data)).hex
    }

    /// The SHA-256 an answer names, or nil when the text is not a stored name.
    public static func sha256(ofStoredName name: String) -> String? {
        let parts = name.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let hash = parts.first, hash.count == 64, hash.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else { return nil }
        if parts.count == 2 {
            let ext = parts[1]
            guard (1...16).contains(ext.count), ext.utf8.allSatisfy({ (48...57).contains($0) || (97...122).contains($0) }) else { return nil }
        }
        return String(hash)
    }
}
