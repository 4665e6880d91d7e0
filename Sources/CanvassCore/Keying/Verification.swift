import Foundation

/// Double-entry verification (CSPro's verify mode): a second clerk keys a phiếu again without
/// seeing the first keying; where the two differ, the verifier decides, and the error is charged
/// to whoever keyed it wrong.
///
/// Each field's outcome is a revision of the reserved field `_verify/PATH`, written when the
/// verifier keys it (so a verification interrupted anywhere resumes there), and a finished phiếu
/// gets `_verified`. Being revisions, they merge like answers.
public struct FieldVerification: Codable, Hashable, Sendable {
    /// What the first keying said (PaperValue text).
    public var first: String
    /// What the verifier keyed.
    public var second: String
    /// What was keyed a third time, when the verifier chose to key again.
    public var third: String?
    /// Who keyed it wrong; nil when both agreed.
    public var charged: Charge?

    public enum Charge: String, Codable, Hashable, Sendable {
        case keyer, verifier, both
    }

    /// The verifier's decision on a mismatch.
    public enum Decision: Sendable, Equatable {
        case keepFirst, keepSecond
        case keyAgain(PaperValue)
    }

    public static let prefix = "_verify/"
    public static let done = "_verified"

    public static func field(_ path: String) -> String { prefix + path }

    public static func verifiedPath(_ field: String) -> String? {
        field.hasPrefix(prefix) ? String(field.dropFirst(prefix.count)) : nil
    }

    /// Two keyings that agree.
    public init(agreed value: PaperValue) {
        first = value.text
        second = value.text
    }

    /// A mismatch and the verifier's decision on it.
    public init(first: PaperValue, second: PaperValue, decision: Decision) {
        self.first = first.text
        self.second = second.text
        switch decision {
        case .keepFirst: charged = .verifier
        case .keepSecond: charged = .keyer
        case .keyAgain(let third):
            self.third = third.text
            charged = third == first ? .verifier : third == second ? .keyer : .both
        }
    }

    /// The value the field ends with.
    public var final: PaperValue {
        if let third { return PaperValue(text: third) ?? .empty }
        return PaperValue(text: charged == .keyer ? second : first) ?? .empty
    }

    /// The stored text: compact JSON with sorted keys, so one outcome is always one text.
    public var text: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    public init?(text: String) {
        guard let decoded = try? JSONDecoder().decode(FieldVerification.self, from: Data(text.utf8)),
              PaperValue(text: decoded.first) != nil, PaperValue(text: decoded.second) != nil,
              decoded.third.map({ PaperValue(text: $0) != nil }) ?? true
        else { return nil }
        self = decoded
    }
}

/// Whether a phiếu falls in a seeded verification sample: decided from the seed and the
/// interview id alone, so a sample is the same on every run and a resumed verification, and a
/// phiếu keyed later is in or out by the same rule.
public enum VerificationSample {
    public static func contains(_ interview: String, percent: Double, seed: UInt64) -> Bool {
        guard percent < 100 else { return true }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a over the id: stable across runs, unlike Hasher
        for byte in interview.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        var generator = SplitMix64(seed: seed ^ hash)
        return Double(generator.next() >> 11) / Double(1 << 53) * 100 < percent
    }
}

/// Keying and verifying, per clerk: what `canvass verify --report` shows.
public struct ClerkStatistics: Codable, Hashable, Sendable {
    public var clerk: String
    /// `key` (the clerk's own keying, checked by others) or `verify` (the clerk's verifying).
    public var role: String
    public var phieu = 0
    public var fields = 0
    /// Fields of this work that a verification compared.
    public var verifiedFields = 0
    public var errors = 0
    /// Errors per 1,000 fields verified; nil when none were.
    public var errorsPer1000: Double?
    /// Fields per hour of keying time (gaps over five minutes are breaks, not counted).
    public var fieldsPerHour: Double?

    enum CodingKeys: String, CodingKey {
        case clerk, role, phieu, fields, errors
        case verifiedFields = "verified_fields"
        case errorsPer1000 = "errors_per_1000"
        case fieldsPerHour = "fields_per_hour"
    }

