import Foundation
#if canImport(zlib)
import zlib
#elseif canImport(CZlib)
import CZlib  // zlib, as ZIPFoundation links it on Linux
#endif
#if canImport(FoundationXML)
import FoundationXML
#endif

// zlib's functions under names that XLSXReader's own `crc32` and `inflate` do not shadow.
private func zlibCRC32(_ crc: uLong, _ bytes: UnsafePointer<Bytef>?, _ length: uInt) -> uLong { crc32(crc, bytes, length) }
private func zlibInflate(_ stream: z_streamp, _ flush: Int32) -> Int32 { inflate(stream, flush) }

/// One cell's value as the workbook stores it.
struct XLSXCell: Sendable, Hashable {
    enum Kind: Sendable, Hashable { case text, number, boolean, error }

    var kind: Kind
    /// The value as text: strings as written, numbers as pyxform shows them (`2` for 2.0, `0.1`),
    /// booleans as `TRUE` / `FALSE`.
    var text: String
    /// The number, for numeric cells (a date is a serial number of days).
    var number: Double?
}

/// A worksheet's cells, sparse: only cells that hold a value are kept.
struct XLSXSheet: Sendable {
    var name: String
    /// Row number (1-based) → column number (1-based) → cell.
    var rows: [Int: [Int: XLSXCell]] = [:]

    var rowNumbers: [Int] { rows.keys.sorted() }

    subscript(row: Int, column: Int) -> XLSXCell? { rows[row]?[column] }
}

/// The sheets of a workbook that were asked for, with the names of all of them.
struct XLSXWorkbook: Sendable {
    /// Every sheet's name, in the workbook's order.
    var sheetNames: [String]
    /// The sheets that were loaded, by name as written.
    var sheets: [String: XLSXSheet]
    /// Dates count from 1904-01-01 instead of 1899-12-30 (old Mac Excel).
    var date1904: Bool
}

/// How much work a workbook may cause: a hostile file stops at these instead of filling memory.
struct XLSXLimits: Sendable {
    var maxArchiveBytes = 100 << 20
    var maxTotalInflatedBytes = 100 << 20
    var maxEntryInflatedBytes = 64 << 20
    var maxEntries = 10_000
    var maxCells = 2_000_000
    var maxSharedStrings = 1_000_000

    static let standard = XLSXLimits()
}

/// Reads `.xlsx` workbooks (Office Open XML spreadsheets) as written by Excel, LibreOffice, Google
/// Sheets, Gnumeric and openpyxl: shared, inline and rich-text strings, sparse cells, relative or
/// absolute relationship targets, with bounded work.
enum XLSXReader {
    static let maxRow = 1_048_576
    static let maxColumn = 16_384

