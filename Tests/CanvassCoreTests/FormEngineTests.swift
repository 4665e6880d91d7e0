import CanvassCore
import Foundation
import Testing

struct FormEngineTests {
    static let roster = """
        form_id: roster
        version: "1"
        case_key: "concat(${cluster}, '-', ${hh})"
        survey:
          - {type: text, name: cluster, label: Cluster, required: true, constraint: "regex(., '^[A-Z]{2}[0-9]{3}$')", constraint_message: {en: "two letters and three digits", vi: "hai chữ và ba số"}}
          - {type: integer, name: hh, label: Household, required: true}
          - {type: integer, name: size, label: Size, required: true, constraint: ". >= 1 and . <= 30"}
          - type: repeat
            name: members
            label: Members
            repeat_count: ${size}
            children:
              - {type: text, name: mname, label: Name, required: true}
              - {type: integer, name: age, label: Age, required: true, constraint: ". >= 0 and . <= 120"}
              - {type: select_one rel, name: rel, label: Relation, required: true}
              - {type: calculate, name: is_head, calculation: "if(${rel} = 'head', 1, 0)"}
              - {type: text, name: job, label: Job, relevant: "${age} >= 15"}
          - {type: calculate, name: heads, calculation: "sum(${is_head})"}
          - {type: calculate, name: n, calculation: "count(${members})"}
          - {type: acknowledge, name: check, label: Check, required: true, constraint: "${heads} = 1"}
        choices:
          rel:
            - {name: head, label: Head}
            - {name: child, label: Child}
        """

    func engine() throws -> FormEngine {
        try FormEngine(form: try Repo.yaml(Self.roster), now: Date(timeIntervalSince1970: 0), timeZone: TimeZone(identifier: "UTC")!)
    }

    let family: Answers = [
        "cluster": "HN001", "hh": "7", "size": "2", "members": "2",
        "members[1]/mname": "Lan", "members[1]/age": "40", "members[1]/rel": "head", "members[1]/job": "farmer",
        "members[2]/mname": "Minh", "members[2]/age": "9", "members[2]/rel": "child", "check": "OK",
    ]

