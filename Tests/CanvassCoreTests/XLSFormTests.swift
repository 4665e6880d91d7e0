@testable import CanvassCore
import Foundation
import Testing
import TestSupport

/// XLSForm import and export: the round trip of our forms, the 15 real forms of other projects,
/// pyxform's verdict on our export, and the XLSForm features one by one.
struct XLSFormTests {
    static let fixtures = Repo.root.appendingPathComponent("Tests/Fixtures/xlsforms")

    // MARK: - Round trip of our forms

    static var shippedForms: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: Repo.root.appendingPathComponent("forms").path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted()
    }

    @Test func thereAreShippedForms() {
        #expect(Self.shippedForms.count >= 3)
    }

    @Test(arguments: shippedForms)
    func shippedFormRoundTripsThroughXLSForm(name: String) throws {
        let form = try Repo.form(name)
        let data = try XLSForm.write(form)
        let back = try XLSForm.read(data, file: "\(name).xlsx")
        #expect(back == form)
        #expect(back.sha256 == form.sha256)
        #expect(try XLSForm.write(back) == data, "the same form is written as the same bytes")
        let checked = try XLSForm.load(data, file: "\(name).xlsx")
        #expect(checked.findings.filter { $0.severity == .error } == [])
        #expect(checked.findings.filter { $0.code.hasPrefix("xlsform-") } == [], "our own export imports without a warning")
    }

    // MARK: - The 15 real forms

    struct RealForm: Sendable, CustomTestStringConvertible {
        var file: String
        var verdict: String
        var fields: Int
        var directory: URL = XLSFormTests.fixtures
        var url: URL { directory.appendingPathComponent(file) }
        var testDescription: String { "\(file) (\(verdict), \(fields) fields)" }
    }

    static let fetched = Repo.root.appendingPathComponent("Tests/Fixtures/realforms")

    /// The tables of `Tests/Fixtures/xlsforms/SOURCES.md` (copied from shared/xlsforms/MANIFEST.md)
    /// and `Tests/Fixtures/realforms/SOURCES.md` (forms fetched for this test).
    static var realForms: [RealForm] { manifest(fixtures) + manifest(fetched) }

    static func manifest(_ directory: URL) -> [RealForm] {
        let text = (try? String(contentsOf: directory.appendingPathComponent("SOURCES.md"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 3, cells[0].hasSuffix(".xlsx"), let fields = Int(cells[2]) else { return nil }
            return RealForm(file: cells[0], verdict: cells[1], fields: fields, directory: directory)
        }
    }

    /// Why each refused form is refused: what the message must say, and where.
    static let refusals: [String: [String]] = [
        "onadata-MCH_v1.xlsx": ["survey row 17, column type", "unknown type 'Select one from source'"],
        "onadata-enumerator_weekly.xlsx": ["survey row 1", "duplicate column header 'label'"],
        "onadata-group_names_must_be_unique.xlsx": ["survey row 2, column name", "repeat is named 'data'", "root"],
        "onadata-transportation_transportation.no_choices.xlsx": ["survey row 4, column type", "no choices sheet"],
        "cht-delivery.xlsx": ["survey row 292, column name", "the name 'meta' is reserved"],
        "ipa-phq9_gad7.xlsx": ["survey row 9, column type", "unknown type 'caseid'"],
        "lykmapipo-new_cascading_select.xlsx": ["choices row 6, column name", "the choice 'king' twice"],
        "opengis-survey_flooding_rapid_assessment.xlsx": ["column bind::esri:", "namespace 'esri'", "ODK Validate refuses"],
        "xlsform-offline-pyxform-error.xlsx": ["survey row 2, column type", "unknown type 'textX'"],
        "xlsform-offline-validate-error.xlsx": ["survey row 4, column calculation", "unknown function 'concatx'"],
    ]

    /// Where Canvass is stricter than pyxform it warns, and accepts what pyxform accepts: a choice
    /// name twice in a list (pyxform allows it with `allow_choice_duplicates`) shows one label for both.
    static let canvassWarns: [String: [String]] = [
        "pyxform-choice_filter_test.xlsx": ["duplicate-choice"],
    ]

    @Test func theManifestsListTheSharedFormsAndTheFetchedOnes() throws {
        #expect(Self.manifest(Self.fixtures).count == 15)
        #expect(Self.manifest(Self.fetched).filter { $0.verdict != "error" }.count >= 15)
        for form in Self.realForms {
            #expect(FileManager.default.fileExists(atPath: form.url.path), "\(form.file)")
        }
        #expect(Set(Self.realForms.filter { $0.verdict == "error" }.map(\.file)) == Set(Self.refusals.keys))
    }

    @Test(arguments: realForms)
    func realFormIsJudgedAsPyxformJudgesIt(_ expected: RealForm) throws {
        let data = try Data(contentsOf: expected.url)
        let siblings = { (name: String) in try? Data(contentsOf: expected.directory.appendingPathComponent(name)) }
        if expected.verdict == "error" {
            let fragments = try #require(Self.refusals[expected.file])
            let message: String
            do {
                let result = try XLSForm.load(data, file: expected.file, siblings: siblings)
                let errors = result.findings.filter { $0.severity == .error }
                try #require(!errors.isEmpty, "pyxform refuses \(expected.file); Canvass must too")
                message = errors.map(\.message).joined(separator: "\n")
            } catch let error as FormError {
                #expect(error.file == expected.file)
                message = error.message
            }
            for fragment in fragments {
                #expect(message.contains(fragment), "\(message)")
            }
        } else {
            let result = try XLSForm.load(data, file: expected.file, siblings: siblings)
            #expect(result.form.fields.count == expected.fields)
            let errors = result.findings.filter { $0.severity == .error }
            #expect(errors.isEmpty, "\(errors.map(\.message))")
            for code in Self.canvassWarns[expected.file] ?? [] {
                #expect(result.findings.contains { $0.severity == .warning && $0.code == code }, "\(code)")
            }
            let json = String(decoding: result.form.canonicalJSON(), as: UTF8.self)
            #expect(json == json.precomposedStringWithCanonicalMapping)
        }
    }

    @Test func realFormsKeepTheirContent() throws {
        let tutorial = try readFixture("onadata-tutorial_tutorial.xlsx")
        #expect(tutorial.entry(named: "age")?.entry.constraint == "${age} > 0 and ${age} < 120")
        #expect(tutorial.entry(named: "age")?.entry.constraintMessage == .plain("That's not a valid age!"))
        #expect(tutorial.entry(named: "name")?.entry.required == "true()")
        #expect(tutorial.entry(named: "photo")?.entry.type == FieldType(kind: .image))
        #expect(tutorial.entry(named: "imei")?.entry.type == FieldType(kind: .deviceid))
        #expect(tutorial.entry(named: "grouped")?.ancestors == ["a_group"])

        let languages = try readFixture("onadata-multi_lingual_form.xlsx")
        #expect(languages.defaultLanguage == "english")
        #expect(languages.entry(named: "age")?.entry.label == .localized(["english": "Age", "swahili": "Umri", "french": "L'age"]))
        #expect(languages.choiceList("gender")?.choices.map(\.name) == ["1", "2"])

        let arabic = try readFixture("onadata-tutorial_tutorial_arabic_labels.xlsx")
        #expect(arabic.entry(named: "name")?.entry.label == .localized(["english": "1. What is your name?", "arabic": "1. ما هو اسمك؟"]))
        #expect(arabic.entry(named: "web_browsers")?.entry.type == FieldType(kind: .selectMultiple, list: "browsers"))

        let legacy = try readFixture("onadata-new_repeats_new_repeats.xlsx")
        #expect(legacy.formId == "new_repeat")
        #expect(legacy.title == .plain("New Repeat Test"))
        #expect(legacy.entry(named: "kids_name")?.repeats == ["kids_details"])

        let cascading = try readFixture("onadata-cascading_cascading.xlsx")
        #expect(cascading.entry(named: "cities")?.entry.choiceFilter == "country=${country}")
        #expect(cascading.choiceList("cities")?.choices.first?.extra == ["country": "usa"])

        let spec = try readFixture("pyxform-xlsform_spec_test.xlsx")
        #expect(spec.entry(named: "repeat_test")?.entry.repeatCount == "2")
        #expect(spec.entry(named: "list-nolabel-test")?.entry.required == "true()", "a formula cell TRUE() is read by its cached value")
        #expect(spec.entry(named: "FALSE") != nil, "a boolean name cell reads as FALSE, as pyxform reads it")
        #expect(spec.entry(named: "required_text")?.entry.requiredMessage == .plain("Custom required message."))
        #expect(spec.entry(named: "uri_deviceid")?.entry.type == FieldType(kind: .deviceid))
        #expect(spec.instanceName == "${my_name}")

        let loop = try XLSForm.load(try Data(contentsOf: Self.fixtures.appendingPathComponent("pyxform-loop.xlsx")), file: "pyxform-loop.xlsx")
        #expect(loop.form.entry(named: "available_toilet_types")?.entry.type == FieldType(kind: .selectMultiple, list: "toilet_type", orOther: true))
        #expect(loop.findings.contains { $0.code == "xlsform-loop" && $0.message.hasPrefix("survey row 3, column type") })
    }

    func readFixture(_ name: String) throws -> Form {
        try XLSForm.read(try Data(contentsOf: Self.fixtures.appendingPathComponent(name)), file: name)
    }

    // MARK: - pyxform accepts our export

    /// pyxform (ODK's reference converter, with ODK Validate) accepts what `form export` writes.
    @Test func pyxformAcceptsTheExportedSipas2017() throws {
        let tool = try #require(ExternalTool.find("xls2xform"), "\(ExternalTool.missing("xls2xform", from: "pyxform"))")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("canvass-pyxform-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("sipas-2017.xlsx")
        let output = directory.appendingPathComponent("sipas-2017.xml")
        try XLSForm.write(try Repo.form("sipas-2017.yaml")).write(to: input)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        // --odk_validate: also run ODK Validate (Java), as the reference verdicts in MANIFEST.md were made.
        process.arguments = ["--json", "--odk_validate", input.path, output.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()

        let verdict = try #require(text.split(separator: "\n").last { $0.hasPrefix("{") }, "xls2xform printed no verdict: \(text)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(verdict.utf8)) as? [String: Any])
        #expect(json["code"] as? Int == 100, "pyxform: \(verdict)")
        #expect((json["warnings"] as? [Any])?.isEmpty == true, "pyxform: \(verdict)")
        #expect(FileManager.default.fileExists(atPath: output.path))
    }

    // MARK: - Features, one by one

    static func workbook(_ sheets: [(String, [[String]])]) throws -> Data {
        try XLSXWriter.write(sheets.map { XLSXWriter.Sheet(name: $0.0, rows: $0.1) })
    }

    static func read(_ sheets: [(String, [[String]])], siblings: (String) -> Data? = { _ in nil }) throws -> Form {
        try XLSForm.read(try workbook(sheets), file: "test.xlsx", siblings: siblings)
    }

    static func refusal(_ sheets: [(String, [[String]])]) throws -> String {
        do {
            _ = try read(sheets)
        } catch let error as FormError {
            #expect(error.file == "test.xlsx")
            return error.message
        }
        Issue.record("the workbook was accepted")
        return ""
    }

    static let settings: (String, [[String]]) = ("settings", [["form_id", "version"], ["t", "1"]])

    @Test func sheetNamesAndHeadersIgnoreCaseAndSpace() throws {
        let form = try Self.read([
            ("Survey", [["  Type ", "NAME", "Label::English (en)", " label :: Tiếng Việt (vi) ", "Required"],
                        ["text", "q", "Name", "Tên", "Yes"]]),
            ("SETTINGS ", [["Form_ID", "Version", "Default_Language"], ["t", "1", "Tiếng Việt (vi)"]]),
        ])
        let entry = try #require(form.survey.first)
        #expect(entry.label == .localized(["en": "Name", "vi": "Tên"]))
        #expect(entry.required == "true()")
        #expect(form.defaultLanguage == "vi")
    }

    @Test func languagesWithoutCodesAndLegacyColumns() throws {
        let form = try Self.read([
            ("survey", [
                ["type", "name", "label:English", "label:Français", "hint::English", "bind::relevant", "bind:constraint",
                 "bind::jr:constraintMsg", "bind::jr:requiredMsg", "bind:required", "body::appearance", "control::jr:count",
                 "bind::readonly", "bind::calculate"],
                ["integer", "n", "How many?", "Combien ?", "A number", "", ". > 0", "More than 0", "Needed", "yes", "numbers", "", "", ""],
                ["begin repeat", "r", "Each", "Chaque", "", "${n} > 0", "", "", "", "", "", "${n}", "", ""],
                ["calculate", "c", "", "", "", "", "", "", "", "", "", "", "yes", "${n} * 2"],
                ["end repeat", "", "", "", "", "", "", "", "", "", "", "", "", ""],
            ]),
            Self.settings,
        ])
        let n = try #require(form.entry(named: "n")?.entry)
        #expect(n.label == .localized(["english": "How many?", "français": "Combien ?"]))
        #expect(n.hint == .localized(["english": "A number"]))
        #expect(n.constraint == ". > 0")
        #expect(n.constraintMessage == .plain("More than 0"))
        #expect(n.requiredMessage == .plain("Needed"))
        #expect(n.required == "true()")
        #expect(n.appearance == "numbers")
        let r = try #require(form.entry(named: "r")?.entry)
        #expect(r.relevant == "${n} > 0")
        #expect(r.repeatCount == "${n}")
        let c = try #require(form.entry(named: "c"))
        #expect(c.entry.calculation == "${n} * 2")
        #expect(c.entry.readOnly == "true()")
        #expect(c.repeats == ["r"])
    }

    @Test func columnAliases() throws {
        let form = try Self.read([
            ("survey", [["type", "name", "label", "relevance", "readonly", "constraint message", "required message", "constraint", "required"],
                        ["text", "a", "A", "1 = 1", "yes", "Bad", "Needed", ". != ''", "yes"]]),
            Self.settings,
        ])
        let a = try #require(form.survey.first)
        #expect(a.relevant == "1 = 1")
        #expect(a.readOnly == "true()")
        #expect(a.constraintMessage == .plain("Bad"))
        #expect(a.requiredMessage == .plain("Needed"))
    }

    @Test func typeAliases() throws {
        let rows: [(String, FieldType)] = [
            ("select one yn", FieldType(kind: .selectOne, list: "yn")),
            ("select_one yn or_other", FieldType(kind: .selectOne, list: "yn", orOther: true)),
            ("select one from yn", FieldType(kind: .selectOne, list: "yn")),
            ("select all that apply yn", FieldType(kind: .selectMultiple, list: "yn")),
            ("select all that apply from yn or specify other", FieldType(kind: .selectMultiple, list: "yn", orOther: true)),
            ("select_multiple  yn", FieldType(kind: .selectMultiple, list: "yn")),
            ("rank yn", FieldType(kind: .rank, list: "yn")),
            ("gps", FieldType(kind: .geopoint)), ("location", FieldType(kind: .geopoint)),
            ("photo", FieldType(kind: .image)), ("string", FieldType(kind: .text)), ("int", FieldType(kind: .integer)),
            ("dateTime", FieldType(kind: .datetime)), ("trigger", FieldType(kind: .acknowledge)),
            ("imei", FieldType(kind: .deviceid)), ("add text prompt", FieldType(kind: .text)),
            ("uri:deviceid", FieldType(kind: .deviceid)), ("phone number", FieldType(kind: .phonenumber)),
            ("start", FieldType(kind: .start)), ("end", FieldType(kind: .end)), ("today", FieldType(kind: .today)),
            ("deviceid", FieldType(kind: .deviceid)), ("username", FieldType(kind: .username)),
            ("simserial", FieldType(kind: .simserial)), ("subscriberid", FieldType(kind: .subscriberid)),
            ("email", FieldType(kind: .email)), ("audit", FieldType(kind: .audit)),
            ("start-geopoint", FieldType(kind: .startGeopoint)), ("background-audio", FieldType(kind: .backgroundAudio)),
            ("image", FieldType(kind: .image)), ("audio", FieldType(kind: .audio)), ("video", FieldType(kind: .video)),
            ("file", FieldType(kind: .file)), ("barcode", FieldType(kind: .barcode)), ("range", FieldType(kind: .range)),
            ("geotrace", FieldType(kind: .geotrace)), ("geoshape", FieldType(kind: .geoshape)), ("hidden", FieldType(kind: .hidden)),
        ]
        var survey = [["type", "name", "label"]]
        for (i, row) in rows.enumerated() { survey.append([row.0, "q\(i)", "Q"]) }
        survey += [["begin_group", "g", "G"], ["text", "inner", "I"], ["end_group", "", ""]]
        let form = try Self.read([
            ("survey", survey),
            ("choices", [["list_name", "name", "label"], ["yn", "yes", "Yes"], ["yn", "no", "No"]]),
            Self.settings,
        ])
        for (i, row) in rows.enumerated() {
            #expect(form.entry(named: "q\(i)")?.entry.type == row.1, "\(row.0)")
        }
        #expect(form.entry(named: "inner")?.ancestors == ["g"])
    }

    @Test func typesAreSpelledAsXLSFormSpellsThem() throws {
        let message = try Self.refusal([("survey", [["type", "name", "label"], ["text", "a", "A"], ["Text", "b", "B"]]), Self.settings])
        #expect(message.hasPrefix("survey row 3, column type: unknown type 'Text'"))
    }

    @Test func aTypeCanvassCannotCollectIsNamedWithItsRowAndTheRestRuns() throws {
        let data = try Self.workbook([("survey", [["type", "name", "label"], ["text", "a", "A"], ["osm", "b", "B"],
                                                  ["background-geopoint", "c", "C"], ["integer", "d", "D"]]), Self.settings])
        let result = try XLSForm.load(data, file: "test.xlsx")
        #expect(result.form.fields.count == 4)
        let warnings = result.findings.filter { $0.code == "not-collected" }
        #expect(warnings.map(\.severity) == [.warning, .warning])
        #expect(warnings.first?.message.hasPrefix("survey row 3, column type: 'b' has the type osm, which draws OpenStreetMap features") == true)
        #expect(warnings.last?.message.hasPrefix("survey row 4, column type: 'c' has the type background-geopoint") == true)
        #expect(result.findings.filter { $0.severity == .error }.isEmpty)
        let engine = try FormEngine(form: result.form)
        #expect(engine.slots([:]).filter { $0.row.kind?.isQuestion == true }.map(\.path) == ["a", "d"])
    }

    @Test func pyxformsBoundedIntegersAreIntegersWithTheirRange() throws {
        let form = try Self.read([("survey", [["type", "name", "label", "constraint"], ["percentage", "p", "P", ""],
                                              ["number of days in last month", "d", "D", ". != 13"]]), Self.settings])
        #expect(form.entry(named: "p")?.entry.type == FieldType(kind: .integer))
        #expect(form.entry(named: "p")?.entry.constraint == "0 <= . and . <= 100")
        #expect(form.entry(named: "d")?.entry.constraint == "(. != 13) and 0 <= . and . <= 31")
    }

    @Test func expressionsAreKeptAsWrittenCurlyQuotesIncluded() throws {
        let data = try Self.workbook([
            ("survey", [["type", "name", "label", "relevant"],
                        ["text", "a", "A", ""],
                        ["text", "b", "B", "${a} = ‘yes’ and ${a} != “no”"]]),
            Self.settings,
        ])
        let result = try XLSForm.load(data, file: "test.xlsx")
        #expect(result.form.entry(named: "b")?.entry.relevant == "${a} = ‘yes’ and ${a} != “no”")
        #expect(result.findings.filter { $0.severity == .error } == [])
    }

    @Test func settings() throws {
        let form = try Self.read([
            ("survey", [["type", "name", "label"], ["text", "a", "A"]]),
            ("settings", [["form_title", "form_id", "version", "default_language", "instance_name", "case_key", "style"],
                          ["Khảo sát", "ks_2024", "2024.10", "Tiếng Việt (vi)", "concat('x-', ${a})", "${a}", "pages"]]),
        ])
        #expect(form.formId == "ks_2024")
        #expect(form.version == "2024.10")
        #expect(form.title == .plain("Khảo sát"))
        #expect(form.defaultLanguage == "vi")
        #expect(form.instanceName == "concat('x-', ${a})")
        #expect(form.caseKey == "${a}")
    }

    @Test func legacySettingsNamesAndDefaults() throws {
        let form = try Self.read([("survey", [["type", "name", "label"], ["text", "a", "A"]]),
                                   ("settings", [["title", "id_string"], ["T", "legacy id"]])])
        #expect(form.formId == "legacy_id")
        #expect(form.title == .plain("T"))
        #expect(form.version == "1")

        let result = try XLSForm.load(try Self.workbook([("survey", [["type", "name", "label"], ["text", "a", "A"]])]), file: "forms/my form.xlsx")
        #expect(result.form.formId == "my_form")
        #expect(result.findings.contains { $0.code == "xlsform-version" })
        #expect(result.findings.filter { $0.severity == .error } == [])
    }

    @Test func aLoneSheetIsTheSurveyWhateverItsName() throws {
        let form = try Self.read([("Sheet1", [["type", "name", "label"], ["text", "a", "A"]])])
        #expect(form.survey.map(\.name) == ["a"])
    }

    @Test func groupsAndRepeatsNest() throws {
        let form = try Self.read([
            ("survey", [
                ["type", "name", "label"],
                ["begin group", "g", "G"],
                ["begin repeat", "r", "R"],
                ["text", "a", "A"],
                ["begin group", "inner", "I"],
                ["integer", "b", "B"],
                ["end group", "", ""],
                ["end repeat", "", ""],
                ["end group", "g", ""],
                ["note", "c", "C"],
            ]),
            Self.settings,
        ])
        #expect(form.survey.map(\.name) == ["g", "c"])
        #expect(form.entry(named: "b")?.ancestors == ["g", "r", "inner"])
        #expect(form.entry(named: "b")?.repeats == ["r"])
        #expect(form.fields.count == 3)
    }

    @Test func unmatchedBeginAndEndAreRefused() throws {
        let end = try Self.refusal([("survey", [["type", "name", "label"], ["text", "a", "A"], ["end group", "", ""]]), Self.settings])
        #expect(end.hasPrefix("survey row 3, column type: unmatched 'end group'"))
        let crossed = try Self.refusal([("survey", [["type", "name", "label"], ["begin group", "g", "G"], ["text", "a", "A"], ["end repeat", "", ""]]), Self.settings])
        #expect(crossed.hasPrefix("survey row 4, column type: unmatched 'end repeat'"))
        #expect(crossed.contains("group 'g' from row 2"))
        let begin = try Self.refusal([("survey", [["type", "name", "label"], ["begin repeat", "r", "R"], ["text", "a", "A"]]), Self.settings])
        #expect(begin.hasPrefix("survey row 2, column type: unmatched 'begin repeat' ('r')"))
    }

    @Test func metadataAndMediaNeedNoLabel() throws {
        let data = try Self.workbook([
            ("survey", [["type", "name", "label"], ["start", "start", ""], ["end", "end", ""], ["today", "today", ""],
                        ["deviceid", "deviceid", ""], ["username", "username", ""], ["image", "photo", "Photo"],
                        ["audio", "sound", "Sound"]]),
            Self.settings,
        ])
        let result = try XLSForm.load(data, file: "test.xlsx")
        #expect(result.form.fields.count == 7)
        #expect(result.form.fields.prefix(5).allSatisfy { $0.entry.kind?.isMetadata == true })
        #expect(result.findings.filter { $0.severity == .error } == [])
    }

    @Test func selectOneFromFileReadsTheCSVBesideTheForm() throws {
        let csv = Data("name,label::English (en),label::Tiếng Việt (vi),province\nhn_bd,\"Ba Đình, Hà Nội\",\"Ba Đình\",hn\nbd_dt,\"Dầu Tiếng \"\"DT\"\"\",Dầu Tiếng,bd\n".utf8)
        var asked: [String] = []
        let sheets: [(String, [[String]])] = [
            ("survey", [["type", "name", "label"], ["select_one_from_file districts.csv", "district", "District"]]),
            Self.settings,
        ]
        let form = try Self.read(sheets) { name in
            asked.append(name)
            return name == "districts.csv" ? csv : nil
        }
        #expect(asked == ["districts.csv"])
        #expect(form.survey.first?.type == FieldType(kind: .selectOneFromFile, list: "districts.csv"))
        let list = try #require(form.choiceList("districts.csv"))
        #expect(list.choices.map(\.name) == ["hn_bd", "bd_dt"])
        #expect(list.choices[0].label == .localized(["en": "Ba Đình, Hà Nội", "vi": "Ba Đình"]))
        #expect(list.choices[1].label == .localized(["en": "Dầu Tiếng \"DT\"", "vi": "Dầu Tiếng"]))
        #expect(list.choices[0].extra == ["province": "hn"])
        // Written back, the choices travel in the choices sheet.
        #expect(try XLSForm.read(XLSForm.write(form), file: "back.xlsx") == form)

        let path = try XLSForm.load(try Self.workbook([
            ("survey", [["type", "name", "label"], ["select_one_from_file ../secret.csv", "d", "D"]]), Self.settings,
        ]), file: "test.xlsx") { name in
            Issue.record("asked for \(name)")
            return nil
        }
        #expect(path.findings.contains { $0.code == "xlsform-file-choices" && $0.message.contains("is a path") })

        let missing = try XLSForm.load(try Self.workbook(sheets), file: "test.xlsx")
        #expect(missing.form.choices.isEmpty)
        #expect(missing.findings.contains { $0.code == "xlsform-file-choices" && $0.message.hasPrefix("survey row 2, column type") })
    }

    @Test func blankRowsAndSpacesAreIgnoredAndTextsAreNFC() throws {
        let decomposed = "Ha\u{300}i lo\u{300}ng"
        let form = try Self.read([
            ("survey", [["type", "name", "label", "hint"],
                        ["", "", "", ""],
                        ["  text  ", " q1 ", " \(decomposed)  ", "   "],
                        ["   ", "", "", ""],
                        ["integer", "q2", "Q2\n", ""]]),
            ("choices", [["list_name", "name", "label"], ["", "", ""]]),
            Self.settings,
        ])
        #expect(form.survey.map(\.name) == ["q1", "q2"])
        #expect(form.survey[0].label == .plain("Hài lòng"))
        #expect(form.survey[0].label == .plain("Hài lòng".precomposedStringWithCanonicalMapping))
        #expect(form.survey[0].hint == nil)
        #expect(form.survey[1].label == .plain("Q2"))
    }

    @Test func duplicateNamesAmongSiblingsAreRefused() throws {
        let message = try Self.refusal([("survey", [["type", "name", "label"], ["text", "a", "A"], ["integer", "a", "A again"]]), Self.settings])
        #expect(message.hasPrefix("survey row 3, column name: duplicate name 'a'"))
        #expect(message.contains("row 2"))
    }

    @Test func aNameMayBeUsedAgainInAnotherGroupButNotReferredTo() throws {
        let data = try Self.workbook([
            ("survey", [["type", "name", "label", "relevant"], ["text", "a", "A", ""], ["begin group", "g", "G", ""], ["text", "a", "A", ""],
                        ["end group", "", "", ""], ["text", "b", "B", "${a} != ''"], ["text", "c", "C", "${g} != ''"]]),
            Self.settings,
        ])
        let result = try XLSForm.load(data, file: "test.xlsx")
        #expect(result.form.located.map(\.key) == ["a", "g", "g/a", "b", "c"])
        // pyxform: "Reference variables names must be unique anywhere in the 'survey'. The name 'a' appears more than once."
        let errors = result.findings.filter { $0.severity == .error }
        #expect(errors.map(\.code) == ["ambiguous-reference"])
        #expect(errors.first?.message.hasPrefix("survey row 6, column relevant: 'b', relevant refers to ${a}, but 2 rows are named 'a' (a, g/a)") == true)
    }

    @Test func namesThatDifferOnlyInCaseAreAWarning() throws {
        let data = try Self.workbook([("survey", [["type", "name", "label"], ["text", "age", "A"], ["text", "Age", "B"]]), Self.settings])
        let result = try XLSForm.load(data, file: "test.xlsx")
        let warning = try #require(result.findings.first { $0.code == "name-case" })
        #expect(warning.severity == .warning)
        #expect(warning.message.hasPrefix("survey row 3, column name: 'Age' and 'age' in the top of the form differ only in case"))
    }

    @Test func duplicateColumnHeadersAreRefused() throws {
        let message = try Self.refusal([("survey", [["type", "name", "label", "Label "], ["text", "a", "A", "B"]]), Self.settings])
        #expect(message.hasPrefix("survey row 1, column D: duplicate column header 'Label'"))
        let languages = try Self.refusal([("survey", [["type", "name", "label::English (en)", "label::en"], ["text", "a", "A", "B"]]), Self.settings])
        #expect(languages.contains("duplicate column header 'label::en'"))
    }

    @Test func missingChoicesAreRefused() throws {
        let noSheet = try Self.refusal([("survey", [["type", "name", "label"], ["select_one yn", "a", "A"]]), Self.settings])
        #expect(noSheet.hasPrefix("survey row 2, column type: there is no choices sheet"))
        let noList = try Self.refusal([
            ("survey", [["type", "name", "label"], ["select_one yn", "a", "A"]]),
            ("choices", [["list_name", "name", "label"], ["other", "x", "X"]]),
            Self.settings,
        ])
        #expect(noList.hasPrefix("survey row 2, column type: the choice list 'yn' is not in the choices sheet"))
    }

    @Test func duplicateChoicesAreRefusedUnlessAllowed() throws {
        let sheets: [(String, [[String]])] = [
            ("survey", [["type", "name", "label"], ["select_one yn", "a", "A"]]),
            ("choices", [["list_name", "name", "label"], ["yn", "yes", "Yes"], ["yn", "yes", "Yes again"]]),
        ]
        let message = try Self.refusal(sheets + [Self.settings])
        #expect(message.hasPrefix("choices row 3, column name: the list 'yn' has the choice 'yes' twice (rows 2 and 3)"))
        let allowed = try Self.read(sheets + [("settings", [["form_id", "version", "allow_choice_duplicates"], ["t", "1", "yes"]])])
        #expect(allowed.choiceList("yn")?.choices.count == 2)
    }

    @Test func aRepeatNamedLikeTheRootIsRefused() throws {
        let message = try Self.refusal([("survey", [["type", "name", "label"], ["begin repeat", "data", "D"], ["text", "a", "A"], ["end repeat", "", ""]]), Self.settings])
        #expect(message.hasPrefix("survey row 2, column name: the repeat is named 'data'"))
    }

    @Test func unknownReferencesAreReportedWithTheirRowAndColumn() throws {
        let data = try Self.workbook([
            ("survey", [["type", "name", "label", "bind::relevant"], ["text", "a", "A", ""], ["text", "b", "B for ${nobody}", "${nope} = 1"]]),
            ("settings", [["form_id", "version", "case_key"], ["t", "1", "${missing}"]]),
        ])
        #expect(try XLSForm.read(data, file: "test.xlsx").survey.count == 2, "read leaves meaning to FormChecker, as FormLoader does")
        let errors = try XLSForm.load(data, file: "test.xlsx").findings.filter { $0.severity == .error }.map(\.message)
        #expect(errors.contains { $0.hasPrefix("survey row 3, column bind::relevant: 'b', relevant refers to ${nope}") })
        #expect(errors.contains { $0.hasPrefix("survey row 3, column label: 'b', label shows ${nobody}") })
        #expect(errors.contains { $0.hasPrefix("settings row 2, column case_key: case_key refers to ${missing}") })
    }

    @Test func ignoredColumnsAreReportedOnce() throws {
        let data = try Self.workbook([
            ("survey", [["type", "name", "label", "image", "notes"], ["note", "a", "A", "a.png", ""], ["note", "b", "B", "b.png", ""]]),
            Self.settings,
        ])
        let warnings = try XLSForm.load(data, file: "test.xlsx").findings.filter { $0.code == "xlsform-column-ignored" }
        #expect(warnings.map(\.message) == ["survey row 2, column image: the column 'image' is not kept: Canvass has no such survey column (media, styling and app-specific columns are not imported)"])
    }

    @Test func externalChoicesServeSelectOneExternal() throws {
        let form = try Self.read([
            ("survey", [["type", "name", "label", "choice_filter"], ["select_one_external city", "city", "City", "1 = 1"]]),
            ("external_choices", [["list_name", "name", "label"], ["city", "hn", "Hà Nội"]]),
            Self.settings,
        ])
        #expect(form.survey.first?.type == FieldType(kind: .selectOne, list: "city"))
        #expect(form.choiceList("city")?.choices.map(\.name) == ["hn"])
    }

    @Test func indicesSheetMayLeaveRepeatedCellsBlank() throws {
        let form = try Self.read([
            ("survey", [["type", "name", "label"], ["select_one s", "q1", "Q1"], ["select_one s", "q2", "Q2"], ["select_one s", "q3", "Q3"]]),
            ("choices", [["list_name", "name", "label"], ["s", "1", "Bad"], ["s", "2", "Good"]]),
            Self.settings,
            ("indices", [["index", "index_label::English (en)", "satisfied", "element", "element_label", "question"],
                         ["idx", "Index", "2", "e1", "First", "q1"],
                         ["", "", "", "", "", "q2"],
                         ["", "", "", "e2", "Second", "q3"]]),
        ])
        #expect(form.indices == [FormIndex(name: "idx", label: .localized(["en": "Index"]), satisfied: ["2"], elements: [
            .init(name: "e1", label: .plain("First"), questions: ["q1", "q2"]),
            .init(name: "e2", label: .plain("Second"), questions: ["q3"]),
        ])])
    }

    @Test func awkwardTextsRoundTrip() throws {
        var note = Entry(type: FieldType(kind: .note), name: "n", label: .plain("a\r\nb <&> \"q\" 'x' _x000D_ tab\there =SUM(A1)"))
        note.hint = .localized(["en": "Hint", "xx-Test": "Other", "english": "Plain name"])
        var pick = Entry(type: FieldType(kind: .selectMultiple, list: "l", orOther: true), name: "p", label: .localized(["vi": "Chọn"]))
        pick.required = "${n} != ''"
        pick.readOnly = "true()"
        pick.default = "a b"
        pick.parameters = "randomize=true"
        var form = Form(formId: "awkward", version: "0.1", title: .localized(["en": "Awkward", "vi": "Khó"]), survey: [note, pick])
        form.choices = [ChoiceList(name: "l", choices: [
            Choice(name: "a", label: .plain("A"), extra: ["region": "north", "weight": "1.5"]),
            Choice(name: "b", label: .localized(["vi": "Bê"]), extra: [:]),
        ])]
        let back = try XLSForm.read(XLSForm.write(form), file: "awkward.xlsx")
        #expect(back == form)
        #expect(back.sha256 == form.sha256)
    }

    @Test func exportIsAMinimalWorkbookWithTheExpectedSheets() throws {
        let form = try Repo.form("sipas-2017.yaml")
        let workbook = try XLSXReader.read(try XLSForm.write(form)) { Set($0) }
        #expect(workbook.sheetNames == ["survey", "choices", "settings", "indices"])
        let survey = try #require(workbook.sheets["survey"])
        let header = (survey.rows[1] ?? [:]).sorted { $0.key < $1.key }.map(\.value.text)
        #expect(header.prefix(4) == ["type", "name", "label::Tiếng Việt (vi)", "label::English (en)"])
        let settings = try #require(workbook.sheets["settings"])
        let keys = (settings.rows[1] ?? [:]).sorted { $0.key < $1.key }.map(\.value.text)
        #expect(keys == ["form_title", "canvass_title::Tiếng Việt (vi)", "canvass_title::English (en)", "form_id", "version",
                         "default_language", "instance_name", "case_key"])
    }

    // MARK: - Hostile workbooks (from the fuzzing work, see docs/fuzzing.md)

    /// Thousands of nested groups overflowed the stack in every recursive walk over the form.
    @Test func nestingDeeperThanAHundredIsRefused() throws {
        func survey(depth: Int) -> (String, [[String]]) {
            ("survey", [["type", "name", "label"]] + Array(repeating: ["begin group", "g", "G"], count: depth)
                + [["note", "n", "N"]] + Array(repeating: ["end group", "", ""], count: depth))
        }
        let message = try Self.refusal([survey(depth: 10_000), Self.settings])
        #expect(message.hasPrefix("survey row 102, column type: 'begin group' nests groups and repeats more than 100 deep"))
        #expect(try Self.read([survey(depth: 100), Self.settings]).allEntries.count == 101)
    }

    /// Every row scanned every column, and every select every list: a wide sheet of a few hundred KB
    /// took minutes.
    @Test func wideSheetsAndManyListsImportInLinearTime() throws {
        let count = 5_000
        let data = try Self.workbook([
            ("survey", [["type", "name", "label"] + (0..<2 * count).map { "x\($0)" }]
                + (0..<count).map { ["select_one l\($0)", "q\($0)", "Q"] }),
            ("choices", [["list_name", "name", "label", "region"]] + (0..<count).map { ["l\($0)", "a", "A", "r\($0)"] }),
            Self.settings,
        ])
        var result: XLSFormImport?
        let elapsed = try ContinuousClock().measure { result = try XLSForm.load(data, file: "wide.xlsx") }
        let form = try #require(result?.form)
        #expect(form.allEntries.count == count)
        #expect(form.choices.count == count)
        #expect(form.choices.last?.choices == [Choice(name: "a", label: .plain("A"), extra: ["region": "r\(count - 1)"])])
        #expect(result?.findings.filter { $0.severity == .error } == [])
        #expect(elapsed < .seconds(30))
    }

    @Test func notAWorkbookIsRefusedWithTheFileName() throws {
        do {
            _ = try XLSForm.read(Data("form_id: x\n".utf8), file: "form.xlsx")
            Issue.record("accepted")
        } catch {
            #expect(error.file == "form.xlsx")
            #expect(error.message.contains("not an .xlsx file"))
        }
    }
}
