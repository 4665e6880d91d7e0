@testable import CanvassCore
import Foundation
import Testing

/// The `.xlsx` reader on hand-made workbooks: what Excel, LibreOffice, Gnumeric and openpyxl write,
/// and what a hostile file might hold.
struct XLSXReaderTests {
    static let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    static let relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    static func archive(_ parts: [(String, String)]) throws -> Data {
        try XLSXWriter.zip(parts.map { ($0.0, Data($0.1.utf8)) })
    }

    /// A one-sheet workbook named `survey` whose sheet XML, shared strings and targets are given.
    static func workbook(sheetData: String, sharedStrings: String? = nil, target: String = "worksheets/sheet1.xml",
                         workbookPr: String = "", prefix: String = "") throws -> Data {
        let p = prefix.isEmpty ? "" : "\(prefix):"
        let ns = prefix.isEmpty ? "xmlns=\"\(main)\"" : "xmlns:\(prefix)=\"\(main)\""
        var parts: [(String, String)] = [
            ("[Content_Types].xml", "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"),
            ("_rels/.rels", """
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
                <Relationship Id="rId1" Type="\(relationships)/officeDocument" Target="xl/workbook.xml"/></Relationships>
                """),
            ("xl/workbook.xml", """
                <\(p)workbook \(ns) xmlns:r="\(relationships)">\(workbookPr)<\(p)sheets>\
                <\(p)sheet name="survey" sheetId="1" r:id="rId1"/></\(p)sheets></\(p)workbook>
                """),
            ("xl/_rels/workbook.xml.rels", """
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
                <Relationship Id="rId1" Type="\(relationships)/worksheet" Target="\(target)"/>\
                <Relationship Id="rId2" Type="\(relationships)/sharedStrings" Target="sharedStrings.xml"/></Relationships>
                """),
            ("xl/worksheets/sheet1.xml", "<\(p)worksheet \(ns)><\(p)sheetData>\(sheetData)</\(p)sheetData></\(p)worksheet>"),
        ]
        if let sharedStrings {
            parts.append(("xl/sharedStrings.xml", "<sst xmlns=\"\(main)\">\(sharedStrings)</sst>"))
        }
        return try archive(parts)
    }

    static func survey(_ data: Data, limits: XLSXLimits = .standard) throws -> XLSXSheet {
        let workbook = try XLSXReader.read(data, limits: limits) { Set($0) }
        return try #require(workbook.sheets["survey"])
    }

    static func refusal(_ data: Data, limits: XLSXLimits = .standard) -> String {
        do {
            _ = try XLSXReader.read(data, limits: limits) { Set($0) }
            Issue.record("the workbook was accepted")
            return ""
        } catch {
            return error.message
        }
    }

    @Test func sharedStringsWithRichTextRunsAndPhoneticHints() throws {
        let sheet = try Self.survey(try Self.workbook(
            sheetData: "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c><c r=\"C1\" t=\"s\"><v>2</v></c></row>",
            sharedStrings: """
                <si><t>type</t></si>\
                <si><r><rPr><b/></rPr><t>Tuổi </t></r><r><t xml:space="preserve">của bạn</t></r></si>\
                <si><t>漢字</t><rPh sb="0" eb="2"><t>かんじ</t></rPh></si>
                """))
        #expect(sheet[1, 1]?.text == "type")
        #expect(sheet[1, 2]?.text == "Tuổi của bạn")
        #expect(sheet[1, 3]?.text == "漢字")
    }

    @Test func inlineStringsAndSparseCells() throws {
        let sheet = try Self.survey(try Self.workbook(sheetData: """
            <row r="1"><c r="A1" t="inlineStr"><is><t>type</t></is></c><c r="C1" t="inlineStr"><is><r><t>la</t></r><r><t>bel</t></r></is></c></row>\
            <row r="7"><c r="C7" t="inlineStr"><is><t>far</t></is></c><c r="AB7"><v>3</v></c></row>\
            <row><c t="inlineStr"><is><t>eight</t></is></c><c t="inlineStr"><is><t>next</t></is></c></row>
            """))
        #expect(sheet.rowNumbers == [1, 7, 8])
        #expect(sheet[1, 3]?.text == "label")
        #expect(sheet[1, 2] == nil)
        #expect(sheet[7, 3]?.text == "far")
        #expect(sheet[7, 28]?.text == "3")
        #expect(sheet[8, 1]?.text == "eight")
        #expect(sheet[8, 2]?.text == "next")
    }

