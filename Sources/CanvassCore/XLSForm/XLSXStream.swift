import Foundation
import ZIPFoundation

/// A workbook written row by row, for exports too big to hold: each sheet's XML goes to a
/// temporary file as rows arrive, and the files are zipped into the workbook at the end. Memory
/// stays flat however many rows there are.
public final class XLSXStream {
    let url: URL
    let directory: URL
    var sheets: [(name: String, file: FileHandle, path: URL, rows: Int, buffer: String)] = []

    /// The workbook is created at `url` (mode 0600) when `finish` is called.
    public init(url: URL) throws {
        self.url = url
        directory = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).parts")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// Adds a sheet and returns its number. Names are made valid and unique (31 characters, none of `[]:*?/\`).
    public func addSheet(_ name: String) throws -> Int {
        var clean = String(name.map { "[]:*?/\\".contains($0) ? "_" : $0 }.prefix(31))
        var n = 2
        while sheets.contains(where: { $0.name.lowercased() == clean.lowercased() }) {
            clean = String(clean.prefix(31 - "~\(n)".count)) + "~\(n)"
            n += 1
        }
        let path = directory.appendingPathComponent("sheet\(sheets.count + 1).xml")
        guard FileManager.default.createFile(atPath: path.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw XLSXError("cannot write a temporary sheet in \(directory.path)")
        }
        let file = try FileHandle(forWritingTo: path)
        sheets.append((clean, file, path, 0, """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
            <sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>\
            <sheetData>
            """))
        return sheets.count - 1
    }

    /// Numbers become numeric cells; everything else inline text, so nothing is reinterpreted.
    public func append(sheet: Int, _ cells: [ExportLayout.Cell]) throws {
        sheets[sheet].rows += 1
        let r = sheets[sheet].rows
        var xml = "<row r=\"\(r)\">"
        for (c, cell) in cells.enumerated() {
            switch cell {
            case .number(let text) where Double(text)?.isFinite == true:
                xml += "<c r=\"\(XLSXReader.columnName(c + 1))\(r)\"><v>\(text)</v></c>"
            case .text(let text), .number(let text):
                guard !text.isEmpty else { continue }
                xml += "<c r=\"\(XLSXReader.columnName(c + 1))\(r)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">\(XLSXWriter.escape(text, attribute: false))</t></is></c>"
            }
        }
        sheets[sheet].buffer += xml + "</row>"
        if sheets[sheet].buffer.utf8.count > 1 << 20 { try flush(sheet) }
    }

    func flush(_ sheet: Int) throws {
        try sheets[sheet].file.write(contentsOf: Data(sheets[sheet].buffer.utf8))
        sheets[sheet].buffer = ""
    }

    /// Writes the workbook and removes the parts.
    public func finish() throws {
        for i in sheets.indices {
            sheets[i].buffer += "</sheetData></worksheet>"
            try flush(i)
            try sheets[i].file.close()
        }
        let (names, paths) = (sheets.map(\.name), sheets.map(\.path))
        let parts = XLSXWriter.workbookParts(sheetNames: names)
        let temporary = directory.appendingPathComponent("book.xlsx")
        let archive = try Archive(url: temporary, accessMode: .create)
        for (path, data) in parts {
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), modificationDate: XLSXWriter.fixedDate,
                                 compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<min(Int(position) + size, data.count))
            }
        }
        for (i, path) in paths.enumerated() {
            let size = try FileManager.default.attributesOfItem(atPath: path.path)[.size] as? Int64 ?? 0
            let file = try FileHandle(forReadingFrom: path)
            defer { try? file.close() }
            try archive.addEntry(with: "xl/worksheets/sheet\(i + 1).xml", type: .file, uncompressedSize: size,
                                 modificationDate: XLSXWriter.fixedDate, compressionMethod: .deflate) { position, chunk in
                try file.seek(toOffset: UInt64(position))
                return try file.read(upToCount: chunk) ?? Data()
            }
        }
        chmod(temporary.path, 0o600)
        if FileManager.default.fileExists(atPath: url.path) { try FileManager.default.removeItem(at: url) }
        try FileManager.default.moveItem(at: temporary, to: url)
    }
}
