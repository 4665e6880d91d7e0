import CanvassCore
import Foundation
import Testing
import TestSupport

/// The real XLSForms, on the built binary: the 15 of `../shared/xlsforms` and those fetched from
/// public repositories (Tests/Fixtures/realforms/SOURCES.md). Canvass gives pyxform's verdict, with
/// ODK Validate, and the same field count; every form it accepts imports to YAML, checks, takes an
/// interview through `record` and exports.
struct RealFormTests {
    struct RealForm: Sendable, CustomTestStringConvertible {
        var file: String
        var verdict: String
        var fields: Int
        var directory: String
        var path: String { CLI.fixture("\(directory)/\(file)") }
        var testDescription: String { "\(file) (\(verdict), \(fields) fields)" }
    }

    static func manifest(_ directory: String) -> [RealForm] {
        let text = (try? String(contentsOfFile: CLI.fixture("\(directory)/SOURCES.md"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 3, cells[0].hasSuffix(".xlsx"), let fields = Int(cells[2]) else { return nil }
            return RealForm(file: cells[0], verdict: cells[1], fields: fields, directory: directory)
        }
    }

    static let forms = manifest("xlsforms") + manifest("realforms")
    static let accepted = forms.filter { $0.verdict != "error" }

    @Test func thereAreFifteenFetchedFormsThatWork() {
        #expect(Self.manifest("realforms").filter { $0.verdict != "error" }.count >= 15)
    }

    /// The manifests' verdicts are pyxform's own: it is run again on every form.
    @Test func pyxformGivesTheVerdictsWritten() throws {
        let tool = try #require(ExternalTool.find("xls2xform"), "\(ExternalTool.missing("xls2xform", from: "pyxform"))")
        var wrong: [String] = []
        for form in Self.forms {
            let dir = try CLI.scratch()
            let input = dir.appendingPathComponent(form.file)
            try FileManager.default.copyItem(atPath: form.path, toPath: input.path)
            let result = try CLI.execute(URL(fileURLWithPath: tool), ["--json", "--odk_validate", input.path, dir.appendingPathComponent("out.xml").path],
                                         in: dir, environment: ProcessInfo.processInfo.environment)
            let line = (result.out + "\n" + result.err).split(separator: "\n").last { $0.hasPrefix("{") } ?? ""
            let code = (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["code"] as? Int
            let verdict = code == 100 ? "ok" : code == 101 ? "warn" : "error"
            if verdict != form.verdict { wrong.append("\(form.file): pyxform says \(verdict), the manifest \(form.verdict)") }
        }
        #expect(wrong.isEmpty, "\(wrong)")
    }

    @Test(arguments: forms)
    func canvassGivesPyxformsVerdictAndFieldCount(_ form: RealForm) throws {
        let check = try CLI.run(["form", "check", form.path, "--json"])
        let report = try #require((try CLI.json(check.out) as? [[String: Any]])?.first, "\(check.out)\(check.err)")
        #expect(report["valid"] as? Bool == (form.verdict != "error"), "\(report)")
        #expect(check.code == (form.verdict == "error" ? 1 : 0))
        guard form.verdict != "error" else { return }
        let show = try #require(try CLI.json(try CLI.run(["form", "show", form.path, "--json"]).out) as? [String: Any])
        #expect((show["fields"] as? [Any])?.count == form.fields)
    }

    @Test(arguments: accepted)
    func anAcceptedFormImportsChecksRecordsAndExports(_ form: RealForm) throws {
        let dir = try CLI.scratch()
        let imported = try CLI.run(["form", "import", form.path, "-o", "form.yaml"], in: dir)
        #expect(imported.code == 0, "\(imported.err)")
        let checked = try CLI.run(["form", "check", "form.yaml"], in: dir)
        #expect(checked.code == 0, "\(checked.out)")

        let data = try Data(contentsOf: URL(fileURLWithPath: form.path))
        let parsed = try XLSForm.read(data, file: form.file)
        try Data([0x89, 0x50, 0x4E, 0x47]).write(to: dir.appendingPathComponent("photo.png"))
        let interview = Self.interview(parsed, id: "real-1")
        let record = try CLI.run(["record", form.path, "--db", "a.canvass", "--surveyor", "lan", "--answers", "-"], input: interview, in: dir)
        // Every question is answered; a constraint the made-up answers break keeps it a draft (exit 1).
        #expect(record.code == 0 || record.code == 1, "\(record.err)")
        #expect(record.err.isEmpty, "\(record.err)")
        let list = try #require(try CLI.json(try CLI.run(["list", "a.canvass", "--json"], in: dir).out) as? [[String: Any]])
        #expect(list.map { $0["id"] as? String } == ["real-1"])

        let export = try CLI.run(["export", "a.canvass", "--format", "csv", "-o", "out"], in: dir)
        #expect(export.code == 0, "\(export.err)")
        let table = try String(contentsOf: dir.appendingPathComponent("out/\(parsed.formId).csv"), encoding: .utf8)
        #expect(table.contains("\r\nreal-1,"), "\(table.prefix(300))")
        let jsonl = try CLI.run(["export", "a.canvass"], in: dir)
        #expect(jsonl.code == 0 && jsonl.out.contains(#""_id":"real-1""#))
    }

    /// One interview with every question answered by a value of its type: the first choice, 1, a
    /// date, a location, the photo beside it; one instance of each repeat. Keys are as `record` reads them.
    static func interview(_ form: Form, id: String) -> String {
        let located = form.located
        func value(_ item: Form.Located) -> Any? {
            let entry = item.entry
            guard let kind = entry.kind, kind.isQuestion, entry.calculation == nil else { return nil }
            let choices = entry.type.list.flatMap { form.choiceList($0)?.choices } ?? []
            switch kind {
            case .integer: return 1
            case .decimal: return 1.5
            case .range: return Int(RangeParameters(entry.parameters).start)
            case .date: return "2024-03-15"
            case .time: return "10:30"
            case .datetime: return "2024-03-15T10:30:00"
            case .selectOne, .selectOneFromFile: return choices.first?.name
            case .selectMultiple, .selectMultipleFromFile: return choices.first.map { [$0.name] }
            case .rank: return choices.isEmpty ? nil : choices.map(\.name)
            case .geopoint: return "21.0285 105.8542 10 5"
            case .geotrace: return "21.0 105.8;21.01 105.81"
            case .geoshape: return "0 0;0 0.001;0.001 0.001;0 0"
            case .acknowledge: return "OK"
            case .image, .audio, .video, .file: return "photo.png"
            default: return "Nguyễn Văn An"
            }
        }
        func object(_ container: String?) -> [String: Any] {
            var result: [String: Any] = [:]
            for item in located where item.repeats.last == container && item.entry.kind != .group {
                if item.entry.kind == .repeat {
                    guard item.repeats.last == container, item.entry.repeatCount == nil else { continue }
                    result[item.localKey] = [object(item.entry.name)]
                } else if let value = value(item) {
                    result[item.localKey] = value
                }
            }
            return result
        }
        var root = object(nil)
        root["_id"] = id
        let data = (try? JSONSerialization.data(withJSONObject: root, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