    @Test func numbersBooleansFormulasAndEscapes() throws {
        let sheet = try Self.survey(try Self.workbook(sheetData: """
            <row r="1"><c r="A1"><v>2.0</v></c><c r="B1" t="n"><v>0.10000000000000001</v></c><c r="C1"><v>2014111</v></c>\
            <c r="D1" t="b"><f>TRUE()</f><v>1</v></c><c r="E1" t="b"><v>0</v></c><c r="F1" t="str"><f>A1&amp;"x"</f><v>2x</v></c>\
            <c r="G1" t="inlineStr"><is><t>a_x000D_b_x005F_x0041_</t></is></c><c r="H1" s="3"/><c r="I1" t="e"><v>#N/A</v></c></row>
            """))
        #expect(sheet[1, 1] == XLSXCell(kind: .number, text: "2", number: 2))
        #expect(sheet[1, 2]?.text == "0.1")
        #expect(sheet[1, 3]?.text == "2014111")
        #expect(sheet[1, 4] == XLSXCell(kind: .boolean, text: "TRUE"))
        #expect(sheet[1, 5]?.text == "FALSE")
        #expect(sheet[1, 6]?.text == "2x")
        #expect(sheet[1, 7]?.text == "a\rb_x0041_")
        #expect(sheet[1, 8] == nil, "a styled empty cell holds nothing")
        #expect(sheet[1, 9]?.text == "#N/A")
    }

    @Test func relationshipTargetsRelativeAbsoluteOrUpward() throws {
        let row = "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>ok</t></is></c></row>"
        for target in ["worksheets/sheet1.xml", "/xl/worksheets/sheet1.xml", "../xl/worksheets/./sheet1.xml"] {
            let sheet = try Self.survey(try Self.workbook(sheetData: row, target: target))
            #expect(sheet[1, 1]?.text == "ok", "\(target)")
        }
        #expect(Self.refusal(try Self.workbook(sheetData: row, target: "../../etc/passwd")).contains("outside the archive"))
    }

    @Test func namespacePrefixedParts() throws {
        let sheet = try Self.survey(try Self.workbook(
            sheetData: "<x:row r=\"1\"><x:c r=\"B1\" t=\"inlineStr\"><x:is><x:t>prefixed</x:t></x:is></x:c></x:row>", prefix: "x"))
        #expect(sheet[1, 2]?.text == "prefixed")
    }

    @Test func realWorkbooksFromSeveralWriters() throws {
        // Gnumeric (onadata), LibreOffice (choice_filter_test), Excel (flat_xlsform_test), openpyxl.
        let fixtures = Repo.root.appendingPathComponent("Tests/Fixtures")
        for (file, cell) in [("xlsforms/onadata-tutorial_tutorial.xlsx", "type"), ("xlsforms/pyxform-choice_filter_test.xlsx", "type"),
                             ("xlsforms/pyxform-flat_xlsform_test.xlsx", "type"), ("xlsx/openpyxl-written.xlsx", "type")] {
            let sheet = try Self.survey(try Data(contentsOf: fixtures.appendingPathComponent(file)))
            #expect(sheet[1, 1]?.text == cell, "\(file)")
        }
    }

    @Test func openpyxlWorkbookImportsWithItsDateDefault() throws {
        let url = Repo.root.appendingPathComponent("Tests/Fixtures/xlsx/openpyxl-written.xlsx")
        let form = try XLSForm.read(try Data(contentsOf: url), file: "openpyxl-written.xlsx")
        #expect(form.formId == "openpyxl_sample")
        #expect(form.version == "3")
        #expect(form.defaultLanguage == "en")
        #expect(form.entry(named: "visit")?.entry.default == "2024-03-15", "a date column's serial number becomes a date")
        #expect(form.entry(named: "n")?.entry.default == "3", "other numbers stay numbers")
        #expect(form.choiceList("yn")?.choices.map(\.name) == ["1", "0"])
        #expect(form.fields.count == 4)
    }

