import CanvassCore
import Foundation

/// Where commands write: standard output for results, standard error for diagnostics.
/// Colour only on a terminal and never with `NO_COLOR`, as https://no-color.org asks.
enum Output {
    static let useColour: Bool = {
        ProcessInfo.processInfo.environment["NO_COLOR"] == nil && isatty(STDOUT_FILENO) == 1
            && ProcessInfo.processInfo.environment["TERM"] != "dumb"
    }()

    static func print(_ text: String) {
        write(STDOUT_FILENO, text + "\n")
    }

    static func error(_ text: String) {
        write(STDERR_FILENO, text + "\n")
    }

    /// Writes all of it. A reader that went away (`canvass export ... | head`) ends the command
    /// quietly, as SIGPIPE ends other tools (Foundation's FileHandle would crash instead).
    static func write(_ descriptor: Int32, _ text: String) {
        var text = text
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    if errno == EPIPE { signal(SIGPIPE, SIG_DFL); raise(SIGPIPE) }
                    return
                }
                offset += written
            }
        }
    }

    enum Style: String {
        case bold = "1", dim = "2", red = "31", green = "32", yellow = "33", cyan = "36"
    }

    static func styled(_ text: String, _ style: Style) -> String {
        useColour ? "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m" : text
    }

    /// Pretty, key-sorted JSON with Vietnamese written as is (not \u escapes).
    static func json<T: Encodable>(_ value: T, pretty: Bool = true) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }

    static func printJSON<T: Encodable>(_ value: T) {
        print(json(value))
    }

    /// A command's one-line outcome, or the same as a JSON object with `--json`.
    static func result(_ text: String, json: Bool, _ fields: [String: JSONValue]) {
        print(json ? Output.json(fields) : text)
    }
}
