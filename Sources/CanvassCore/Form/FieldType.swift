/// A survey row's type, with XLSForm's aliases resolved to one canonical spelling.
public struct FieldType: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Kind: String, Sendable, CaseIterable {
        case integer, decimal, text, range
        case selectOne = "select_one", selectMultiple = "select_multiple"
        case selectOneFromFile = "select_one_from_file", selectMultipleFromFile = "select_multiple_from_file"
        case rank
        case date, time, datetime
        case note, calculate, acknowledge, hidden
        case geopoint, geotrace, geoshape, barcode
        case start, end, today, deviceid, username, phonenumber, subscriberid, simserial, email, audit
        case startGeopoint = "start-geopoint"
        case image, audio, video, file
        case backgroundAudio = "background-audio", backgroundGeopoint = "background-geopoint", osm
        case csvExternal = "csv-external", xmlExternal = "xml-external"
        case group, `repeat`

        /// Rows that hold no answer of the respondent's: they are filled by the device.
        public var isMetadata: Bool {
            switch self {
            case .start, .end, .today, .deviceid, .username, .phonenumber, .subscriberid, .simserial,
                .email, .audit, .startGeopoint, .backgroundAudio:
                return true
            default: return false
            }
        }

        public var isMedia: Bool { [.image, .audio, .video, .file].contains(self) }

        /// Whether Canvass can fill the row on a laptop. The others are kept, never asked and left
        /// empty; `whyNotCollected` says why.
        public var isCollected: Bool { whyNotCollected == nil }

        public var whyNotCollected: String? {
            switch self {
            case .backgroundAudio: return "records sound in the background on a phone; a laptop interview has no such recorder"
            case .backgroundGeopoint: return "takes the phone's location in the background; a laptop has no GPS"
            case .osm: return "draws OpenStreetMap features in ODK Collect's map widget, which Canvass does not have"
            case .audit: return "is ODK Collect's log of screen events; Canvass keeps every change with its time and author in the revision log instead (canvass show)"
            case .csvExternal, .xmlExternal: return "declares a secondary instance for instance() paths, which Canvass does not read (pulldata() reads a CSV beside the form)"
            default: return nil
            }
        }
        public var isContainer: Bool { self == .group || self == .repeat }
        public var takesList: Bool { [.selectOne, .selectMultiple, .rank].contains(self) }
        public var takesFile: Bool { [.selectOneFromFile, .selectMultipleFromFile].contains(self) }
        public var isSelect: Bool { takesList || takesFile }
        /// Answered with several choices, apart by spaces.
        public var takesSeveral: Bool { [.selectMultiple, .selectMultipleFromFile, .rank].contains(self) }
        /// Rows the respondent answers (or acknowledges), as opposed to notes, calculations and metadata.
        public var isQuestion: Bool {
            !(isContainer || isMetadata || self == .note || self == .calculate || self == .hidden) && isCollected
        }
    }

    /// nil when the type is not one XLSForm knows; `raw` then holds what was written.
    public let kind: Kind?
    /// The choice list (select types) or file (`*_from_file`).
    public let list: String?
    /// XLSForm's `or_other` suffix on a select.
    public let orOther: Bool
    public let raw: String

    public init(kind: Kind, list: String? = nil, orOther: Bool = false) {
        self.kind = kind
        self.list = list
        self.orOther = orOther
        self.raw = [kind.rawValue, list, orOther ? "or_other" : nil].compactMap { $0 }.joined(separator: " ")
    }

    /// Parses a type as written in YAML or an XLSForm cell, resolving aliases.
    public init(parsing written: String) {
        let words = written.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        let lowered = words.map { $0.lowercased() }
        for (alias, kind) in Self.aliases {
            let aliasWords = alias.split(separator: " ").map(String.init)
            guard lowered.starts(with: aliasWords) else { continue }
            var rest = Array(words.dropFirst(aliasWords.count))
            var orOther = false
            if kind.isSelect, rest.last?.lowercased() == "or_other" {
                orOther = true
                rest.removeLast()
            }
            if kind.isSelect {
                guard rest.count == 1 else { break }
                self.init(kind: kind, list: rest[0], orOther: orOther)
                return
            }
            guard rest.isEmpty else { break }
            self.init(kind: kind)
            return
        }
        self.init(unknown: words.joined(separator: " "))
    }

    private init(unknown raw: String) {
        kind = nil
        list = nil
        orOther = false
        self.raw = raw
    }

    /// XLSForm's spellings, longest first so that "select one from file" wins over "select one".
    static let aliases: [(String, Kind)] = {
        var table: [(String, Kind)] = Kind.allCases.map { ($0.rawValue, $0) }
        table += [
            ("select one", .selectOne), ("select_one_external", .selectOne),
            ("select all that apply", .selectMultiple), ("select multiple", .selectMultiple),
            ("select one from file", .selectOneFromFile), ("select multiple from file", .selectMultipleFromFile),
            ("add select one prompt using", .selectOne), ("add select multiple prompt using", .selectMultiple),
            ("string", .text), ("int", .integer), ("float", .decimal), ("gps", .geopoint), ("location", .geopoint),
            ("photo", .image), ("imei", .deviceid), ("phone number", .phonenumber), ("trigger", .acknowledge),
            ("begin group", .group), ("begin_group", .group), ("begin repeat", .repeat), ("begin_repeat", .repeat),
            ("q integer", .integer), ("q decimal", .decimal), ("q string", .text),
            ("q note", .note), ("q date", .date), ("q geopoint", .geopoint), ("barcode", .barcode),
            ("calculation", .calculate), ("date time", .datetime), ("dateTime", .datetime),
        ]
        return table.map { ($0.0.lowercased(), $0.1) }.sorted { $0.0.count > $1.0.count }
    }()

    public var description: String { raw }

    public init(from decoder: Decoder) throws {
        self.init(parsing: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(raw)
    }
}