    /// Reads the workbook's sheet list and the sheets that `wanted`, given every sheet's name, picks.
    static func read(_ data: Data, limits: XLSXLimits = .standard, loading wanted: ([String]) -> Set<String>) throws(XLSXError) -> XLSXWorkbook {
        let zip = try ZipSource(data: data, limits: limits)

        var workbookPath = "xl/workbook.xml"
        if let rootRels = try zip.read("_rels/.rels") {
            let relations = try relationships(rootRels, part: "_rels/.rels")
            if let office = relations.first(where: { $0.type.hasSuffix("/officeDocument") && !$0.external }) {
                workbookPath = try resolve(office.target, from: "")
            }
        }
        guard let workbookData = try zip.read(workbookPath) else {
            throw XLSXError("the archive has no workbook (\(workbookPath)); it is not an .xlsx spreadsheet — save it as Excel .xlsx")
        }
        let workbook = WorkbookDelegate()
        try parse(workbookData, part: workbookPath, delegate: workbook)

        let base = directory(of: workbookPath)
        let relsPath = base + "_rels/" + fileName(of: workbookPath) + ".rels"
        var relations: [Relationship] = []
        if let relsData = try zip.read(relsPath) {
            relations = try relationships(relsData, part: relsPath)
        }

        let picked = wanted(workbook.sheets.map(\.name))
        let loading = workbook.sheets.filter { picked.contains($0.name) }
        var sharedStrings: [String] = []
        if !loading.isEmpty {
            var sharedPath: String? = nil
            if let shared = relations.first(where: { $0.type.hasSuffix("/sharedStrings") && !$0.external }) {
                sharedPath = try resolve(shared.target, from: base)
            } else if zip.contains(base + "sharedStrings.xml") {
                sharedPath = base + "sharedStrings.xml"
            }
            if let sharedPath, let sharedData = try zip.read(sharedPath) {
                let delegate = SharedStringsDelegate(limit: limits.maxSharedStrings)
                try parse(sharedData, part: sharedPath, delegate: delegate)
                sharedStrings = delegate.strings
            }
        }

        var sheets: [String: XLSXSheet] = [:]
        var cellBudget = limits.maxCells
        for sheet in loading {
            let path: String
            if let relation = relations.first(where: { $0.id == sheet.relationId }), !relation.external {
                path = try resolve(relation.target, from: base)
            } else if let sheetId = sheet.sheetId, zip.contains(base + "worksheets/sheet\(sheetId).xml") {
                path = base + "worksheets/sheet\(sheetId).xml"
            } else {
                throw XLSXError("the sheet '\(sheet.name)' has no worksheet part in the archive; the file is damaged — open and save it again")
            }
            guard let sheetData = try zip.read(path) else {
                throw XLSXError("the sheet '\(sheet.name)' points to \(path), which is not in the archive; the file is damaged — open and save it again")
            }
            let delegate = SheetDelegate(name: sheet.name, sharedStrings: sharedStrings, cellBudget: cellBudget)
            try parse(sheetData, part: path, delegate: delegate)
            cellBudget = delegate.cellBudget
            sheets[sheet.name] = XLSXSheet(name: sheet.name, rows: delegate.rows)
        }
        return XLSXWorkbook(sheetNames: workbook.sheets.map(\.name), sheets: sheets, date1904: workbook.date1904)
    }

    // MARK: - Archive

    /// One file of the zip archive, as its central directory describes it, checked to lie inside the data.
    struct ZipEntry {
        var path: String
        var method: Int
        var crc: UInt32
        var compressedSize: Int
        var uncompressedSize: Int
        /// Where the entry's (compressed) bytes start in the archive.
        var start: Int
    }

    /// The zip archive, read here rather than through ZIPFoundation's `Archive`: in 0.9.20 its
    /// in-memory reader traps on an offset past the end, and its Linux inflate loop spins forever
    /// on a truncated deflate stream — both reachable from a damaged or hostile file. Every
    /// structure is bounds-checked, and every read counted against the limits.
    final class ZipSource {
        let data: Data
        let limits: XLSXLimits
        var entries: [String: ZipEntry] = [:]
        var inflated = 0

        init(data: Data, limits: XLSXLimits) throws(XLSXError) {
            self.data = data
            self.limits = limits
            guard data.count <= limits.maxArchiveBytes else {
                throw XLSXError("the file is \(data.count >> 20) MB, more than the \(limits.maxArchiveBytes >> 20) MB an XLSForm may have")
            }
            guard data.count >= 4, data.prefix(2) == Data("PK".utf8) else {
                throw XLSXError("not an .xlsx file (not a zip archive); save the workbook as Excel .xlsx (an old .xls will not do)")
            }
            for entry in try XLSXReader.directory(data, maxEntries: limits.maxEntries) {
                let key = entry.path.lowercased()
                if entries[key] != nil {
                    throw XLSXError("the archive has two entries named '\(entry.path)'; refusing the file")
                }
                entries[key] = entry
            }
        }

        func contains(_ path: String) -> Bool { entries[path.lowercased()] != nil }

