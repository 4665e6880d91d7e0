import Foundation
import Testing

struct XLSFormCommandTests {
    func sha(_ path: String, in dir: URL) throws -> String? {
        let show = try CLI.run(["form", "show", path, "--json"], in: dir)
        return (try CLI.json(show.out) as? [String: Any])?["sha256"] as? String
    }

    @Test(arguments: ["sipas-2017.yaml", "sipas-2023.yaml", "household.yaml"])
    func yamlToXLSXToYAMLIsExact(name: String) throws {
        let dir = try CLI.scratch()
        let export = try CLI.run(["form", "export", CLI.form(name), "-o", "form.xlsx"], in: dir)
        #expect(export.code == 0)
        let back = try CLI.run(["form", "import", "form.xlsx", "-o", "back.yaml", "--json"], in: dir)
        #expect(back.code == 0)
        #expect((try CLI.json(back.out) as? [String: Any])?["file"] as? String == "back.yaml")
        let original = try sha(CLI.form(name), in: dir)
        #expect(original != nil)
        #expect(try sha("form.xlsx", in: dir) == original)
        #expect(try sha("back.yaml", in: dir) == original)
    }

    @Test func anXLSFormWorksWhereverAFormDoes() throws {
        let dir = try CLI.scratch()
        try CLI.run(["form", "export", CLI.form("sipas-2017.yaml"), "-o", "sipas.xlsx"], in: dir)
        #expect(try CLI.run(["form", "check", "sipas.xlsx"], in: dir).out == "sipas.xlsx: ok\n")
        let record = try CLI.run(["record", "sipas.xlsx", "--db", "a.canvass", "--surveyor", "lan",
                                  "--answers", CLI.fixture("batches/sipas-planted.jsonl"), "--complete"], in: dir)
        #expect(record.out.hasSuffix("recorded 6 interviews into a.canvass: 3 completed, 3 drafts, 3 invalid\n"))
    }

    @Test func aRefusedXLSFormNamesSheetRowAndColumn() throws {
        let result = try CLI.run(["form", "check", "Tests/Fixtures/xlsforms/onadata-MCH_v1.xlsx"])
        #expect(result.code == 1)
        #expect(result.out.contains("survey row 17, column type: unknown type 'Select one from source'"))
    }
}
