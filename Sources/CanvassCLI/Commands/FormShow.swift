import ArgumentParser
import CanvassCore

struct FormShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a form's question tree, choices, case key and indices.",
        discussion: """
            Examples:
              canvass form show forms/sipas-2017.yaml
              canvass form show forms/sipas-2017.yaml --lang en
              canvass form show forms/household.yaml --json
            """
    )

    @Argument(help: "The form file.")
    var form: String

    @Option(help: "Language of labels (a code such as vi or en); default: the form's default_language.")
    var lang: String?

    @Flag(help: "Print the form as JSON (form_id, version, sha256, languages, fields, groups, choices, case_key, indices).")
    var json = false

    func run() throws {
        let form = try FormFile.load(self.form)
        if let lang, !form.languages.isEmpty, !form.languages.contains(lang) {
            throw ValidationError("the form has no '\(lang)' labels; its languages are \(form.languages.joined(separator: ", "))")
        }
        if json {
            Output.printJSON(FormSummary(form))
        } else {
            Output.print(render(form, language: lang ?? form.defaultLanguage))
        }
    }

    func render(_ form: Form, language: String?) -> String {
        var lines: [String] = []
        let title = form.title?.text(in: language, fallback: form.defaultLanguage) ?? form.formId
        lines.append(Output.styled(title, .bold) + "  (\(form.formId) version \(form.version))")
        lines.append("sha256 \(form.sha256)")
        if !form.languages.isEmpty { lines.append("languages: \(form.languages.joined(separator: ", "))") }
        if let key = form.caseKey { lines.append("case key: \(key)") }
        lines.append("")
        var number = 0
        for item in form.located {
            let entry = item.entry
            let indent = String(repeating: "  ", count: item.ancestors.count)
            let label = entry.label?.text(in: language, fallback: form.defaultLanguage) ?? ""
            if entry.isContainer {
                let extra = entry.repeatCount.map { " × \($0)" } ?? ""
                lines.append(indent + Output.styled("[\(entry.type.raw)\(extra)] \(entry.name)", .cyan) + "  " + Output.styled(label, .bold))
                continue
            }
            number += 1
            var marks: [String] = []
            if entry.required != nil { marks.append(entry.required == "true()" ? "required" : "required if \(entry.required!)") }
            if let relevant = entry.relevant { marks.append("if \(relevant)") }
            if let constraint = entry.constraint { marks.append("check \(constraint)") }
            if let calculation = entry.calculation { marks.append("= \(calculation)") }
            let details = marks.isEmpty ? "" : Output.styled("  {" + marks.joined(separator: "; ") + "}", .dim)
            lines.append("\(indent)\(number). \(item.key) (\(entry.type.raw))  \(label)\(details)")
        }
        for index in form.indices {
            lines.append("")
            lines.append(Output.styled("index \(index.name)", .bold) + "  \(index.label?.text(in: language, fallback: form.defaultLanguage) ?? "")  satisfied: \(index.satisfied.joined(separator: ", "))")
            for element in index.elements {
                let label = element.label?.text(in: language, fallback: form.defaultLanguage) ?? ""
                lines.append("  \(element.name) (\(element.questions.count)) \(label): \(element.questions.joined(separator: " "))")
            }
        }
        return lines.joined(separator: "\n")
    }
}

/// The JSON shape of `form show --json`: stable keys for scripts.
struct FormSummary: Encodable {
    struct Field: Encodable {
        /// `key` is how answers, columns and commands name the field: its name, or a path when the
        /// name is used more than once in the form.
        var name, key, type, path: String
        var list: String?
        var required: Requirement
        var relevant, constraint, calculation: String?
        var label, hint: LocalizedText?
        var repeats: [String]
    }

    struct Group: Encodable {
        var name, type, path: String
        var label: LocalizedText?
        var relevant: String?
        var repeatCount: String?
        var fields: Int

        enum CodingKeys: String, CodingKey {
            case name, type, path, label, relevant, fields
            case repeatCount = "repeat_count"
        }
    }

    /// `true`, `false`, or the expression that decides.
    enum Requirement: Encodable {
        case always, never, when(String)

        init(_ required: String?) {
            switch required {
            case nil: self = .never
            case "true()": self = .always
            case let expression?: self = .when(expression)
            }
        }

        func encode(to encoder: Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .always: try container.encode(true)
            case .never: try container.encode(false)
            case .when(let expression): try container.encode(expression)
            }
        }
    }

    var formId, version, sha256: String
    var title: LocalizedText?
    var defaultLanguage: String?
    var languages: [String]
    var caseKey: String?
    var fields: [Field]
    var groups: [Group]
    var choices: [String: [Choice]]
    var indices: [FormIndex]

    enum CodingKeys: String, CodingKey {
        case formId = "form_id", version, sha256, title, languages, fields, groups, choices, indices
        case defaultLanguage = "default_language"
        case caseKey = "case_key"
    }

    init(_ form: Form) {
        formId = form.formId
        version = form.version
        sha256 = form.sha256
        title = form.title
        defaultLanguage = form.defaultLanguage
        languages = form.languages
        caseKey = form.caseKey
        let located = form.located
        fields = form.fields.map { item in
            let entry = item.entry
            return Field(
                name: entry.name, key: item.key, type: entry.kind?.rawValue ?? entry.type.raw, path: item.path, list: entry.type.list,
                required: Requirement(entry.required), relevant: entry.relevant, constraint: entry.constraint,
                calculation: entry.calculation, label: entry.label, hint: entry.hint, repeats: item.repeats)
        }
        groups = located.filter(\.entry.isContainer).map { item in
            let prefix = item.path + "/"
            return Group(
                name: item.entry.name, type: item.entry.type.raw, path: item.path, label: item.entry.label,
                relevant: item.entry.relevant, repeatCount: item.entry.repeatCount,
                fields: located.filter { $0.path.hasPrefix(prefix) && !$0.entry.isContainer }.count)
        }
        choices = Dictionary(uniqueKeysWithValues: form.choices.map { ($0.name, $0.choices) })
        indices = form.indices
    }
}
