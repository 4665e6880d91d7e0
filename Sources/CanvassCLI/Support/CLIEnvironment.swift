import CanvassCore
import CanvassStore
import Foundation

/// The clock and ids commands use. `CANVASS_NOW` (ISO 8601) fixes the clock and makes ids
/// sequential, so that end-to-end tests compare whole outputs.
enum CLIEnvironment {
    static let store: StoreEnvironment = {
        if let text = ProcessInfo.processInfo.environment["CANVASS_NOW"], let start = parseDate(text) {
            return .fixed(start: start, idPrefix: ProcessInfo.processInfo.environment["CANVASS_ID_PREFIX"] ?? "id")
        }
        return .live
    }()

    static var now: Date {
        ProcessInfo.processInfo.environment["CANVASS_NOW"].flatMap(parseDate) ?? Date()
    }

    static var timeZone: TimeZone {
        ProcessInfo.processInfo.environment["CANVASS_NOW"] != nil ? TimeZone(identifier: "UTC") ?? .current : .current
    }

    static func parseDate(_ text: String) -> Date? {
        (try? Date.ISO8601FormatStyle().parse(text)) ?? (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text))
    }

    /// This machine's name, the default device id.
    static var hostName: String {
        ProcessInfo.processInfo.hostName.isEmpty ? "unknown" : ProcessInfo.processInfo.hostName
    }

    static func engine(_ form: Form) throws -> FormEngine {
        try FormEngine(form: form, now: now, timeZone: timeZone)
    }
}

/// Engines for the forms embedded in one data file, made once per form.
final class FormEngines {
    let file: DataFile
    private var cache: [String: FormEngine] = [:]

    init(_ file: DataFile) { self.file = file }

    func engine(sha256: String) throws -> FormEngine {
        if let engine = cache[sha256] { return engine }
        let engine = try CLIEnvironment.engine(try file.form(sha256: sha256))
        cache[sha256] = engine
        return engine
    }
}
