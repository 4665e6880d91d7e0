/// A key press, decoded from the bytes a terminal sends.
enum Key: Equatable, Sendable {
    case character(Character)
    case enter, tab, backTab, backspace, delete, escape
    case up, down, left, right, home, end, pageUp, pageDown
    case function(Int)
    /// Ctrl with a letter (`a`...`z`), and Ctrl-\ as `\\`.
    case control(Character)
}

/// Turns terminal input bytes into keys: UTF-8 text, control characters, and the VT100/xterm
/// escape sequences for arrows, paging and function keys.
struct KeyDecoder {
    private var pending: [UInt8] = []

    /// Feeds bytes and returns the keys they complete. An escape sequence cut between two reads
    /// waits for the rest; `flush` says a lone ESC was the Escape key.
    mutating func feed(_ bytes: [UInt8]) -> [Key] {
        pending += bytes
        var keys: [Key] = []
        while let (key, used) = decode(pending[...]) {
            pending.removeFirst(used)
            if let key { keys.append(key) }
        }
        return keys
    }

    /// Whether bytes wait for more (an ESC alone, or half a UTF-8 character).
    var isWaiting: Bool { !pending.isEmpty }

    /// Called when no more bytes came soon after an ESC: it was the Escape key.
    mutating func flush() -> [Key] {
        defer { pending.removeAll() }
        return pending.first == 0x1B ? [.escape] : []
    }

    private func decode(_ bytes: ArraySlice<UInt8>) -> (Key?, Int)? {
        guard let first = bytes.first else { return nil }
        let start = bytes.startIndex
        switch first {
        case 0x0D, 0x0A: return (.enter, 1)
        case 0x09: return (.tab, 1)
        case 0x7F, 0x08: return (.backspace, 1)
        case 0x1C: return (.control("\\"), 1)
        case 0x01...0x1A: return (.control(Character(UnicodeScalar(first + 0x60))), 1)
        case 0x1B:
            guard bytes.count > 1 else { return nil }
            let second = bytes[start + 1]
            if second == 0x1B { return (.escape, 1) }
            guard second == UInt8(ascii: "[") || second == UInt8(ascii: "O") else { return (.escape, 1) }
            // CSI or SS3: parameters, then a final byte in 0x40...0x7E.
            var index = start + 2
            while index < bytes.endIndex, !(0x40...0x7E).contains(bytes[index]) { index += 1 }
            guard index < bytes.endIndex else { return bytes.count > 16 ? (nil, bytes.count) : nil }
            let parameters = String(decoding: bytes[(start + 2)..<index], as: UTF8.self)
            let used = index - start + 1
            switch bytes[index] {
            case UInt8(ascii: "A"): return (.up, used)
            case UInt8(ascii: "B"): return (.down, used)
            case UInt8(ascii: "C"): return (.right, used)
            case UInt8(ascii: "D"): return (.left, used)
            case UInt8(ascii: "H"): return (.home, used)
            case UInt8(ascii: "F"): return (.end, used)
            case UInt8(ascii: "Z"): return (.backTab, used)
            case UInt8(ascii: "P"): return (.function(1), used)
            case UInt8(ascii: "Q"): return (.function(2), used)
            case UInt8(ascii: "R"): return (.function(3), used)
            case UInt8(ascii: "S"): return (.function(4), used)
            case UInt8(ascii: "~"):
                let number = Int(parameters.split(separator: ";").first ?? "") ?? 0
                let keys: [Int: Key] = [1: .home, 7: .home, 4: .end, 8: .end, 3: .delete, 5: .pageUp, 6: .pageDown,
                                        15: .function(5), 17: .function(6), 18: .function(7), 19: .function(8),
                                        20: .function(9), 21: .function(10), 23: .function(11), 24: .function(12)]
                return (keys[number], used)
            default: return (nil, used)
            }
        case 0x00...0x1F: return (nil, 1)
        default:
            let length = first >= 0xF0 ? 4 : first >= 0xE0 ? 3 : first >= 0xC0 ? 2 : 1
            guard bytes.count >= length else { return nil }
            let text = String(decoding: bytes[start..<(start + length)], as: UTF8.self)
            return (text.first.map(Key.character), length)
        }
    }
}
