@testable import CanvassCore
import Foundation
import Testing
import TestSupport
#if canImport(FoundationXML)
import FoundationXML
#endif

/// report, quota, sample, status and the table exports, run as the built binary on real files.
struct SupervisorCommandTests {
    static let criteria = ["e1_1", "e1_2", "e1_3", "e1_4", "e2_1", "e2_2", "e2_3", "e2_4", "e2_5", "e3_1", "e3_2", "e3_3", "e3_4",
                           "e3_5", "e3_6", "e4_1", "e4_2", "e4_3", "e5_1", "e5_2", "e5_3", "e5_4"]

    /// A complete SIPAS 2017 interview with every criterion rated `score`, except `overrides`.
    static func sipas(_ id: String, unit: String, number: Int, score: Int, overrides: [String: String] = [:]) -> String {
        var fields: [String: String] = [
            "_id": id, "unit": unit, "procedure": "Chứng thực bản sao \(number)", "submission": "in_person",
            "respondent_type": "individual", "trips": "1", "on_time": "yes", "trouble": "no", "extra_payment": "no", "gave_feedback": "no",
        ]
        for criterion in criteria { fields[criterion] = String(score) }
        fields.merge(overrides) { _, new in new }
        let body = fields.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \"\($0.value)\"" }
        return "{\"form_no\": \(number), " + body.joined(separator: ", ") + "}"
    }

    /// stp: ratings 5 and 3 (and a discarded 1 and a draft 2, which must not count): every criterion 50%.
    /// sxd: 4 and 4, but e5 rated 2 by the second: e1-e4 100%, e5 50%, index 90.
    /// Overall: e1-e4 criteria 3 of 4 (75%), e5 2 of 4 (50%), index (4·75 + 50) / 5 = 70.
    func district() throws -> URL {
        let dir = try CLI.scratch()
        let e5Low = Dictionary(uniqueKeysWithValues: ["e5_1", "e5_2", "e5_3", "e5_4"].map { ($0, "2") })
        let complete = [
            Self.sipas("p1", unit: "stp", number: 1, score: 5), Self.sipas("p2", unit: "stp", number: 2, score: 3),
            Self.sipas("p3", unit: "stp", number: 3, score: 1), Self.sipas("p5", unit: "sxd", number: 5, score: 4),
            Self.sipas("p6", unit: "sxd", number: 6, score: 4, overrides: e5Low.merging(["trouble": "yes"]) { a, _ in a }),
        ]
        try CLI.run(["record", CLI.form("sipas-2017.yaml"), "--db", "d.canvass", "--surveyor", "lan", "--answers", "-", "--complete"],
                    input: complete.joined(separator: "\n"), in: dir)
        try CLI.run(["record", CLI.form("sipas-2017.yaml"), "--db", "d.canvass", "--surveyor", "minh", "--answers", "-"],
                    input: Self.sipas("p4", unit: "stp", number: 4, score: 2), in: dir)
        let discard = try CLI.run(["discard", "d.canvass", "p3", "--reason", "phiếu trùng", "--as", "hoa"], in: dir)
        #expect(discard.code == 0, "\(discard.err)")
        return dir
    }

    @Test func reportMatchesTheHandComputedIndex() throws {
        let dir = try district()
        let result = try CLI.run(["report", "d.canvass", "--index", "sipas", "--by", "unit", "--json", "--lang", "en"], in: dir)
        #expect(result.code == 0, "\(result.err)")
        let report = try #require(try CLI.json(result.out) as? [String: Any])
        let overall = try #require(report["overall"] as? [String: Any])
        #expect(overall["respondents"] as? Int == 4)
        #expect(overall["value"] as? Double == 70)
        #expect((overall["elements"] as? [[String: Any]])?.map { $0["value"] as? Double } == [75, 75, 75, 75, 50])
        let groups = try #require(report["groups"] as? [[String: Any]])
        #expect(groups.map { $0["group"] as? String } == ["stp", "sxd"])
        #expect(groups.map { $0["respondents"] as? Int } == [2, 2])
        #expect(groups.map { $0["value"] as? Double } == [50, 90])
        #expect(groups.map { $0["rank"] as? Int } == [2, 1])
        #expect(groups.map { $0["label"] as? String } == ["Department of Justice", "Department of Construction"])
        let sxd = try #require(groups[1]["elements"] as? [[String: Any]])
        let e5 = try #require(sxd[4]["questions"] as? [[String: Any]])
        #expect(e5.map { $0["valid"] as? Int } == [2, 2, 2, 2] && e5.map { $0["value"] as? Double } == [50, 50, 50, 50])
        let tables = try #require(overall["tables"] as? [[String: Any]])
        let trouble = try #require(tables.first { $0["question"] as? String == "trouble" })
        #expect((trouble["choices"] as? [[String: Any]])?.map { $0["count"] as? Int } == [1, 3])
    }

    @Test func reportWritesHTMLWithAChartEachAndCSV() throws {
        let dir = try district()
        let result = try CLI.run(["report", "d.canvass", "--index", "sipas", "--by", "unit", "--html", "r.html", "--csv", "r.csv"], in: dir)
        #expect(result.code == 0, "\(result.err)")
        #expect(result.out.contains("Sở Xây dựng") && result.out.contains("90.00%"))
        let html = try Data(contentsOf: dir.appendingPathComponent("r.html"))
        // The page is well-formed XML (and so parses as HTML): a ranking chart, an element chart, one per unit.
        let counter = ElementCounter()
        let parser = XMLParser(data: html)
        parser.delegate = counter
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        #expect(counter.counts["svg"] == 4 && counter.counts["script"] == nil && counter.counts["link"] == nil)
        let text = String(decoding: html, as: UTF8.self)
        #expect(text.contains("Tiếp cận dịch vụ hành chính công") && text.contains("stroke-dasharray"))
        let rows = try CSV.parse(String(contentsOf: dir.appendingPathComponent("r.csv"), encoding: .utf8))
        #expect(rows.map { $0[0] } == ["group", "sxd", "stp", "overall"])
        #expect(rows.map { $0[4] } == ["sipas", "90.00", "50.00", "70.00"])
        #expect(rows[1][1] == "Sở Xây dựng")
        let unknown = try CLI.run(["report", "d.canvass", "--index", "sipaz"], in: dir)
        #expect(unknown.code == 64 && unknown.err.contains("no form defines the index 'sipaz'; the indices are: sipas"))
    }

    final class ElementCounter: NSObject, XMLParserDelegate {
        var counts: [String: Int] = [:]
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            counts[name, default: 0] += 1
        }
    }

    @Test func csvAndXLSXExportsReadBackWithEveryRowAndVietnameseIntact() throws {
        let dir = try district()
        let csv = try CLI.run(["export", "d.canvass", "--format", "csv", "-o", "out", "--bom"], in: dir)
        #expect(csv.code == 0, "\(csv.err)")
        let csvData = try Data(contentsOf: dir.appendingPathComponent("out/sipas_2017.csv"))
        #expect(csvData.prefix(3) == Data([0xEF, 0xBB, 0xBF]))
        let rows = try CSV.parse(String(decoding: csvData, as: UTF8.self))
        let header = rows[0]
        let id = try #require(header.firstIndex(of: "_id")), procedure = try #require(header.firstIndex(of: "procedure"))
        #expect(rows.dropFirst().map { $0[id] } == ["p1", "p2", "p4", "p5", "p6"], "the discarded p3 is left out")
        #expect(rows.dropFirst().allSatisfy { $0.count == header.count })
        #expect(rows[1][procedure] == "Chứng thực bản sao 1")
        let mode = try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent("out/sipas_2017.csv").path)[.posixPermissions]
        #expect(mode as? Int == 0o600)

        let xlsx = try CLI.run(["export", "d.canvass", "--format", "xlsx", "-o", "out", "--labels", "--lang", "vi"], in: dir)
        #expect(xlsx.code == 0, "\(xlsx.err)")
        let book = try XLSXReader.read(try Data(contentsOf: dir.appendingPathComponent("out/sipas_2017.xlsx"))) { Set($0) }
        let sheet = try #require(book.sheets["sipas_2017"])
        #expect(sheet.rowNumbers == [1, 2, 3, 4, 5, 6])
        let unit = try #require(header.firstIndex(of: "unit")), formNo = try #require(header.firstIndex(of: "form_no"))
        #expect(sheet[1, unit + 1]?.text == "unit")
        #expect(sheet[2, unit + 1]?.text == "Sở Tư pháp")
        #expect(sheet[2, procedure + 1]?.text == "Chứng thực bản sao 1")
        #expect(sheet[6, formNo + 1]?.kind == .number && sheet[6, formNo + 1]?.number == 6)

        // And a reader that is not ours: openpyxl (tools/test.sh installs it into .venv).
        let script = """
            import openpyxl, sys
            wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
            ws = wb["sipas_2017"]
            rows = list(ws.iter_rows(values_only=True))
            print(len(rows) - 1, rows[1][rows[0].index("unit")], rows[5][rows[0].index("form_no")])
            """
        let python = try #require(ExternalTool.find("python3"), "\(ExternalTool.missing("python3", from: "Debian's python3"))")
        let read = try CLI.execute(URL(fileURLWithPath: python), ["-c", script, dir.appendingPathComponent("out/sipas_2017.xlsx").path],
                                   in: dir, environment: ProcessInfo.processInfo.environment)
        let (out, err) = (read.out, read.err)
        #expect(!err.contains("No module named 'openpyxl'"), "\(ExternalTool.missing("openpyxl", from: "PyPI's openpyxl"))")
        #expect(read.code == 0 && out == "5 Sở Tư pháp 6\n", "openpyxl: \(out)\(err)")
    }

    /// Form `hh`'s repeat `members` and a form `hh-members` would both be hh-members.csv: neither
    /// may overwrite the other.
    @Test func tablesThatWouldShareAFileNameEachGetTheirOwn() throws {
        let dir = try CLI.scratch()
        try """
            form_id: hh
            version: "1"
            title: hh
            survey:
              - {type: integer, name: n, label: n}
              - type: repeat
                name: members
                label: members
                repeat_count: "${n}"
                children:
                  - {type: text, name: who, label: who}
            """.write(to: dir.appendingPathComponent("hh.yaml"), atomically: true, encoding: .utf8)
        try """
            form_id: hh-members
            version: "1"
            title: other
            survey:
              - {type: text, name: place, label: place}
            """.write(to: dir.appendingPathComponent("other.yaml"), atomically: true, encoding: .utf8)
        let one = try CLI.run(["record", "hh.yaml", "--db", "d.canvass", "--surveyor", "lan", "--answers", "-"],
                              input: #"{"_id": "h1", "n": 2, "members": [{"who": "Lan"}, {"who": "Minh"}]}"#, in: dir)
        let two = try CLI.run(["record", "other.yaml", "--db", "d.canvass", "--surveyor", "lan", "--answers", "-"],
                              input: #"{"_id": "o1", "place": "Hà Nội"}"#, in: dir)
        #expect(one.code == 0 && two.code == 0, "\(one.err) \(two.err)")
        for format in ["csv", "xlsx"] {
            let export = try CLI.run(["export", "d.canvass", "--format", format, "-o", format], in: dir)
            #expect(export.code == 0, "\(export.err)")
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("csv").path).sorted()
        #expect(files == ["hh-members.csv", "hh-members~2.csv", "hh.csv"])
        let members = try CSV.parse(String(contentsOf: dir.appendingPathComponent("csv/hh-members.csv"), encoding: .utf8))
        let place = try CSV.parse(String(contentsOf: dir.appendingPathComponent("csv/hh-members~2.csv"), encoding: .utf8))
        #expect(members.dropFirst().compactMap { $0.last } == ["Lan", "Minh"])
        #expect(place.count == 2 && place[1].contains("Hà Nội"))
        let books = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("xlsx").path).sorted()
        #expect(books == ["hh-members.xlsx", "hh.xlsx"])
    }

    /// An answer longer than an Excel cell holds would be cut when the workbook is opened: the xlsx
    /// export refuses it by interview and field, and leaves no workbook; csv takes it whole.
    @Test func anAnswerTooLongForAnExcelCellIsRefusedInXLSXOnly() throws {
        let dir = try district()
        let long = String(repeating: "Thủ tục chậm. ", count: 2_500)  // 35,000 characters, 45,000 bytes
        let record = try CLI.run(["record", CLI.form("sipas-2017.yaml"), "--db", "d.canvass", "--surveyor", "lan", "--answers", "-"],
                                 input: Self.sipas("p9", unit: "stp", number: 9, score: 4, overrides: ["comment": long]), in: dir)
        #expect(record.code == 0, "\(record.err)")
        let xlsx = try CLI.run(["export", "d.canvass", "--format", "xlsx", "-o", "out"], in: dir)
        #expect(xlsx.code == 64 && xlsx.err.contains("_id p9: comment holds 35000 characters, more than the 32767 an Excel cell holds; use --format csv"),
                "\(xlsx.err)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("out").path).isEmpty)
        let csv = try CLI.run(["export", "d.canvass", "--format", "csv", "-o", "out"], in: dir)
        #expect(csv.code == 0)
        let rows = try CSV.parse(String(contentsOf: dir.appendingPathComponent("out/sipas_2017.csv"), encoding: .utf8))
        #expect(rows.contains { $0.contains(long) })
    }

    /// A killed export leaves its temporary file or folder (personal data) beside the output; the
    /// next export to the same name removes those whose process is gone, and no one else's.
    @Test func leftoversOfAKilledExportAreRemovedByTheNext() throws {
        let dir = try district()
        let out = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        let dead = gone.processIdentifier, alive = ProcessInfo.processInfo.processIdentifier
        let leftovers = [".sipas_2017.csv.partial-\(dead)", ".sipas_2017.xlsx.parts-\(dead)", ".sipas_2017.csv.partial-\(alive)"]
        try Data("p1,Nguyễn Văn A".utf8).write(to: out.appendingPathComponent(leftovers[0]))
        try FileManager.default.createDirectory(at: out.appendingPathComponent(leftovers[1]), withIntermediateDirectories: false)
        try Data().write(to: out.appendingPathComponent(leftovers[2]))
        for format in ["csv", "xlsx"] {
            #expect(try CLI.run(["export", "d.canvass", "--format", format, "-o", "out"], in: dir).code == 0)
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        #expect(files == [leftovers[2], "sipas_2017.csv", "sipas_2017.xlsx"])
    }

    @Test func exportNeedsADirectoryForTables() throws {
        let dir = try district()
        let result = try CLI.run(["export", "d.canvass", "--format", "csv"], in: dir)
        #expect(result.code == 64 && result.err.contains("give a directory with -o DIR"))
        let bom = try CLI.run(["export", "d.canvass", "--format", "xlsx", "-o", "x", "--bom"], in: dir)
        #expect(bom.code == 64 && bom.err.contains("--bom applies to --format csv only"))
    }

    @Test func quotaCountsCellsAndShares() throws {
        let dir = try district()
        try """
            form: sipas_2017
            cells:
              - name: Sở Tư pháp
                filter: "${unit} = 'stp'"
                target: 3
                allocations: {lan: 2, minh: 1}
              - name: Sở Xây dựng
                filter: "${unit} = 'sxd'"
                target: 1
            """.write(to: dir.appendingPathComponent("plan.yaml"), atomically: true, encoding: .utf8)
        let result = try CLI.run(["quota", "d.canvass", "--plan", "plan.yaml", "--json"], in: dir)
        #expect(result.code == 0, "\(result.err)")
        let cells = try #require(try CLI.json(result.out) as? [[String: Any]])
        #expect(cells.map { $0["name"] as? String } == ["Sở Tư pháp", "Sở Xây dựng"])
        #expect(cells.map { $0["completed"] as? Int } == [2, 2])
        #expect(cells.map { $0["drafts"] as? Int } == [1, 0])
        #expect(cells.map { $0["remaining"] as? Int } == [1, 0])
        #expect(cells.map { $0["overshoot"] as? Int } == [0, 1])
        let shares = try #require(cells[0]["surveyors"] as? [[String: Any]])
        #expect(shares.map { "\($0["surveyor"]!) \($0["completed"]!) \($0["drafts"]!) \($0["remaining"]!)" } == ["lan 2 0 0", "minh 0 1 1"])
        let table = try CLI.run(["quota", "d.canvass", "--plan", "plan.yaml", "--by", "surveyor"], in: dir)
        #expect(table.out.contains("Sở Tư pháp") && table.out.contains("2/3") && table.out.contains("+1"))

        // Lan's laptop has filled her share of stp: an interview there warns.
        let answers = try String(contentsOfFile: CLI.fixture("interviews/sipas-2017-complete.txt"), encoding: .utf8)
        let interview = try CLI.run(["interview", CLI.form("sipas-2017.yaml"), "--db", "d.canvass", "--surveyor", "lan", "--plan", "plan.yaml"],
                                    input: answers, in: dir, environment: ["CANVASS_ID_PREFIX": "int"])
        #expect(interview.out.components(separatedBy: "chỉ tiêu: phiếu này thuộc ô 'Sở Tư pháp'").count == 2, "\(interview.out)")
        let typo = try CLI.run(["quota", "d.canvass", "--plan", "plan.yaml", "--by", "surveyer"], in: dir)
        #expect(typo.code == 64)
    }

    @Test func sampleIsStratifiedRepeatableAndKeepsTheFrame() throws {
        let dir = try CLI.scratch()
        var frame = "mã hồ sơ,họ tên,đơn vị\r\n"
        for n in 1...300 { frame += "HS\(n),\"Nguyễn Văn \(n), Hà Nội\",\(n % 3 == 0 ? "Sở Tư pháp" : "UBND quận Ba Đình")\r\n" }
        try frame.write(to: dir.appendingPathComponent("frame.csv"), atomically: true, encoding: .utf8)
        let arguments = ["sample", "--frame", "frame.csv", "--margin", "5%", "--by", "đơn vị", "--reserve", "20%", "--seed", "2026", "--json"]
        let first = try CLI.run(arguments + ["-o", "a.csv"], in: dir)
        #expect(first.code == 0, "\(first.err)")
        let strata = try #require(try CLI.json(first.out) as? [[String: Any]])
        // 200 -> ceil(200 / 1.5) = 134, reserve ceil(26.8) = 27; 100 -> ceil(100 / 1.25) = 80, reserve 16.
        #expect(strata.map { $0["stratum"] as? String } == ["UBND quận Ba Đình", "Sở Tư pháp"])
        #expect(strata.map { $0["official"] as? Int } == [134, 80] && strata.map { $0["reserve"] as? Int } == [27, 16])
        try CLI.run(arguments + ["-o", "b.csv"], in: dir)
        let a = try Data(contentsOf: dir.appendingPathComponent("a.csv")), b = try Data(contentsOf: dir.appendingPathComponent("b.csv"))
        #expect(a == b)
        let rows = try CSV.parse(String(decoding: a, as: UTF8.self))
        #expect(rows[0] == ["mã hồ sơ", "họ tên", "đơn vị", "sample", "order"])
        #expect(rows.count == 1 + 134 + 27 + 80 + 16)
        #expect(Set(rows.dropFirst().map { $0[0] }).count == rows.count - 1)
        #expect(rows[1][1].hasPrefix("Nguyễn Văn ") && rows[1][1].hasSuffix(", Hà Nội") && rows[1][3] == "official" && rows[1][4] == "1")
        let missing = try CLI.run(["sample", "--frame", "frame.csv", "--size", "5", "--by", "unit", "--seed", "1", "-o", "c.csv"], in: dir)
        #expect(missing.code == 64 && missing.err.contains("frame.csv has no column 'unit'; its columns are mã hồ sơ, họ tên, đơn vị"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("c.csv").path))
    }

    @Test func statusCountsDaysInLocalTime() throws {
        let dir = try CLI.scratch()
        // 23:30 UTC on 28 February: 06:30 on 1 March in Vietnam (UTC+7).
        let vietnam = ["CANVASS_NOW": "2026-02-28T23:30:00Z", "TZ": "Asia/Ho_Chi_Minh"]
        try CLI.run(["record", CLI.form("sipas-2017.yaml"), "--db", "v.canvass", "--surveyor", "lan", "--answers", "-", "--complete"],
                    input: Self.sipas("q1", unit: "stp", number: 1, score: 4), in: dir, environment: vietnam)
        let local = try CLI.run(["status", "v.canvass", "--json"], in: dir, environment: vietnam)
        let days = try #require(try CLI.json(local.out) as? [String: Any])["days"] as? [[String: Any]]
        #expect(days?.map { "\($0["name"]!)" } == ["2026-03-01"])
        let utc = try CLI.run(["status", "v.canvass", "--json"], in: dir, environment: ["CANVASS_NOW": "2026-02-28T23:30:00Z"])
        let utcDays = try #require(try CLI.json(utc.out) as? [String: Any])["days"] as? [[String: Any]]
        #expect(utcDays?.map { "\($0["name"]!)" } == ["2026-02-28"])
    }

    @Test func statusSumsUpTheDay() throws {
        let dir = try district()
        // A second laptop's file with the same form number as p1: a duplicate across files.
        try CLI.run(["record", CLI.form("sipas-2017.yaml"), "--db", "e.canvass", "--surveyor", "hoa", "--answers", "-", "--complete"],
                    input: Self.sipas("q1", unit: "stp", number: 1, score: 4), in: dir, environment: ["CANVASS_ID_PREFIX": "e"])
        let result = try CLI.run(["status", "d.canvass", "e.canvass", "--json"], in: dir)
        #expect(result.code == 1)
        let dashboard = try #require(try CLI.json(result.out) as? [String: Any])
        #expect(dashboard["interviews"] as? Int == 7)
        #expect(dashboard["statuses"] as? [String: Int] == ["completed": 5, "draft": 1, "discarded": 1])
        #expect((dashboard["surveyors"] as? [[String: Any]])?.map { "\($0["name"]!) \($0["total"]!)" } == ["hoa 1", "lan 5", "minh 1"])
        #expect(dashboard["duplicate_groups"] as? Int == 1 && dashboard["conflicts"] as? Int == 0)
        let clean = try CLI.run(["status", "d.canvass"], in: dir)
        #expect(clean.code == 0 && clean.out.hasPrefix("6 interviews: 1 draft, 4 completed, 1 discarded"), "\(clean.out)")
    }
}
