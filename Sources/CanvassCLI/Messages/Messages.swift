import CanvassCore
import Foundation

/// Every prompt, message, error and help line of `interview`, `key`, `verify` and the kiosk, in
/// the user's language. Each language is one file (`en.swift`, `vi.swift`) holding a table of
/// these keys; a third is one more file and its name in `Messages.tables`.
/// `MessagesTests` fails when a table lacks a key or a placeholder.
struct Messages: Sendable {
    let language: String
    let table: [Message: String]

    static let tables: [String: [Message: String]] = ["en": english, "vi": vietnamese]

    /// The language from `--lang`, then the form's default language, then `LANG`; the first the
    /// catalogue has, else English.
    static func choose(lang: String?, form: Form?, environment: [String: String] = ProcessInfo.processInfo.environment) -> Messages {
        let fromEnvironment = (environment["LC_ALL"].flatMap { $0.isEmpty ? nil : $0 } ?? environment["LANG"])
            .map { String($0.prefix { $0 != "_" && $0 != "." && $0 != "-" }) }
        for candidate in [lang, form?.defaultLanguage, fromEnvironment].compactMap({ $0?.lowercased() }) {
            if let table = tables[candidate] { return Messages(language: candidate, table: table) }
        }
        return Messages(language: "en", table: english)
    }

    /// The message for `key` with `{name}` placeholders filled in.
    func callAsFunction(_ key: Message, _ arguments: [String: String] = [:]) -> String {
        var text = table[key] ?? Messages.english[key] ?? key.rawValue
        for (name, value) in arguments { text = text.replacingOccurrences(of: "{\(name)}", with: value) }
        return text
    }

    /// What an answer of this kind should have been, for "expected …" lines.
    func expected(_ slot: Slot, choices: Int) -> String {
        switch slot.entry.kind {
        case .selectOne?: return self(.expectChoice, ["max": String(choices)])
        case .selectMultiple?: return self(.expectChoices, ["max": String(choices)])
        case .integer?, .repeat?: return self(.expectWhole)
        case .decimal?: return self(.expectNumber)
        case .date?: return self(.expectDate)
        case .time?: return self(.expectTime)
        case .datetime?: return self(.expectDateTime)
        case .geopoint?, .startGeopoint?: return self(.expectLocation)
        case .geotrace?: return self(.expectTrace)
        case .geoshape?: return self(.expectShape)
        case .rank?: return self(.expectRank, ["max": String(choices)])
        case .range?: return range(RangeParameters(slot.entry.parameters))
        case .barcode?: return self(.expectCode)
        case .image?, .audio?, .video?, .file?: return self(.hintFile)
        case .acknowledge?: return self(.expectOK)
        default: return self(.expectText, ["max": String(FormEngine.maxValueLength)])
        }
    }

    /// A photo, recording or document path the prompt could not take.
    func media(_ failure: MediaInput.Failure) -> String {
        switch failure {
        case .notAFile(let path): self(.mediaNotAFile, ["path": path])
        case .tooLarge(let path, let megabytes, let limit): self(.mediaTooLarge, ["path": path, "size": String(megabytes), "max": String(limit)])
        case .unreadable(let path): self(.mediaUnreadable, ["path": path])
        }
    }

    /// How to type an answer that is not plain text or a choice number, shown under the question.
    func hint(_ entry: Entry) -> String? {
        switch entry.kind {
        case .geopoint?, .startGeopoint?: return self(.hintLocation)
        case .geotrace?: return self(.hintTrace)
        case .geoshape?: return self(.hintShape)
        case .image?, .audio?, .video?, .file?: return self(.hintFile)
        case .rank?: return self(.hintRank)
        case .range?: return "(" + range(RangeParameters(entry.parameters)) + ")"
        case .barcode?: return self(.hintCode)
        default: return nil
        }
    }

    private func range(_ range: RangeParameters) -> String {
        self(.expectRange, ["start": FieldValue.format(range.start), "end": FieldValue.format(range.end), "step": FieldValue.format(abs(range.step))])
    }

    /// A finding in the user's language: the form's own messages are already in it; the rest by code.
    func finding(_ finding: Finding, form: Form) -> String {
        let field = finding.field ?? ""
        let text: String
        switch finding.code {
        case "required": text = self(.findingRequired, ["field": field])
        case "constraint" where finding.message.contains(": "):
            let slot = FormEngine.parsePath(field).map(\.1)
            let ownMessage = slot.flatMap { name in form.located.first { $0.entry.name == name }?.entry.constraintMessage }
            text = ownMessage.map { "'\(field)': " + $0.text(in: language, fallback: form.defaultLanguage) }
                ?? self(.findingConstraint, ["field": field])
        case "type": text = self(.findingType, ["field": field])
        case "repeat-count": text = self(.findingRepeatCount, ["field": field])
        case "not-relevant": text = self(.findingNotRelevant, ["field": field])
        case "out-of-range": text = self(.findingOutOfRange, ["field": field])
        case "blank-on-paper": text = self(.findingBlank, ["field": field])
        default: text = finding.message
        }
        return (finding.severity == .error ? self(.error) : self(.warning)) + " [\(finding.code)] " + text
    }
}
