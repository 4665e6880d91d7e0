/// Checks a form's meaning: names, types, choice lists, expressions, references, cycles, indices.
///
/// Returns every problem as a `Finding` (nothing is thrown), so `form check` reports them all at once.
public enum FormChecker {
    public static func check(_ form: Form) -> [Finding] {
        var findings: [Finding] = []
        func error(_ code: String, _ field: String?, _ message: String) {
            findings.append(Finding(.error, code, field: field, message))
        }
        func warning(_ code: String, _ field: String?, _ message: String) {
            findings.append(Finding(.warning, code, field: field, message))
        }

        if form.formId.isEmpty || !isName(form.formId) {
            error("form-id", nil, "form_id '\(form.formId)' must start with a letter or _ and hold only letters, digits, _ - and .")
        }
        if form.version.isEmpty { error("version", nil, "the form has an empty version; give it one, e.g. \"1\"") }

        let located = form.located
        var names: [String: Int] = [:]
        for item in located { names[item.entry.name, default: 0] += 1 }
        let known = Set(names.keys)
        let lists = listsByName(form)

        for item in located {
            let entry = item.entry
            let name = entry.name
            if !isName(name) {
                error("name", name, "the name '\(name)' must start with a letter or _ and hold only letters, digits, _ - and .; rename it")
            }
            if names[name, default: 0] > 1 {
                error("duplicate-name", name, "the name '\(name)' is used \(names[name]!) times; names must be unique in the form")
                names[name] = 0  // report once
            }
            guard let kind = entry.kind else {
                error("unknown-type", name, "'\(name)' has the unknown type '\(entry.type.raw)'; use one of XLSForm's types (text, integer, select_one LIST, ...)")
                continue
            }
            if kind.isContainer {
                if kind == .repeat && name == "data" {
                    error("name", name, "the \(kind.rawValue) '\(name)' has the same name as the form's root; rename it")
                }
                if (entry.children ?? []).isEmpty { warning("empty-group", name, "the \(kind.rawValue) '\(name)' has no entries") }
            } else if entry.children != nil {
                error("children", name, "'\(name)' is a \(kind.rawValue) and cannot have children; make it a group or repeat")
            }
            if kind.takesList {
                if let listName = entry.type.list, let list = lists[listName] {
                    if list.choices.isEmpty { error("missing-choices", name, "the choice list '\(listName)' used by '\(name)' is empty") }
                } else {
                    error("missing-choices", name, "'\(name)' uses the choice list '\(entry.type.list ?? "")', which is not in choices; add it")
                }
            }
            if kind == .calculate && entry.calculation == nil {
                error("missing-calculation", name, "the calculate '\(name)' has no calculation; add one")
            }
            if (kind.isQuestion || kind == .note) && entry.label == nil && entry.calculation == nil {
                warning("no-label", name, "'\(name)' has no label; people will see only its name")
            }
            for (column, source) in entry.expressions {
                check(source, column: column, field: name, known: known, into: &findings)
            }
            if entry.constraint != nil && entry.constraintMessage == nil {
                warning("no-constraint-message", name, "'\(name)' has a constraint but no constraint_message; people will not know what to fix")
            }
            for (column, text) in [("label", entry.label), ("hint", entry.hint)] {
                for reference in references(in: text) where !known.contains(reference) {
                    error("unknown-reference", name, "'\(name)', \(column) shows ${\(reference)}, which is not a field of the form; check the name")
                }
            }
            let languages = Set([entry.label, entry.hint, entry.requiredMessage, entry.constraintMessage].flatMap { $0?.languages ?? [] })
            for text in [entry.label, entry.hint, entry.requiredMessage, entry.constraintMessage] {
                if case .localized(let texts)? = text, let missing = languages.subtracting(texts.keys).sorted().first {
                    warning("missing-translation", name, "'\(name)' has a text without its '\(missing)' version")
                    break
                }
            }
        }
        let used = Set(located.compactMap { $0.entry.kind?.takesList == true ? $0.entry.type.list : nil })
        for list in form.choices where !used.contains(list.name) {
            warning("unused-choices", nil, "the choice list '\(list.name)' is used by no question")
        }

        for list in form.choices {
            var seen = Set<String>()
            for choice in list.choices where !seen.insert(choice.name).inserted {
                error("duplicate-choice", nil, "the choice list '\(list.name)' has the choice '\(choice.name)' twice; keep one")
            }
        }
        if let key = form.caseKey { check(key, column: "case_key", field: nil, known: known, into: &findings) }
        if let name = form.instanceName { check(name, column: "instance_name", field: nil, known: known, into: &findings) }
        if let cycle = calculationCycle(located.map(\.entry)) {
            error("cycle", cycle[0], "the calculations \(cycle.joined(separator: " → ")) depend on each other in a cycle; break it")
        }
        findings += checkIndices(form)
        let languages = form.languages
        if let language = form.defaultLanguage, !languages.isEmpty, !languages.contains(language) {
            warning("default-language", nil, "default_language '\(language)' is not one of the form's languages (\(languages.joined(separator: ", ")))")
        }
        return findings
    }

