import Crypto

/// Each origin's revisions form a hash chain: a revision's digest is SHA-256 over the digest of
/// the revision before it (counter − 1) and its own content.
///
/// A name, (origin, counter), is only a claim: a copy of a file that kept writing as its original
/// gives one name to two revisions. Two files with the same digest at a counter hold the same
/// revisions of that origin up to it, so a merge compares one digest before it trusts a name
/// ("already merged", or rows it skips), and a name with two contents shows as two digests.
public struct RevisionDigest {
    /// The digest "before" an origin's first revision.
    public static let start = [UInt8](repeating: 0, count: 32)

    private var hasher = SHA256()

    /// Starts the digest of the revision after the one whose digest is `previous`.
    public init(after previous: UnsafeRawBufferPointer) {
        hasher.update(bufferPointer: previous)
    }

    public init(after previous: [UInt8]) {
        hasher.update(data: previous)
    }

    // Every column is tagged and length-prefixed, so no two revisions encode alike. (A merge
    // digests millions of rows: the headers are written without allocating.)

    /// A text column as its UTF-8 bytes, or NULL.
    public mutating func text(_ bytes: UnsafeRawBufferPointer?) {
        guard let bytes else { return header(0, nil) }
        header(1, UInt64(bytes.count))
        hasher.update(bufferPointer: bytes)
    }

    public mutating func text(_ string: String?) {
        guard var string else { return header(0, nil) }
        string.withUTF8 { text(UnsafeRawBufferPointer($0)) }
    }

    public mutating func integer(_ value: Int64) {
        header(2, UInt64(bitPattern: value))
    }

    public func finalize() -> [UInt8] { Array(hasher.finalize()) }

    /// A tag byte and, unless nil, a big-endian number: 1 or 9 bytes (a tuple of bytes has no padding).
    private mutating func header(_ tag: UInt8, _ number: UInt64?) {
        let v = number ?? 0
        func byte(_ shift: UInt64) -> UInt8 { UInt8(truncatingIfNeeded: v >> shift) }
        var bytes = (tag, byte(56), byte(48), byte(40), byte(32), byte(24), byte(16), byte(8), byte(0))
        withUnsafeBytes(of: &bytes) { hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0.prefix(number == nil ? 1 : 9))) }
    }

    /// The digest of `revision`, in the column order of the log: origin, counter, interview,
    /// field, value, author, device, hlc, time, parents (as stored: sorted, space-separated).
    public static func of(_ revision: Revision, after previous: [UInt8]) -> [UInt8] {
        var digest = RevisionDigest(after: previous)
        digest.text(revision.id.origin)
        digest.integer(revision.id.counter)
        digest.text(revision.interview)
        digest.text(revision.field)
        digest.text(revision.value)
        digest.text(revision.author)
        digest.text(revision.device)
        digest.integer(revision.hlc)
        digest.text(revision.time)
        digest.text(revision.parents.sorted().map(\.description).joined(separator: " "))
        return digest.finalize()
    }
}

extension Array where Element == UInt8 {
    /// Lowercase hexadecimal, for messages and derived names.
    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count * 2)
        for byte in self {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 15)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