        /// The entry's bytes, or nil when there is no such entry (OPC part names ignore case).
        func read(_ path: String) throws(XLSXError) -> Data? {
            guard let entry = entries[path.lowercased()] else { return nil }
            let perEntry = limits.maxEntryInflatedBytes
            if entry.uncompressedSize > perEntry {
                throw XLSXError("the archive entry \(path) inflates to \(entry.uncompressedSize >> 20) MB, more than \(perEntry >> 20) MB; refusing the file")
            }
            let raw = data.subdata(in: (data.startIndex + entry.start)..<(data.startIndex + entry.start + entry.compressedSize))
            let output: Data
            switch entry.method {
            case 0: output = raw
            case 8:
                let remaining = limits.maxTotalInflatedBytes - inflated
                let tooLarge = perEntry <= remaining
                    ? XLSXError("the archive entry \(path) inflates to more than \(perEntry >> 20) MB; refusing the file")
                    : XLSXError("the archive inflates to more than \(limits.maxTotalInflatedBytes >> 20) MB; refusing the file")
                output = try XLSXReader.inflate(raw, limit: min(perEntry, remaining), path: path, tooLarge: tooLarge)
            default:
                throw XLSXError("the archive entry \(path) uses compression method \(entry.method), which spreadsheets do not use; save the workbook again as Excel .xlsx")
            }
            inflated += output.count
            if inflated > limits.maxTotalInflatedBytes {
                throw XLSXError("the archive inflates to more than \(limits.maxTotalInflatedBytes >> 20) MB; refusing the file")
            }
            guard XLSXReader.crc32(output) == entry.crc else {
                throw XLSXError("the archive entry \(path) is damaged (its checksum does not match); open and save the workbook again")
            }
            return output
        }
    }

    static func crc32(_ data: Data) -> UInt32 {
        data.withUnsafeBytes { raw -> UInt32 in
            guard let base = raw.bindMemory(to: UInt8.self).baseAddress else { return 0 }
            var crc: uLong = 0
            var offset = 0
            while offset < raw.count {
                let length = min(raw.count - offset, 1 << 30)
                crc = zlibCRC32(crc, base + offset, uInt(length))
                offset += length
            }
            return UInt32(truncatingIfNeeded: crc)
        }
    }