    static func check(_ source: String, column: String, field: String?, known: Set<String>, into findings: inout [Finding]) {
        let place = field.map { "'\($0)', \(column)" } ?? column
        do {
            let expression = try Expression(column == "choice_filter" ? ChoiceFilter.rewrite(source) : source)
            for reference in expression.references
            where !known.contains(reference) && !reference.hasPrefix(ChoiceFilter.prefix) {
                findings.append(Finding(.error, "unknown-reference", field: field,
                    "\(place) refers to ${\(reference)}, which is not a field of the form; check the name"))
            }
        } catch {
            findings.append(Finding(.error, "syntax", field: field, "\(place): \(error)"))
        }
    }

    static func checkIndices(_ form: Form) -> [Finding] {
        var findings: [Finding] = []
        // Looked up once: `form.entry(named:)` walks the whole form, and an indices sheet may name
        // thousands of questions.
        var entries: [String: Entry] = [:]
        for item in form.located where entries[item.entry.name] == nil { entries[item.entry.name] = item.entry }
        let lists = listsByName(form)
        for index in form.indices {
            if index.elements.isEmpty {
                findings.append(Finding(.error, "index", "index '\(index.name)' has no elements"))
            }
            for element in index.elements {
                for question in element.questions {
                    guard let entry = entries[question] else {
                        findings.append(Finding(.error, "index", field: question,
                            "index '\(index.name)', element '\(element.name)' names '\(question)', which is not a field of the form"))
                        continue
                    }
                    guard entry.kind == .selectOne, let listName = entry.type.list, let list = lists[listName] else {
                        findings.append(Finding(.error, "index", field: question,
                            "index '\(index.name)' uses '\(question)', which is not a select_one question"))
                        continue
                    }
                    let names = Set(list.choices.map(\.name))
                    for answer in index.satisfied where !names.contains(answer) {
                        findings.append(Finding(.error, "index", field: question,
                            "index '\(index.name)' counts '\(answer)' as satisfied, which is not a choice of '\(question)' (list '\(list.name)')"))
                    }
                }
            }
        }
        return findings
    }

    /// The choice lists by name, the first of a repeated name winning as in `Form.choiceList`, so that
    /// checking many questions against many lists is not a scan of the lists per question.
    static func listsByName(_ form: Form) -> [String: ChoiceList] {
        var lists: [String: ChoiceList] = [:]
        for list in form.choices where lists[list.name] == nil { lists[list.name] = list }
        return lists
    }

    /// The first cycle among calculations (a calculate referring, directly or not, to itself), by name.
    static func calculationCycle(_ entries: [Entry]) -> [String]? {
        var edges: [String: [String]] = [:]
        for entry in entries {
            guard let source = entry.calculation, let expression = try? Expression(source) else { continue }
            edges[entry.name] = expression.references
        }
        var state: [String: Int] = [:]  // 1 on the path, 2 done
        // Depth first with an explicit path (each name with the index of its next reference), not
        // recursion: a workbook can chain tens of thousands of calculations, which would exhaust the stack.
        for entry in entries where edges[entry.name] != nil && state[entry.name] == nil {
            var path: [(name: String, next: Int)] = [(entry.name, 0)]
            state[entry.name] = 1
            while let (name, next) = path.last {
                let targets = edges[name] ?? []
                guard next < targets.count else {
                    path.removeLast()
                    state[name] = 2
                    continue
                }
                path[path.count - 1].next += 1
                let target = targets[next]
                if state[target] == 1, let start = path.firstIndex(where: { $0.name == target }) {
                    return path[start...].map(\.name) + [target]
                }
                if state[target] == nil, edges[target] != nil {
                    state[target] = 1
                    path.append((target, 0))
                }
            }
        }
        return nil
    }

    /// `${name}` references shown in a label or hint (ODK fills them in with the answers).
    static func references(in text: LocalizedText?) -> [String] {
        let texts: [String]
        switch text {
        case nil: return []
        case .plain(let value)?: texts = [value]
        case .localized(let values)?: texts = values.keys.sorted().compactMap { values[$0] }
        }
        var result: [String] = []
        for text in texts {
            var rest = Substring(text)
            while let start = rest.range(of: "${"), let end = rest[start.upperBound...].firstIndex(of: "}") {
                result.append(String(rest[start.upperBound..<end]))
                rest = rest[rest.index(after: end)...]
            }
        }
        return result
    }

    /// XML names as XLSForm allows them for fields.
    static func isName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || first.properties.isAlphabetic else { return false }
        return name.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || "_-.".unicodeScalars.contains($0) }
    }
}
