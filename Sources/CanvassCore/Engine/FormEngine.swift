import Foundation

/// A form made ready to run: expressions parsed once, rows indexed by name.
///
/// Everything that evaluates a form against answers goes through here: the interview prompt,
/// `record`, `validate`, case keys. It is a value, safe to share between threads.
public struct FormEngine: Sendable {
    public let form: Form
    let rows: [String: Form.Located]
    let compiled: [String: Compiled]
    let caseKey: Expression?
    public let now: Date
    public let timeZone: TimeZone

    struct Compiled: Sendable {
        var relevant, required, constraint, calculation, choiceFilter, readOnly, repeatCount: Expression?
    }

    /// Fails when an expression does not parse; run `FormChecker` first for the full list.
    public init(form: Form, now: Date = Date(), timeZone: TimeZone = .current) throws(FormError) {
        self.form = form
        self.now = now
        self.timeZone = timeZone
        var rows: [String: Form.Located] = [:]
        var compiled: [String: Compiled] = [:]
        func parse(_ source: String?, _ name: String, _ column: String) throws(FormError) -> Expression? {
            guard let source else { return nil }
            do {
                return try Expression(column == "choice_filter" ? ChoiceFilter.rewrite(source) : source)
            } catch {
                throw FormError(file: form.formId, message: "'\(name)', \(column): \(error)")
            }
        }
        for item in form.located {
            let entry = item.entry
            rows[entry.name] = item
            compiled[entry.name] = Compiled(
                relevant: try parse(entry.relevant, entry.name, "relevant"),
                required: try parse(entry.required, entry.name, "required"),
                constraint: try parse(entry.constraint, entry.name, "constraint"),
                calculation: try parse(entry.calculation, entry.name, "calculation"),
                choiceFilter: try parse(entry.choiceFilter, entry.name, "choice_filter"),
                readOnly: try parse(entry.readOnly, entry.name, "read_only"),
                repeatCount: try parse(entry.repeatCount, entry.name, "repeat_count"))
        }
        self.rows = rows
        self.compiled = compiled
        self.caseKey = try parse(form.caseKey, "case_key", "case_key")
    }

    public func row(_ name: String) -> Form.Located? { rows[name] }

    // MARK: Walking the interview

    /// Every slot of the interview in form order, repeats expanded to their current instance counts.
    public func slots(_ answers: Answers) -> [Slot] {
        var result: [Slot] = []
        func walk(_ entries: [Entry], instances: [Slot.Instance], ancestors: [String]) {
            let prefix = Slot.prefix(instances)
            for entry in entries {
                let slot = Slot(entry: entry, path: prefix + entry.name, instances: instances, ancestors: ancestors)
                result.append(slot)
                guard let children = entry.children else { continue }
                if entry.kind == .repeat {
                    for index in 0..<instanceCount(slot.path, answers) {
                        walk(children, instances: instances + [Slot.Instance(repeatName: entry.name, index: index + 1)],
                             ancestors: ancestors + [entry.name])
                    }
                } else {
                    walk(children, instances: instances, ancestors: ancestors + [entry.name])
                }
            }
        }
        walk(form.survey, instances: [], ancestors: [])
        return result
    }

    /// Repeats hold their instance count as their value; capped so a hostile count cannot exhaust memory.
    public func instanceCount(_ repeatPath: String, _ answers: Answers) -> Int {
        min(max(Int(answers[repeatPath] ?? "") ?? 0, 0), Self.maxInstances)
    }

    public static let maxInstances = 1_000

    /// Whether each slot is relevant: its own `relevant` and that of every group or repeat around it.
    public func relevance(_ slots: [Slot], _ answers: Answers) -> [Bool] {
        var relevantPaths: [String: Bool] = [:]
        var result: [Bool] = []
        result.reserveCapacity(slots.count)
        for slot in slots {
            var relevant = true
            if let parent = slot.ancestors.last {
                let parentPath = parentPath(of: slot, parent: parent)
                relevant = relevantPaths[parentPath] ?? true
            }
            if relevant, let expression = compiled[slot.name]?.relevant {
                relevant = (try? expression.evaluate(context(slot, answers)).boolean) ?? false
            }
            relevantPaths[slot.path] = relevant
            result.append(relevant)
        }
        return result
    }

    /// The path of the group or repeat around a slot (a repeat's instance counts as the repeat).
    func parentPath(of slot: Slot, parent: String) -> String {
        if let last = slot.instances.last, last.repeatName == parent {
            return Slot.prefix(slot.instances.dropLast()) + parent
        }
        return slot.prefix + parent
    }

    // MARK: Expressions

    /// The evaluation context at a slot: `${name}` resolves relative to the slot's repeat instances.
    public func context(_ slot: Slot, _ answers: Answers, current: String? = nil) -> EvaluationContext {
        let rows = self.rows
        let instances = slot.instances
        let engine = self
        return EvaluationContext(
            lookup: { name in
                guard let target = rows[name] else { return nil }
                return engine.nodes(target, from: instances, answers).map { answers[$0] ?? "" }
            },
            current: current ?? answers[slot.path],
            position: instances.last?.index,
            indexedRepeat: { field, repeatName, index in
                guard let target = rows[field], let position = target.repeats.firstIndex(of: repeatName) else { return nil }
                var fixed = instances
                fixed.removeAll { !target.repeats.prefix(position).contains($0.repeatName) }
                fixed.append(Slot.Instance(repeatName: repeatName, index: index))
                let paths = engine.nodes(target, from: fixed, answers)
                return paths.first.map { answers[$0] ?? "" }
            },
            now: now, timeZone: timeZone)
    }

