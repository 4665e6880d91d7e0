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
    static let fields: [String: [String]] = [
        "age": ["34"], "name": ["Lan"], "empty": [""], "none": [], "choices": ["a b c"],
        "day": ["2024-02-29"], "rep": ["1", "", "3"],
    ]

    static let context = EvaluationContext(
        lookup: { fields[$0] },
        current: "7",
        position: 2,
        indexedRepeat: { field, repeatName, index in (1...3).contains(index) ? "\(field)-\(repeatName)-\(index)" : nil },
        now: Date(timeIntervalSince1970: 1_795_342_530.25),
        timeZone: TimeZone(identifier: "UTC")!
    )
}
