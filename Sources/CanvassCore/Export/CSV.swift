/// RFC 4180 text: fields quoted only when they must be, lines ended with CRLF as the RFC and Excel
/// expect. One reader and one writer, so `export`, `report --csv` and `sample` quote alike.
public enum CSV {
    /// A line of fields, CRLF included.
    public static func line(_ fields: [String]) -> String {
        var bytes: [UInt8] = []
        append(fields, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends a line as UTF-8: exports write millions of fields, and bytes are cheaper than strings.
    /// Inlinable, so that it is specialised for the caller's sequence rather than called generically.
    @inlinable
    public static func append<Fields: Sequence<String>>(_ fields: Fields, to bytes: inout [UInt8]) {
        var first = true
        for field in fields {
            if !first { bytes.append(0x2C) }
            first = false
            let utf8 = field.utf8
            let needsQuotes = utf8.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
                || utf8.first == 0x20 || utf8.last == 0x20
            guard needsQuotes else {
                bytes.append(contentsOf: utf8)
                continue
            }
            bytes.append(0x22)
            for byte in utf8 {
                if byte == 0x22 { bytes.append(0x22) }
                bytes.append(byte)
            }
            bytes.append(0x22)
        }
        bytes.append(contentsOf: [0x0D, 0x0A])
    }

    public struct Problem: Error, CustomStringConvertible, Sendable {
        public let line: Int
        public let message: String
        public var description: String { "line \(line): \(message)" }
    }

    /// Parses a whole text into rows; a UTF-8 byte order mark at the start is ignored. Lines may
    /// end with CRLF or LF; quoted fields may hold commas, quotes ("") and line breaks.
    public static func parse(_ text: String) throws(Problem) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false, wasQuoted = false
        var line = 1, quoteLine = 1
        var scalars = text.unicodeScalars[...]
        if scalars.first == "\u{FEFF}" { scalars = scalars.dropFirst() }
        var iterator = scalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let scalar = pending { pending = nil; return scalar }
            return iterator.next()
        }
        while let scalar = next() {
            if quoted {
                if scalar == "\"" {
                    let following = next()
                    if following == "\"" { field.unicodeScalars.append("\"") } else { quoted = false; pending = following }
                } else {
                    if scalar == "\n" { line += 1 }
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"":
                guard field.isEmpty, !wasQuoted else { throw Problem(line: line, message: "a quote inside an unquoted field; quote the whole field and double the quote (\"\")") }
                quoted = true
                wasQuoted = true
                quoteLine = line
            case ",":
                row.append(field)
                field = ""
                wasQuoted = false
            case "\r":
                let following = next()
                if following != "\n" { pending = following }
                fallthrough
            case "\n":
                row.append(field)
                rows.append(row)
                row = []
                field = ""
                wasQuoted = false
                line += 1
            default:
                if wasQuoted { throw Problem(line: line, message: "text after a closing quote") }
                field.unicodeScalars.append(scalar)
            }
        }
        if quoted { throw Problem(line: quoteLine, message: "a quoted field is never closed") }
        if !field.isEmpty || !row.isEmpty || wasQuoted {
            row.append(field)
            rows.append(row)
        }
        return rows
    }
}
