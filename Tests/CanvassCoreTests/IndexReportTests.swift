import CanvassCore
import Testing

/// The index against values worked out by hand (in the comments) on a small form.
struct IndexReportTests {
    static let form = """
        form_id: mini
        version: "1"
        default_language: vi
        survey:
          - {type: select_one unit, name: unit, label: {vi: "Đơn vị", en: "Unit"}}
          - {type: select_one scale, name: q1, label: {vi: "Câu một", en: "One"}}
          - {type: select_one scale, name: q2}
          - {type: select_one scale, name: q3}
          - {type: select_one yn, name: trouble}
        choices:
          unit:
            - {name: a, label: {vi: "Sở A", en: "A"}}
            - {name: b, label: {vi: "Sở B", en: "B"}}
            - {name: c, label: {vi: "Sở C", en: "C"}}
            - {name: d, label: {vi: "Sở D", en: "D"}}
          scale: [{name: "1"}, {name: "2"}, {name: "3"}, {name: "4"}, {name: "5"}]
          yn: [{name: "yes", label: {vi: "Có", en: "Yes"}}, {name: "no", label: {vi: "Không", en: "No"}}]
        indices:
          - name: idx
            satisfied: ["4", "5"]
            elements:
              - {name: e1, label: {vi: "Yếu tố 1", en: "Element 1"}, questions: [q1, q2]}
              - {name: e2, questions: [q3]}
        """

    static let interviews: [Answers] = [
        ["unit": "a", "q1": "5", "q2": "4", "q3": "1", "trouble": "no"],
        ["unit": "a", "q1": "3", "q3": "4", "trouble": "yes"],  // q2 unanswered
        ["unit": "a", "q1": "4", "q2": "2", "q3": "5"],
        ["unit": "b", "q1": "5", "q2": "5", "q3": "5"],
        ["unit": "b", "q1": "1", "q2": "2", "q3": "9"],  // 9 is no choice: not a valid answer
        ["unit": "c"],  // no criterion answered
        ["unit": "d", "q1": "4", "q2": "1", "q3": "5"],
    ]

    func report(by: String? = "unit") throws -> IndexReport {
        var tally = try IndexTally(form: try Repo.yaml(Self.form), index: "idx", by: by, language: nil)
        for answers in Self.interviews { tally.add(answers) }
        return tally.report()
    }

    func close(_ a: Double?, _ b: Double) -> Bool { a.map { abs($0 - b) < 1e-9 } ?? false }

    @Test func groupsCriteriaElementsAndRanks() throws {
        let report = try report()
        let groups = Dictionary(uniqueKeysWithValues: report.groups.map { ($0.group, $0) })
        // a: q1 2 of 3 = 66.67, q2 1 of 2 = 50 -> e1 58.33; q3 2 of 3 = 66.67 -> e2; index 62.5
        let a = try #require(groups["a"])
        #expect(a.respondents == 3 && a.label == "Sở A")
        #expect(a.elements[0].questions.map(\.valid) == [3, 2])
        #expect(close(a.elements[0].questions[0].value, 200.0 / 3) && close(a.elements[0].questions[1].value, 50))
        #expect(close(a.elements[0].value, 175.0 / 3) && close(a.elements[1].value, 200.0 / 3) && close(a.value, 62.5))
        // b: q1 1/2, q2 1/2 -> e1 50; q3 1/1 (the 9 is not valid) -> 100; index 75
        let b = try #require(groups["b"])
        #expect(b.elements[1].questions[0].valid == 1 && close(b.elements[1].value, 100) && close(b.value, 75))
        // c: nothing answered: no value, no rank, still a respondent
        let c = try #require(groups["c"])
        #expect(c.respondents == 1 && c.value == nil && c.rank == nil && c.elements.allSatisfy { $0.value == nil })
        // d: q1 1/1, q2 0/1 -> e1 50; q3 1/1 -> 100; index 75, tied with b
        #expect(close(groups["d"]?.value, 75))
        #expect(report.groups.map(\.group) == ["a", "b", "c", "d"])
        #expect(report.groups.map(\.rank) == [3, 1, nil, 1])
    }

    @Test func overallPoolsTheAnswers() throws {
        let overall = try report().overall
        // q1: 5,3,4,5,1,4 -> 4 of 6; q2: 4,2,5,2,1 -> 2 of 5; e1 = (66.67 + 40) / 2; q3: 1,4,5,5,5 -> 4 of 5
        #expect(overall.respondents == 7 && overall.rank == nil)
        #expect(overall.elements[0].questions.map(\.valid) == [6, 5] && overall.elements[1].questions[0].valid == 5)
        #expect(close(overall.elements[0].value, (200.0 / 3 + 40) / 2) && close(overall.elements[1].value, 80))
        #expect(close(overall.value, ((200.0 / 3 + 40) / 2 + 80) / 2))
        #expect(overall.elements[0].label == "Yếu tố 1" && overall.elements[0].questions[0].label == "Câu một")
        // The other select question as percentages of those who answered it.
        let trouble = try #require(overall.tables.first { $0.question == "trouble" })
        #expect(trouble.valid == 2 && trouble.choices.map(\.count) == [1, 1] && trouble.choices.map(\.percent) == [50, 50])
        #expect(trouble.choices.map(\.label) == ["Có", "Không"])
        #expect(!overall.tables.contains { $0.question == "unit" })
    }

    @Test func withoutGroupsOnlyOverall() throws {
        let report = try report(by: nil)
        #expect(report.groups.isEmpty && report.overall.respondents == 7)
    }

    @Test func unknownIndexOrFieldIsNamed() throws {
        let form = try Repo.yaml(Self.form)
        #expect(throws: IndexTally.Problem.self) { try IndexTally(form: form, index: "sipas", by: nil, language: nil) }
        do {
            _ = try IndexTally(form: form, index: "idx", by: "province", language: nil)
            Issue.record("a missing field should be refused")
        } catch {
            #expect(error.description == "the form mini has no field 'province' to group by")
        }
    }
}
