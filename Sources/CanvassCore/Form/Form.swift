/// A questionnaire definition: XLSForm's survey, choices and settings, plus Canvass's case key and indices.
public struct Form: Sendable, Hashable, Codable {
    public var formId: String
    public var version: String
    public var title: LocalizedText?
    public var defaultLanguage: String?
    /// An expression whose value identifies the case (household, receipt); equal keys are duplicates.
    public var caseKey: String?
    public var instanceName: String?
    public var survey: [Entry]
    public var choices: [ChoiceList]
    public var indices: [FormIndex]

    public init(
        formId: String, version: String, title: LocalizedText? = nil, defaultLanguage: String? = nil,
        caseKey: String? = nil, instanceName: String? = nil, survey: [Entry], choices: [ChoiceList] = [],
        indices: [FormIndex] = []
    ) {
        self.formId = formId
        self.version = version
        self.title = title
        self.defaultLanguage = defaultLanguage
        self.caseKey = caseKey
        self.instanceName = instanceName
        self.survey = survey
        self.choices = choices
        self.indices = indices
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case formId = "form_id", version, title
        case defaultLanguage = "default_language"
        case caseKey = "case_key"
        case instanceName = "instance_name"
        case survey, choices, indices
    }

    public static let keys: [String] = CodingKeys.allCases.map(\.rawValue)

    public func choiceList(_ name: String) -> ChoiceList? {
        choices.first { $0.name == name }
    }

    /// Every language any text of the form is written in, sorted.
    public var languages: [String] {
        var found = Set(title?.languages ?? [])
        for entry in allEntries {
            for text in [entry.label, entry.hint, entry.requiredMessage, entry.constraintMessage] {
                found.formUnion(text?.languages ?? [])
            }
        }
        for list in choices { for choice in list.choices { found.formUnion(choice.label?.languages ?? []) } }
        return found.sorted()
    }
}

/// A named list of choices for select questions, in display order.
public struct ChoiceList: Sendable, Hashable, Codable {
    public var name: String
    public var choices: [Choice]

    public init(name: String, choices: [Choice]) {
        self.name = name
        self.choices = choices
    }
}

public struct Choice: Sendable, Hashable, Codable {
    public var name: String
    public var label: LocalizedText?
    /// Other columns of XLSForm's choices sheet, used by `choice_filter` (e.g. `province: hn`).
    public var extra: [String: String]

    public init(name: String, label: LocalizedText? = nil, extra: [String: String] = [:]) {
        self.name = name
        self.label = label
        self.extra = extra
    }

    enum CodingKeys: String, CodingKey {
        case name, label, extra
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        label = try container.decodeIfPresent(LocalizedText.self, forKey: .label)
        extra = try container.decodeIfPresent([String: String].self, forKey: .extra) ?? [:]
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encodeIfPresent(label, forKey: .label)
        if !extra.isEmpty { try container.encode(extra, forKey: .extra) }
    }
}

/// A satisfaction index: which questions make each element, and which answers count as satisfied.
public struct FormIndex: Sendable, Hashable, Codable {
    public var name: String
    public var label: LocalizedText?
    public var satisfied: [String]
    public var elements: [Element]

    public struct Element: Sendable, Hashable, Codable {
        public var name: String
        public var label: LocalizedText?
        public var questions: [String]

        public init(name: String, label: LocalizedText? = nil, questions: [String]) {
            self.name = name
            self.label = label
            self.questions = questions
        }
    }

    public init(name: String, label: LocalizedText? = nil, satisfied: [String], elements: [Element]) {
        self.name = name
        self.label = label
        self.satisfied = satisfied
        self.elements = elements
    }
}
