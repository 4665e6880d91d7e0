import Foundation
import Yams

/// Reads our YAML form format into a `Form`, normalising every text to NFC.
///
/// Walks Yams's node tree rather than decoding, so that errors can name the line, and so that the
/// order of choice lists is kept.
public enum FormLoader {
    /// More nodes than any real questionnaire has: stops YAML alias bombs from expanding without end.
    static let nodeLimit = 200_000

    public static func load(yaml: String, file: String) throws(FormError) -> Form {
        var reader = Reader(file: file)
        return try reader.form(try compose(yaml, file: file, empty: "the file is empty; a form needs form_id, version and survey"))
    }

    /// The YAML's node tree; `empty` is the message for a file with nothing in it.
    static func compose(_ yaml: String, file: String, empty: String) throws(FormError) -> Node {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw FormError(file: file, message: "not valid YAML: \(Self.describe(error)); fix the syntax near that line")
        }
        guard let root else { throw FormError(file: file, message: empty) }
        return root
    }

    static func describe(_ error: Error) -> String {
        if let yaml = error as? YamlError, case let .scanner(_, problem, mark, _) = yaml {
            return "line \(mark.line): \(problem)"
        }
        if let yaml = error as? YamlError, case let .parser(_, problem, mark, _) = yaml {
            return "line \(mark.line): \(problem)"
        }
        return String(describing: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
    }

    struct Reader {
        let file: String
        var visited = 0

        func fail(_ node: Node?, _ message: String) -> FormError {
            FormError(file: file, line: node?.mark?.line, message: message)
        }

        mutating func count(_ node: Node) throws(FormError) {
            visited += 1
            if visited > FormLoader.nodeLimit {
                throw fail(node, "the form has more than \(FormLoader.nodeLimit) YAML nodes (an alias bomb?); write it out plainly")
            }
        }

        mutating func pairs(_ node: Node, _ what: String) throws(FormError) -> [(key: String, value: Node, node: Node)] {
            try count(node)
            guard case .mapping(let mapping) = node else { throw fail(node, "\(what) must be a mapping of keys to values") }
            var result: [(String, Node, Node)] = []
            var seen = Set<String>()
            for (key, value) in mapping {
                guard let name = key.string else { throw fail(key, "\(what) has a key that is not text") }
                if !seen.insert(name).inserted { throw fail(key, "\(what) has the key '\(name)' twice; keep one") }
                result.append((name, value, key))
            }
            return result
        }

        mutating func list(_ node: Node, _ what: String) throws(FormError) -> [Node] {
            try count(node)
            guard case .sequence(let sequence) = node else { throw fail(node, "\(what) must be a list") }
            return Array(sequence)
        }

        mutating func string(_ node: Node, _ what: String) throws(FormError) -> String {
            try count(node)
            guard case .scalar(let scalar) = node else { throw fail(node, "\(what) must be a single value, not a list or mapping") }
            return scalar.string.precomposedStringWithCanonicalMapping
        }

        mutating func text(_ node: Node, _ what: String) throws(FormError) -> LocalizedText {
            if case .scalar = node { return .plain(try string(node, what)) }
            var texts: [String: String] = [:]
            for (language, value, _) in try pairs(node, "\(what) (a text or a map of language to text)") {
                texts[language] = try string(value, "\(what) in '\(language)'")
            }
            return .localized(texts)
        }

        /// `required` and `read_only`: yes/true become `true()`, no/false become absent, anything else is an expression.
        mutating func condition(_ node: Node, _ what: String) throws(FormError) -> String? {
            let value = try string(node, what).trimmingCharacters(in: .whitespaces)
            switch value.lowercased() {
            case "yes", "true", "true()": return "true()"
            case "no", "false", "false()", "": return nil
            default: return value
            }
        }

        func unknown(_ key: String, _ node: Node, in what: String, allowed: [String]) -> FormError {
            let close = allowed.min { editDistance($0, key) < editDistance($1, key) }
            let hint = close.map { editDistance($0, key) <= 2 ? "did you mean '\($0)'?" : nil } ?? nil
            return fail(node, "unknown key '\(key)' in \(what); " + (hint ?? "the keys are \(allowed.joined(separator: ", "))"))
        }

        mutating func form(_ root: Node) throws(FormError) -> Form {
            var form = Form(formId: "", version: "", survey: [])
            var seen = Set<String>()
            for (key, value, keyNode) in try pairs(root, "the form") {
                seen.insert(key)
                switch key {
                case "form_id": form.formId = try string(value, "form_id")
                case "version": form.version = try string(value, "version")
                case "title": form.title = try text(value, "title")
                case "default_language": form.defaultLanguage = try string(value, "default_language")
                case "case_key": form.caseKey = try string(value, "case_key")
                case "instance_name": form.instanceName = try string(value, "instance_name")
                case "survey": form.survey = try entries(value, "survey")
                case "choices": form.choices = try choiceLists(value)
                case "indices": form.indices = try indices(value)
                default: throw unknown(key, keyNode, in: "the form", allowed: Form.keys)
                }
            }
            for required in ["form_id", "version", "survey"] where !seen.contains(required) {
                throw fail(root, "the form has no '\(required)'; add it at the top level")
            }
            return form
        }

        mutating func entries(_ node: Node, _ what: String) throws(FormError) -> [Entry] {
            var result: [Entry] = []
            for item in try list(node, what) { result.append(try entry(item)) }
            return result
        }

        mutating func entry(_ node: Node) throws(FormError) -> Entry {
            let fields = try pairs(node, "a survey entry")
            guard let typeNode = fields.first(where: { $0.key == "type" })?.value else {
                throw fail(node, "a survey entry has no 'type'; give every entry a type such as text or select_one LIST")
            }
            guard let nameNode = fields.first(where: { $0.key == "name" })?.value else {
                throw fail(node, "a survey entry has no 'name'; give every entry a unique name")
            }
            let name = try string(nameNode, "name")
            var entry = Entry(type: FieldType(parsing: try string(typeNode, "type of '\(name)'")), name: name)
            let what = "'\(name)'"
            for (key, value, keyNode) in fields {
                switch key {
                case "type", "name": break
                case "label": entry.label = try text(value, "label of \(what)")
                case "hint": entry.hint = try text(value, "hint of \(what)")
                case "required": entry.required = try condition(value, "required of \(what)")
                case "required_message": entry.requiredMessage = try text(value, "required_message of \(what)")
                case "relevant": entry.relevant = try string(value, "relevant of \(what)")
                case "constraint": entry.constraint = try string(value, "constraint of \(what)")
                case "constraint_message": entry.constraintMessage = try text(value, "constraint_message of \(what)")
                case "calculation": entry.calculation = try string(value, "calculation of \(what)")
                case "choice_filter": entry.choiceFilter = try string(value, "choice_filter of \(what)")
                case "default": entry.default = try string(value, "default of \(what)")
                case "read_only": entry.readOnly = try condition(value, "read_only of \(what)")
                case "appearance": entry.appearance = try string(value, "appearance of \(what)")
                case "repeat_count": entry.repeatCount = try string(value, "repeat_count of \(what)")
                case "parameters": entry.parameters = try string(value, "parameters of \(what)")
                case "children": entry.children = try entries(value, "children of \(what)")
                default: throw unknown(key, keyNode, in: "survey entry \(what)", allowed: Entry.keys)
                }
            }
            return entry
        }

        mutating func choiceLists(_ node: Node) throws(FormError) -> [ChoiceList] {
            var result: [ChoiceList] = []
            for (name, value, _) in try pairs(node, "choices") {
                var choices: [Choice] = []
                for item in try list(value, "choice list '\(name)'") {
                    var choice = Choice(name: "")
                    var hasName = false
                    for (key, field, _) in try pairs(item, "a choice of '\(name)'") {
                        switch key {
                        case "name":
                            choice.name = try string(field, "a choice name in '\(name)'")
                            hasName = true
                        case "label": choice.label = try text(field, "a choice label in '\(name)'")
                        default: choice.extra[key] = try string(field, "'\(key)' of a choice in '\(name)'")
                        }
                    }
                    guard hasName else { throw fail(item, "a choice in list '\(name)' has no 'name'; add one") }
                    choices.append(choice)
                }
                result.append(ChoiceList(name: name.precomposedStringWithCanonicalMapping, choices: choices))
            }
            return result
        }

        mutating func indices(_ node: Node) throws(FormError) -> [FormIndex] {
            var result: [FormIndex] = []
            for item in try list(node, "indices") {
                var index = FormIndex(name: "", satisfied: [], elements: [])
                for (key, value, keyNode) in try pairs(item, "an index") {
                    switch key {
                    case "name": index.name = try string(value, "index name")
                    case "label": index.label = try text(value, "index label")
                    case "satisfied": index.satisfied = try strings(value, "satisfied")
                    case "elements":
                        for element in try list(value, "elements") {
                            var result = FormIndex.Element(name: "", questions: [])
                            for (key, value, keyNode) in try pairs(element, "an index element") {
                                switch key {
                                case "name": result.name = try string(value, "element name")
                                case "label": result.label = try text(value, "element label")
                                case "questions": result.questions = try strings(value, "questions")
                                default: throw unknown(key, keyNode, in: "an index element", allowed: ["name", "label", "questions"])
                                }
                            }
                            index.elements.append(result)
                        }
                    default: throw unknown(key, keyNode, in: "an index", allowed: ["name", "label", "satisfied", "elements"])
                    }
                }
                result.append(index)
            }
            return result
        }

        mutating func strings(_ node: Node, _ what: String) throws(FormError) -> [String] {
            var result: [String] = []
            for item in try list(node, what) { result.append(try string(item, what)) }
            return result
        }
    }
}

/// Levenshtein distance, for "did you mean" suggestions.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return previous[b.count]
}
