/// A satisfaction index per group (e.g. per unit) and overall, as SIPAS computes it (sipas.md):
/// a criterion's value is the percent of its valid answers that are in `satisfied`; an element's
/// is the mean of its criteria; the index is the mean of its elements. Groups are ranked on it.
public struct IndexReport: Sendable, Hashable, Codable {
    public var index: String
    public var label: String?
    /// The field groups are formed by, if any.
    public var by: String?
    public var overall: Group
    public var groups: [Group]

    public struct Group: Sendable, Hashable, Codable {
        /// The grouping answer ("" for interviews without one; "overall" for the whole).
        public var group: String
        public var label: String?
        public var respondents: Int
        /// nil when no criterion has a valid answer.
        public var value: Double?
        /// 1 for the highest value; equal values share a rank. nil overall and when there is no value.
        public var rank: Int?
        public var elements: [Element]
        /// The other select questions, as percentages of their valid answers.
        public var tables: [Table]
    }

    public struct Element: Sendable, Hashable, Codable {
        public var name: String
        public var label: String?
        public var value: Double?
        public var questions: [Question]
    }

    public struct Question: Sendable, Hashable, Codable {
        public var name: String
        public var label: String?
        public var value: Double?
        /// Answers that are one of the question's choices; unanswered and conflicted ones are not.
        public var valid: Int
        public var satisfied: Int
    }

    public struct Table: Sendable, Hashable, Codable {
        public var question: String
        public var label: String?
        /// Respondents who answered.
        public var valid: Int
        public var choices: [Share]
    }

    public struct Share: Sendable, Hashable, Codable {
        public var name: String
        public var label: String?
        public var count: Int
        /// Percent of `valid`; for select_multiple the shares can add up to more than 100.
        public var percent: Double
    }
}

/// Counts answers interview by interview, so a report over 250,000 interviews needs no more than
/// the counts. Only pass interviews that count (completed or approved, never discarded).
public struct IndexTally: Sendable {
    public let form: Form
    public let index: FormIndex
    public let by: String?
    public let language: String?
    let criteria: [(name: String, valid: Set<String>)]
    let satisfied: Set<String>
    /// The other top-level selects, by their key (= their stored path, at the top level).
    let others: [(key: String, entry: Entry, choices: [Choice])]
    var counts: [String: Counts] = [:]

    struct Counts: Sendable {
        var respondents = 0
        var valid: [Int]
        var satisfied: [Int]
        /// Per other question: respondents who answered, and per choice.
        var answered: [Int]
        var chosen: [[Int]]
    }

    public struct Problem: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// `form` is the one whose definition of the index is used; interviews of its other versions
    /// count too, question by question.
    public init(form: Form, index name: String, by: String?, language: String?) throws(Problem) {
        guard let index = form.indices.first(where: { $0.name == name }) else {
            let known = form.indices.map(\.name)
            throw Problem(description: "the form \(form.formId) has no index '\(name)'"
                + (known.isEmpty ? "" : "; it has: \(known.joined(separator: ", "))"))
        }
        if let by, form.entry(named: by) == nil {
            throw Problem(description: "the form \(form.formId) has no field '\(by)' to group by")
        }
        self.form = form
        self.index = index
        self.by = by
        self.language = language ?? form.defaultLanguage
        func choices(_ entry: Entry?) -> [Choice] { entry?.type.list.flatMap { form.choiceList($0)?.choices } ?? [] }
        let questions = index.elements.flatMap(\.questions)
        criteria = questions.map { ($0, Set(choices(form.entry(named: $0)?.entry).map(\.name))) }
        satisfied = Set(index.satisfied)
        let skip = Set(questions + [by].compactMap { $0 })
        others = form.fields.filter { located in
            located.repeats.isEmpty && !skip.contains(located.key)
                && [.selectOne, .selectMultiple].contains(located.entry.kind)
        }.map { ($0.key, $0.entry, choices($0.entry)) }
    }

