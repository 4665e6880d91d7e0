import Foundation

/// The text of an export workbook, written row by row: the sheets' XML and the workbook's other
/// parts. Pure text; where it goes (temporary files, the zip) is the caller's business.
public enum WorksheetXML {
    public static let header = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
        <sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>\
        <sheetData>
        """

    public static let footer = "</sheetData></worksheet>"

    /// Row `number` (from 1). Numbers become numeric cells; everything else inline text, so that
    /// nothing is reinterpreted (a form number stays a number, a phone number keeps its 0).
    public static func row(_ number: Int, _ cells: [ExportLayout.Cell]) -> String {
        var xml = "<row r=\"\(number)\">"
        for (c, cell) in cells.enumerated() {
            switch cell {
            case .number(let text) where isPlainNumber(text):
                xml += "<c r=\"\(XLSXReader.columnName(c + 1))\(number)\"><v>\(text)</v></c>"
            case .text(let text), .number(let text):
                guard !text.isEmpty else { continue }
                xml += "<c r=\"\(XLSXReader.columnName(c + 1))\(number)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">"
                    + XLSXWriter.escape(text, attribute: false) + "</t></is></c>"
            }
        }
        return xml + "</row>"
    }

    /// Digits with a sign, point or exponent: what a `<v>` may hold (Swift's Double also reads hex and "inf").
    static func isPlainNumber(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { (0x30...0x39).contains($0) || $0 == 0x2B || $0 == 0x2D || $0 == 0x2E || $0 == 0x45 || $0 == 0x65 }
            && Double(text)?.isFinite == true
    }

    /// Sheet names Excel accepts: at most 31 characters, none of `[]:*?/\`, unique ignoring case.
    public static func sheetNames(_ names: [String]) -> [String] {
        var result: [String] = []
        for name in names {
            var clean = String(name.map { "[]:*?/\\".contains($0) ? "_" : $0 }.prefix(31))
            var n = 2
            while result.contains(where: { $0.lowercased() == clean.lowercased() }) {
                clean = String(clean.prefix(31 - "~\(n)".count)) + "~\(n)"
                n += 1
            }
            result.append(clean)
        }
        return result
    }

    /// Every part of the workbook but the sheets, which go at `xl/worksheets/sheetN.xml`.
    public static func otherParts(sheetNames: [String]) -> [(path: String, data: Data)] {
        XLSXWriter.workbookParts(sheetNames: sheetNames).map { (path: $0.0, data: $0.1) }
    }

    /// The date on every entry, so the same data gives the same file.
    public static var entryDate: Date { XLSXWriter.fixedDate }
}