    /// Raw deflate, stopping at `limit` bytes of output; a stream that does not end is damaged.
    static func inflate(_ input: Data, limit: Int, path: String, tooLarge: XLSXError) throws(XLSXError) -> Data {
        var stream = z_stream()
        guard inflateInit2_(&stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw XLSXError("the archive entry \(path) cannot be inflated (zlib failed to start)")
        }
        defer { inflateEnd(&stream) }
        var output = Data()
        var failure: XLSXError? = nil
        let chunk = 64 << 10
        var buffer = [UInt8](repeating: 0, count: chunk)
        var input = input
        input.withUnsafeMutableBytes { raw in
            stream.next_in = raw.bindMemory(to: Bytef.self).baseAddress
            stream.avail_in = uInt(raw.count)
            while true {
                let status = buffer.withUnsafeMutableBufferPointer { out -> Int32 in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(chunk)
                    return zlibInflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunk - Int(stream.avail_out)
                output.append(contentsOf: buffer[0..<produced])
                if output.count > limit {
                    failure = tooLarge
                    return
                }
                if status == Z_STREAM_END { return }
                // Z_BUF_ERROR: no progress, the input ended before the stream did.
                if status != Z_OK {
                    failure = XLSXError("the archive entry \(path) is damaged (its compressed data is invalid or cut short); open and save the workbook again")
                    return
                }
            }
        }
        if let failure { throw failure }
        return output
    }

    /// The central directory, with every structure checked to lie inside the data. ZIP64 is refused:
    /// a spreadsheet an XLSForm needs is far below its 4 GB.
    static func directory(_ data: Data, maxEntries: Int) throws(XLSXError) -> [ZipEntry] {
        let count = data.count
        let base = data.startIndex
        func u16(_ at: Int) -> Int { Int(data[base + at]) | Int(data[base + at + 1]) << 8 }
        func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
        let damaged = XLSXError("not a readable .xlsx file (the zip archive is damaged); save the workbook again as Excel .xlsx")
        let zip64 = XLSXError("the zip archive uses ZIP64, which no spreadsheet of this size needs; open and save it again in Excel or LibreOffice")
        guard count >= 22 else { throw damaged }

        // End of central directory: the last signature within the final 64 KB (the comment's limit).
        var eocd: Int? = nil
        var position = count - 22
        while position >= max(0, count - 22 - 65_535) {
            if u32(position) == 0x0605_4B50 {
                eocd = position
                break
            }
            position -= 1
        }
        guard let eocd, eocd + 22 + u16(eocd + 20) <= count else { throw damaged }
        if eocd >= 20, u32(eocd - 20) == 0x0706_4B50 { throw zip64 }
        let total = u16(eocd + 10)
        let directory = u32(eocd + 16)
        guard total != 0xFFFF, directory != 0xFFFF_FFFF else { throw zip64 }
        guard total <= maxEntries else {
            throw XLSXError("the archive has more than \(maxEntries) entries; this is not a spreadsheet an XLSForm needs — refusing it")
        }

        var entries: [ZipEntry] = []
        var header = directory
        for _ in 0..<total {
            guard header + 46 <= count, u32(header) == 0x0201_4B50 else { throw damaged }
            let flags = u16(header + 8)
            let method = u16(header + 10)
            let crc = UInt32(u32(header + 16))
            let compressed = u32(header + 20)
            let uncompressed = u32(header + 24)
            let nameLength = u16(header + 28)
            let lengths = nameLength + u16(header + 30) + u16(header + 32)
            let mode = u32(header + 38) >> 16
            let local = u32(header + 42)
            guard compressed != 0xFFFF_FFFF, uncompressed != 0xFFFF_FFFF, local != 0xFFFF_FFFF else { throw zip64 }
            guard header + 46 + lengths <= count, local + 30 <= count, u32(local) == 0x0403_4B50 else { throw damaged }
            let nameBytes = data.subdata(in: (base + header + 46)..<(base + header + 46 + nameLength))
            let path = String(data: nameBytes, encoding: .utf8) ?? String(decoding: nameBytes, as: UTF8.self)
            let start = local + 30 + u16(local + 26) + u16(local + 28)
            guard start <= count, start + compressed <= count else { throw damaged }
            header += 46 + lengths

            guard isSafe(path) else { throw XLSXError("the archive has an entry outside it ('\(path)'); refusing the file") }
            if mode & 0xF000 == 0xA000 { throw XLSXError("the archive has a symbolic link ('\(path)'); refusing the file") }
            if path.hasSuffix("/") { continue }
            if flags & 0x1 != 0 { throw XLSXError("the workbook is password-protected; save it without a password") }
            entries.append(ZipEntry(path: path, method: method, crc: crc, compressedSize: compressed,
                                    uncompressedSize: uncompressed, start: start))
        }
        return entries
    }

    /// False for paths that would land outside the archive's folder when extracted.
    static func isSafe(_ path: String) -> Bool {
        if path.isEmpty || path.hasPrefix("/") || path.hasPrefix("\\") || path.contains("\0") { return false }
        if path.count >= 2, path.dropFirst().first == ":" { return false }  // C:...
        let components = path.split(whereSeparator: { $0 == "/" || $0 == "\\" })
        return !components.contains("..")
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[...slash])
    }

    static func fileName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// A relationship target as a path in the archive: absolute (`/xl/worksheets/sheet1.xml`) or
    /// relative to the part's folder (`worksheets/sheet1.xml`, `../xl/...`).
    static func resolve(_ target: String, from base: String) throws(XLSXError) -> String {
        let decoded = target.removingPercentEncoding ?? target
        let joined = decoded.hasPrefix("/") ? String(decoded.dropFirst()) : base + decoded
        var parts: [Substring] = []
        for component in joined.split(separator: "/") {
            switch component {
            case ".": continue
            case "..":
                if parts.isEmpty { throw XLSXError("a relationship points outside the archive ('\(target)'); refusing the file") }
                parts.removeLast()
            default: parts.append(component)
            }
        }
        return parts.joined(separator: "/")
    }

    // MARK: - XML

