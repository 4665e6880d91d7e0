import Crypto
import Foundation

/// The kiosk's admin PIN, kept only as a salted, stretched hash: a respondent who copies the data
/// file does not learn it, and a short PIN costs an attacker many hashes per guess.
public struct KioskPIN: Sendable, Equatable {
    public let salt: [UInt8]
    public let iterations: Int
    public let hash: [UInt8]

    public static let defaultIterations = 20_000

    /// Hashes `pin` with `salt` (random bytes from the caller, so tests can fix them).
    public init(pin: String, salt: [UInt8], iterations: Int = KioskPIN.defaultIterations) {
        self.salt = salt
        self.iterations = iterations
        hash = Self.stretch(pin, salt: salt, iterations: iterations)
    }

    public func matches(_ pin: String) -> Bool {
        let candidate = Self.stretch(pin, salt: salt, iterations: iterations)
        // Compared in full whatever differs first.
        return zip(candidate, hash).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0 && candidate.count == hash.count
    }

    static func stretch(_ pin: String, salt: [UInt8], iterations: Int) -> [UInt8] {
        var digest = [UInt8](SHA256.hash(data: salt + Array(pin.nfc.utf8)))
        for _ in 0..<max(iterations, 1) { digest = [UInt8](SHA256.hash(data: digest + salt)) }
        return digest
    }

    /// `sha256x20000$SALT$HASH` in hex.
    public var text: String { "sha256x\(iterations)$\(salt.hex)$\(hash.hex)" }

    public init?(text: String) {
        let parts = text.split(separator: "$").map(String.init)
        guard parts.count == 3, parts[0].hasPrefix("sha256x"), let iterations = Int(parts[0].dropFirst(7)),
              let salt = Self.bytes(parts[1]), let hash = Self.bytes(parts[2]), hash.count == 32
        else { return nil }
        self.salt = salt
        self.iterations = iterations
        self.hash = hash
    }

    static func bytes(_ hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var result: [UInt8] = []
        for i in stride(from: 0, to: digits.count, by: 2) {
            guard let byte = UInt8(String(decoding: digits[i..<i + 2], as: UTF8.self), radix: 16) else { return nil }
            result.append(byte)
        }
        return result
    }
}
