import Foundation
import ZIPFoundation

/// Writes a minimal `.xlsx`: one worksheet per sheet, every cell an inline string.
///
/// Excel, LibreOffice, openpyxl (and so pyxform) read it. The bytes depend only on the sheets:
/// entries carry a fixed date, so the same form always gives the same file.
enum XLSXWriter {
    struct Sheet: Sendable, Equatable {
        var name: String
        /// Rows from the first; "" is an empty cell.
        var rows: [[String]]
    }

    static func write(_ sheets: [Sheet]) throws(XLSXError) -> Data {
        var parts = workbookParts(sheetNames: sheets.map(\.name))
        for (index, sheet) in sheets.enumerated() {
            parts.append(("xl/worksheets/sheet\(index + 1).xml", worksheet(sheet)))
        }
        return try zip(parts)
    }

    /// Everything but the worksheets themselves, which are `xl/worksheets/sheetN.xml`.
    static func workbookParts(sheetNames: [String]) -> [(String, Data)] {
        var parts: [(String, Data)] = []
        let overrides = sheetNames.indices.map {
            "<Override PartName=\"/xl/worksheets/sheet\($0 + 1).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        }.joined()
        parts.append(("[Content_Types].xml", xml("""
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
            <Default Extension="xml" ContentType="application/xml"/>\
            <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
            <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
            \(overrides)</Types>
            """)))
        parts.append(("_rels/.rels", xml("""
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
            </Relationships>
            """)))
        let sheetList = sheetNames.enumerated().map { index, name in
            "<sheet name=\"\(escape(name, attribute: true))\" sheetId=\"\(index + 1)\" r:id=\"rId\(index + 1)\"/>"
        }.joined()
        parts.append(("xl/workbook.xml", xml("""
            <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
            xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
            <sheets>\(sheetList)</sheets></workbook>
            """)))
        let relations = sheetNames.indices.map {
            "<Relationship Id=\"rId\($0 + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet\($0 + 1).xml\"/>"
        }.joined()
        parts.append(("xl/_rels/workbook.xml.rels", xml("""
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\(relations)\
            <Relationship Id="rId\(sheetNames.count + 1)" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
            </Relationships>
            """)))
        parts.append(("xl/styles.xml", xml("""
            <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
            <fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>\
            <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
            <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
            <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
            <cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>\
            <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
            </styleSheet>
            """)))
        return parts
    }

    static func worksheet(_ sheet: Sheet) -> Data {
        var body = ""
        for (r, row) in sheet.rows.enumerated() {
            var cells = ""
            for (c, value) in row.enumerated() where !value.isEmpty {
                cells += "<c r=\"\(XLSXReader.columnName(c + 1))\(r + 1)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">\(escape(value, attribute: false))</t></is></c>"
            }
            if !cells.isEmpty { body += "<row r=\"\(r + 1)\">\(cells)</row>" }
        }
        return xml("""
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
            <sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>\
            <sheetData>\(body)</sheetData></worksheet>
            """)
    }

    static func xml(_ body: String) -> Data {
        Data(("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n" + body).utf8)
    }

    /// XML text with OOXML's `_xHHHH_` escapes for characters XML cannot carry (and for `\r`, which
    /// XML parsers turn into `\n`), and for a literal `_x` that would read as an escape.
    static func escape(_ text: String, attribute: Bool) -> String {
        var result = ""
        let scalars = Array(text.unicodeScalars)
        for (i, scalar) in scalars.enumerated() {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"" where attribute: result += "&quot;"
            case "\t", "\n":
                if attribute { result += "&#\(scalar.value);" } else { result.unicodeScalars.append(scalar) }
            case "_":
                if i + 6 < scalars.count, scalars[i + 1] == "x", scalars[i + 6] == "_",
                   scalars[(i + 2)...(i + 5)].allSatisfy({ $0.properties.isASCIIHexDigit }) {
                    result += "_x005F_"
                } else {
                    result += "_"
                }
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    result += String(format: "_x%04X_", scalar.value)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }

    static let fixedDate = Date(timeIntervalSince1970: 946_684_800)  // 2000-01-01

    static func zip(_ parts: [(String, Data)], compressed: Bool = true) throws(XLSXError) -> Data {
        do {
            let archive = try Archive(data: Data(), accessMode: .create)
            for (path, data) in parts {
                try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count),
                                     modificationDate: fixedDate, compressionMethod: compressed ? .deflate : .none) { position, size in
                    let start = Int(position)
                    return data.subdata(in: start..<min(start + size, data.count))
                }
            }
            guard let data = archive.data else { throw XLSXError("the workbook could not be assembled in memory") }
            return data
        } catch let error as XLSXError {
            throw error
        } catch {
            throw XLSXError("the workbook could not be written: \(error)")
        }
    }
}
