import Yams

/// Writes a form in our YAML format, keys in XLSForm's column order, so that loading it back gives
/// the same form (the same canonical JSON and sha256).
public enum FormYAML {
    public static func write(_ form: Form) -> String {
        var top: [(Node, Node)] = [
            (key("form_id"), scalar(form.formId)),
            (key("version"), Node(form.version, .implicit, .doubleQuoted)),
        ]
        if let title = form.title { top.append((key("title"), text(title))) }
        if let language = form.defaultLanguage { top.append((key("default_language"), scalar(language))) }
        if let caseKey = form.caseKey { top.append((key("case_key"), scalar(caseKey))) }
        if let name = form.instanceName { top.append((key("instance_name"), scalar(name))) }
        top.append((key("survey"), Node(form.survey.map(entry))))
        if !form.choices.isEmpty {
            top.append((key("choices"), Node(form.choices.map { list in
                (key(list.name), Node(list.choices.map(choice)))
            })))
        }
        if !form.indices.isEmpty { top.append((key("indices"), Node(form.indices.map(index)))) }
        // Serialising a tree of plain strings cannot fail.
        let yaml = (try? Yams.serialize(node: Node(top), width: -1, allowUnicode: true)) ?? ""
        return yaml
    }

    static func key(_ name: String) -> Node { Node(name) }

    /// Plain when unambiguous, quoted when YAML would read it otherwise (libyaml decides).
    static func scalar(_ value: String) -> Node { Node(value) }

    static func text(_ value: LocalizedText) -> Node {
        switch value {
        case .plain(let text): return scalar(text)
        case .localized(let texts): return Node(texts.keys.sorted().map { (key($0), scalar(texts[$0] ?? "")) })
        }
    }

    static func entry(_ entry: Entry) -> Node {
        var pairs: [(Node, Node)] = [(key("type"), scalar(entry.type.raw)), (key("name"), scalar(entry.name))]
        func add(_ name: String, _ value: String?) { if let value { pairs.append((key(name), scalar(value))) } }
        func add(_ name: String, _ value: LocalizedText?) { if let value { pairs.append((key(name), text(value))) } }
        add("label", entry.label)
        add("hint", entry.hint)
        /// `true()` is written as the plain `true` people write.
        func condition(_ name: String, _ value: String?) {
            if let value { pairs.append((key(name), value == "true()" ? Node("true") : scalar(value))) }
        }
        condition("required", entry.required)
        add("required_message", entry.requiredMessage)
        add("relevant", entry.relevant)
        add("constraint", entry.constraint)
        add("constraint_message", entry.constraintMessage)
        add("calculation", entry.calculation)
        add("choice_filter", entry.choiceFilter)
        add("default", entry.default)
        condition("read_only", entry.readOnly)
        add("appearance", entry.appearance)
        add("repeat_count", entry.repeatCount)
        add("parameters", entry.parameters)
        if let children = entry.children { pairs.append((key("children"), Node(children.map(self.entry)))) }
        return Node(pairs)
    }

    static func choice(_ choice: Choice) -> Node {
        var pairs: [(Node, Node)] = [(key("name"), Node(choice.name, .implicit, .doubleQuoted))]
        if let label = choice.label { pairs.append((key("label"), text(label))) }
        for column in choice.extra.keys.sorted() { pairs.append((key(column), scalar(choice.extra[column] ?? ""))) }
        return Node(pairs)
    }

    static func index(_ index: FormIndex) -> Node {
        var pairs: [(Node, Node)] = [(key("name"), scalar(index.name))]
        if let label = index.label { pairs.append((key("label"), text(label))) }
        pairs.append((key("satisfied"), Node(index.satisfied.map { Node($0, .implicit, .doubleQuoted) })))
        pairs.append((key("elements"), Node(index.elements.map { element in
            var pairs: [(Node, Node)] = [(key("name"), scalar(element.name))]
            if let label = element.label { pairs.append((key("label"), text(label))) }
            pairs.append((key("questions"), Node(element.questions.map(scalar))))
            return Node(pairs)
        })))
        return Node(pairs)
    }
}
