import Foundation

/// A form made ready to run: expressions parsed once, rows indexed by their key (`Form.Located`:
/// the name when it is used once in the form, a path otherwise).
///
/// Everything that evaluates a form against answers goes through here: the interview prompt,
/// `record`, `validate`, case keys. It is a value, safe to share between threads.
public struct FormEngine: Sendable {
    public let form: Form
    /// Rows by key; a `${name}` reference looks its name up here, so it finds a name used once in
    /// the form and nothing for a name used more (whose keys are paths).
    let rows: [String: FormRow]
    let ordered: [FormRow]
    /// The rows as the form nests them.
    let tree: [RowNode]
    /// Rows by the nearest repeat around them ("" for none) and local key: how a stored path's
    /// last part is read after its repeat instances.
    let scopes: [String: [String: FormRow]]
    let caseKey: Expression?
    /// Whether any expression refers to a calculation further down the form: only then does
    /// bringing calculations up to date need more than one pass.
    let refersForward: Bool
    /// The slots of a form without repeats are the same for every interview: made once.
    private(set) var fixedSlots: [Slot]?
    public let now: Date
    public let timeZone: TimeZone
    /// Rows whose relevance can change an answer: calculations, repeat counts, and every group or
    /// repeat around them.
    let derivers: Set<String>
    /// How each row's text reads in expressions (`NodeKind`), by key.
    let nodeKinds: [String: NodeKind]
    /// Where `random()` and `uuid()` draw from.
    public let random: RandomSource
    /// The rows of the CSV files pulldata() reads, by file name without `.csv`.
    let dataFiles: [String: [[String: String]]]

    /// Fails when an expression does not parse; run `FormChecker` first for the full list.
    public init(form: Form, now: Date = Date(), timeZone: TimeZone = .current, random: RandomSource = .system) throws(FormError) {
        self.form = form
        self.now = now
        self.timeZone = timeZone
        self.random = random
        var rows: [String: FormRow] = [:]
        var ordered: [FormRow] = []
        var keyOfPath: [String: String] = [:]
        var scopes: [String: [String: FormRow]] = [:]
        for located in form.located {
            var ancestorKeys: [String] = []
            for depth in located.ancestors.indices {
                ancestorKeys.append(keyOfPath[located.ancestors[...depth].joined(separator: "/")] ?? located.ancestors[depth])
            }
            let row = try FormRow(located, ancestorKeys: ancestorKeys, form: form)
            keyOfPath[located.path] = row.key
            if rows[row.key] == nil { rows[row.key] = row }
            if scopes[row.repeats.last ?? "", default: [:]][row.localKey] == nil { scopes[row.repeats.last ?? "", default: [:]][row.localKey] = row }
            ordered.append(row)
        }
        self.rows = rows
        self.ordered = ordered
        self.scopes = scopes
        var position = 0
        self.tree = RowNode.tree(form.survey, ordered, &position)
        self.nodeKinds = Self.nodeKinds(ordered, rows)
        var dataFiles: [String: [[String: String]]] = [:]
        for file in form.pulldataFiles { dataFiles[String(file.dropLast(4))] = form.dataRows(file) }
        self.dataFiles = dataFiles
        self.derivers = Set(ordered.filter { $0.calculation != nil || $0.repeatCount != nil || ($0.kind == .hidden && $0.entry.default != nil) }
            .flatMap { $0.ancestorKeys + [$0.key] })
        self.caseKey = try Self.parseCaseKey(form)
        self.refersForward = Self.refersForward(ordered, rows)
        self.fixedSlots = nil
        if !ordered.contains(where: { $0.kind == .repeat }) {
            self.fixedSlots = walk([:])
        }
    }

    static func parseCaseKey(_ form: Form) throws(FormError) -> Expression? {
        guard let source = form.caseKey else { return nil }
        do {
            return try Expression(source)
        } catch {
            throw FormError(file: form.formId, message: "case_key: \(error)")
        }
    }

    static func refersForward(_ ordered: [FormRow], _ rows: [String: FormRow]) -> Bool {
        var position: [String: Int] = [:]
        for (index, row) in ordered.enumerated() { position[row.key] = index }
        for (index, row) in ordered.enumerated() {
            for expression in [row.relevant, row.calculation, row.repeatCount].compactMap({ $0 }) {
                for name in expression.references where rows[name]?.isDerived == true && position[name, default: 0] > index {
                    return true
                }
            }
        }
        return false
    }

    /// The row a key names: a name used once in the form, or a path (`people/name`).
    public func row(_ key: String) -> FormRow? { rows[key] }