    /// Parses one part with entities off: a part declaring a DOCTYPE or entities is refused.
    static func parse(_ data: Data, part: String, delegate: SafeXMLDelegate) throws(XLSXError) {
        if data.starts(with: [0xFE, 0xFF]) || data.starts(with: [0xFF, 0xFE]) {
            throw XLSXError("\(part) is UTF-16 XML; save the workbook again as Excel .xlsx")
        }
        // FoundationXML traps on names that are not UTF-8 (a damaged file); spreadsheet XML always is.
        guard String(validating: data, as: UTF8.self) != nil else {
            throw XLSXError("\(part) is not valid UTF-8 XML; the file is damaged — open and save it again")
        }
        if data.range(of: Data("<!DOCTYPE".utf8)) != nil || data.range(of: Data("<!ENTITY".utf8)) != nil {
            throw XLSXError("\(part) declares a DOCTYPE or entities, which spreadsheets never need; refusing the file")
        }
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = true
        parser.shouldReportNamespacePrefixes = false
        parser.shouldResolveExternalEntities = false
        parser.delegate = delegate
        let parsed = parser.parse()
        if let failure = delegate.failure { throw failure }
        if !parsed {
            let reason = parser.parserError.map { " (line \(parser.lineNumber): \(($0 as NSError).code))" } ?? ""
            throw XLSXError("\(part) is not well-formed XML\(reason); the file is damaged — open and save it again")
        }
    }

    struct Relationship {
        var id: String
        var type: String
        var target: String
        var external: Bool
    }

    static func relationships(_ data: Data, part: String) throws(XLSXError) -> [Relationship] {
        let delegate = RelationshipsDelegate()
        try parse(data, part: part, delegate: delegate)
        return delegate.relationships
    }

    /// Decodes OOXML's `_xHHHH_` escapes (how Excel writes control characters such as `_x000D_`).
    static func unescape(_ text: String) -> String {
        guard text.contains("_x") else { return text }
        var result = ""
        var scalars = Array(text.unicodeScalars)[...]
        while let first = scalars.first {
            if first == "_", scalars.count >= 7 {
                let candidate = scalars.prefix(7)
                let chars = Array(candidate)
                if chars[1] == "x", chars[6] == "_",
                   let value = UInt32(String(String.UnicodeScalarView(chars[2...5])), radix: 16),
                   chars[2...5].allSatisfy({ $0.properties.isASCIIHexDigit }),
                   let scalar = Unicode.Scalar(value) {
                    result.unicodeScalars.append(scalar)
                    scalars = scalars.dropFirst(7)
                    continue
                }
            }
            result.unicodeScalars.append(first)
            scalars = scalars.dropFirst()
        }
        return result
    }

    /// A cell reference (`C7`, `AB12`) as (row, column), both 1-based; nil if it is not one.
    static func cellReference(_ reference: String) -> (row: Int, column: Int)? {
        var column = 0
        var row = 0
        var sawDigit = false
        for scalar in reference.unicodeScalars {
            switch scalar {
            case "A"..."Z", "a"..."z":
                guard !sawDigit else { return nil }
                let letter = Int(scalar.properties.uppercaseMapping.unicodeScalars.first!.value) - 64
                column = column * 26 + letter
                if column > maxColumn { return nil }
            case "$": continue
            case "0"..."9":
                sawDigit = true
                row = row * 10 + Int(scalar.value - 48)
                if row > maxRow { return nil }
            default: return nil
            }
        }
        guard column >= 1, row >= 1 else { return nil }
        return (row, column)
    }

    /// Column letters for a 1-based column number: 1 → A, 27 → AA.
    static func columnName(_ column: Int) -> String {
        var n = column
        var letters: [Character] = []
        while n > 0 {
            let remainder = (n - 1) % 26
            letters.append(Character(Unicode.Scalar(UInt8(65 + remainder))))
            n = (n - 1) / 26
        }
        return String(letters.reversed())
    }

    /// How pyxform shows a number: integral values without `.0`, others in the shortest form.
    static func numberText(_ raw: String) -> (text: String, number: Double?) {
        let trimmed = raw.trimmingCharacters(in: .whitespaces)
        guard let value = Double(trimmed), value.isFinite else { return (trimmed, nil) }
        if value == value.rounded(), abs(value) < 1e15 {
            return (String(Int64(value)), value)
        }
        return ("\(value)", value)
    }
}

