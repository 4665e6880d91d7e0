import Crypto
import Foundation

/// Text functions, as JavaRosa evaluates them on Java strings: lengths and positions count UTF-16
/// units (the same as characters for Vietnamese in NFC), and regex() is Java's, whose \w, \d and
/// \s are ASCII only.
extension ExpressionEvaluator {
    func textFunction(_ function: ExpressionFunction, _ args: [ExpressionNode]) throws(ExpressionError) -> Value {
        switch function {
        case .string: return .string(try text(args[0]))
        case .stringLength:
            let subject = args.isEmpty ? string(context.current ?? .string("")) : try text(args[0])
            return .number(Double(subject.utf16.count))
        case .normalizeSpace:
            let subject = args.isEmpty ? string(context.current ?? .string("")) : try text(args[0])
            return .string(ExpressionNumberText.javaTrim(subject).split(whereSeparator: Self.isJavaSpace).joined(separator: " "))
        case .concat: return .string(try spread(args, from: 0).map(string).joined())
        case .join: return .string(try spread(args, from: 1).map(string).joined(separator: try text(args[0])))
        case .substr: return .string(try substring(args))
        case .substringBefore, .substringAfter:
            let haystack = try text(args[0]), needle = try text(args[1])
            guard let range = needle.isEmpty ? haystack.startIndex..<haystack.startIndex : haystack.range(of: needle) else { return .string("") }
            return .string(String(function == .substringBefore ? haystack[..<range.lowerBound] : haystack[range.upperBound...]))
        case .contains:
            let haystack = try text(args[0]), needle = try text(args[1])
            return .boolean(needle.isEmpty || haystack.range(of: needle) != nil)
        case .startsWith:
            let haystack = try text(args[0])
            return .boolean(haystack.utf16.starts(with: try text(args[1]).utf16))
        case .endsWith:
            let haystack = try text(args[0])
            return .boolean(haystack.utf16.reversed().starts(with: try text(args[1]).utf16.reversed()))
        case .translate: return .string(try translated(args))
        case .regex: return .boolean(try matches(args))
        case .digest: return .string(try digest(args))
        case .base64Decode:
            return .string(String(decoding: Self.base64Decode(Array(try text(args[0]).utf8)), as: UTF8.self))
        default: return .string(try extractSigned(args))
        }
    }

    /// Java regex's `\s`: space, tab, line feed, vertical tab, form feed, carriage return.
    static func isJavaSpace(_ character: Character) -> Bool {
        character.unicodeScalars.allSatisfy { [0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D].contains($0.value) }
    }

    /// substr(s, start[, end]): 0-based start, exclusive end; negative positions count from the end (JavaRosa).
    private func substring(_ args: [ExpressionNode]) throws(ExpressionError) -> String {
        let units = Array(try text(args[0]).utf16)
        let length = units.count
        func position(_ raw: Int) -> Int { Swift.min(Swift.max(raw < 0 ? length + raw : raw, 0), length) }
        let start = position(javaInt(try numeric(args[1])))
        let end = args.count > 2 ? position(javaInt(try numeric(args[2]))) : length
        return start < end ? String(decoding: units[start..<end], as: UTF16.self) : ""
    }

    /// translate(s, from, to): each character of `from` becomes the one at the same place in `to`, or is removed.
    private func translated(_ args: [ExpressionNode]) throws(ExpressionError) -> String {
        let from = Array(try text(args[1]).utf16)
        let to = Array(try text(args[2]).utf16)
        var result: [UInt16] = []
        for unit in try text(args[0]).utf16 {
            guard let index = from.firstIndex(of: unit) else {
                result.append(unit)
                continue
            }
            if index < to.count { result.append(to[index]) }
        }
        return String(decoding: result, as: UTF16.self)
    }

    /// regex(s, pattern) must match the whole string, as Java's Pattern.matches does.
    private func matches(_ args: [ExpressionNode]) throws(ExpressionError) -> Bool {
        let subject = try text(args[0])
        let pattern = try text(args[1])
        let whole: NSRegularExpression
        do {
            // Compile the pattern alone first so an unbalanced ')' cannot pair with the anchoring group
            // (ICU refuses an empty pattern, which Java accepts).
            let java = Self.javaPattern(pattern)
            if !java.isEmpty { _ = try NSRegularExpression(pattern: java) }
            whole = try NSRegularExpression(pattern: "\\A(?:" + java + ")\\z")
        } catch {
            throw self.error("invalid regular expression '\(pattern)'", at: args[1].offset)
        }
        let range = NSRange(subject.startIndex..<subject.endIndex, in: subject)
        return whole.firstMatch(in: subject, range: range) != nil
    }

