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

    /// pyxform (ODK's reference converter) accepts what `form export` writes. Runs when it is installed.
    @Test func pyxformAcceptsTheExportedSipasForm() throws {
        let which = Process()
        which.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        which.arguments = ["which", "xls2xform"]
        which.standardOutput = FileHandle.nullDevice
        try which.run()
        which.waitUntilExit()
        guard which.terminationStatus == 0 else {
            print("pyxform is not installed (pip install pyxform): skipping")
            return
        }
        let dir = try CLI.scratch()
        try CLI.run(["form", "export", CLI.form("sipas-2017.yaml"), "-o", "sipas.xlsx"], in: dir)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["xls2xform", "--json", "sipas.xlsx", "sipas.xml"]
        process.currentDirectoryURL = dir
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        // pyxform prints its JSON verdict on standard error.
        let printed = String(decoding: data, as: UTF8.self) + errors
        let line = printed.split(separator: "\n").last { $0.hasPrefix("{") }.map(String.init) ?? ""
        let verdict = try #require(try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "pyxform printed: \(printed)")
        #expect(verdict["code"] as? Int == 100, "pyxform said: \(verdict)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("sipas.xml").path))
    }
}
