@testable import CanvassCore
import Foundation
import Testing

/// Paper keying, its verification and the kiosk's PIN: the pure rules.
struct KeyingTests {
    static func rules() throws -> (KeyingRules, [Slot]) {
        let engine = try FormEngine(form: try Repo.form("sipas-2017.yaml"))
        let rules = KeyingRules(engine: engine)
        return (rules, rules.fields([:]))
    }

    static func slot(_ fields: [Slot], _ name: String) throws -> Slot { try #require(fields.first { $0.path == name }) }

    @Test func theFieldsKeyedAreThePapersQuestionsInOrder() throws {
        let (rules, fields) = try Self.rules()
        #expect(fields.count == 45)  // every question on the paper, the five skip logic may hide included
        #expect(fields.prefix(3).map(\.path) == ["unit", "form_no", "procedure"])
        #expect(!fields.contains { ["start", "username", "satisfied_count", "summary"].contains($0.path) })
        #expect(rules.singleKeyChoices(try Self.slot(fields, "e1_1"), [:]) == 5)
        #expect(rules.singleKeyChoices(try Self.slot(fields, "procedure"), [:]) == nil)
        let relevance = rules.relevance(fields, ["contact_consent": "no"])
        #expect(zip(fields, relevance).filter { !$1 }.map(\.0.path) == ["respondent_name", "phone", "trips_reason", "late_apology", "feedback_result"])
    }

    @Test func whatIsKeyedBecomesAValueOrAsksOnce() throws {
        let (rules, fields) = try Self.rules()
        let scale = try Self.slot(fields, "e1_1"), formNo = try Self.slot(fields, "form_no"), unit = try Self.slot(fields, "unit")
        #expect(rules.interpret("4", slot: scale, answers: [:], relevant: true) == .init(value: .value("4"), doubt: nil))
        #expect(rules.interpret("7", slot: scale, answers: [:], relevant: true) == .init(value: .raw("7"), doubt: .notAChoice(choices: 5)))
        #expect(rules.interpret("6", slot: unit, answers: [:], relevant: true) == .init(value: .value("ubnd_dong_anh"), doubt: nil))
        #expect(rules.interpret("*", slot: scale, answers: [:], relevant: true) == .init(value: .blank, doubt: nil))
        #expect(rules.interpret("abc", slot: formNo, answers: [:], relevant: true).doubt == .wrongType(expected: "a whole number"))
        let zero = rules.interpret("0", slot: formNo, answers: [:], relevant: true)
        #expect(zero.value == .value("0"))
        #expect(zero.doubt == .constraint(message: formNo.entry.constraintMessage))
        #expect(rules.interpret("5", slot: scale, answers: [:], relevant: false).doubt == .notRelevant)
    }

    @Test func paperValuesRoundTripAndAValueWinsOverAMark() {
        for value in [PaperValue.empty, .value("4"), .value("raw:x"), .blank, .raw("7"), .raw("")] {
            #expect(PaperValue(text: value.text) == value)
        }
        #expect(PaperValue(text: "4") == nil)
        #expect(PaperValue.of("e1_1", answers: ["e1_1": "5"], marks: ["e1_1": "blank"]) == .value("5"))
        #expect(PaperValue.of("e1_1", answers: [:], marks: ["e1_1": "raw:9"]) == .raw("9"))
        #expect(PaperValue.blank.changes("e1_1") == ["e1_1": nil, "_paper/e1_1": "blank"])
    }

    @Test func eachMismatchIsChargedToWhoeverKeyedItWrong() {
        let first = PaperValue.value("3"), second = PaperValue.value("4")
        #expect(FieldVerification(agreed: first).charged == nil)
        #expect(FieldVerification(first: first, second: second, decision: .keepFirst).charged == .verifier)
        #expect(FieldVerification(first: first, second: second, decision: .keepSecond).charged == .keyer)
        #expect(FieldVerification(first: first, second: second, decision: .keepSecond).final == second)
        #expect(FieldVerification(first: first, second: second, decision: .keyAgain(first)).charged == .verifier)
        #expect(FieldVerification(first: first, second: second, decision: .keyAgain(second)).charged == .keyer)
        let both = FieldVerification(first: first, second: second, decision: .keyAgain(.value("5")))
        #expect(both.charged == .both)
        #expect(both.final == .value("5"))
        #expect(FieldVerification(text: both.text) == both)
        #expect(both.text == #"{"charged":"both","first":"=3","second":"=4","third":"=5"}"#)
        #expect(FieldVerification(text: #"{"first":"4","second":"=4"}"#) == nil)
    }

    @Test func aSampleDependsOnlyOnTheSeedAndTheID() {
        let ids = (1...2000).map { "phieu-\($0)" }
        let picked = ids.filter { VerificationSample.contains($0, percent: 10, seed: 7) }
        #expect(picked == ids.filter { VerificationSample.contains($0, percent: 10, seed: 7) })
        #expect((150...250).contains(picked.count))
        #expect(picked != ids.filter { VerificationSample.contains($0, percent: 10, seed: 8) })
        #expect(ids.allSatisfy { VerificationSample.contains($0, percent: 100, seed: 7) })
    }

    @Test func statisticsPerClerk() {
        func event(_ author: String, _ interview: String, _ field: String, _ time: String, _ verification: FieldVerification? = nil) -> ClerkStatistics.Event {
            .init(author: author, interview: interview, field: field, time: "2026-03-01T08:\(time)Z", verification: verification)
        }
        let events = [
            event("hoa", "a", "e1_1", "00:00"), event("hoa", "a", "e1_2", "00:02"), event("hoa", "a", "_paper/e1_3", "00:04"),
            event("hoa", "a", "e1_1", "00:06"),  // keyed again: still one field
            event("lan", "a", "_verify/e1_1", "10:00", FieldVerification(first: .value("3"), second: .value("4"), decision: .keepSecond)),
            event("lan", "a", "_verify/e1_2", "10:03", FieldVerification(agreed: .value("4"))),
            event("lan", "a", "e1_1", "10:03"),  // the verifier's correction is not keying
        ]
        let rows = ClerkStatistics.compute(events, keyers: ["a": "hoa"])
        #expect(rows.map { "\($0.clerk) \($0.role)" } == ["hoa key", "lan verify"])
        #expect(rows[0].fields == 3 && rows[0].phieu == 1 && rows[0].verifiedFields == 2 && rows[0].errors == 1)
        #expect(rows[0].errorsPer1000 == 500)
        #expect(rows[0].fieldsPerHour.map { Int($0) } == 4 * 3600 / 6)
        #expect(rows[1].fields == 2 && rows[1].errors == 0 && rows[1].errorsPer1000 == 0)
        #expect(rows[1].fieldsPerHour.map { Int($0) } == 2 * 3600 / 3)
    }

    @Test func dongAnhFindsĐôngAnh() {
        #expect(TextFold.fold("Đông Anh") == "dong anh")
        #expect(TextFold.matches(query: "dong anh", folded: TextFold.fold("UBND huyện Đông Anh")))
        #expect(TextFold.matches(query: "Đông", folded: TextFold.fold("UBND huyện Đông Anh")))
        #expect(TextFold.matches(query: "anh dong", folded: TextFold.fold("Đông Anh")))
        #expect(!TextFold.matches(query: "dong hoi", folded: TextFold.fold("Đông Anh")))
        // NFD input (a keyboard that sends combining marks) folds the same.
        #expect(TextFold.fold("Đo\u{302}ng") == "dong")
    }

    @Test func aPINIsKeptSaltedAndStretched() throws {
        let pin = KioskPIN(pin: "2468", salt: Array(repeating: 7, count: 16), iterations: 100)
        let stored = try #require(KioskPIN(text: pin.text))
        #expect(stored.matches("2468"))
        #expect(!stored.matches("2469"))
        #expect(!pin.text.contains("2468"))
        #expect(KioskPIN(pin: "2468", salt: Array(repeating: 8, count: 16), iterations: 100).hash != pin.hash)
    }

    @Test func paperMarksAndVerificationsAreRevisionsMergeAccepts() throws {
        let engine = try FormEngine(form: try Repo.form("sipas-2017.yaml"))
        #expect(engine.problem(field: "_paper/e1_1", value: "raw:7") == nil)
        #expect(engine.problem(field: "_paper/e1_1", value: "blank") == nil)
        #expect(engine.problem(field: "_paper/e1_1", value: "=4") != nil)
        #expect(engine.problem(field: "_paper/nothing", value: "blank") != nil)
        #expect(engine.problem(field: "_verify/e1_1", value: FieldVerification(agreed: .value("4")).text) == nil)
        #expect(engine.problem(field: "_verify/e1_1", value: "yes") != nil)
        #expect(engine.problem(field: "_verified", value: "40 fields, 0 errors") == nil)
        #expect(engine.problem(field: "_abandoned", value: "2026-03-01T08:00:00Z e1_1") == nil)
        #expect(engine.problem(field: "_other", value: "x") != nil)
    }

    @Test func validateReportsWhatThePaperSaidThatDoesNotFit() throws {
        let engine = try FormEngine(form: try Repo.form("sipas-2017.yaml"))
        let findings = engine.validate(["unit": "stp", "form_no": "3"], paper: ["e1_1": "blank", "trips": "raw:7", "unit": "blank"])
        #expect(findings.first { $0.field == "e1_1" }.map { "\($0.severity) \($0.code)" } == "warning blank-on-paper")
        #expect(findings.first { $0.field == "trips" }.map { "\($0.severity) \($0.code)" } == "error out-of-range")
        #expect(!findings.contains { $0.field == "unit" })
        #expect(findings.first { $0.field == "e1_2" }?.code == "required")
    }
}
