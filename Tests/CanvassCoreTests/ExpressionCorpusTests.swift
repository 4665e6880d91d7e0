import Foundation
import Testing

@testable import CanvassCore

/// Canvass's expression engine against JavaRosa's own answers.
///
/// `Tests/Fixtures/javarosa/corpus.jsonl` holds expressions (tools/javarosa/cases.py) with what
/// JavaRosa 5.1.0, the engine of ODK Collect (inside pyxform's ODK Validate jar), answered for
/// each, evaluated against `instance.json` in Vietnam's time zone; `tools/javarosa-corpus.sh`
/// makes it again. Each case is evaluated here the same way, at the field `cur`, with the clock
/// JavaRosa ran at. A case agrees when both refuse it, or when both give a value of the same type
/// and text (numbers within 1e-12, relative: the math libraries differ in the last bit) and the
/// same text a calculate would hold. Every case that does not agree is in `CorpusMisses.explained`,
/// with the reason.
@Suite struct ExpressionCorpusTests {
    static let directory = Repo.root.appendingPathComponent("Tests/Fixtures/javarosa")
    static let vietnam = TimeZone(identifier: "Asia/Ho_Chi_Minh")!

    struct Case {
        var expr: String
        var type: String?
        var value: String?
        var stored: String??
        var error: String?
        var clock: Date
    }

    struct Outcome {
        var type: String?
        var value: String?
        var stored: String?
        var error: String?
        var readsCurrent = false
    }

    static func cases() throws -> [Case] {
        let text = try String(contentsOf: directory.appendingPathComponent("corpus.jsonl"), encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            let answer = object["javarosa"] as! [String: Any]
            let stored: String?? = answer.keys.contains("stored") ? .some(answer["stored"] as? String) : .none
            let clock = (answer["clock"] as? NSNumber).map { Date(timeIntervalSince1970: $0.doubleValue / 1000) } ?? Date(timeIntervalSince1970: 0)
            return Case(expr: object["expr"] as! String, type: answer["type"] as? String, value: answer["value"] as? String,
                        stored: stored, error: answer["error"] as? String, clock: clock)
        }
    }

    /// The instance as a form and its answers: the fields, the repeats with their rows, and `cur` (7).
    static func instance() throws -> (Form, Answers) {
        let data = try Data(contentsOf: directory.appendingPathComponent("instance.json"))
        let object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        var survey: [Entry] = []
        var answers: Answers = ["cur": "7"]
        var choices: [ChoiceList] = []
        func entry(_ field: [String: Any]) -> Entry {
            let type = field["type"] as! String
            if type.hasPrefix("select") {
                if choices.isEmpty { choices = [ChoiceList(name: "abc", choices: ["a", "b", "c"].map { Choice(name: $0, label: .plain($0.uppercased())) })] }
                return Entry(type: FieldType(parsing: "\(type) abc"), name: field["name"] as! String)
            }
            return Entry(type: FieldType(parsing: type), name: field["name"] as! String)
        }
        for field in object["fields"] as! [[String: Any]] {
            survey.append(entry(field))
            if let value = field["value"] as? String { answers[field["name"] as! String] = value }
        }
        for repeatObject in object["repeats"] as! [[String: Any]] {
            let name = repeatObject["name"] as! String
            let fields = repeatObject["fields"] as! [[String: Any]]
            survey.append(Entry(type: FieldType(kind: .repeat), name: name, children: fields.map(entry)))
            let rows = repeatObject["rows"] as! [[String: String]]
            answers[name] = String(rows.count)
            for (index, row) in rows.enumerated() {
                for (field, value) in row { answers["\(name)[\(index + 1)]/\(field)"] = value }
            }
        }
        survey.append(Entry(type: FieldType(kind: .text), name: "cur"))
        return (Form(formId: "corpus", version: "", survey: survey, choices: choices), answers)
    }

    static func evaluate(_ source: String, form: Form, answers: Answers, clock: Date) -> Outcome {
        do {
            let engine = try FormEngine(form: form, now: clock, timeZone: vietnam, random: RandomSource(seed: 1))
            let slot = engine.slots(answers).first { $0.path == "cur" }!
            let expression = try Expression(source)
            let value = try engine.evaluate(expression, at: slot, answers)
            let type: String
            switch value {
            case .number: type = "number"
            case .string: type = "string"
            case .boolean: type = "boolean"
            case .date, .dateTime: type = "date"
            case .nodeset: type = "nodeset"
            }
            // What a calculate holds is compared only when the expression does not read its own
            // field: JavaRosa's calculate there is another field than `cur`.
            return Outcome(type: type, value: value.string(in: vietnam),
                           stored: value.storedText(for: .calculate, timeZone: vietnam), readsCurrent: expression.usesCurrent)
        } catch {
            return Outcome(error: "\(error)")
        }
    }

    /// Equal texts, or numbers within `tolerance` of each other (relative).
    static func same(_ a: String?, _ b: String?, tolerance: Double) -> Bool {
        if a == b { return true }
        guard let a, let b, let x = Double(a), let y = Double(b), x.isFinite, y.isFinite else { return false }
        return Swift.abs(x - y) <= tolerance * Swift.max(Swift.abs(x), Swift.abs(y), 1e-300)
    }

    static func agrees(_ item: Case, _ outcome: Outcome) -> Bool {
        if item.error != nil || outcome.error != nil { return item.error != nil && outcome.error != nil }
        // Distances go through acos() of a number near 1, where the last bit of sin() and cos()
        // (Java's and glibc's differ) moves the result by about 1e-9 of itself: a millimetre in a kilometre.
        let tolerance = item.expr.contains("distance(") || item.expr.contains("area(") ? 1e-8 : 1e-12
        guard item.type == outcome.type, same(item.value, outcome.value, tolerance: tolerance) else { return false }
        if case .some(let stored) = item.stored, !outcome.readsCurrent { return same(stored, outcome.stored, tolerance: tolerance) }
        return true
    }

    @Test func canvassAgreesWithJavaRosa() throws {
        let (form, answers) = try Self.instance()
        let cases = try Self.cases()
        #expect(cases.count > 2000)
        var misses: [String] = []
        var report: [String] = []
        for item in cases {
            let outcome = Self.evaluate(item.expr, form: form, answers: answers, clock: item.clock)
            guard !Self.agrees(item, outcome) else { continue }
            misses.append(item.expr)
            if CorpusMisses.explained[item.expr] == nil {
                let theirs = item.error.map { "error \($0)" } ?? "\(item.type ?? "") \(item.value ?? "") stored \(String(describing: item.stored))"
                let ours = outcome.error.map { "error \($0)" } ?? "\(outcome.type ?? "") \(outcome.value ?? "") stored \(outcome.stored ?? "nil")"
                report.append("\(item.expr)\n    JavaRosa: \(theirs)\n    Canvass:  \(ours)")
            }
        }
        let agreeing = cases.count - misses.count
        print("expression corpus: \(agreeing) of \(cases.count) agree with JavaRosa (\(String(format: "%.2f", 100 * Double(agreeing) / Double(cases.count)))%)")
        #expect(report.isEmpty, "misses not explained in CorpusMisses:\n\(report.joined(separator: "\n"))")
        #expect(Double(agreeing) >= 0.98 * Double(cases.count))
        // An explanation for a case that agrees (or is not in the corpus) is stale.
        let stale = Set(CorpusMisses.explained.keys).subtracting(misses).sorted()
        #expect(stale.isEmpty, "explained but agreeing: \(stale)")
    }
}
