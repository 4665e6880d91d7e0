import Foundation
import GRDB
import Testing
import ZIPFoundation

/// A hostile corpus, made here rather than committed: each input goes through the command that
/// would meet it in the field and is refused by name, with a non-zero exit, within 20 s and 600 MB.
/// (The same kinds at the library level: MergeCommandTests, FormLoaderTests, XLSXReaderTests,
/// ExpressionErrorTests.)
@Suite(.serialized)
struct HostileInputTests {
    static let seconds = 20.0
    static let bytes = 600 << 20

    /// Runs and checks the refusal: exit 1 (not a crash, not a usage error), every name in the
    /// message, within the time and memory bounds.
    @discardableResult
    static func refused(_ arguments: [String], in dir: URL, input: String? = nil, naming names: [String],
                        sourceLocation: SourceLocation = #_sourceLocation) throws -> Canvass.Result {
        let result = try Canvass.run(arguments, in: dir, input: input)
        let shown = String(result.text.prefix(600))
        print("refused in \(String(format: "%.2f", result.seconds)) s, peak \(result.peakBytes >> 20) MB: \(arguments.prefix(3).map { $0.prefix(40) }.joined(separator: " "))")
        #expect(result.code == 1, "exit \(result.code): \(shown)", sourceLocation: sourceLocation)
        for name in names {
            #expect(result.text.contains(name), "the message should name \(name): \(shown)", sourceLocation: sourceLocation)
        }
        #expect(result.seconds < seconds, "took \(result.seconds) s", sourceLocation: sourceLocation)
        #expect(result.peakBytes < bytes, "peak \(result.peakBytes >> 20) MB", sourceLocation: sourceLocation)
        return result
    }

    // MARK: - Data files, met by merge

    /// A directory with one good surveyor file, `lan.canvass`.
    func fleet() throws -> URL {
        let dir = try Canvass.scratch()
        try Canvass.record("lan.canvass", prefix: "lan", count: 20, in: dir)
        return dir
    }