    @Test func repeatsExpandToTheirInstances() throws {
        let paths = try engine().slots(family).map(\.path)
        #expect(paths == [
            "cluster", "hh", "size", "members",
            "members[1]/mname", "members[1]/age", "members[1]/rel", "members[1]/is_head", "members[1]/job",
            "members[2]/mname", "members[2]/age", "members[2]/rel", "members[2]/is_head", "members[2]/job",
            "heads", "n", "check",
        ])
    }

    @Test func calculationsSeeTheirOwnInstanceAndSumsSeeAll() throws {
        let answers = try engine().recalculated(family)
        #expect(answers["members[1]/is_head"] == "1")
        #expect(answers["members[2]/is_head"] == "0")
        #expect(answers["heads"] == "1")
        #expect(answers["n"] == "2")
    }

    @Test func relevanceFollowsTheInstance() throws {
        let engine = try engine()
        let slots = engine.slots(family)
        let relevance = Dictionary(uniqueKeysWithValues: zip(slots.map(\.path), engine.relevance(slots, family)))
        #expect(relevance["members[1]/job"] == true)
        #expect(relevance["members[2]/job"] == false)
    }

    @Test func aValidInterviewHasNoFindings() throws {
        let engine = try engine()
        #expect(engine.validate(engine.recalculated(family)) == [])
        #expect(engine.caseKey(family) == "HN001-7")
    }

    @Test func everyFindingCode() throws {
        let engine = try engine()
        var answers = family
        answers["cluster"] = "hn1"  // constraint
        answers["hh"] = nil  // required
        answers["size"] = "3"  // repeat-count: 2 members given
        answers["members[2]/age"] = "nine"  // type
        answers["members[2]/job"] = "student"  // not relevant at age 9... but age is not a number now
        answers["members[1]/rel"] = "child"  // no head: constraint on check
        let findings = engine.validate(engine.recalculated(answers), language: "vi")
        #expect(findings == [
            Finding(.error, "constraint", field: "cluster", "'cluster': hai chữ và ba số"),
            Finding(.error, "required", field: "hh", "'hh': an answer is required"),
            Finding(.error, "repeat-count", field: "members", "'members' has 2 entries but should have 3 (repeat_count: ${size})"),
            Finding(.error, "type", field: "members[2]/age", "'members[2]/age' must be a whole number"),
            Finding(.warning, "not-relevant", field: "members[2]/job", "'members[2]/job' has an answer but does not apply (relevant: ${age} >= 15); it is kept but not counted"),
            Finding(.error, "constraint", field: "check", "'check': the answer does not meet the constraint ${heads} = 1"),
        ])
    }

    @Test func syncedRepeatCountsFollowTheExpression() throws {
        let engine = try engine()
        let answers = engine.recalculated(["size": "3"], syncRepeatCounts: true)
        #expect(answers["members"] == "3")
        #expect(engine.slots(answers).filter { $0.name == "age" }.map(\.path) == ["members[1]/age", "members[2]/age", "members[3]/age"])
    }

    @Test func hostileRepeatCountsAreCapped() throws {
        let engine = try engine()
        #expect(engine.instanceCount("members", ["members": "99999999999"]) == FormEngine.maxInstances)
        #expect(engine.instanceCount("members", ["members": "-4"]) == 0)
    }

    @Test func choiceFilterUsesChoiceColumns() throws {
        let form = try Repo.yaml("""
            form_id: t
            version: "1"
            survey:
              - {type: select_one p, name: province, label: P}
              - {type: select_one d, name: district, label: D, choice_filter: "province = ${province}"}
            choices:
              p: [{name: hn, label: Hà Nội}, {name: bd, label: Bình Dương}]
              d: [{name: bdinh, label: Ba Đình, province: hn}, {name: tdm, label: Thủ Dầu Một, province: bd}, {name: hk, label: Hoàn Kiếm, province: hn}]
            """)
        let engine = try FormEngine(form: form)
        let slot = try #require(engine.slots([:]).last)
        #expect(engine.choices(slot, ["province": "hn"]).map(\.name) == ["bdinh", "hk"])
        #expect(engine.choices(slot, ["province": "bd"]).map(\.name) == ["tdm"])
    }

    @Test func answersExportAsTheJSONRecordReads() throws {
        let engine = try engine()
        let json = engine.json(family)
        #expect(json["hh"] == .number(7))
        #expect(json["members"] == .array([
            .object(["mname": .string("Lan"), "age": .number(40), "rel": .string("head"), "job": .string("farmer")]),
            .object(["mname": .string("Minh"), "age": .number(9), "rel": .string("child")]),
        ]))
        let back = try AnswerImport(engine: engine).convert(json)
        #expect(back.answers == family)
    }
}

struct FormEngineEditTests {
    func engine() throws -> FormEngine { try FormEngine(form: try Repo.yaml(FormEngineTests.roster)) }

    @Test func typedValuesAreCheckedByPath() throws {
        let engine = try engine()
        #expect(engine.normalize("+7", forPath: "hh") == .success("7"))
        #expect(engine.normalize("child", forPath: "members[2]/rel") == .success("child"))
        #expect(engine.normalize("boss", forPath: "members[2]/rel") == .failure(.type("one of the choices (head, child)")))
        #expect(engine.normalize("3", forPath: "members") == .success("3"))
        #expect(engine.normalize("x", forPath: "nope") == nil)
    }

    /// The length limit holds for the text as stored, after NFC, which can lengthen text as well
    /// as shorten it.
    @Test func theLengthLimitIsOnTheNormalisedText() throws {
        let engine = try engine()
        let lengthens = String(repeating: "\u{0958}", count: 20_000)  // 60,000 bytes; NFC: 120,000
        #expect(lengthens.utf8.count <= FormEngine.maxValueLength)
        #expect(engine.normalize(lengthens, forPath: "members[1]/mname") == .failure(.type("at most 100000 bytes long")))
        let shortens = String(repeating: "e\u{0323}\u{0302}", count: 25_000)  // 125,000 bytes; NFC "ệ": 75,000
        #expect(shortens.utf8.count > FormEngine.maxValueLength)
        #expect(engine.normalize(shortens, forPath: "members[1]/mname") == .success(String(repeating: "ệ", count: 25_000)))
    }

