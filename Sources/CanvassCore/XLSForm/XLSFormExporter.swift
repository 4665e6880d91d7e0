import Foundation

/// Lays a `Form` out as XLSForm sheets: survey, choices, settings, and Canvass's indices.
///
/// Only the columns some row uses are written. Texts in several languages go to `label::English (en)`
/// style columns, which pyxform reads as language names with codes and our importer reads back as
/// the codes; `default_language` is written the same way so that pyxform matches it to the columns.
enum XLSFormExporter {
    static func sheets(_ form: Form) -> [XLSXWriter.Sheet] {
        var sheets = [survey(form)]
        if let choices = choices(form) { sheets.append(choices) }
        sheets.append(settings(form))
        if let indices = indices(form) { sheets.append(indices) }
        return sheets
    }

    // MARK: - Languages

    static let languageNames: [String: String] = [
        "vi": "Tiếng Việt", "en": "English", "fr": "Français", "es": "Español", "pt": "Português",
        "de": "Deutsch", "zh": "中文", "ja": "日本語", "ko": "한국어", "th": "ไทย", "km": "ខ្មែរ",
        "lo": "ລາວ", "id": "Bahasa Indonesia", "ms": "Bahasa Melayu", "ru": "Русский", "ar": "العربية",
        "sw": "Kiswahili", "hi": "हिन्दी", "bn": "বাংলা", "my": "မြန်မာ", "tl": "Tagalog", "it": "Italiano",
        "nl": "Nederlands", "am": "አማርኛ", "fa": "فارسی", "tr": "Türkçe", "uk": "Українська",
    ]

    /// The column suffix for a language key: `vi` → `Tiếng Việt (vi)`; a key that is not a code as is.
    static func languageHeader(_ key: String) -> String {
        guard XLSFormImporter.isLanguageCode(key) else { return key }
        let primary = String(key.split(separator: "-").first ?? Substring(key)).lowercased()
        return "\(languageNames[primary] ?? key) (\(key))"
    }

    /// The languages used by some text, the default language first.
    static func languages(_ texts: [LocalizedText?], defaultLanguage: String?) -> (plain: Bool, languages: [String]) {
        var plain = false
        var found = Set<String>()
        for text in texts {
            switch text {
            case .plain?: plain = true
            case .localized(let values)?: found.formUnion(values.keys)
            case nil: break
            }
        }
        let sorted = found.sorted { a, b in
            if a == defaultLanguage { return b != defaultLanguage }
            if b == defaultLanguage { return false }
            return a < b
        }
        return (plain, sorted)
    }

    /// A text column set: `base` for plain texts, `base::Language (code)` for each language used.
    struct TextColumns {
        var key: String
        var plain: Bool
        var languages: [String]

        init(_ key: String, _ texts: [LocalizedText?], defaultLanguage: String?) {
            self.key = key
            (plain, languages) = XLSFormExporter.languages(texts, defaultLanguage: defaultLanguage)
        }

        var headers: [String] {
            (plain ? [key] : []) + languages.map { "\(key)::\(XLSFormExporter.languageHeader($0))" }
        }

        func cells(_ text: LocalizedText?) -> [String] {
            var result: [String] = []
            if plain {
                if case .plain(let value)? = text { result.append(value) } else { result.append("") }
            }
            for language in languages {
                if case .localized(let values)? = text { result.append(values[language] ?? "") } else { result.append("") }
            }
            return result
        }
    }

    // MARK: - Survey

    static func survey(_ form: Form) -> XLSXWriter.Sheet {
        let entries = form.allEntries
        let language = form.defaultLanguage
        let label = TextColumns("label", entries.map(\.label), defaultLanguage: language)
        let hint = TextColumns("hint", entries.map(\.hint), defaultLanguage: language)
        let requiredMessage = TextColumns("required_message", entries.map(\.requiredMessage), defaultLanguage: language)
        let constraintMessage = TextColumns("constraint_message", entries.map(\.constraintMessage), defaultLanguage: language)

        typealias Plain = (header: String, value: (Entry) -> String?)
        func plain(_ header: String, _ value: @escaping (Entry) -> String?) -> Plain? {
            entries.contains { value($0) != nil } ? (header, value) : nil
        }
        let before: [Plain] = [plain("required", { condition($0.required) })].compactMap { $0 }
        let middle: [Plain] = [
            plain("relevant", \.relevant), plain("constraint", \.constraint),
        ].compactMap { $0 }
        let after: [Plain] = [
            plain("calculation", \.calculation), plain("choice_filter", \.choiceFilter), plain("default", \.default),
            plain("read_only", { condition($0.readOnly) }), plain("appearance", \.appearance),
            plain("repeat_count", \.repeatCount), plain("parameters", \.parameters),
        ].compactMap { $0 }

        let header = ["type", "name"] + label.headers + hint.headers + before.map(\.header)
            + requiredMessage.headers + middle.map(\.header) + constraintMessage.headers + after.map(\.header)

        func row(_ type: String, _ entry: Entry) -> [String] {
            [type, entry.name] + label.cells(entry.label) + hint.cells(entry.hint) + before.map { $0.value(entry) ?? "" }
                + requiredMessage.cells(entry.requiredMessage) + middle.map { $0.value(entry) ?? "" }
                + constraintMessage.cells(entry.constraintMessage) + after.map { $0.value(entry) ?? "" }
        }

        var rows = [header]
        func walk(_ entries: [Entry]) {
            for entry in entries {
                if let kind = entry.kind, kind.isContainer {
                    rows.append(row("begin \(kind.rawValue)", entry))
                    walk(entry.children ?? [])
                    rows.append(["end \(kind.rawValue)", entry.name] + Array(repeating: "", count: header.count - 2))
                } else {
                    rows.append(row(entry.type.raw, entry))
                }
            }
        }
        walk(form.survey)
        return XLSXWriter.Sheet(name: "survey", rows: rows)
    }