    /// One field keyed or verified: who, in which interview, which field, when (ISO 8601), and
    /// for a verification its outcome.
    public struct Event: Sendable {
        public var author: String
        public var interview: String
        public var field: String
        public var time: String
        public var verification: FieldVerification?

        public init(author: String, interview: String, field: String, time: String, verification: FieldVerification?) {
            self.author = author
            self.interview = interview
            self.field = field
            self.time = time
            self.verification = verification
        }
    }

    /// A gap between two fields longer than this is a break.
    public static let breakSeconds: TimeInterval = 300

    /// `keyers` maps each keyed interview to its keyer; events by anyone else on its answer
    /// fields (an edit, a verifier's correction) are not keying.
    public static func compute(_ events: [Event], keyers: [String: String]) -> [ClerkStatistics] {
        struct Work { var phieu = Set<String>(); var fields = Set<String>(); var verified = 0, errors = 0; var times: [Date] = [] }
        var work: [String: Work] = [:]
        // The latest outcome of each verified field (a field verified twice counts once).
        var outcomes: [String: (time: String, author: String, verification: FieldVerification)] = [:]
        for event in events {
            if let path = FieldVerification.verifiedPath(event.field), let verification = event.verification {
                let key = "\(event.interview)\u{0}\(path)"
                if outcomes[key].map({ $0.time <= event.time }) ?? true { outcomes[key] = (event.time, event.author, verification) }
                var item = work["\(event.author)\u{0}verify", default: Work()]
                item.phieu.insert(event.interview)
                item.fields.insert(key)
                if let date = parse(event.time) { item.times.append(date) }
                work["\(event.author)\u{0}verify"] = item
            } else if keyers[event.interview] == event.author, !ReservedField.isReserved(event.field) || PaperValue.markedPath(event.field) != nil {
                let path = PaperValue.markedPath(event.field) ?? event.field
                var item = work["\(event.author)\u{0}key", default: Work()]
                item.phieu.insert(event.interview)
                item.fields.insert("\(event.interview)\u{0}\(path)")
                if let date = parse(event.time) { item.times.append(date) }
                work["\(event.author)\u{0}key"] = item
            }
        }
        for (key, outcome) in outcomes {
            let interview = String(key.prefix { $0 != "\u{0}" })
            let charged = outcome.verification.charged
            if let keyer = keyers[interview] {
                work["\(keyer)\u{0}key", default: Work()].verified += 1
                if charged == .keyer || charged == .both { work["\(keyer)\u{0}key", default: Work()].errors += 1 }
            }
            work["\(outcome.author)\u{0}verify", default: Work()].verified += 1
            if charged == .verifier || charged == .both { work["\(outcome.author)\u{0}verify", default: Work()].errors += 1 }
        }
        return work.map { key, item in
            let parts = key.split(separator: "\u{0}", omittingEmptySubsequences: false).map(String.init)
            var row = ClerkStatistics(clerk: parts[0], role: parts[1])
            row.phieu = item.phieu.count
            row.fields = item.fields.count
            row.verifiedFields = item.verified
            row.errors = item.errors
            row.errorsPer1000 = item.verified > 0 ? (Double(item.errors) * 1000 / Double(item.verified) * 10).rounded() / 10 : nil
            let seconds = activeSeconds(item.times)
            row.fieldsPerHour = seconds > 0 ? (Double(item.times.count) * 3600 / seconds).rounded() : nil
            return row
        }.sorted { ($0.clerk, $0.role) < ($1.clerk, $1.role) }
    }

    static func activeSeconds(_ times: [Date]) -> TimeInterval {
        let sorted = times.sorted()
        var total: TimeInterval = 0
        for (a, b) in zip(sorted, sorted.dropFirst()) where b.timeIntervalSince(a) <= breakSeconds { total += b.timeIntervalSince(a) }
        return total
    }

    static func parse(_ text: String) -> Date? {
        (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text)) ?? (try? Date.ISO8601FormatStyle().parse(text))
    }
}