    @Test func spreadsheetDates() {
        #expect(XLSFormImporter.dateText(serial: 45366, kind: .date, date1904: false) == "2024-03-15")
        #expect(XLSFormImporter.dateText(serial: 45366.75, kind: .datetime, date1904: false) == "2024-03-15T18:00:00")
        #expect(XLSFormImporter.dateText(serial: 0.5, kind: .time, date1904: false) == "12:00:00")
        #expect(XLSFormImporter.dateText(serial: 43904, kind: .date, date1904: true) == "2024-03-15")
        #expect(XLSFormImporter.dateText(serial: 25569, kind: .date, date1904: false) == "1970-01-01")
    }

    @Test func date1904WorkbooksAreRead() throws {
        let data = try Self.workbook(sheetData: "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>", workbookPr: "<workbookPr date1904=\"1\"/>")
        #expect(try XLSXReader.read(data) { Set($0) }.date1904)
    }

    // MARK: - Hostile files

    @Test func notAZipIsRefused() {
        #expect(Self.refusal(Data("type,name\ntext,a\n".utf8)).contains("not an .xlsx file"))
        #expect(Self.refusal(Data([0x50, 0x4B, 0x03, 0x04, 0, 0, 0, 0])).contains("not a readable .xlsx file"))
    }

    @Test func entriesOutsideTheArchiveAreRefused() throws {
        for path in ["../evil.xml", "/etc/evil.xml", "xl/../../evil.xml", "C:\\evil.xml"] {
            let data = try Self.archive([("xl/workbook.xml", "<workbook/>"), (path, "x")])
            #expect(Self.refusal(data).contains("outside it"), "\(path)")
        }
    }

    @Test func doctypeAndEntitiesAreRefused() throws {
        let laughs = """
            <?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>\
            <worksheet xmlns="\(Self.main)"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>
            """
        var parts: [(String, String)] = [
            ("xl/workbook.xml", "<workbook xmlns=\"\(Self.main)\" xmlns:r=\"\(Self.relationships)\"><sheets><sheet name=\"survey\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"),
            ("xl/_rels/workbook.xml.rels", "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"\(Self.relationships)/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>"),
        ]
        parts.append(("xl/worksheets/sheet1.xml", laughs))
        #expect(Self.refusal(try Self.archive(parts)).contains("DOCTYPE"))
        let external = "<?xml version=\"1.0\"?><!DOCTYPE w SYSTEM \"file:///etc/passwd\"><workbook/>"
        #expect(Self.refusal(try Self.archive([("xl/workbook.xml", external)])).contains("DOCTYPE"))
    }

    @Test func inflationIsBounded() throws {
        let big = "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>" + String(repeating: "A", count: 2 << 20) + "</t></is></c></row>"
        let data = try Self.workbook(sheetData: big)
        #expect(data.count < 100_000, "2 MB of one letter deflates to little: a small zip bomb")
        var entry = XLSXLimits()
        entry.maxEntryInflatedBytes = 1 << 20
        #expect(Self.refusal(data, limits: entry).contains("inflates to 2 MB, more than 1 MB"))
        #expect(Self.refusal(Self.lyingAboutSizes(data), limits: entry).contains("inflates to more than 1 MB"),
                "a declared size that lies is caught while inflating")
        var total = XLSXLimits()
        total.maxTotalInflatedBytes = 1 << 20
        #expect(Self.refusal(data, limits: total).contains("the archive inflates to more than 1 MB"))
        #expect(try Self.survey(data)[1, 1]?.text.count == 2 << 20, "within the standard limits it is read")
    }

    /// The archive with every entry's declared uncompressed size set to 100 bytes.
    static func lyingAboutSizes(_ data: Data) -> Data {
        var bytes = [UInt8](data)
        func patch(_ signature: [UInt8], sizeOffset: Int) {
            var i = 0
            while i + sizeOffset + 4 <= bytes.count {
                if Array(bytes[i..<i + 4]) == signature {
                    bytes.replaceSubrange((i + sizeOffset)..<(i + sizeOffset + 4), with: [100, 0, 0, 0])
                }
                i += 1
            }
        }
        patch([0x50, 0x4B, 0x01, 0x02], sizeOffset: 24)  // central directory
        patch([0x50, 0x4B, 0x03, 0x04], sizeOffset: 22)  // local headers
        return Data(bytes)
    }

