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
        // Names used more than once are fine (XLSForm asks a name to be unique among its siblings
        // only), but a ${name} reference to one cannot say which it means: pyxform refuses it.
        var keysOfName: [String: [String]] = [:]
        for item in located { keysOfName[item.entry.name, default: []].append(item.key) }
        let known = References(keysOfName: keysOfName)
        let lists = listsByName(form)
        findings += checkSiblings(located)
        var pathOfKey: [String: String] = [:]
        var reportedKeys: Set<String> = []
        var repeatNames: Set<String> = []

        for item in located {
            let entry = item.entry
            let name = item.key
            if !isName(entry.name) {
                error("name", name, "the name '\(entry.name)' must start with a letter or _ and hold only letters, digits, _ - and .; rename it")
            }
            if let first = pathOfKey[item.key], first != item.path, reportedKeys.insert(item.key).inserted {
                error("duplicate-name", name, "'\(first)' and '\(item.path)' are both known as '\(item.key)' (a group and a repeat share a name); rename one of them")
            }
            if pathOfKey[item.key] == nil { pathOfKey[item.key] = item.path }
            if entry.kind == .repeat, !repeatNames.insert(entry.name).inserted {
                error("duplicate-name", name, "the repeat name '\(entry.name)' is used by more than one repeat; repeat names must be unique in the whole form")
            }
            guard let kind = entry.kind else {
                error("unknown-type", name, "'\(name)' has the unknown type '\(entry.type.raw)'; use one of XLSForm's types (text, integer, select_one LIST, ...)")
                continue
            }
            if let why = kind.whyNotCollected {
                warning("not-collected", name, "'\(name)' has the type \(kind.rawValue), which \(why): it is kept, never asked and left empty; the rest of the form runs")
            }
            if kind.isContainer {
                if kind == .repeat && entry.name == "data" {
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
                for reference in references(in: text) {
                    if let problem = known.problem(reference) {
                        error(problem.code, name, "'\(name)', \(column) shows ${\(reference)}, \(problem.message)")
                    }
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
        let files = Set(form.pulldataFiles)
        let used = Set(located.compactMap { $0.entry.kind?.isSelect == true ? $0.entry.type.list : nil }).union(files)
        for list in form.choices where !used.contains(list.name) {
            warning("unused-choices", nil, "the choice list '\(list.name)' is used by no question")
        }

        for list in form.choices where !files.contains(list.name) {
            var seen = Set<String>()
            // pyxform accepts it with allow_choice_duplicates; the answer is stored, but both show one label.
            for choice in list.choices where !seen.insert(choice.name).inserted {
                warning("duplicate-choice", nil, "the choice list '\(list.name)' has the choice '\(choice.name)' twice; an answer of it shows the first one's label")
            }
        }
        if let key = form.caseKey { check(key, column: "case_key", field: nil, known: known, into: &findings) }
        if let name = form.instanceName { check(name, column: "instance_name", field: nil, known: known, into: &findings) }
        if let cycle = calculationCycle(located) {
            error("cycle", cycle[0], "the calculations \(cycle.joined(separator: " → ")) depend on each other in a cycle; break it")
        }
        findings += checkIndices(form)
        let languages = form.languages
        if let language = form.defaultLanguage, !languages.isEmpty, !languages.contains(language) {
            warning("default-language", nil, "default_language '\(language)' is not one of the form's languages (\(languages.joined(separator: ", ")))")
        }
        return findings
    }

    /// Which `${name}` references name exactly one row.
    struct References {
        let keysOfName: [String: [String]]

        /// nil when `name` names one row; else the finding's code and the end of its message.
        func problem(_ name: String) -> (code: String, message: String)? {
            guard let keys = keysOfName[name] else { return ("unknown-reference", "which is not a field of the form; check the name") }
            guard keys.count > 1 else { return nil }
            return ("ambiguous-reference", "but \(keys.count) rows are named '\(name)' (\(keys.joined(separator: ", "))): a reference must name one, so rename them apart (as pyxform asks)")
        }
    }

    static func check(_ source: String, column: String, field: String?, known: References, into findings: inout [Finding]) {
        let place = field.map { "'\($0)', \(column)" } ?? column
        do {
            let expression = try Expression(column == "choice_filter" ? ChoiceFilter.rewrite(source) : source)
            for reference in expression.references where !reference.hasPrefix(ChoiceFilter.prefix) {
                if let problem = known.problem(reference) {
                    findings.append(Finding(.error, problem.code, field: field, "\(place) refers to ${\(reference)}, \(problem.message)"))
                }
            }
        } catch where error.isUnsupported {
            // ODK evaluates it; Canvass leaves it out, and says what that means for the form.
            let effect = switch column {
            case "relevant": "the question is always asked"
            case "constraint": "the answer is not checked against it"
            case "required": "the answer is not required"
            case "calculation": "the calculation stays empty"
            case "choice_filter": "every choice is offered"
            default: "it is left out"
            }
            findings.append(Finding(.warning, "not-evaluated", field: field, "\(place): Canvass does not evaluate this, so \(effect): \(error)"))
        } catch {
            findings.append(Finding(.error, "syntax", field: field, "\(place): \(error)"))
        }
    }

    static func checkIndices(_ form: Form) -> [Finding] {
        var findings: [Finding] = []
        // Looked up once: `form.entry(named:)` walks the whole form, and an indices sheet may name
        // thousands of questions.
        var entries: [String: Entry] = [:]
        for item in form.located where entries[item.key] == nil { entries[item.key] = item.entry }
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

    /// The first cycle among calculations (a calculate referring, directly or not, to itself), by key.
    /// A reference is a name, which is the key of a row whose name is used once.
    static func calculationCycle(_ located: [Form.Located]) -> [String]? {
        var edges: [String: [String]] = [:]
        for item in located {
            guard let source = item.entry.calculation, let expression = try? Expression(source) else { continue }
            edges[item.key] = expression.references
        }
        var state: [String: Int] = [:]  // 1 on the path, 2 done
        // Depth first with an explicit path (each name with the index of its next reference), not
        // recursion: a workbook can chain tens of thousands of calculations, which would exhaust the stack.
        for key in located.map(\.key) where edges[key] != nil && state[key] == nil {
            var path: [(name: String, next: Int)] = [(key, 0)]
            state[key] = 1
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

    /// Names must differ among siblings (pyxform refuses two alike); names that differ only in case
    /// are a warning, as in pyxform, since some analysis tools ignore case.
    static func checkSiblings(_ located: [Form.Located]) -> [Finding] {
        var findings: [Finding] = []
        var seen: [String: Set<String>] = [:]
        var lowered: [String: [String: String]] = [:]
        for item in located {
            let parent = item.ancestors.joined(separator: "/")
            let name = item.entry.name
            let place = item.ancestors.last.map { "'\($0)'" } ?? "the top of the form"
            if !seen[parent, default: []].insert(name).inserted {
                findings.append(Finding(.error, "duplicate-name", field: item.key,
                    "the name '\(name)' is used twice in \(place); names must be unique among their siblings, so rename one"))
            } else if let other = lowered[parent]?[name.lowercased()] {
                findings.append(Finding(.warning, "name-case", field: item.key,
                    "'\(name)' and '\(other)' in \(place) differ only in case; some analysis tools would mix them up"))
            } else {
                lowered[parent, default: [:]][name.lowercased()] = name
            }
        }
        return findings
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