// MARK: - Delegates

/// A parser delegate that stops at the first entity declaration and can carry a failure out.
class SafeXMLDelegate: NSObject, XMLParserDelegate {
    var failure: XLSXError?

    func fail(_ parser: XMLParser, _ error: XLSXError) {
        if failure == nil { failure = error }
        parser.abortParsing()
    }

    static func local(_ name: String) -> String {
        guard let colon = name.lastIndex(of: ":") else { return name }
        return String(name[name.index(after: colon)...])
    }

    static func attributes(_ raw: [String: String]) -> [String: String] {
        var result: [String: String] = [:]
        for (key, value) in raw { result[local(key)] = value }
        return result
    }

    // Subclasses override these: the protocol's witnesses are bound here, on the conforming class.
    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {}

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {}

    func parser(_ parser: XMLParser, foundCharacters string: String) {}

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {}

    func parser(_ parser: XMLParser, foundInternalEntityDeclarationWithName name: String, value: String?) {
        fail(parser, XLSXError("the workbook declares XML entities, which spreadsheets never need; refusing the file"))
    }

    func parser(_ parser: XMLParser, foundExternalEntityDeclarationWithName name: String, publicID: String?, systemID: String?) {
        fail(parser, XLSXError("the workbook declares XML entities, which spreadsheets never need; refusing the file"))
    }

    func parser(_ parser: XMLParser, resolveExternalEntityName name: String, systemID: String?) -> Data? {
        fail(parser, XLSXError("the workbook refers to external XML entities; refusing the file"))
        return nil
    }
}

final class RelationshipsDelegate: SafeXMLDelegate {
    var relationships: [XLSXReader.Relationship] = []

    override func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        guard Self.local(elementName) == "Relationship" else { return }
        let attributes = Self.attributes(attributes)
        guard let id = attributes["Id"], let target = attributes["Target"] else { return }
        relationships.append(.init(id: id, type: attributes["Type"] ?? "", target: target,
                                   external: attributes["TargetMode"]?.lowercased() == "external"))
    }
}

final class WorkbookDelegate: SafeXMLDelegate {
    struct Sheet {
        var name: String
        var relationId: String?
        var sheetId: String?
    }

    var sheets: [Sheet] = []
    var date1904 = false

    override func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        switch Self.local(elementName) {
        case "sheet":
            let attributes = Self.attributes(attributes)
            guard let name = attributes["name"] else { return }
            if sheets.count >= 1_000 {
                fail(parser, XLSXError("the workbook has more than 1000 sheets; refusing it"))
                return
            }
            sheets.append(Sheet(name: name, relationId: attributes["id"], sheetId: attributes["sheetId"]))
        case "workbookPr":
            let value = Self.attributes(attributes)["date1904"]?.lowercased()
            date1904 = value == "1" || value == "true"
        default: break
        }
    }
}

final class SharedStringsDelegate: SafeXMLDelegate {
    let limit: Int
    var strings: [String] = []
    var current = ""
    var inItem = false
    var inText = false
    var phoneticDepth = 0

    init(limit: Int) { self.limit = limit }

    override func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        switch Self.local(elementName) {
        case "si":
            inItem = true
            current = ""
        case "rPh": phoneticDepth += 1
        case "t": inText = inItem && phoneticDepth == 0
        default: break
        }
    }

    override func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        switch Self.local(elementName) {
        case "si":
            inItem = false
            strings.append(XLSXReader.unescape(current))
            if strings.count > limit {
                fail(parser, XLSXError("the workbook has more than \(limit) shared strings; refusing it"))
            }
        case "rPh": phoneticDepth -= 1
        case "t": inText = false
        default: break
        }
    }

    override func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inText { current += string }
    }

    override func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        if inText { current += String(decoding: CDATABlock, as: UTF8.self) }
    }
}

final class SheetDelegate: SafeXMLDelegate {
    let name: String
    let sharedStrings: [String]
    var cellBudget: Int
    var rows: [Int: [Int: XLSXCell]] = [:]

