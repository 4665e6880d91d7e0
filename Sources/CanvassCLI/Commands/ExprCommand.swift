import ArgumentParser
import CanvassCore
import Foundation

struct ExprCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "expr",
        abstract: "Evaluate an expression in ODK's XPath dialect, as a form would.",
        discussion: """
            Unset references are unknown (an error); set them with --set. `--set .=VALUE` sets the current answer.
            Put -- before an expression that starts with '-'.

            Examples:
              canvass expr "if(\\${age} >= 18, 'adult', 'minor')" --set age=20
              canvass expr "selected(\\${channels}, 'tv')" --set channels="tv internet" --json
              canvass expr "format-date(date('2024-03-01'), '%d/%m/%Y')"
              canvass expr -- '-7 mod 3'
            """
    )

    @Argument(help: "The expression.")
    var expression: String

    @Option(name: .customLong("set"), help: "A value for a reference: name=value (repeatable).")
    var assignments: [String] = []

    @Flag(help: "Print {\"type\": ..., \"value\": ...}.")
    var json = false

    func validate() throws {
        for assignment in assignments where !assignment.contains("=") {
            throw ValidationError("--set '\(assignment)' must be name=value")
        }
    }

    func run() throws {
        var values: [String: String] = [:]
        for assignment in assignments {
            let parts = assignment.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            values[String(parts[0])] = String(parts[1]).precomposedStringWithCanonicalMapping
        }
        let fixed = values
        let context = EvaluationContext(lookup: { name in fixed[name].map { [$0] } }, current: values["."])
        let result: Value
        do {
            result = try Expression(expression.precomposedStringWithCanonicalMapping).evaluate(context)
        } catch {
            Output.error("error: \(error)")
            throw ExitCode(1)
        }
        if json {
            Output.print(Output.json(ValueJSON(result), pretty: false))
        } else {
            Output.print(result.string)
        }
    }
}

/// `{"type": "number|string|boolean|date", "value": ...}`, NaN and infinities as strings.
struct ValueJSON: Encodable {
    let value: Value

    init(_ value: Value) { self.value = value }

    enum CodingKeys: String, CodingKey { case type, value }

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
        default: try container.encode(value.string, forKey: .value)
        }
    }
}
