import Foundation

/// Evaluating expressions against an interview's answers: the context each one sees (typed field
/// values, repeat instances, the clock, the files beside the form) and how a field's text reads.
extension FormEngine {
    /// Stored answers read as their type; a calculation as its expression's result (`NodeKind.ofResult`).
    static func nodeKinds(_ ordered: [FormRow], _ rows: [String: FormRow]) -> [String: NodeKind] {
        var kinds: [String: NodeKind] = [:]
        var visiting: Set<String> = []
        func kind(_ key: String) -> NodeKind? {
            if let known = kinds[key] { return known }
            guard let row = rows[key] else { return nil }
            if let plain = NodeKind(row.kind) { kinds[key] = plain; return plain }
            guard let calculation = row.calculation, visiting.insert(key).inserted else { return .text }
            defer { visiting.remove(key) }
            let inferred = NodeKind.ofResult(calculation, kindOf: kind)
            kinds[key] = inferred
            return inferred
        }
        for row in ordered { _ = kind(row.key) }
        return kinds
    }


    /// The evaluation context at a slot: `${name}` resolves relative to the slot's repeat instances.
    public func context(_ slot: Slot, _ answers: Answers, current: String? = nil) -> EvaluationContext {
        context(slot.instances, answers, current: current ?? answers[slot.path], currentKind: nodeKinds[slot.row.key] ?? .text)
    }

    /// Evaluates an expression outside any question, as quota filters are: `${name}` of a field
    /// inside a repeat gives every instance.
    public func evaluate(_ expression: Expression, _ answers: Answers) throws(ExpressionError) -> Value {
        try expression.evaluate(context([], answers, current: nil))
    }

    func context(_ instances: [Slot.Instance], _ answers: Answers, current: String?, currentKind: NodeKind = .text) -> EvaluationContext {
        // The closures capture only what they need: one is made for every expression evaluated.
        let rows = self.rows, kinds = self.nodeKinds, now = self.now, timeZone = self.timeZone
        let form = self.form, dataFiles = self.dataFiles
        return EvaluationContext(
            lookup: { name in
                guard let target = rows[name] else { return nil }
                let kind = kinds[name] ?? .text
                if target.repeats.isEmpty && target.kind != .repeat { return [kind.value(answers[target.localKey] ?? "", now: now, timeZone: timeZone)] }
                return FormEngine.nodes(target, from: instances, answers).map { kind.value(answers[$0] ?? "", now: now, timeZone: timeZone) }
            },
            current: current.map { currentKind.value($0, now: now, timeZone: timeZone) },
            position: instances.last?.index,
            indexedRepeat: { field, path in
                guard let target = rows[field], let first = path.first, let position = target.repeats.firstIndex(of: first.repeatName) else { return nil }
                // The instances outside the first named repeat are the current ones; the named ones are fixed.
                var fixed = instances.filter { target.repeats.prefix(position).contains($0.repeatName) }
                for step in path { fixed.append(Slot.Instance(repeatName: step.repeatName, index: step.index)) }
                let paths = FormEngine.nodes(target, from: fixed, answers)
                return paths.first.map { (kinds[field] ?? .text).value(answers[$0] ?? "", now: now, timeZone: timeZone) }
            },
            choiceLabel: { field, name in
                guard let row = rows[field] else { return nil }
                return row.choices?.first { $0.name == name }?.label?.text(in: form.defaultLanguage)
            },
            dataFile: { name in dataFiles[name] },
            hasChildren: { name in rows[name]?.isContainer ?? false },
            now: now, timeZone: timeZone, random: random, formVersion: form.version)
    }

    /// Paths of the nodes `${target}` names from inside `instances`: the same instance where the
    /// repeats are shared, every instance where they are not.
    static func nodes(_ target: FormRow, from instances: [Slot.Instance], _ answers: Answers) -> [String] {
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
        if target.kind == .repeat {
            // A repeat as a node-set: one node per instance.
            return prefixes.flatMap { prefix in
                (0..<instanceCount(prefix + target.localKey, answers)).map { "\(prefix)\(target.localKey)[\($0 + 1)]" }
            }
        }
        return prefixes.map { $0 + target.localKey }
    }

    public func evaluate(_ expression: Expression, at slot: Slot, _ answers: Answers, current: String? = nil) throws(ExpressionError) -> Value {
        try expression.evaluate(context(slot, answers, current: current))
    }
}