    /// Paths of the nodes `${target}` names from inside `instances`: the same instance where the
    /// repeats are shared, every instance where they are not.
    func nodes(_ target: Form.Located, from instances: [Slot.Instance], _ answers: Answers) -> [String] {
        var prefixes = [""]
        for (depth, repeatName) in target.repeats.enumerated() {
            if depth < instances.count, instances[depth].repeatName == repeatName {
                prefixes = prefixes.map { "\($0)\(repeatName)[\(instances[depth].index)]/" }
            } else {
                prefixes = prefixes.flatMap { prefix in
                    (0..<instanceCount(prefix + repeatName, answers)).map { "\(prefix)\(repeatName)[\($0 + 1)]/" }
                }
            }
        }
        if target.entry.kind == .repeat {
            // A repeat as a node-set: one node per instance.
            return prefixes.flatMap { prefix in
                (0..<instanceCount(prefix + target.entry.name, answers)).map { "\(prefix)\(target.entry.name)[\($0 + 1)]" }
            }
        }
        return prefixes.map { $0 + target.entry.name }
    }

    public func evaluate(_ expression: Expression, at slot: Slot, _ answers: Answers, current: String? = nil) throws(ExpressionError) -> Value {
        try expression.evaluate(context(slot, answers, current: current))
    }

    func expressions(_ name: String) -> Compiled { compiled[name] ?? Compiled() }

    // MARK: Calculations and case key

    /// Answers with every calculation recomputed (form order, repeated until stable, as calculations
    /// may refer to ones further down). Non-relevant calculations are empty, as in ODK.
    /// With `syncRepeatCounts`, repeats with a `repeat_count` get that many instances (the prompt);
    /// without, the given instances stay, so `validate` can report a wrong count (bulk entry).
    public func recalculated(_ answers: Answers, syncRepeatCounts: Bool = false) -> Answers {
        var answers = answers
        for _ in 0..<4 {
            var changed = false
            let slots = self.slots(answers)
            let relevance = self.relevance(slots, answers)
            for (slot, relevant) in zip(slots, relevance) {
                if syncRepeatCounts, relevant, let expression = compiled[slot.name]?.repeatCount {
                    let number = (try? evaluate(expression, at: slot, answers).number) ?? .nan
                    let count = number.isFinite ? String(min(max(Int(number), 0), Self.maxInstances)) : "0"
                    if answers[slot.path] != count {
                        answers[slot.path] = count
                        changed = true
                    }
                    continue
                }
                guard let expression = compiled[slot.name]?.calculation, slot.entry.kind == .calculate || slot.entry.readOnly != nil || slot.entry.kind == .note else { continue }
                let value = relevant ? ((try? evaluate(expression, at: slot, answers).string) ?? "") : ""
                if (answers[slot.path] ?? "") != value {
                    answers[slot.path] = value.isEmpty ? nil : value
                    changed = true
                }
            }
            if !changed { break }
        }
        return answers
    }

    /// Answers without the derived ones: calculations are recomputed from the answers whenever they
    /// are needed and never stored, so two people's edits cannot conflict on a calculation.
    public func stored(_ answers: Answers) -> Answers {
        answers.filter { path, _ in
            guard let name = FormEngine.parsePath(path)?.1, let row = rows[name] else { return true }
            return row.entry.calculation == nil
        }
    }

    /// The case key (e.g. `hn01-123`), or nil when the form declares none or it is empty.
    public func caseKey(_ answers: Answers) -> String? {
        guard let caseKey else { return nil }
        let root = Slot(entry: Entry(type: FieldType(kind: .calculate), name: "case_key"), path: "", instances: [], ancestors: [])
        // Recalculate only when the key depends on a calculation: keys are computed for every interview a merge touches.
        let derived = caseKey.references.contains { rows[$0]?.entry.calculation != nil }
        let key = (try? caseKey.evaluate(context(root, derived ? recalculated(answers) : answers)).string) ?? ""
        return key.isEmpty ? nil : key
    }

    /// A label with its `${name}` references replaced by the current answers, as ODK shows them.
    public func interpolate(_ text: String, at slot: Slot, _ answers: Answers) -> String {
        guard text.contains("${") else { return text }
        var result = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${"), let end = rest[start.upperBound...].firstIndex(of: "}") {
            result += rest[..<start.lowerBound]
            let name = String(rest[start.upperBound..<end])
            if let target = rows[name] {
                result += nodes(target, from: slot.instances, answers).map { answers[$0] ?? "" }.joined(separator: " ")
            } else {
                result += rest[start.lowerBound...end]
            }
            rest = rest[rest.index(after: end)...]
        }
        return result + rest
    }

    /// The choices of a select slot that its `choice_filter` lets through.
    public func choices(_ slot: Slot, _ answers: Answers) -> [Choice] {
        guard let listName = slot.entry.type.list, let list = form.choiceList(listName) else { return [] }
        guard let filter = compiled[slot.name]?.choiceFilter else { return list.choices }
        let base = context(slot, answers)
        return list.choices.filter { choice in
            var context = base
            let outer = base.lookup
            context.lookup = { name in
                if name.hasPrefix(ChoiceFilter.prefix) {
                    let column = String(name.dropFirst(ChoiceFilter.prefix.count))
                    if column == "name" { return [choice.name] }
                    return [choice.extra[column] ?? ""]
                }
                return outer(name)
            }
            return (try? filter.evaluate(context).boolean) ?? false
        }
    }
}