    var rowNumber = 0
    var columnNumber = 0
    var cellType: String?
    var cellReference: String?
    var value = ""
    var inline = ""
    var inValue = false
    var inInline = false
    var inInlineText = false
    var phoneticDepth = 0

    init(name: String, sharedStrings: [String], cellBudget: Int) {
        self.name = name
        self.sharedStrings = sharedStrings
        self.cellBudget = cellBudget
    }

    override func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        switch Self.local(elementName) {
        case "row":
            let attributes = Self.attributes(attributes)
            if let text = attributes["r"] {
                guard let number = Int(text), number >= 1, number <= XLSXReader.maxRow else {
                    fail(parser, XLSXError("sheet '\(name)' has a row numbered '\(text)'; the file is damaged"))
                    return
                }
                rowNumber = number
            } else {
                rowNumber += 1
            }
            columnNumber = 0
        case "c":
            let attributes = Self.attributes(attributes)
            cellType = attributes["t"]
            cellReference = attributes["r"]
            value = ""
            inline = ""
        case "v": inValue = true
        case "is": inInline = true
        case "rPh": phoneticDepth += 1
        case "t": inInlineText = inInline && phoneticDepth == 0
        default: break
        }
    }

    override func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        switch Self.local(elementName) {
        case "v": inValue = false
        case "is": inInline = false
        case "rPh": phoneticDepth -= 1
        case "t": inInlineText = false
        case "c": endCell(parser)
        default: break
        }
    }

    override func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inValue { value += string } else if inInlineText { inline += string }
    }

    override func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        let text = String(decoding: CDATABlock, as: UTF8.self)
        if inValue { value += text } else if inInlineText { inline += text }
    }

    func endCell(_ parser: XMLParser) {
        var row = rowNumber
        var column = columnNumber + 1
        if let reference = cellReference {
            guard let parsed = XLSXReader.cellReference(reference) else {
                fail(parser, XLSXError("sheet '\(name)' has a cell named '\(reference)', which is not a cell reference; the file is damaged"))
                return
            }
            (row, column) = parsed
            if rowNumber == 0 { rowNumber = row }
        }
        guard row >= 1, column <= XLSXReader.maxColumn else {
            fail(parser, XLSXError("sheet '\(name)' has a cell outside the sheet; the file is damaged"))
            return
        }
        columnNumber = column
        let cell: XLSXCell?
        switch cellType {
        case "s":
            guard !value.isEmpty else { cell = nil; break }
            guard let index = Int(value.trimmingCharacters(in: .whitespaces)), index >= 0, index < sharedStrings.count else {
                fail(parser, XLSXError("sheet '\(name)', cell \(XLSXReader.columnName(column))\(row) refers to shared string \(value), which does not exist; the file is damaged"))
                return
            }
            cell = XLSXCell(kind: .text, text: sharedStrings[index])
        case "inlineStr":
            cell = XLSXCell(kind: .text, text: XLSXReader.unescape(inline.isEmpty ? value : inline))
        case "str", "d":
            cell = XLSXCell(kind: .text, text: XLSXReader.unescape(value))
        case "b":
            guard !value.isEmpty else { cell = nil; break }
            let truth = value.trimmingCharacters(in: .whitespaces)
            cell = XLSXCell(kind: .boolean, text: truth == "1" || truth.lowercased() == "true" ? "TRUE" : "FALSE")
        case "e":
            cell = value.isEmpty ? nil : XLSXCell(kind: .error, text: value)
        default:
            guard !value.trimmingCharacters(in: .whitespaces).isEmpty else { cell = nil; break }
            let (text, number) = XLSXReader.numberText(value)
            cell = XLSXCell(kind: number == nil ? .text : .number, text: text, number: number)
        }
        guard let cell else { return }
        cellBudget -= 1
        if cellBudget < 0 {
            fail(parser, XLSXError("the workbook has more cells than an XLSForm may have; refusing it"))
            return
        }
        rows[row, default: [:]][column] = cell
    }
}
