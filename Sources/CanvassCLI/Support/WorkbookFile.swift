import ArgumentParser
import CanvassCore
import Foundation
import ZIPFoundation

/// An export workbook written row by row, for files too big to hold: each sheet's XML goes to a
/// temporary file beside the workbook as rows arrive, and the files are zipped at the end. Memory
/// stays flat however many rows there are.
final class WorkbookFile {
    let url: URL
    let parts: URL
    var sheets: [(name: String, file: FileHandle, path: URL, rows: Int, buffer: String, columns: [String])] = []

    /// The workbook appears at `url` (mode 0600) when `finish` is called.
    init(url: URL) throws {
        self.url = url
        parts = TemporaryName.make(for: url, kind: "parts")
        try FileManager.default.createDirectory(at: parts, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
    }

    deinit { try? FileManager.default.removeItem(at: parts) }

    /// Adds a sheet (tables' names are made valid sheet names at the end) and returns its number.
    func addSheet(_ name: String) throws -> Int {
        let path = parts.appendingPathComponent("sheet\(sheets.count + 1).xml")
        guard FileManager.default.createFile(atPath: path.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw ValidationError("cannot write a temporary sheet in \(parts.path)")
        }
        sheets.append((name, try FileHandle(forWritingTo: path), path, 0, WorksheetXML.header, []))
        return sheets.count - 1
    }

    /// Excel opens no more rows than this; it would drop the rest without a word.
    static let maxRows = 1_048_576

    /// Excel holds no more characters than this in a cell; it would cut the rest when opening.
    static let maxCellCharacters = 32_767

    /// Appends a row; the first row of a sheet is its header.
    func append(sheet: Int, _ cells: [ExportLayout.Cell]) throws {
        guard sheets[sheet].rows < Self.maxRows else {
            throw ValidationError("the table \(sheets[sheet].name) has more than \(Self.maxRows) rows, more than Excel opens; use --format csv")
        }
        if sheets[sheet].rows == 0 { sheets[sheet].columns = cells.map(\.text) }
        for (c, cell) in cells.enumerated() {
            // UTF-8 bytes are never fewer than UTF-16 units (what Excel counts), and are counted for free.
            guard case .text(let text) = cell, text.utf8.count > Self.maxCellCharacters, text.utf16.count > Self.maxCellCharacters else { continue }
            let column = c < sheets[sheet].columns.count ? sheets[sheet].columns[c] : "\(c + 1)"
            throw ValidationError("""
                in \(sheets[sheet].name), \(sheets[sheet].columns.first ?? "row") \(cells.first?.text ?? ""): \(column) holds \(text.utf16.count) \
                characters, more than the \(Self.maxCellCharacters) an Excel cell holds; use --format csv
                """)
        }
        sheets[sheet].rows += 1
        sheets[sheet].buffer += WorksheetXML.row(sheets[sheet].rows, cells)
        if sheets[sheet].buffer.utf8.count > 1 << 20 { try flush(sheet) }
    }

    func flush(_ sheet: Int) throws {
        try sheets[sheet].file.write(contentsOf: Data(sheets[sheet].buffer.utf8))
        sheets[sheet].buffer = ""
    }

    /// Zips the workbook beside its name, moves it into place and removes the parts.
    func finish() throws {
        for i in sheets.indices {
            sheets[i].buffer += WorksheetXML.footer
            try flush(i)
            try sheets[i].file.close()
        }
        let temporary = parts.appendingPathComponent("book.xlsx")
        let archive = try Archive(url: temporary, accessMode: .create)
        for (path, data) in WorksheetXML.otherParts(sheetNames: WorksheetXML.sheetNames(sheets.map(\.name))) {
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), modificationDate: WorksheetXML.entryDate,
                                 compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<min(Int(position) + size, data.count))
            }
        }
        for (i, sheet) in sheets.enumerated() {
            let size = try FileManager.default.attributesOfItem(atPath: sheet.path.path)[.size] as? Int64 ?? 0
            let file = try FileHandle(forReadingFrom: sheet.path)
            defer { try? file.close() }
            try archive.addEntry(with: "xl/worksheets/sheet\(i + 1).xml", type: .file, uncompressedSize: size,
                                 modificationDate: WorksheetXML.entryDate, compressionMethod: .deflate) { position, chunk in
                try file.seek(toOffset: UInt64(position))
                return try file.read(upToCount: chunk) ?? Data()
            }
        }
        chmod(temporary.path, 0o600)
        if FileManager.default.fileExists(atPath: url.path) { try FileManager.default.removeItem(at: url) }
        try FileManager.default.moveItem(at: temporary, to: url)
    }
}
