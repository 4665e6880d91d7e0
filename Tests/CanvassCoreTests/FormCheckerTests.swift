import CanvassCore
import Testing

struct FormCheckerTests {
    func findings(_ survey: String, choices: String = "", extra: String = "") throws -> [Finding] {
        let form = try Repo.yaml("form_id: t\nversion: \"1\"\n\(extra)survey:\n\(survey)\(choices)")
        return FormChecker.check(form).filter { $0.severity == .error }
    }

    @Test func unknownReferenceIsNamed() throws {
        let found = try findings("  - {type: integer, name: age, label: Age}\n  - {type: text, name: job, label: Job, relevant: \"${agee} >= 15\"}\n")
        #expect(found == [Finding(.error, "unknown-reference", field: "job", "'job', relevant refers to ${agee}, which is not a field of the form; check the name")])
    }

    @Test func brokenExpressionShowsTheCaret() throws {
        let found = try findings("  - {type: integer, name: age, label: Age, constraint: \". >= (18\"}\n")
        #expect(found.count == 1)
        #expect(found[0].code == "syntax")
        #expect(found[0].field == "age")
        #expect(found[0].message.hasPrefix("'age', constraint: "))
        #expect(found[0].message.contains("^"))
    }

    @Test func cycleAmongCalculationsNamesTheFields() throws {
        let found = try findings("""
              - {type: calculate, name: a, calculation: "${b} + 1"}
              - {type: calculate, name: b, calculation: "${c} + 1"}
              - {type: calculate, name: c, calculation: "${a} + 1"}

            """)
        #expect(found.map(\.code) == ["cycle"])
        #expect(found[0].message.contains("a → b → c → a"))
    }

    @Test func duplicateNamesUnknownTypesAndMissingListsAreErrors() throws {
        let found = try findings("""
              - {type: text, name: a, label: A}
              - {type: text, name: a, label: A again}
              - {type: selct_one yes_no, name: b, label: B}
              - {type: select_one colours, name: c, label: C}

            """)
        #expect(found.map(\.code) == ["duplicate-name", "unknown-type", "missing-choices"])
        #expect(found.map(\.field) == ["a", "b", "c"])
    }

    @Test func indexQuestionsMustBeSelectOneWithTheSatisfiedChoices() throws {
        let found = try findings(
            "  - {type: select_one scale, name: q1, label: Q1}\n  - {type: text, name: q2, label: Q2}\n",
            choices: "choices:\n  scale:\n    - {name: '1', label: bad}\n    - {name: '2', label: good}\n",
            extra: "indices:\n  - {name: s, satisfied: ['2', '3'], elements: [{name: e1, questions: [q1, q2, q9]}]}\n")
        #expect(found.map(\.code) == ["index", "index", "index"])
        #expect(found.map(\.field) == ["q1", "q2", "q9"])
    }

    /// A hostile form from the fuzzing work: the cycle search recursed once per calculation, so a long
    /// chain overflowed the stack.
    @Test func aLongChainOfCalculationsIsSearchedWithoutRecursion() {
        let count = 100_000
        let survey = (0..<count).map { index in
            var entry = Entry(type: FieldType(parsing: "calculate"), name: "c\(index)")
            // Each refers to the next; the last two refer to each other, so the cycle is at the chain's far end.
            entry.calculation = index + 1 < count ? "${c\(index + 1)}" : "${c\(index - 1)}"
            return entry
        }
        let found = FormChecker.check(Form(formId: "t", version: "1", survey: survey)).filter { $0.code == "cycle" }
        #expect(found.map(\.message) == ["the calculations c99998 → c99999 → c99998 depend on each other in a cycle; break it"])
    }

    /// A hostile form from the fuzzing work: each index question was looked up by walking the whole
    /// form, so an indices sheet naming thousands of questions took minutes.
    @Test func manyIndexQuestionsAreCheckedInLinearTime() {
        let count = 20_000
        let survey = (0..<count).map { Entry(type: FieldType(parsing: "select_one scale"), name: "q\($0)", label: .plain("Q")) }
        let index = FormIndex(name: "s", satisfied: ["2"],
                              elements: [FormIndex.Element(name: "e", questions: survey.map(\.name) + ["q_none"])])
        let form = Form(formId: "t", version: "1", survey: survey,
                        choices: [ChoiceList(name: "scale", choices: [Choice(name: "1"), Choice(name: "2")])], indices: [index])
        var found: [Finding] = []
        let elapsed = ContinuousClock().measure { found = FormChecker.check(form).filter { $0.severity == .error } }
        #expect(found.map(\.field) == ["q_none"])
        #expect(elapsed < .seconds(30))
    }

    @Test func choiceFilterNamesChoiceColumnsBare() throws {
        let found = try findings(
            "  - {type: select_one p, name: province, label: P}\n  - {type: select_one d, name: district, label: D, choice_filter: \"province = ${province}\"}\n",
            choices: "choices:\n  p:\n    - {name: hn, label: Hà Nội}\n  d:\n    - {name: bd, label: Ba Đình, province: hn}\n")
        #expect(found == [])
    }
}

struct FormCheckerWarningTests {
    @Test func probableMistakesAreWarnings() throws {
        let form = try Repo.yaml("""
            form_id: t
            version: "1"
            survey:
              - {type: integer, name: age, label: {vi: Tuổi, en: Age}, hint: {vi: "Tính theo năm"}, constraint: ". >= 0"}
              - {type: note, name: done, label: "Cảm ơn ${nam}"}
            choices:
              spare: [{name: a, label: A}]
            """)
        let findings = FormChecker.check(form)
        #expect(findings.map(\.code) == ["no-constraint-message", "missing-translation", "unknown-reference", "unused-choices"])
        #expect(findings.map(\.severity) == [.warning, .warning, .error, .warning])
        #expect(findings[2].message == "'done', label shows ${nam}, which is not a field of the form; check the name")
    }
}

/// XPath that ODK evaluates and Canvass does not: the form is ODK's, so a warning, and the rest runs.
struct UnsupportedXPathTests {
    @Test func pathsInstancesAndPredicatesWarnAndAreLeftOut() throws {
        let form = try Repo.yaml("""
            form_id: x
            version: "1"
            survey:
              - {type: text, name: village, label: Village}
              - {type: calculate, name: code, calculation: "instance('villages')/root/item[name = current()/../village]/code"}
              - {type: text, name: note, label: Note, relevant: "/data/village != ''"}
              - {type: integer, name: n, label: N, constraint: ". > 0 and floor(.) = ."}
            """)
        let findings = FormChecker.check(form)
        let warnings = findings.filter { $0.code == "not-evaluated" }
        #expect(warnings.map(\.field) == ["code", "note"])
        #expect(warnings.first?.message.hasPrefix("'code', calculation: Canvass does not evaluate this, so the calculation stays empty: line 1, column 1: instance() reads a secondary instance") == true)
        #expect(warnings.last?.message.contains("so the question is always asked") == true)
        // floor() is not ODK's either (JavaRosa lacks it): an error, as ODK Validate would give.
        #expect(findings.filter { $0.severity == .error }.map(\.field) == ["n"])
        let runnable = Form(formId: "x", version: "1", survey: Array(form.survey.prefix(3)))
        let engine = try FormEngine(form: runnable)
        let evaluation = engine.evaluate(["village": "An Bình"])
        #expect(evaluation.answers["code"] == nil)
        #expect(evaluation.relevant == [true, true, true])
    }
}