    @Test func cellsAreBounded() throws {
        let row = (1...50).map { "<c r=\"\(XLSXReader.columnName($0))1\"><v>\($0)</v></c>" }.joined()
        var limits = XLSXLimits()
        limits.maxCells = 20
        #expect(Self.refusal(try Self.workbook(sheetData: "<row r=\"1\">\(row)</row>"), limits: limits).contains("more cells"))
        #expect(Self.refusal(try Self.workbook(sheetData: "<row r=\"1\"><c r=\"XFE1\"><v>1</v></c></row>")).contains("not a cell reference"))
        #expect(Self.refusal(try Self.workbook(sheetData: "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>9</v></c></row>", sharedStrings: "<si><t>x</t></si>"))
            .contains("shared string 9"))
    }

    /// Damaged XML (found by fuzzing: FoundationXML traps on attribute names that are not UTF-8).
    @Test func invalidUTF8IsRefusedBeforeParsing() throws {
        let data = try Self.workbook(sheetData: "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t xml:sp\u{FFFD}ce=\"preserve\">x</t></is></c></row>")
        // Make the replacement character a lone lead byte: C3 followed by 'c'.
        let zip = try XLSXReader.ZipSource(data: data, limits: .standard)
        var parts: [(String, Data)] = []
        for entry in zip.entries.values.sorted(by: { $0.path < $1.path }) { parts.append((entry.path, try #require(try zip.read(entry.path)))) }
        let index = try #require(parts.firstIndex { $0.0 == "xl/worksheets/sheet1.xml" })
        var bytes = [UInt8](parts[index].1)
        let marker: [UInt8] = [0xEF, 0xBF, 0xBD]
        let at = try #require((0..<(bytes.count - 2)).first { Array(bytes[$0..<$0 + 3]) == marker })
        bytes.replaceSubrange(at..<at + 3, with: [0xC3])
        parts[index].1 = Data(bytes)
        #expect(Self.refusal(try XLSXWriter.zip(parts)).contains("not valid UTF-8"))
    }

    /// Byte flips in the XML of a real export: every result is a form or a refusal, never a crash.
    @Test func damagedXMLIsRefusedNotCrashed() throws {
        var random = SplitMix64(seed: 2017)
        let form = try Repo.form("household.yaml")
        let data = try XLSForm.write(form)
        let zip = try XLSXReader.ZipSource(data: data, limits: .standard)
        var parts: [(String, Data)] = []
        for entry in zip.entries.values.sorted(by: { $0.path < $1.path }) { parts.append((entry.path, try #require(try zip.read(entry.path)))) }
        let alphabet: [UInt8] = Array("<>\"&/09A: _x".utf8) + [0x00, 0xC3, 0xFF]
        var outcomes = [0, 0]
        for _ in 0..<300 {
            var mutated = parts
            let which = Int.random(in: 0..<mutated.count, using: &random)
            var bytes = [UInt8](mutated[which].1)
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                bytes[Int.random(in: 0..<bytes.count, using: &random)] = alphabet.randomElement(using: &random)!
            }
            mutated[which].1 = Data(bytes)
            do {
                _ = try XLSForm.load(try XLSXWriter.zip(mutated), file: "damaged.xlsx")
                outcomes[0] += 1
            } catch {
                outcomes[1] += 1
            }
        }
        #expect(outcomes[0] > 0 && outcomes[1] > 0, "\(outcomes)")
    }

    @Test func cellReferences() {
        #expect(XLSXReader.cellReference("C7")! == (7, 3))
        #expect(XLSXReader.cellReference("$AB$12")! == (12, 28))
        #expect(XLSXReader.cellReference("XFD1048576")! == (1_048_576, 16_384))
        #expect(XLSXReader.cellReference("XFE1") == nil)
        #expect(XLSXReader.cellReference("A1048577") == nil)
        #expect(XLSXReader.cellReference("7C") == nil)
        #expect((1...800).allSatisfy { XLSXReader.cellReference("\(XLSXReader.columnName($0))1")!.column == $0 })
    }

    @Test func writerEscapesWhatXMLCannotCarry() throws {
        let texts = ["a\u{1}b", "cr\r\nlf", "_x0041_", "<&>\"'", "  spaced  ", "Tiếng Việt", "emoji 🇻🇳"]
        let data = try XLSXWriter.write([XLSXWriter.Sheet(name: "survey", rows: [texts])])
        let sheet = try Self.survey(data)
        #expect((1...texts.count).map { sheet[1, $0]?.text } == texts)
    }
}
