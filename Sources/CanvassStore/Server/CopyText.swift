import NIOCore

/// Rows in COPY's text format: tab-separated, `\N` for NULL, and backslash, tab, newline and
/// carriage return escaped (postgres-nio sends the bytes as they are).
struct CopyText {
    enum Field {
        case text(String?)
        case integer(Int64?)
        case bytes([UInt8]?)
    }

    var buffer = ByteBuffer()
    private var started = false

    mutating func add(_ fields: [Field]) {
        for field in fields {
            switch field {
            case .text(let value):
                guard var value else { text(nil); continue }
                value.withUTF8 { text(UnsafeRawBufferPointer($0)) }
            case .integer(let value): value.map { integer($0) } ?? null()
            case .bytes(let value): value.map { $0.withUnsafeBytes { bytes($0) } } ?? null()
            }
        }
        endRow()
    }

    private mutating func separate() {
        if started { buffer.writeInteger(UInt8(ascii: "\t")) }
        started = true
    }

    mutating func null() {
        separate()
        buffer.writeStaticString("\\N")
    }

    /// Text as its bytes: runs that need no escape are copied whole.
    mutating func text(_ bytes: UnsafeRawBufferPointer?) {
        guard let bytes else { return null() }
        separate()
        var from = 0
        for (index, byte) in bytes.enumerated() {
            let escaped: StaticString
            switch byte {
            case UInt8(ascii: "\\"): escaped = "\\\\"
            case UInt8(ascii: "\t"): escaped = "\\t"
            case UInt8(ascii: "\n"): escaped = "\\n"
            case UInt8(ascii: "\r"): escaped = "\\r"
            default: continue
            }
            buffer.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[from..<index]))
            buffer.writeStaticString(escaped)
            from = index + 1
        }
        buffer.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[from...]))
    }

    /// Its decimal digits, written in place (a String per number was a tenth of a push's client).
    mutating func integer(_ value: Int64) {
        separate()
        if value < 0 { buffer.writeInteger(UInt8(ascii: "-")) }
        var rest = value.magnitude, digits = 1
        while rest >= 10 { rest /= 10; digits += 1 }
        rest = value.magnitude
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: digits) { out in
            for index in stride(from: digits - 1, through: 0, by: -1) {
                out[index] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            }
            return digits
        }
    }

    /// bytea's hex input, its backslash escaped for COPY, written in place.
    mutating func bytes(_ value: UnsafeRawBufferPointer) {
        separate()
        buffer.writeStaticString("\\\\x")
        let digits: StaticString = "0123456789abcdef"
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: value.count * 2) { out in
            for (index, byte) in value.enumerated() {
                out[2 * index] = digits.utf8Start[Int(byte >> 4)]
                out[2 * index + 1] = digits.utf8Start[Int(byte & 15)]
            }
            return value.count * 2
        }
    }

    mutating func endRow() {
        buffer.writeInteger(UInt8(ascii: "\n"))
        started = false
    }
}