    /// The group or repeat `row` sits in: by key, since a group's name may be used twice.
    public func group(of row: FormRow) -> FormRow? { row.ancestorKeys.last.flatMap { rows[$0] } }

    /// The rows called `name`: several when the name is used in more than one place, each known by
    /// its key; for a message that asks which one is meant.
    public func rows(named name: String) -> [FormRow] { ordered.filter { $0.name == name } }

    /// The row of a stored path (`members[2]/age`, `grp_a/age`) and the repeat instances it is in;
    /// nil when the path names no row of this form, or puts it in the wrong repeats.
    public func row(atPath path: String) -> (row: FormRow, instances: [Slot.Instance])? {
        guard let (instances, localKey) = Self.parsePath(path), let row = scopes[instances.last?.name ?? ""]?[localKey],
              instances.map(\.name) == row.repeats
        else { return nil }
        return (row, instances.map { Slot.Instance(repeatName: $0.name, index: $0.index) })
    }

    /// The first row of a kind (e.g. the `start` metadata), if the form has one.
    public func firstRow(_ kind: FieldType.Kind) -> FormRow? { ordered.first { $0.kind == kind } }

    // MARK: Walking the interview

    /// Every slot of the interview in form order, repeats expanded to their current instance counts.
    public func slots(_ answers: Answers) -> [Slot] {
        fixedSlots ?? walk(answers)
    }

    func walk(_ answers: Answers) -> [Slot] {
        var result: [Slot] = []
        result.reserveCapacity(ordered.count)
        func walk(_ nodes: [RowNode], instances: [Slot.Instance], parent: Int?) {
            let prefix = Slot.prefix(instances)
            for node in nodes {
                let row = node.row
                let index = result.count
                result.append(Slot(row: row, path: prefix + row.localKey, instances: instances, parent: parent))
                guard row.isContainer else { continue }
                if row.kind == .repeat {
                    for instance in 0..<instanceCount(prefix + row.localKey, answers) {
                        walk(node.children, instances: instances + [Slot.Instance(repeatName: row.name, index: instance + 1)], parent: index)
                    }
                } else {
                    walk(node.children, instances: instances, parent: index)
                }
            }
        }
        walk(tree, instances: [], parent: nil)
        return result
    }

    /// Repeats hold their instance count as their value; capped so a hostile count cannot exhaust memory.
    public func instanceCount(_ repeatPath: String, _ answers: Answers) -> Int {
        Self.instanceCount(repeatPath, answers)
    }

    static func instanceCount(_ repeatPath: String, _ answers: Answers) -> Int {
        guard let text = answers[repeatPath], let count = Int(text) else { return 0 }
        return min(max(count, 0), Self.maxInstances)
    }

    public static let maxInstances = 1_000

    /// Whether each slot is relevant: its own `relevant` and that of every group or repeat around it.
    public func relevance(_ slots: [Slot], _ answers: Answers) -> [Bool] {
        var result: [Bool] = []
        result.reserveCapacity(slots.count)
        for slot in slots {
            var relevant = slot.parent.map { result[$0] } ?? true
            if relevant, let expression = slot.row.relevant {
                relevant = (try? expression.evaluate(context(slot, answers)).boolean) ?? false
            }
            result.append(relevant)
        }
        return result
    }

    // MARK: Calculations and case key

    /// Brings every calculation up to date in one forward pass over the form (more only when an
    /// expression refers to a calculation further down), and says which slots are relevant.
    /// Non-relevant calculations are empty, as in ODK. With `syncRepeatCounts`, repeats with a
    /// `repeat_count` get that many instances (the prompt); without, the given instances stay, so
    /// `validate` can report a wrong count (bulk entry).
    public func evaluate(_ answers: Answers, syncRepeatCounts: Bool = false) -> Evaluation {
        evaluate(answers, syncRepeatCounts: syncRepeatCounts, everyRow: true)
    }