    /// A copy of lan.canvass with its own identity (merged into a new file), changed by `sql`.
    func tampered(_ name: String, in dir: URL, _ sql: String) throws {
        #expect(try Canvass.run(["merge", name, "lan.canvass"], in: dir, environment: ["CANVASS_ID_PREFIX": name]).code == 0)
        // As a hostile tool would: foreign keys are SQLite's to enforce only when asked.
        try DatabaseQueue(path: dir.appendingPathComponent(name).path).writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            try db.execute(sql: sql)
        }
    }

    /// For each (name, SQL, reason): a tampered copy, refused naming the reason.
    func tamperedAndRefused(_ cases: [(String, String, String)], in dir: URL, sourceLocation: SourceLocation = #_sourceLocation) throws {
        for (name, sql, reason) in cases {
            try tampered("\(name).canvass", in: dir, sql)
            try mergeRefuses("\(name).canvass", in: dir, naming: [reason], sourceLocation: sourceLocation)
        }
    }

    /// Merges `name` into a fresh target: refused naming the file (and `also`), and the target stays empty.
    func mergeRefuses(_ name: String, in dir: URL, naming also: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let target = "target-\(name).canvass"
        let result = try Self.refused(["merge", target, name], in: dir, naming: ["\(name): refused: "] + also, sourceLocation: sourceLocation)
        #expect(result.out.hasSuffix("refused 1; open conflicts 0, duplicate groups 0\n"), "\(result.out)", sourceLocation: sourceLocation)
        let count = try DatabaseQueue(path: dir.appendingPathComponent(target).path).read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM revision")
        }
        #expect(count == 0, "the target took something from \(name)", sourceLocation: sourceLocation)
    }

    @Test func randomAndTruncatedFilesAreRefused() throws {
        let dir = try fleet()
        defer { try? FileManager.default.removeItem(at: dir) }
        var random = SeededRandom(test: "random bytes")
        let bytes = (0..<(1 << 20)).map { _ in UInt8.random(in: 0...255, using: &random) }
        try Data(bytes).write(to: dir.appendingPathComponent("random.canvass"))
        // A random tail after a real SQLite header.
        try (Data("SQLite format 3\u{0}".utf8) + Data(bytes.prefix(100_000))).write(to: dir.appendingPathComponent("header.canvass"))
        try mergeRefuses("random.canvass", in: dir)
        try mergeRefuses("header.canvass", in: dir)
        let whole = try Data(contentsOf: dir.appendingPathComponent("lan.canvass"))
        for (name, size) in [("cut-header", 50), ("cut-page", 4096), ("cut-half", whole.count / 2), ("cut-last-page", whole.count - 4096)] {
            try whole.prefix(size).write(to: dir.appendingPathComponent("\(name).canvass"))
            try mergeRefuses("\(name).canvass", in: dir)
        }
    }

    @Test func foreignNewerAndReshapedFilesAreRefused() throws {
        let dir = try fleet()
        defer { try? FileManager.default.removeItem(at: dir) }
        try DatabaseQueue(path: dir.appendingPathComponent("photos.db").path).write { db in
            try db.execute(sql: "CREATE TABLE photos(id INTEGER PRIMARY KEY, data BLOB); INSERT INTO photos(data) VALUES (x'00')")
        }
        try mergeRefuses("photos.db", in: dir, naming: ["another application"])
        try tampered("newer.canvass", in: dir, "PRAGMA user_version = 99")
        try mergeRefuses("newer.canvass", in: dir, naming: ["newer Canvass"])
        try tampered("trigger.canvass", in: dir, "CREATE TRIGGER keep AFTER INSERT ON interview BEGIN DELETE FROM revision; END")
        try mergeRefuses("trigger.canvass", in: dir, naming: ["trigger keep"])
        try tampered("view.canvass", in: dir, "CREATE VIEW revision_all AS SELECT * FROM revision")
        try mergeRefuses("view.canvass", in: dir, naming: ["view revision_all"])
        try tampered("index.canvass", in: dir, "CREATE INDEX sneaky ON revision(value)")
        try mergeRefuses("index.canvass", in: dir, naming: ["index sneaky"])
        try tampered("altered.canvass", in: dir, "ALTER TABLE interview ADD COLUMN extra TEXT")
        try mergeRefuses("altered.canvass", in: dir, naming: ["table interview"])
    }

    @Test func wrongValuesInsideACanvassFileAreRefusedNamingTheField() throws {
        let dir = try fleet()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cases: [(String, String, String)] = [
            ("integer", "UPDATE revision SET value = 'fifteen' WHERE field = 'form_no'", "'form_no'"),
            ("choice", "UPDATE revision SET value = '9' WHERE field = 'e1_1'", "'e1_1'"),
            ("status", "UPDATE revision SET value = 'shipped' WHERE field = '_status'", "'_status'"),
            ("unknown", "UPDATE revision SET field = 'nonexistent' WHERE field = 'procedure'", "'nonexistent'"),
            ("repeat", "UPDATE revision SET field = 'members[5000]/age' WHERE field = 'form_no'", "'members[5000]/age'"),
            ("huge", "UPDATE revision SET value = replace(hex(zeroblob(5242880)), '0', 'x') WHERE field = 'procedure' AND interview = 'lan-1'", "'procedure'"),
        ]
        try tamperedAndRefused(cases, in: dir)
    }

    /// Rows that SQLite would copy as they are but Swift would read otherwise (a counter 0.5 read
    /// as 0, bad UTF-8 read as U+FFFD, text equal to other text only up to Unicode equivalence), and
    /// parent links that would hide revisions from an interview's history: all refused.
    @Test func revisionsNotAsCanvassWritesThemAreRefused() throws {
        let dir = try fleet()
        defer { try? FileManager.default.removeItem(at: dir) }
        let statusOf1 = "SELECT origin || ':' || counter FROM revision WHERE interview = 'lan-1' AND field = '_status'"
        let cases: [(String, String, String)] = [
            ("half-counter", "UPDATE revision SET counter = 0.5 WHERE counter = 3", "counter is not a whole number"),
            // A text counter sorts after every number, so the numbers skip one.
            ("text-counter", "UPDATE revision SET counter = '99x' WHERE counter = 4", "numbered without gaps"),
            ("bad-utf8", "UPDATE revision SET value = CAST(X'C328' AS TEXT) WHERE field = 'procedure' AND interview = 'lan-1'", "not what Canvass writes"),
            ("nfd", "UPDATE revision SET value = 'Chu' || char(769) WHERE field = 'procedure'", "'procedure' holds text not in Unicode NFC"),
            ("facts", "UPDATE interview SET surveyor = CAST(X'C328' AS TEXT) WHERE id = 'lan-2'", "facts are not NFC text"),
            // Past the first row, where only a change of id is looked at: a BLOB with the same bytes.
            ("blob-interview", "UPDATE revision SET interview = CAST(interview AS BLOB) WHERE counter = 5", "names an interview id not as Canvass writes it"),
            ("blob-origin", "UPDATE revision SET origin = CAST(origin AS BLOB) WHERE counter = 6", "numbered without gaps"),
            ("nul-field", "UPDATE revision SET field = field || char(0) || 'x' WHERE field = 'procedure'", "not what Canvass writes"),
            ("blob-author", "UPDATE revision SET author = X'C328' WHERE counter = 7", "not what Canvass writes"),
            ("garbled-parents", "UPDATE revision SET parents = 'garbage' WHERE field = 'procedure' AND interview = 'lan-1'", "names its parents in a way"),
            ("other-interview", "UPDATE revision SET parents = (\(statusOf1) ORDER BY hlc LIMIT 1) WHERE interview = 'lan-2' AND field = '_status' AND parents = ''",
             "is not an earlier revision of its field"),
            ("cycle", "UPDATE revision SET parents = (\(statusOf1) ORDER BY hlc DESC LIMIT 1) WHERE interview = 'lan-1' AND field = '_status' AND parents = ''",
             "is not an earlier revision of its field"),
            // A valid value put in by hand: only the revision's digest tells.
            ("altered", "UPDATE revision SET value = 'Cấp đổi hộ chiếu' WHERE field = 'procedure' AND interview = 'lan-1'", "does not match its digest"),
            ("note-parents", "UPDATE revision SET field = '_note', parents = (\(statusOf1) ORDER BY hlc LIMIT 1) WHERE interview = 'lan-1' AND field = 'procedure'",
             "names its parents in a way"),
        ]
        try tamperedAndRefused(cases, in: dir)
    }

    // MARK: - Answers, met by record

    /// A 10 MB answer is refused by name (at most 100,000 bytes an answer, the limit merge applies),
    /// and nothing is written.
    @Test func aTenMegabyteAnswerIsRefused() throws {
        let dir = try Canvass.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let huge = String(repeating: "Chứng thực ", count: 10 << 20 / 14)
        let line = "{\"_id\": \"big\", \"unit\": \"stp\", \"form_no\": 1, \"procedure\": \"\(huge)\"}\n"
        try Data(line.utf8).write(to: dir.appendingPathComponent("big.jsonl"))
        #expect(line.utf8.count > 10_000_000)
        try Self.refused(["record", Canvass.form("sipas-2017.yaml"), "--db", "big.canvass", "--surveyor", "lan", "--answers", "big.jsonl"],
                         in: dir, naming: ["big.jsonl:1", "'procedure'", "100000 bytes"])
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("big.canvass").path))
    }

    /// At the prompt, a 10 MB answer and a 150 KB note are refused and asked again; a long note given
    /// to review is refused by name. Whatever Canvass writes, merge takes (it refuses longer values).
    @Test func overlongAnswersAndNotesAreNeverWritten() throws {
        let dir = try Canvass.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let huge = String(repeating: "x", count: 10 << 20), note = String(repeating: "n", count: 150_000)
        let result = try Canvass.run(["interview", Canvass.form("household.yaml"), "--db", "h.canvass", "--surveyor", "minh", "--lang", "en"], in: dir,
                                     input: "\(huge)\nAB123\n:note \(note)\n:note short\n", environment: ["CANVASS_ID_PREFIX": "h"])
        #expect(result.code == 0)
        #expect(result.out.contains("  expected text of at most 100000 bytes\n"), "\(result.out.prefix(2000))")
        #expect(result.out.contains("  a note is at most 100000 bytes; not saved\n"))
        #expect(result.seconds < Self.seconds && result.peakBytes < Self.bytes, "\(result.seconds) s, \(result.peakBytes >> 20) MB")
        let show = try Canvass.run(["show", "h.canvass", "h-0002", "--json"], in: dir)
        let report = try #require(try Canvass.json(show.out) as? [String: Any])
        #expect((report["answers"] as? [String: Any])?["cluster"] as? String == "AB123")
        #expect((report["notes"] as? [[String: Any]])?.map { $0["text"] as? String } == ["short"])
        let review = try Self.refused(["review", "h.canvass", "h-0002", "reject", "--as", "sup", "--note", String(repeating: "r", count: 120_000)],
                                      in: dir, naming: ["h.canvass", "a note is at most 100000 bytes"])
        #expect(!review.text.contains("rrrrrrrr"))
        let merge = try Canvass.run(["merge", "hub.canvass", "h.canvass"], in: dir, environment: ["CANVASS_ID_PREFIX": "hub"])
        #expect(merge.code == 0, "\(merge.out)")
    }

    // MARK: - Forms, met by form check

    @Test func yamlAliasBombIsRefused() throws {
        let dir = try Canvass.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        // Eleven levels of ten aliases: 10^11 entries if expanded.
        var yaml = "form_id: t\nversion: \"1\"\nsurvey:\n  - &g0 {type: text, name: a, label: {vi: lol, en: lol}}\n"
        for level in 1...11 {
            yaml += "  - &g\(level) {type: group, name: g\(level), children: [" + Array(repeating: "*g\(level - 1)", count: 10).joined(separator: ", ") + "]}\n"
        }
        try yaml.write(to: dir.appendingPathComponent("bomb.yaml"), atomically: true, encoding: .utf8)
        try Self.refused(["form", "check", "bomb.yaml"], in: dir, naming: ["bomb.yaml", "alias bomb"])
    }

    @Test func deeplyNestedExpressionsAreRefused() throws {
        let dir = try Canvass.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let deep = String(repeating: "(", count: 100_000) + "1" + String(repeating: ")", count: 100_000)
        let yaml = "form_id: t\nversion: \"1\"\nsurvey:\n  - {type: integer, name: a, label: A}\n  - {type: integer, name: b, label: B, relevant: \"\(deep)\"}\n"
        try yaml.write(to: dir.appendingPathComponent("deep.yaml"), atomically: true, encoding: .utf8)
        try Self.refused(["form", "check", "deep.yaml"], in: dir, naming: ["deep.yaml", "'b'", "relevant", "nested too deeply"])
        // On the command line (an argument is at most 128 KB): parentheses, calls and unary minus.
        for expression in [String(repeating: "(", count: 60_000) + "1" + String(repeating: ")", count: 60_000),
                           String(repeating: "abs(", count: 25_000) + "1" + String(repeating: ")", count: 25_000),
                           "0" + String(repeating: " - -1", count: 20_000), "1" + String(repeating: " + 1", count: 30_000)] {
            let result = try Canvass.run(["expr", "--", expression], in: dir)
            #expect(result.seconds < Self.seconds && result.peakBytes < Self.bytes)
            // Long flat sums evaluate; nesting past the limit is refused with the place, never a crash.
            #expect(result.code == 0 || (result.code == 1 && result.err.contains("nested too deeply")), "\(result.code): \(result.err.prefix(300))")
        }
    }

    /// A one-sheet workbook (`survey`) whose sheet XML, extra entries and workbook XML can be replaced.
    static func workbook(sheet: String? = nil, workbookXML: String? = nil, extra: [(String, Data)] = []) throws -> Data {
        let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        let relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        let row = { (r: Int, cells: [String]) in
            "<row r=\"\(r)\">" + cells.enumerated().map { "<c r=\"\(["A", "B", "C"][$0.offset])\(r)\" t=\"inlineStr\"><is><t>\($0.element)</t></is></c>" }.joined() + "</row>"
        }
        let parts: [(String, Data)] = [
            ("[Content_Types].xml", Data("<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>".utf8)),
            ("xl/workbook.xml", Data((workbookXML ?? """
                <workbook xmlns="\(main)" xmlns:r="\(relationships)"><sheets><sheet name="survey" sheetId="1" r:id="rId1"/></sheets></workbook>
                """).utf8)),
            ("xl/_rels/workbook.xml.rels", Data("""
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
                <Relationship Id="rId1" Type="\(relationships)/worksheet" Target="worksheets/sheet1.xml"/></Relationships>
                """.utf8)),
            ("xl/worksheets/sheet1.xml", Data((sheet ?? "<worksheet xmlns=\"\(main)\"><sheetData>\(row(1, ["type", "name", "label"]))\(row(2, ["text", "a", "A"]))</sheetData></worksheet>").utf8)),
        ]
        let archive = try Archive(data: Data(), accessMode: .create)
        for (path, data) in parts + extra {
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return try #require(archive.data)
    }

    @Test func hostileWorkbooksAreRefused() throws {
        let dir = try Canvass.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        func write(_ name: String, _ data: Data) throws { try data.write(to: dir.appendingPathComponent(name)) }
        let good = try Self.workbook()
        try write("good.xlsx", good)
        #expect(try Canvass.run(["form", "check", "good.xlsx"], in: dir).out.contains("good.xlsx: ok"), "the builder makes a valid workbook")

        // A zip bomb: one entry of 256 MB of zeros (past the 64 MB an entry and 100 MB an archive may
        // inflate to), 250 KB compressed; and the same lying about its size.
        let bombArchive = try Archive(data: try Self.workbook(), accessMode: .update)
        let zeros = Data(count: 1 << 20)
        try bombArchive.addEntry(with: "xl/sharedStrings.xml", type: .file, uncompressedSize: Int64(256 << 20), compressionMethod: .deflate,
                                 bufferSize: 1 << 20) { _, size in size == zeros.count ? zeros : Data(count: size) }
        let bomb = try #require(bombArchive.data)
        #expect(bomb.count < 1 << 20)
        try write("bomb.xlsx", bomb)
        try write("bomb-lying.xlsx", Self.lyingAboutSizes(bomb))
        try Self.refused(["form", "check", "bomb.xlsx"], in: dir, naming: ["bomb.xlsx", "inflates to"])
        try Self.refused(["form", "check", "bomb-lying.xlsx"], in: dir, naming: ["bomb-lying.xlsx", "inflates to more than"])

        // An entry whose path leaves the archive.
        try write("escape.xlsx", try Self.workbook(extra: [("../../etc/cron.d/evil", Data("x".utf8))]))
        try Self.refused(["form", "check", "escape.xlsx"], in: dir, naming: ["escape.xlsx", "outside it"])

        // XML with external entities: a SYSTEM entity in the workbook, a parameter entity and a billion laughs in the sheet.
        try write("xxe.xlsx", try Self.workbook(workbookXML: """
            <?xml version="1.0"?><!DOCTYPE workbook [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><workbook>&xxe;</workbook>
            """))
        try Self.refused(["form", "check", "xxe.xlsx"], in: dir, naming: ["xxe.xlsx", "DOCTYPE"])
        try write("xxe-param.xlsx", try Self.workbook(sheet: """
            <?xml version="1.0"?><!DOCTYPE w [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/x.dtd"> %remote;]><worksheet/>
            """))
        try Self.refused(["form", "check", "xxe-param.xlsx"], in: dir, naming: ["xxe-param.xlsx", "DOCTYPE"])
        let laughs = "<!DOCTYPE w [<!ENTITY l0 \"lol\">" + (1...9).map { "<!ENTITY l\($0) \"" + String(repeating: "&l\($0 - 1);", count: 10) + "\">" }.joined() + "]>"
        try write("laughs.xlsx", try Self.workbook(sheet: laughs + "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&l9;</t></is></c></row></sheetData></worksheet>"))
        try Self.refused(["form", "check", "laughs.xlsx"], in: dir, naming: ["laughs.xlsx", "DOCTYPE"])

        // Not a zip, and a real workbook cut short.
        var random = SeededRandom(test: "random xlsx")
        try write("random.xlsx", Data((0..<100_000).map { _ in UInt8.random(in: 0...255, using: &random) }))
        try Self.refused(["form", "check", "random.xlsx"], in: dir, naming: ["random.xlsx"])
        #expect(try Canvass.run(["form", "export", Canvass.form("sipas-2017.yaml"), "-o", "sipas.xlsx"], in: dir).code == 0)
        let sipas = try Data(contentsOf: dir.appendingPathComponent("sipas.xlsx"))
        try write("cut.xlsx", sipas.prefix(sipas.count / 2))
        try Self.refused(["form", "check", "cut.xlsx"], in: dir, naming: ["cut.xlsx"])
        try write("cut-end.xlsx", sipas.prefix(sipas.count - 10))
        try Self.refused(["form", "check", "cut-end.xlsx"], in: dir, naming: ["cut-end.xlsx"])
    }

    /// The archive with every entry's declared uncompressed size set to 100 bytes.
    static func lyingAboutSizes(_ data: Data) -> Data {
        var bytes = [UInt8](data)
        for (signature, offset) in [([0x50, 0x4B, 0x01, 0x02] as [UInt8], 24), ([0x50, 0x4B, 0x03, 0x04], 22)] {
            var i = 0
            while i + offset + 4 <= bytes.count {
                if bytes[i] == signature[0] && Array(bytes[i..<i + 4]) == signature {
                    bytes.replaceSubrange((i + offset)..<(i + offset + 4), with: [100, 0, 0, 0])
                }
                i += 1
            }
        }
        return Data(bytes)
    }

    @Test func formsThatAreNotTextAreRefused() throws {
        let dir = try Canvass.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        var random = SeededRandom(test: "random yaml")
        try Data((0..<100_000).map { _ in UInt8.random(in: 0...255, using: &random) }).write(to: dir.appendingPathComponent("random.yaml"))
        try Self.refused(["form", "check", "random.yaml"], in: dir, naming: ["random.yaml"])
        let form = try String(contentsOfFile: Canvass.form("sipas-2017.yaml"), encoding: .utf8)
        try String(form.prefix(form.count / 3)).write(to: dir.appendingPathComponent("cut.yaml"), atomically: true, encoding: .utf8)
        try Self.refused(["form", "check", "cut.yaml"], in: dir, naming: ["cut.yaml"])
        // A form cut short cannot be used to record either.
        try Self.refused(["record", "cut.yaml", "--db", "x.canvass", "--surveyor", "lan", "--answers", "-"], in: dir, input: "{}\n", naming: ["cut.yaml"])
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("x.canvass").path))
    }
}
