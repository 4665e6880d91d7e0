import Foundation
import Testing

struct FormCommandTests {
    @Test func shippedFormsAreClean() throws {
        let result = try CLI.run(["form", "check", "forms/sipas-2017.yaml", "forms/sipas-2023.yaml", "forms/household.yaml"])
        #expect(result.code == 0)
        #expect(result.out == "forms/sipas-2017.yaml: ok\nforms/sipas-2023.yaml: ok\nforms/household.yaml: ok\n")
    }

    @Test func unknownReferenceIsRefusedByName() throws {
        let result = try CLI.run(["form", "check", "Tests/Fixtures/forms/broken-reference.yaml"])
        #expect(result.code == 1)
        #expect(result.out == """
            error: Tests/Fixtures/forms/broken-reference.yaml: [job] 'job', relevant refers to ${agee}, which is not a field of the form; check the name
            Tests/Fixtures/forms/broken-reference.yaml: invalid (1 errors, 0 warnings)

            """)
    }

    @Test func brokenExpressionIsRefusedWithACaret() throws {
        let result = try CLI.run(["form", "check", "Tests/Fixtures/forms/broken-syntax.yaml", "--json"])
        #expect(result.code == 1)
        let reports = try #require(try CLI.json(result.out) as? [[String: Any]])
        let finding = try #require((reports.first?["findings"] as? [[String: Any]])?.first)
        #expect(finding["code"] as? String == "syntax")
        #expect(finding["field"] as? String == "age")
        let message = try #require(finding["message"] as? String)
        #expect(message.contains("line 1, column"))
        #expect(message.contains("^"))
    }

    @Test func missingFileIsNamed() throws {
        let result = try CLI.run(["form", "check", "forms/nope.yaml"])
        #expect(result.code == 1)
        #expect(result.out.contains("forms/nope.yaml: cannot read the file; check the path"))
    }

    @Test func showJSONListsTheSipasIndex() throws {
        let result = try CLI.run(["form", "show", "forms/sipas-2017.yaml", "--json"])
        #expect(result.code == 0)
        let form = try #require(try CLI.json(result.out) as? [String: Any])
        #expect(form["form_id"] as? String == "sipas_2017")
        #expect((form["sha256"] as? String)?.count == 64)
        #expect(form["languages"] as? [String] == ["en", "vi"])
        let index = try #require((form["indices"] as? [[String: Any]])?.first { $0["name"] as? String == "sipas" })
        let elements = try #require(index["elements"] as? [[String: Any]])
        #expect(elements.map { ($0["questions"] as? [String])?.count } == [4, 5, 6, 3, 4])
        let label = try #require(elements.first?["label"] as? [String: String])
        #expect(label["vi"] == "Tiếp cận dịch vụ hành chính công")
        #expect(label["en"] != nil)
        let fields = try #require(form["fields"] as? [[String: Any]])
        let unit = try #require(fields.first { $0["name"] as? String == "unit" })
        #expect(unit["type"] as? String == "select_one")
        #expect(unit["list"] as? String == "unit")
        #expect(unit["required"] as? Bool == true)
        #expect(unit["path"] as? String == "identification/unit")
    }

    @Test func showRefusesAnUnknownLanguage() throws {
        let result = try CLI.run(["form", "show", "forms/household.yaml", "--lang", "fr"])
        #expect(result.code == 64)
        #expect(result.err.contains("the form has no 'fr' labels; its languages are en, vi"))
    }

    @Test func typoInAFlagIsAUsageError() throws {
        let result = try CLI.run(["form", "check", "--jsn", "forms/household.yaml"])
        #expect(result.code == 64)
    }
}