    /// A Java pattern in ICU's dialect: Java's `\w`, `\d`, `\s` (and their capitals, and `\b`'s idea
    /// of a word) are ASCII, ICU's are Unicode; `.` stops at the same line ends in both.
    static func javaPattern(_ pattern: String) -> String {
        let classes: [Character: (inside: String, outside: String)] = [
            "w": ("a-zA-Z_0-9", "[a-zA-Z_0-9]"), "d": ("0-9", "[0-9]"), "s": (" \\t\\n\\x0B\\f\\r", "[ \\t\\n\\x0B\\f\\r]"),
            "W": ("", "[^a-zA-Z_0-9]"), "D": ("", "[^0-9]"), "S": ("", "[^ \\t\\n\\x0B\\f\\r]"),
        ]
        var result = ""
        var inClass = 0
        var characters = pattern.makeIterator()
        while let character = characters.next() {
            if character == "\\", let next = characters.next() {
                if let replacement = classes[next], !(inClass > 0 && replacement.inside.isEmpty) {
                    result += inClass > 0 ? replacement.inside : replacement.outside
                } else if next == "Q" {
                    // \Q...\E quotes literally in both dialects.
                    result += "\\Q"
                } else {
                    result += "\\\(next)"
                }
                continue
            }
            if character == "[" { inClass += 1 }
            if character == "]", inClass > 0 { inClass -= 1 }
            result.append(character)
        }
        return result
    }

    /// digest(data, algorithm[, encoding]): MD5, SHA-1, SHA-256, SHA-384 or SHA-512 of the UTF-8
    /// text (the name in any case, with or without its dash), base64 (the default) or hex.
    private func digest(_ args: [ExpressionNode]) throws(ExpressionError) -> String {
        let data = Data(try text(args[0]).utf8)
        let name = try text(args[1])
        let bytes: [UInt8]
        switch name.uppercased().replacingOccurrences(of: "-", with: "") {
        case "MD5": bytes = Array(Insecure.MD5.hash(data: data))
        case "SHA1": bytes = Array(Insecure.SHA1.hash(data: data))
        case "SHA256": bytes = Array(SHA256.hash(data: data))
        case "SHA384": bytes = Array(SHA384.hash(data: data))
        case "SHA512": bytes = Array(SHA512.hash(data: data))
        default:
            throw error("digest() knows MD5, SHA-1, SHA-256, SHA-384 and SHA-512, not '\(name)'", at: args[1].offset)
        }
        let encoding = args.count > 2 ? try text(args[2]) : "base64"
        switch encoding.uppercased() {
        case "BASE64": return Data(bytes).base64EncodedString()
        case "HEX": return bytes.hex
        default: throw error("digest() encodes in base64 or hex, not '\(encoding)'", at: args[2].offset)
        }
    }

    /// extract-signed(content, key): the message of base64 `content` (a 64-byte Ed25519 signature,
    /// then the message) when the signature is valid under the base64 public `key`; "" otherwise.
    private func extractSigned(_ args: [ExpressionNode]) throws(ExpressionError) -> String {
        let content = Self.base64Decode(Array(try text(args[0]).utf8))
        let key = Self.base64Decode(Array(try text(args[1]).utf8))
        guard content.count >= 64, let publicKey = try? Curve25519.Signing.PublicKey(rawRepresentation: key) else { return "" }
        let signature = Data(content[..<64]), message = Data(content[64...])
        guard publicKey.isValidSignature(signature, for: message) else { return "" }
        return String(decoding: message, as: UTF8.self)
    }

    /// JavaRosa's Base64.decode: characters outside the alphabet are skipped, and a length that is
    /// not a multiple of 4 decodes to nothing.
    static func base64Decode(_ bytes: [UInt8]) -> [UInt8] {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var table = [Int](repeating: -1, count: 256)
        for (index, byte) in alphabet.enumerated() { table[Int(byte)] = index }
        table[Int(UInt8(ascii: "="))] = 0
        let separators = bytes.filter { table[Int($0)] < 0 }.count
        guard (bytes.count - separators) % 4 == 0 else { return [] }
        var pad = 0
        var i = bytes.count
        while i > 1 {
            i -= 1
            guard table[Int(bytes[i])] <= 0 else { break }
            if bytes[i] == UInt8(ascii: "=") { pad += 1 }
        }
        let length = (((bytes.count - separators) * 6) >> 3) - pad
        guard length > 0 else { return [] }
        var output: [UInt8] = []
        output.reserveCapacity(length)
        var source = 0
        while output.count < length {
            var word = 0, taken = 0
            while taken < 4, source < bytes.count {
                let value = table[Int(bytes[source])]
                source += 1
                if value >= 0 {
                    word |= value << (18 - taken * 6)
                    taken += 1
                }
            }
            output.append(UInt8(truncatingIfNeeded: word >> 16))
            if output.count < length { output.append(UInt8(truncatingIfNeeded: word >> 8)) }
            if output.count < length { output.append(UInt8(truncatingIfNeeded: word)) }
        }
        return output
    }
}