    @Test func changesLeaveCalculationsOut() throws {
        let engine = try engine()
        let old: Answers = ["hh": "7", "members": "1", "members[1]/rel": "head", "members[1]/is_head": "1", "heads": "1"]
        var new = old
        new["hh"] = "8"
        new["members[1]/rel"] = nil
        new["members[1]/is_head"] = "0"
        let changes = engine.changes(from: old, to: new)
        #expect(changes.count == 2)
        #expect(changes["hh"] == .some("8"))
        #expect(changes["members[1]/rel"] == .some(nil))
    }
}

/// Fields read as their type, and calculations hold what JavaRosa holds, as ODK Collect does.
struct TypedValueTests {
    static let form = """
        form_id: typed
        version: "1"
        survey:
          - {type: date, name: birth, label: Birth, constraint: ". <= today()"}
          - {type: integer, name: n, label: N}
          - {type: datetime, name: seen, label: Seen}
          - {type: calculate, name: adult, calculation: "today() - ${birth} >= 18 * 365"}
          - {type: calculate, name: minor, calculation: "not(${adult})"}
          - {type: calculate, name: next_day, calculation: "${birth} + 1"}
          - {type: calculate, name: due, calculation: "date(${birth} + 30)"}
          - {type: calculate, name: later, calculation: "${due} > ${birth}"}
          - {type: calculate, name: half, calculation: "${n} div 2"}
          - {type: calculate, name: empty_sum, calculation: "${n} + ${n}"}
          - {type: calculate, name: seen_day, calculation: "format-date(${seen}, '%Y-%m-%d')"}
          - {type: calculate, name: draw, calculation: "random()"}
          - {type: calculate, name: code, calculation: "once(concat('HH-', uuid(4)))"}
        """

    func engine(_ seed: UInt64 = 1) throws -> FormEngine {
        try FormEngine(form: try Repo.yaml(Self.form), now: Date(timeIntervalSince1970: 1_772_321_400),  // 2026-02-28T23:30Z
                       timeZone: TimeZone(identifier: "Asia/Ho_Chi_Minh")!, random: RandomSource(seed: seed))
    }

    @Test func datesAndNumbersReadAsTheirTypes() throws {
        let answers = try engine().recalculated(["birth": "2000-01-31", "n": "5", "seen": "2026-02-28T23:30:00.000Z"])
        #expect(answers["adult"] == "1")  // a boolean is held as 1 or 0
        #expect(answers["minor"] == "0")  // and reads back as a boolean, so not() of it is false
        #expect(answers["next_day"] == "10988")
        #expect(answers["due"] == "2000-03-01T00:00:00.000+07:00")  // a date in a calculate is a date-time
        #expect(answers["later"] == "1")  // which reads back as a date
        #expect(answers["half"] == "2.5")
        #expect(answers["seen_day"] == "2026-03-01")  // 06:30 in Vietnam
    }

    @Test func anEmptyNumberLeavesTheCalculationEmpty() throws {
        let answers = try engine().recalculated(["birth": "2000-01-31"])
        #expect(answers["empty_sum"] == nil)  // NaN is held as nothing, not "NaN"
    }

    @Test func aDateConstraintComparesDates() throws {
        let engine = try engine()
        let slot = try #require(engine.slots([:]).first { $0.path == "birth" })
        #expect(engine.check(slot, value: "2026-03-01", answers: [:], language: nil).isEmpty)  // today in Vietnam
        #expect(engine.check(slot, value: "2026-03-02", answers: [:], language: nil).map(\.code) == ["constraint"])
    }

    @Test func randomAndUUIDAreMadeOnceAndKept() throws {
        let engine = try engine()
        let first = engine.recalculated([:])
        let draw = try #require(first["draw"])
        #expect(Double(draw).map { $0 >= 0 && $0 < 1 } == true)
        #expect(first["code"]?.count == 7)
        // Evaluated again (another prompt step, validate, export), they stay as they were made,
        let again = engine.recalculated(first)
        #expect(again["draw"] == draw && again["code"] == first["code"])
        // and they are stored with the answers, unlike the calculations that can be made again.
        #expect(Set(engine.stored(again).keys) == ["draw", "code"])
        #expect(try self.engine(2).recalculated([:])["draw"] != draw)
    }
}
