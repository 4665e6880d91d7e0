import CanvassCore
import Foundation
import Testing

struct FormLoaderTests {
    @Test func sipas2017HasTheFiveElementsOfTheIndex() throws {
        let form = try Repo.form("sipas-2017.yaml")
        #expect(form.formId == "sipas_2017")
        let index = try #require(form.indices.first { $0.name == "sipas" })
        #expect(index.elements.map(\.questions.count) == [4, 5, 6, 3, 4])
        #expect(index.satisfied == ["4", "5"])
        #expect(form.languages == ["en", "vi"])
        #expect(FormChecker.check(form).filter { $0.severity == .error } == [])
    }

    @Test(arguments: ["sipas-2017.yaml", "sipas-2023.yaml", "household.yaml"])
    func shippedFormsAreValidAndNFC(name: String) throws {
        let form = try Repo.form(name)
        #expect(FormChecker.check(form).filter { $0.severity == .error } == [])
        let json = String(decoding: form.canonicalJSON(), as: UTF8.self)
        #expect(json == json.precomposedStringWithCanonicalMapping)
    }

    @Test func textsAreNormalisedToNFC() throws {
        let decomposed = "Ha\u{300}i lo\u{300}ng"  // "Hài lòng" typed with combining accents
        let form = try Repo.yaml("""
            form_id: t
            version: "1"
            survey:
              - {type: text, name: q, label: "\(decomposed)"}
            """)
        // Swift's == calls NFC and NFD equal; SQLite compares bytes, so compare the bytes.
        guard case .plain(let label) = form.survey[0].label else { Issue.record("label lost"); return }
        #expect(Array(label.utf8) == Array("H\u{E0}i l\u{F2}ng".utf8))
        #expect(Array(label.utf8) != Array(decomposed.utf8))
    }

    @Test func plainAndLocalizedLabelsAreKeptApart() throws {
        let form = try Repo.yaml("""
            form_id: t
            version: "1"
            survey:
              - {type: text, name: a, label: "Tên"}
              - {type: text, name: b, label: {vi: "Tên", en: "Name"}}
            """)
        #expect(form.survey[0].label == .plain("Tên"))
        #expect(form.survey[1].label == .localized(["vi": "Tên", "en": "Name"]))
        #expect(form.survey[1].label?.text(in: "en") == "Name")
    }

    @Test func requiredYesBecomesTrueAndNoIsAbsent() throws {
        let form = try Repo.yaml("""
            form_id: t
            version: "1"
            survey:
              - {type: text, name: a, required: yes}
              - {type: text, name: b, required: false}
              - {type: text, name: c, required: "${a} = 'x'"}
            """)
        #expect(form.survey.map(\.required) == ["true()", nil, "${a} = 'x'"])
    }

    @Test func versionKeepsItsDigits() throws {
        let form = try Repo.yaml("form_id: t\nversion: 2017.10\nsurvey: []\n")
        #expect(form.version == "2017.10")
    }

    @Test func errorsNameTheFileAndLine() throws {
        #expect(throws: FormError(file: "test.yaml", line: 4, message: "unknown key 'relevent' in survey entry 'a'; did you mean 'relevant'?")) {
            try Repo.yaml("""
                form_id: t
                version: "1"
                survey:
                  - {type: text, name: a, relevent: "1 = 1"}
                """)
        }
        #expect(throws: FormError(file: "test.yaml", line: 4, message: "a survey entry has no 'name'; give every entry a unique name")) {
            try Repo.yaml("form_id: t\nversion: \"1\"\nsurvey:\n  - {type: text}\n")
        }
        #expect(throws: FormError(file: "test.yaml", line: 1, message: "the form has no 'survey'; add it at the top level")) {
            try Repo.yaml("form_id: t\nversion: \"1\"\n")
        }
    }

    @Test func aliasBombIsRefused() throws {
        var yaml = "form_id: t\nversion: \"1\"\nsurvey: []\nbomb:\n  a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        var previous = "a"
        for level in 1...8 {
            let name = "l\(level)"
            yaml += "  \(name): &\(name) [" + Array(repeating: "*\(previous)", count: 10).joined(separator: ", ") + "]\n"
            previous = name
        }
        #expect(throws: FormError.self) { try Repo.yaml(yaml) }
    }

    @Test func typeAliasesResolve() {
        #expect(FieldType(parsing: "select one yes_no").raw == "select_one yes_no")
        #expect(FieldType(parsing: "select_one yes_no or_other").orOther)
        #expect(FieldType(parsing: "select all that apply L").kind == .selectMultiple)
        #expect(FieldType(parsing: "gps").kind == .geopoint)
        #expect(FieldType(parsing: "string").kind == .text)
        #expect(FieldType(parsing: "photo").kind == .image)
        #expect(FieldType(parsing: "select_one_from_file places.csv").list == "places.csv")
        #expect(FieldType(parsing: "Select one from source L").kind == nil)
        #expect(FieldType(parsing: "integer extra").kind == nil)
    }

    @Test func canonicalJSONIgnoresKeyOrderAndHashesStably() throws {
        let a = try Repo.yaml("form_id: t\nversion: \"1\"\nsurvey:\n  - {type: text, name: a, label: x}\n")
        let b = try Repo.yaml("version: \"1\"\nsurvey:\n  - {label: x, name: a, type: string}\nform_id: t\n")
        #expect(a.sha256 == b.sha256)
        #expect(a.sha256.count == 64)
        #expect(try Form(canonicalJSON: a.canonicalJSON()) == a)
    }
}

struct FormYAMLTests {
    @Test(arguments: ["sipas-2017.yaml", "sipas-2023.yaml", "household.yaml"])
    func writtenYAMLReadsBackAsTheSameForm(name: String) throws {
        let form = try Repo.form(name)
        let back = try FormLoader.load(yaml: FormYAML.write(form), file: name)
        #expect(back == form)
        #expect(back.sha256 == form.sha256)
    }

    @Test func awkwardTextsSurviveTheRoundTrip() throws {
        var form = try Repo.yaml("form_id: t\nversion: \"01\"\nsurvey:\n  - {type: text, name: a}\n")
        form.survey[0].label = .localized(["vi": "Ông/Bà: \"có\" # không?", "en": "yes"])
        form.survey[0].hint = .plain("- starts like a list item\nand has two lines")
        form.survey[0].relevant = "${a} != 'no: really'"
        let back = try FormLoader.load(yaml: FormYAML.write(form), file: "t.yaml")
        #expect(back == form)
    }
}