    public mutating func add(_ answers: Answers) {
        let group = by.map { answers[$0] ?? "" } ?? "overall"
        var counts = self.counts[group] ?? Counts(
            valid: Array(repeating: 0, count: criteria.count), satisfied: Array(repeating: 0, count: criteria.count),
            answered: Array(repeating: 0, count: others.count), chosen: others.map { Array(repeating: 0, count: $0.choices.count) })
        counts.respondents += 1
        for (i, criterion) in criteria.enumerated() {
            guard let answer = answers[criterion.name], criterion.valid.contains(answer) else { continue }
            counts.valid[i] += 1
            if satisfied.contains(answer) { counts.satisfied[i] += 1 }
        }
        for (i, other) in others.enumerated() {
            guard let answer = answers[other.key], !answer.isEmpty else { continue }
            let picked = Set(answer.split(separator: " ").map(String.init))
            counts.answered[i] += 1
            for (c, choice) in other.choices.enumerated() where picked.contains(choice.name) { counts.chosen[i][c] += 1 }
        }
        self.counts[group] = counts
    }

    public func report() -> IndexReport {
        var total: Counts?
        for counts in self.counts.values {
            guard var sum = total else { total = counts; continue }
            sum.respondents += counts.respondents
            for i in sum.valid.indices { sum.valid[i] += counts.valid[i]; sum.satisfied[i] += counts.satisfied[i] }
            for i in sum.answered.indices {
                sum.answered[i] += counts.answered[i]
                for c in sum.chosen[i].indices { sum.chosen[i][c] += counts.chosen[i][c] }
            }
            total = sum
        }
        let empty = Counts(valid: criteria.map { _ in 0 }, satisfied: criteria.map { _ in 0 },
                           answered: others.map { _ in 0 }, chosen: others.map { $0.choices.map { _ in 0 } })
        let overall = group("overall", label: nil, total ?? empty)
        var groups: [IndexReport.Group] = []
        if let by {
            let byChoices = form.entry(named: by)?.entry.type.list.flatMap { form.choiceList($0)?.choices } ?? []
            groups = counts.keys.sorted().map { key in
                let label = key.isEmpty ? "(no answer)" : byChoices.first { $0.name == key }?.label.map(text)
                return group(key, label: label, counts[key]!)
            }
            // Equal up to rounding error is equal: a mean of means can land a hair either side.
            let values = groups.compactMap(\.value)
            for i in groups.indices {
                groups[i].rank = groups[i].value.map { value in 1 + values.filter { $0 > value + 1e-9 }.count }
            }
        }
        return IndexReport(index: index.name, label: index.label.map(text), by: by, overall: overall, groups: groups)
    }

    func text(_ localized: LocalizedText) -> String { localized.text(in: language, fallback: form.defaultLanguage) }

    func group(_ name: String, label: String?, _ counts: Counts) -> IndexReport.Group {
        var position = 0
        let elements = index.elements.map { element in
            let questions = element.questions.map { name -> IndexReport.Question in
                defer { position += 1 }
                let valid = counts.valid[position], satisfied = counts.satisfied[position]
                return IndexReport.Question(
                    name: name, label: form.entry(named: name)?.entry.label.map(text),
                    value: valid == 0 ? nil : 100 * Double(satisfied) / Double(valid), valid: valid, satisfied: satisfied)
            }
            return IndexReport.Element(name: element.name, label: element.label.map(text),
                                       value: mean(questions.compactMap(\.value)), questions: questions)
        }
        let tables = others.enumerated().map { i, other in
            IndexReport.Table(
                question: other.key, label: other.entry.label.map(text), valid: counts.answered[i],
                choices: other.choices.enumerated().map { c, choice in
                    let count = counts.chosen[i][c]
                    return IndexReport.Share(name: choice.name, label: choice.label.map(text), count: count,
                                             percent: counts.answered[i] == 0 ? 0 : 100 * Double(count) / Double(counts.answered[i]))
                })
        }
        return IndexReport.Group(group: name, label: label, respondents: counts.respondents,
                                 value: mean(elements.compactMap(\.value)), rank: nil, elements: elements, tables: tables)
    }

    /// The mean of what has a value: a criterion nobody answered does not pull its element to zero.
    func mean(_ values: [Double]) -> Double? {
        values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }
}
