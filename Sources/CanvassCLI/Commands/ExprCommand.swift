import ArgumentParser
import CanvassCore
import Foundation

struct ExprCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "expr",
        abstract: "Evaluate an expression in ODK's XPath dialect, as a form would.",
        discussion: """
            Unset references are unknown (an error); set them with --set. `--set .=VALUE` sets the current answer.
            A value is text unless its field's type is given, as a form would read it: `--set age:integer=20`,
            `--set birth:date=1990-05-01` (integer, decimal, date, datetime, time, text). --json prints the
            result's type and value, and what a calculate would hold ("stored").
            Dates are days in the local time zone (TZ); CANVASS_NOW fixes now() and seeds random() and uuid().
            Put -- before an expression that starts with '-'.

            Examples:
              canvass expr "if(\\${age} >= 18, 'adult', 'minor')" --set age:integer=20
              canvass expr "selected(\\${channels}, 'tv')" --set channels="tv internet" --json
              canvass expr "format-date(date('2024-03-01'), '%d/%m/%Y')"
              canvass expr "today() - \\${birth} > 365 * 18" --set birth:date=2000-01-31
              canvass expr "round(distance(\\${a}, \\${b}) div 1000, 1)" --set a="21.0285 105.8542" --set b="10.7769 106.7009"
              canvass expr -- '-7 mod 3'
            """
    )

    @Argument(help: "The expression.")
    var expression: String

    @Option(name: .customLong("set"), help: "A value for a reference: name=value or name:type=value (repeatable).")
    var assignments: [String] = []

    @Flag(help: "Print {\"type\": ..., \"value\": ...}.")
    var json = false

    func validate() throws {
        for assignment in assignments {
            guard assignment.contains("=") else { throw ValidationError("--set '\(assignment)' must be name=value or name:type=value") }
            _ = try Self.parse(assignment)
        }
    }

    /// `name=value` or `name:type=value`, the type an XLSForm type.
    static func parse(_ assignment: String) throws -> (name: String, kind: NodeKind, value: String) {
        let parts = assignment.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        let target = parts[0].split(separator: ":", maxSplits: 1).map(String.init)
        var kind = NodeKind.text
        if target.count > 1 {
            let type = FieldType(parsing: target[1])
            guard type.kind != nil, type.kind != .calculate, let typed = NodeKind(type.kind) else {
                throw ValidationError("--set '\(assignment)': '\(target[1])' is not a field type; use integer, decimal, date, datetime, time or text")
            }
            kind = typed
        }
        return (target.first ?? "", kind, String(parts[1]).precomposedStringWithCanonicalMapping)
    }

    func run() throws {
        let now = CLIEnvironment.now, timeZone = CLIEnvironment.timeZone
        var values: [String: Value] = [:]
        for assignment in assignments {
            let (name, kind, text) = try Self.parse(assignment)
            values[name] = kind.value(text, now: now, timeZone: timeZone)
        }
        let fixed = values
        let context = EvaluationContext(lookup: { name in fixed[name].map { [$0] } }, current: values["."],
                                        now: now, timeZone: timeZone, random: CLIEnvironment.random)
        let result: Value
        do {
            result = try Expression(expression.precomposedStringWithCanonicalMapping).evaluate(context)
        } catch {
            Output.error("error: \(error)")
            throw ExitCode(1)
        }
        if json {
            Output.print(Output.json(ValueJSON(result, timeZone: timeZone), pretty: false))
        } else {
            Output.print(result.string(in: timeZone))
        }
    }
}

/// `{"type": "number|string|boolean|date", "value": ..., "stored": ...}`, NaN and infinities as
/// strings; `stored` is what a calculate would hold (null when empty).
struct ValueJSON: Encodable {
    let value: Value
    let timeZone: TimeZone

    init(_ value: Value, timeZone: TimeZone) {
        self.value = value
        self.timeZone = timeZone
    }

    enum CodingKeys: String, CodingKey { case type, value, stored }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(value.jsonType, forKey: .type)
        switch value {
        case .number(let number) where number.isFinite:
            if number == number.rounded(), abs(number) < 1e15 {
                try container.encode(Int64(number), forKey: .value)
            } else {
                try container.encode(number, forKey: .value)
            }
        case .boolean(let flag): try container.encode(flag, forKey: .value)
        default: try container.encode(value.string(in: timeZone), forKey: .value)
        }
        try container.encode(value.storedText(for: .calculate, timeZone: timeZone), forKey: .stored)
    }
}