    /// `true()` as XLSForm's `yes`; other expressions as written.
    static func condition(_ value: String?) -> String? {
        value == "true()" ? "yes" : value
    }

    // MARK: - Choices

    static func choices(_ form: Form) -> XLSXWriter.Sheet? {
        let all = form.choices.flatMap(\.choices)
        guard !all.isEmpty else { return nil }
        let label = TextColumns("label", all.map(\.label), defaultLanguage: form.defaultLanguage)
        var extras: [String] = []
        for choice in all {
            for key in choice.extra.keys.sorted() where !extras.contains(key) { extras.append(key) }
        }
        var rows = [["list_name", "name"] + label.headers + extras]
        for list in form.choices {
            for choice in list.choices {
                rows.append([list.name, choice.name] + label.cells(choice.label) + extras.map { choice.extra[$0] ?? "" })
            }
        }
        return XLSXWriter.Sheet(name: "choices", rows: rows)
    }

    // MARK: - Settings

    static func settings(_ form: Form) -> XLSXWriter.Sheet {
        var header: [String] = []
        var values: [String] = []
        func add(_ key: String, _ value: String?) {
            guard let value else { return }
            header.append(key)
            values.append(value)
        }
        switch form.title {
        case .plain(let title)?:
            add("form_title", title)
        case .localized(let titles)?:
            let first = form.defaultLanguage.flatMap { titles[$0] } ?? titles.keys.sorted().first.flatMap { titles[$0] }
            add("form_title", first)
            for language in languages([form.title], defaultLanguage: form.defaultLanguage).languages {
                add("canvass_title::\(languageHeader(language))", titles[language])
            }
        case nil: break
        }
        add("form_id", form.formId)
        add("version", form.version)
        add("default_language", form.defaultLanguage.map(languageHeader))
        add("instance_name", form.instanceName)
        add("case_key", form.caseKey)
        return XLSXWriter.Sheet(name: "settings", rows: [header, values])
    }

    // MARK: - Indices (Canvass-only)

    static func indices(_ form: Form) -> XLSXWriter.Sheet? {
        guard !form.indices.isEmpty else { return nil }
        let language = form.defaultLanguage
        let indexLabel = TextColumns("index_label", form.indices.map(\.label), defaultLanguage: language)
        let elementLabel = TextColumns("element_label", form.indices.flatMap { $0.elements.map(\.label) }, defaultLanguage: language)
        let header = ["index"] + indexLabel.headers + ["satisfied", "element"] + elementLabel.headers + ["question"]
        var rows = [header]
        for index in form.indices {
            var firstOfIndex = true
            func row(_ element: FormIndex.Element?, firstOfElement: Bool, question: String?) -> [String] {
                defer { firstOfIndex = false }
                let indexCells = firstOfIndex ? indexLabel.cells(index.label) + [index.satisfied.joined(separator: " ")]
                    : Array(repeating: "", count: indexLabel.headers.count + 1)
                let elementCells = firstOfElement ? elementLabel.cells(element?.label) : Array(repeating: "", count: elementLabel.headers.count)
                return [index.name] + indexCells + [element?.name ?? ""] + elementCells + [question ?? ""]
            }
            if index.elements.isEmpty { rows.append(row(nil, firstOfElement: true, question: nil)) }
            for element in index.elements {
                if element.questions.isEmpty { rows.append(row(element, firstOfElement: true, question: nil)) }
                for (i, question) in element.questions.enumerated() {
                    rows.append(row(element, firstOfElement: i == 0, question: question))
                }
            }
        }
        return XLSXWriter.Sheet(name: "indices", rows: rows)
    }
}
