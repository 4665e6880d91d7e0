import CanvassCore
import Foundation

/// One input: parsed as an expression and, when it parses, evaluated against a small fixed context
/// (a few fields, one of them repeated, a current answer, a repeat position, a fixed clock).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let source = String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    guard let expression = try? Expression(source) else { return 0 }
    _ = try? expression.evaluate(Fixture.context)
    return 0
}

enum Fixture {
    static let fields: [String: [Value]] = [
        "age": [.number(34)], "name": ["Lan"], "empty": [""], "none": [], "choices": ["a b c"],
        "day": [.date(Date(timeIntervalSince1970: 1_709_164_800))], "rep": [.number(1), "", .number(3)],
        "shape": ["0 0 0 0;0 1 0 0;1 1 0 0;0 0 0 0"],
    ]

    static let context = EvaluationContext(
        lookup: { fields[$0] },
        current: "7",
        position: 2,
        indexedRepeat: { field, path in (1...3).contains(path[0].index) ? .string("\(field)-\(path[0].repeatName)-\(path[0].index)") : nil },
        dataFile: { $0 == "prices" ? [["item": "rice", "price": "12000"]] : nil },
        now: Date(timeIntervalSince1970: 1_795_342_530.25),
        timeZone: TimeZone(identifier: "UTC")!,
        random: RandomSource(seed: 1)
    )
}