    /// With `everyRow` false, only the relevance that calculations and repeat counts depend on is
    /// worked out (the rest is left true): enough to bring the answers up to date, at a fraction of
    /// the cost when a form has many conditions and few calculations.
    func evaluate(_ answers: Answers, syncRepeatCounts: Bool, everyRow: Bool) -> Evaluation {
        var answers = answers
        var slots = self.slots(answers)
        var relevant: [Bool] = []
        for _ in 0..<4 {
            var changed = false, countsChanged = false
            relevant.removeAll(keepingCapacity: true)
            for slot in slots {
                let row = slot.row
                guard everyRow || derivers.contains(row.key) else {
                    relevant.append(true)
                    continue
                }
                var isRelevant = slot.parent.map { relevant[$0] } ?? true
                if isRelevant, let expression = row.relevant {
                    isRelevant = (try? expression.evaluate(context(slot, answers)).boolean) ?? false
                }
                relevant.append(isRelevant)
                if syncRepeatCounts, isRelevant, let expression = row.repeatCount {
                    let number = (try? expression.evaluate(context(slot, answers)).number) ?? .nan
                    let count = number.isFinite ? String(min(max(Int(number), 0), Self.maxInstances)) : "0"
                    if answers[slot.path] != count {
                        answers[slot.path] = count
                        countsChanged = true
                    }
                } else if row.kind == .hidden, row.calculation == nil, isRelevant, (answers[slot.path] ?? "").isEmpty,
                          let value = row.entry.default, !value.isEmpty {
                    // A hidden field holds its default (XLSForm's way of fixing a value in the form).
                    answers[slot.path] = value
                    changed = true
                } else if let expression = row.calculation {
                    if row.isVolatile, isRelevant, !(answers[slot.path] ?? "").isEmpty { continue }
                    let result = isRelevant ? try? expression.evaluate(context(slot, answers)) : nil
                    let value = result?.storedText(for: row.kind, timeZone: timeZone) ?? ""
                    if (answers[slot.path] ?? "") != value {
                        answers[slot.path] = value.isEmpty ? nil : value
                        changed = true
                    }
                }
            }
            if countsChanged {
                slots = self.slots(answers)
                continue
            }
            if !changed || !refersForward { break }
        }
        return Evaluation(answers: answers, slots: slots, relevant: relevant)
    }

    /// The answers with every calculation brought up to date (see `evaluate`).
    public func recalculated(_ answers: Answers, syncRepeatCounts: Bool = false) -> Answers {
        evaluate(answers, syncRepeatCounts: syncRepeatCounts, everyRow: false).answers
    }

    /// Answers without the derived ones: calculations are recomputed from the answers whenever they
    /// are needed and never stored, so two people's edits cannot conflict on a calculation.
    public func stored(_ answers: Answers) -> Answers {
        answers.filter { path, _ in
            guard let row = row(atPath: path)?.row else { return true }
            return !row.isDerived
        }
    }

    /// The fields the case key reads, or nil when it depends on calculations (then it needs them all).
    public var caseKeyFields: [String]? {
        guard let caseKey else { return [] }
        return caseKey.references.contains { rows[$0]?.isDerived == true } ? nil : caseKey.references
    }

    /// The case key (e.g. `hn01-123`), or nil when the form declares none or it is empty.
    public func caseKey(_ answers: Answers) -> String? {
        guard let caseKey else { return nil }
        // Recalculate only when the key depends on a calculation: keys are computed for every interview a merge touches.
        let derived = caseKey.references.contains { rows[$0]?.isDerived == true }
        let values = derived ? recalculated(answers) : answers
        let key = (try? caseKey.evaluate(context([], values, current: nil)).string(in: timeZone)) ?? ""
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
                result += Self.nodes(target, from: slot.instances, answers).map { answers[$0] ?? "" }.joined(separator: " ")
            } else {
                result += rest[start.lowerBound...end]
            }
            rest = rest[rest.index(after: end)...]
        }
        return result + rest
    }

    /// The choices of a select slot that its `choice_filter` lets through.
    public func choices(_ slot: Slot, _ answers: Answers) -> [Choice] {
        guard let choices = slot.row.choices else { return [] }
        guard let filter = slot.row.choiceFilter else { return choices }
        let base = context(slot, answers)
        return choices.filter { choice in
            var context = base
            let outer = base.lookup
            context.lookup = { name in
                if name.hasPrefix(ChoiceFilter.prefix) {
                    let column = String(name.dropFirst(ChoiceFilter.prefix.count))
                    if column == "name" { return [.string(choice.name)] }
                    return [.string(choice.extra[column] ?? "")]
                }
                return outer(name)
            }
            return (try? filter.evaluate(context).boolean) ?? false
        }
    }
}

/// A row and the rows inside it, as the form nests them.
struct RowNode: Sendable {
    let row: FormRow
    let children: [RowNode]

    /// The tree of `entries`, whose rows are `ordered` from `position` on, in form order.
    static func tree(_ entries: [Entry], _ ordered: [FormRow], _ position: inout Int) -> [RowNode] {
        var nodes: [RowNode] = []
        for entry in entries {
            let row = ordered[position]
            position += 1
            nodes.append(RowNode(row: row, children: tree(entry.children ?? [], ordered, &position)))
        }
        return nodes
    }
}
