/// The version people see for each embedded form definition.
///
/// A form fixed without a new version (a label typo, say) reaches merge as a second definition
/// under the same id and version. Its interviews are already recorded, so both definitions are
/// kept. Which of the two is "the" version cannot be known from the files, and a name that
/// depended on which arrived first would make merge order matter; so when definitions that
/// differ share an id and version, every one of them is shown as `version~` and the first 8 hex
/// digits of its SHA-256 (of the smallest, for definitions marked equivalent, which share one).
public enum FormLabels {
    public struct Definition: Sendable, Hashable {
        public var sha256, formId, version: String

        public init(sha256: String, formId: String, version: String) {
            self.sha256 = sha256
            self.formId = formId
            self.version = version
        }
    }

    /// The label of every definition, by SHA-256. `equivalent` pairs definitions marked as
    /// differing in wording only; pairs across different ids or versions are ignored.
    public static func labels(_ definitions: [Definition], equivalent: [(String, String)]) -> [String: String] {
        var representative = Dictionary(uniqueKeysWithValues: definitions.map { ($0.sha256, $0.sha256) })
        func find(_ sha: String) -> String {
            var sha = sha
            while let next = representative[sha], next != sha { sha = next }
            return sha
        }
        let byHash = Dictionary(definitions.map { ($0.sha256, $0) }, uniquingKeysWith: { a, _ in a })
        for (a, b) in equivalent {
            guard let x = byHash[a], let y = byHash[b], x.formId == y.formId, x.version == y.version else { continue }
            let (ra, rb) = (find(a), find(b))
            // The smaller hash represents its class, so the label does not depend on marking order.
            if ra < rb { representative[rb] = ra } else if rb < ra { representative[ra] = rb }
        }
        var labels: [String: String] = [:]
        for group in Dictionary(grouping: definitions, by: { [$0.formId, $0.version] }).values {
            let classes = Set(group.map { find($0.sha256) })
            for definition in group {
                labels[definition.sha256] = classes.count == 1 ? definition.version : "\(definition.version)~\(find(definition.sha256).prefix(8))"
            }
        }
        return labels
    }
}

extension Form {
    /// The form without its wording (title, labels, hints, messages, appearance): what must
    /// match for two definitions to be marked equivalent.
    public var withoutWording: Form {
        var form = self
        form.title = nil
        form.defaultLanguage = nil
        form.instanceName = nil
        form.survey = survey.map(\.withoutWording)
        form.choices = choices.map { list in
            ChoiceList(name: list.name, choices: list.choices.map { Choice(name: $0.name, extra: $0.extra) })
        }
        form.indices = indices.map { index in
            FormIndex(name: index.name, satisfied: index.satisfied, elements: index.elements.map { FormIndex.Element(name: $0.name, questions: $0.questions) })
        }
        return form
    }

    /// Where this form differs from `other` in more than wording, or nil when only wording differs.
    public func differenceBeyondWording(from other: Form) -> String? {
        let (a, b) = (withoutWording, other.withoutWording)
        if a == b { return nil }
        if a.formId != b.formId || a.version != b.version { return "they are different forms or versions" }
        let (mine, theirs) = (a.located, b.located)
        let (these, those) = (Dictionary(mine.map { ($0.key, $0.entry) }, uniquingKeysWith: { x, _ in x }),
                              Dictionary(theirs.map { ($0.key, $0.entry) }, uniquingKeysWith: { x, _ in x }))
        if let key = mine.map(\.key).first(where: { those[$0] == nil }) ?? theirs.map(\.key).first(where: { these[$0] == nil }) {
            return "field '\(key)' is in only one of them"
        }
        if let item = mine.first(where: { those[$0.key] != $0.entry }) {
            return "field '\(item.key)' differs in its type, expressions or children"
        }
        if let list = a.choices.first(where: { b.choiceList($0.name) != $0 }) ?? b.choices.first(where: { a.choiceList($0.name) != $0 }) {
            return "choice list '\(list.name)' differs in its choices"
        }
        if a.caseKey != b.caseKey { return "their case keys differ" }
        return "their order of fields or their indices differ"
    }
}

extension Entry {
    var withoutWording: Entry {
        var entry = self
        entry.label = nil
        entry.hint = nil
        entry.requiredMessage = nil
        entry.constraintMessage = nil
        entry.appearance = nil
        entry.children = children?.map(\.withoutWording)
        return entry
    }
}
