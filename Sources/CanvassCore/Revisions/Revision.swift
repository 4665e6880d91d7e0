/// A revision is named by the origin (the data file) that wrote it and that origin's counter.
///
/// Unlike random ids, the highest counter seen per origin is a version vector: a merge skips,
/// without reading, every revision a target already has (design.md §3).
public struct RevisionID: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var origin: String
    public var counter: Int64

    public init(origin: String, counter: Int64) {
        self.origin = origin
        self.counter = counter
    }

    /// Parses `origin:counter`.
    public init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":"), let counter = Int64(text[text.index(after: colon)...]) else { return nil }
        self.init(origin: String(text[..<colon]), counter: counter)
    }

    public var description: String { "\(origin):\(counter)" }

    /// Short enough to read and type: the origin's first 8 characters.
    public var short: String { "\(origin.prefix(8)):\(counter)" }

    public static func < (a: RevisionID, b: RevisionID) -> Bool {
        (a.origin, a.counter) < (b.origin, b.counter)
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = RevisionID(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a revision id: \(text)"))
        }
        self = id
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// One change to one field of one interview. Revisions are never changed or deleted.
public struct Revision: Sendable, Hashable, Codable {
    public var id: RevisionID
    public var interview: String
    public var field: String
    /// nil when the answer was cleared.
    public var value: String?
    public var author: String
    public var device: String
    /// Hybrid logical clock: orders what is shown; never decides which value wins.
    public var hlc: Int64
    /// Wall time, ISO 8601, for people.
    public var time: String
    /// The revisions of this field this one supersedes: the heads its author saw.
    public var parents: [RevisionID]

    public init(id: RevisionID, interview: String, field: String, value: String?, author: String, device: String,
                hlc: Int64, time: String, parents: [RevisionID]) {
        self.id = id
        self.interview = interview
        self.field = field
        self.value = value
        self.author = author
        self.device = device
        self.hlc = hlc
        self.time = time
        self.parents = parents
    }
}

/// Reserved fields: interview metadata kept as revisions so that it merges like answers.
public enum ReservedField {
    /// draft, completed, approved, rejected, discarded.
    public static let status = "_status"
    /// Notes accumulate: every note revision is kept and shown, none supersedes another.
    public static let note = "_note"
    /// Written with an approval: a digest of the answers approved, so a later or concurrent edit shows.
    public static let approved = "_approved"
    /// A kiosk draft left idle: when, and at which question.
    public static let abandoned = "_abandoned"

    public static func isReserved(_ field: String) -> Bool { field.hasPrefix("_") }
}

public enum InterviewStatus: String, Sendable, Codable, CaseIterable {
    case draft, completed, approved, rejected, discarded
}
