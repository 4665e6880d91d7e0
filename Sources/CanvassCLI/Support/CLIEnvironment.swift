import CanvassCore
import CanvassStore
import Foundation

/// The clock, ids and machine commands use. `CANVASS_NOW` (ISO 8601) fixes the clock and makes
/// ids sequential, so that end-to-end tests compare whole outputs. `CANVASS_MACHINE` names the
/// machine in place of its own identity (`Machine`): for tests, and for images whose clones
/// cannot tell themselves apart.
enum CLIEnvironment {
    static let store: StoreEnvironment = {
        let environment = ProcessInfo.processInfo.environment
        var store = StoreEnvironment.live
        if let text = environment["CANVASS_NOW"], let start = parseDate(text) {
            store = .fixed(start: start, idPrefix: environment["CANVASS_ID_PREFIX"] ?? "id", machine: "")
            store.machine = Machine.identity(device:)
        }
        if let machine = environment["CANVASS_MACHINE"], !machine.isEmpty {
            let name = machine.split(whereSeparator: \.isWhitespace).joined(separator: "_")
            store.machine = { _ in "named-\(name)" }
        }
        return store
    }()

    static var now: Date {
        ProcessInfo.processInfo.environment["CANVASS_NOW"].flatMap(parseDate) ?? Date()
    }

    /// The laptop's zone, as ODK Collect takes the device's: dates are local days (a 06:30 interview
    /// in Vietnam, UTC+7, belongs to that morning). `TZ` names it; a test run (`CANVASS_NOW`) without
    /// `TZ` uses UTC, so that its output does not depend on the machine.
    static var timeZone: TimeZone {
        let environment = ProcessInfo.processInfo.environment
        if let name = environment["TZ"], !name.isEmpty, let zone = TimeZone(identifier: name.hasPrefix(":") ? String(name.dropFirst()) : name) {
            return zone
        }
        return environment["CANVASS_NOW"] != nil ? TimeZone(identifier: "UTC") ?? .current : .current
    }

    /// random() and uuid(): seeded from CANVASS_NOW in a test run, so that it repeats; the system's otherwise.
    static let random: RandomSource = ProcessInfo.processInfo.environment["CANVASS_NOW"].map { RandomSource(seedText: $0) } ?? .system

    static func parseDate(_ text: String) -> Date? {
        (try? Date.ISO8601FormatStyle().parse(text)) ?? (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text))
    }

    /// The local calendar day (YYYY-MM-DD) of a stored ISO 8601 time, in `zone`; the text's own
    /// first ten characters when it does not parse.
    static func localDay(_ iso: String, in zone: TimeZone) -> String {
        guard let instant = parseDate(iso) else { return String(iso.prefix(10)) }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day], from: instant)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    /// This machine's name, the default device id.
    static var hostName: String {
        ProcessInfo.processInfo.hostName.isEmpty ? "unknown" : ProcessInfo.processInfo.hostName
    }

    static func engine(_ form: Form) throws -> FormEngine {
        try FormEngine(form: form, now: now, timeZone: timeZone, random: random)
    }
}

/// Engines for every form embedded in one data file, made once, before any interview is read
/// (a data file is read in one pass; forms cannot be fetched in the middle of it).
struct FormEngines {
    let engines: [String: FormEngine]
    let path: String

    init(_ file: any Store) throws {
        var engines: [String: FormEngine] = [:]
        for form in try file.forms() { engines[form.sha256] = try CLIEnvironment.engine(form) }
        self.engines = engines
        self.path = file.location
    }

    func engine(sha256: String) throws -> FormEngine {
        guard let engine = engines[sha256] else {
            throw StoreError.corrupt(path: path, detail: "an interview uses the form \(sha256.prefix(12)), which is not embedded")
        }
        return engine
    }
}
