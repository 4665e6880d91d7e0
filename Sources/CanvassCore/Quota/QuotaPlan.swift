import Yams

/// Who is to be interviewed: cells of the sample, each an expression over the answers with a
/// target, and optionally each surveyor's share of it, so that offline laptops know their part.
///
/// ```yaml
/// form: sipas_2017            # optional: only this form's interviews count
/// cells:
///   - name: Sở Tư pháp
///     filter: "${unit} = 'stp'"
///     target: 150
///     allocations: {lan: 75, minh: 75}
/// ```
public struct QuotaPlan: Sendable {
    public var form: String?
    public var cells: [Cell]

    public struct Cell: Sendable {
        public var name: String
        public var filter: Expression
        public var target: Int
        /// Surveyor to their share of the target, in the plan's order.
        public var allocations: [(surveyor: String, target: Int)]
    }

    public static func load(yaml: String, file: String) throws(FormError) -> QuotaPlan {
        let root = try FormLoader.compose(yaml, file: file, empty: "the plan is empty; it needs a list of cells")
        var reader = FormLoader.Reader(file: file)
        var plan = QuotaPlan(form: nil, cells: [])
        var names = Set<String>()
        for (key, value, keyNode) in try reader.pairs(root, "the plan") {
            switch key {
            case "form": plan.form = try reader.string(value, "form")
            case "cells":
                for node in try reader.list(value, "cells") {
                    let cell = try reader.cell(node)
                    if !names.insert(cell.name).inserted { throw reader.fail(node, "two cells are named '\(cell.name)'; names must differ") }
                    plan.cells.append(cell)
                }
            default: throw reader.unknown(key, keyNode, in: "the plan", allowed: ["form", "cells"])
            }
        }
        if plan.cells.isEmpty { throw FormError(file: file, message: "the plan has no cells; add a list under 'cells:'") }
        return plan
    }

    /// Filters that name fields the form does not have, as "cell: message".
    public func problems(with form: Form) -> [String] {
        // A name used more than once cannot be referred to (FormChecker says why).
        let known = Set(form.located.map(\.key))
        return cells.flatMap { cell in
            cell.filter.references.filter { !known.contains($0) }.map {
                "cell '\(cell.name)': the filter names '\($0)', which is not a field of \(form.formId)"
            }
        }
    }
}

extension FormLoader.Reader {
    mutating func cell(_ node: Node) throws(FormError) -> QuotaPlan.Cell {
        var name: String?, filter: Expression?, target: Int?
        var allocations: [(String, Int)] = []
        func count(_ node: Node, _ what: String) throws(FormError) -> Int {
            let text = try string(node, what)
            guard let value = Int(text), (0...10_000_000).contains(value) else {
                throw fail(node, "\(what) must be a whole number of interviews (0 to 10,000,000), not '\(text)'")
            }
            return value
        }
        for (key, value, keyNode) in try pairs(node, "a cell") {
            switch key {
            case "name": name = try string(value, "a cell's name")
            case "filter":
                let source = try string(value, "filter")
                do { filter = try Expression(source) } catch { throw fail(value, "the filter does not parse: \(error)") }
            case "target": target = try count(value, "target")
            case "allocations":
                for (surveyor, share, _) in try pairs(value, "allocations (surveyor: number)") {
                    allocations.append((surveyor, try count(share, "the allocation of '\(surveyor)'")))
                }
            default: throw unknown(key, keyNode, in: "a cell", allowed: ["name", "filter", "target", "allocations"])
            }
        }
        guard let name else { throw fail(node, "a cell has no name") }
        guard let filter else { throw fail(node, "cell '\(name)' has no filter; write one, e.g. filter: \"${unit} = 'stp'\"") }
        guard let target else { throw fail(node, "cell '\(name)' has no target") }
        let allocated = allocations.map(\.1).reduce(0, +)
        if !allocations.isEmpty, allocated != target {
            throw fail(node, "cell '\(name)': the allocations add up to \(allocated), not the target \(target)")
        }
        return QuotaPlan.Cell(name: name, filter: filter, target: target, allocations: allocations)
    }
}

/// How full each cell is. Completed counts completed and approved interviews; discarded and
/// rejected ones count nowhere.
public struct QuotaCount: Sendable, Encodable {
    public var name: String
    public var target: Int
    public var completed: Int
    public var approved: Int
    public var drafts: Int
    public var remaining: Int
    public var overshoot: Int
    public var surveyors: [Share]

    public struct Share: Sendable, Encodable {
        public var surveyor: String
        /// nil for a surveyor the plan did not allocate to.
        public var target: Int?
        public var completed: Int
        public var drafts: Int
        public var remaining: Int?
    }

    public init(_ cell: QuotaPlan.Cell) {
        name = cell.name
        target = cell.target
        completed = 0
        approved = 0
        drafts = 0
        remaining = cell.target
        overshoot = 0
        surveyors = cell.allocations.map { Share(surveyor: $0.surveyor, target: $0.target, completed: 0, drafts: 0, remaining: $0.target) }
    }

    public mutating func add(status: InterviewStatus, surveyor: String) {
        let done = status == .completed || status == .approved
        guard done || status == .draft else { return }
        if done { completed += 1 } else { drafts += 1 }
        if status == .approved { approved += 1 }
        remaining = max(0, target - completed)
        overshoot = max(0, completed - target)
        var i = surveyors.firstIndex { $0.surveyor == surveyor }
        if i == nil {
            surveyors.append(Share(surveyor: surveyor, target: nil, completed: 0, drafts: 0, remaining: nil))
            i = surveyors.count - 1
        }
        if done { surveyors[i!].completed += 1 } else { surveyors[i!].drafts += 1 }
        if let share = surveyors[i!].target { surveyors[i!].remaining = max(0, share - surveyors[i!].completed) }
    }

    /// Whether one more completed interview by `surveyor` would go over: their share if they have
    /// one, else the cell's target.
    public func isFull(for surveyor: String) -> Bool {
        if let share = surveyors.first(where: { $0.surveyor == surveyor }), let target = share.target {
            return share.completed >= target
        }
        return completed >= target
    }
}
