/// A label, hint or message: either one plain text or one text per language.
///
/// Kept as written (plain versus per-language) so that a form round-trips through XLSForm,
/// where a plain `label` column and `label::English (en)` columns are different things.
public enum LocalizedText: Sendable, Hashable, Codable {
    case plain(String)
    case localized([String: String])

    /// The text to show in `language`, falling back to `fallback`, then to any language.
    public func text(in language: String?, fallback: String? = nil) -> String {
        switch self {
        case .plain(let text):
            return text
        case .localized(let texts):
            if let language, let text = texts[language] { return text }
            if let fallback, let text = texts[fallback] { return text }
            return texts.keys.sorted().first.flatMap { texts[$0] } ?? ""
        }
    }

    public var languages: [String] {
        switch self {
        case .plain: return []
        case .localized(let texts): return texts.keys.sorted()
        }
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .plain(text)
        } else {
            self = .localized(try container.decode([String: String].self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .plain(let text): try container.encode(text)
        case .localized(let texts): try container.encode(texts)
        }
    }
}
