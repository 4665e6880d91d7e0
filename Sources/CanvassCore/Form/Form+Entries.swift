extension Form {
    /// A survey row with where it sits: the groups and repeats around it.
    public struct Located: Sendable, Hashable {
        public var entry: Entry
        /// Names of the enclosing groups and repeats, outermost first.
        public var ancestors: [String]
        /// Names of the enclosing repeats only, outermost first.
        public var repeats: [String]

        public var path: String { (ancestors + [entry.name]).joined(separator: "/") }
    }

    /// Every row, groups and repeats included, in form order (depth first).
    public var allEntries: [Entry] { located.map(\.entry) }

    /// Every row with its location, in form order.
    public var located: [Located] {
        var result: [Located] = []
        func walk(_ entries: [Entry], ancestors: [String], repeats: [String]) {
            for entry in entries {
                result.append(Located(entry: entry, ancestors: ancestors, repeats: repeats))
                if let children = entry.children {
                    let inner = entry.kind == .repeat ? repeats + [entry.name] : repeats
                    walk(children, ancestors: ancestors + [entry.name], repeats: inner)
                }
            }
        }
        walk(survey, ancestors: [], repeats: [])
        return result
    }

    /// Rows that are fields: everything but group and repeat boundaries.
    public var fields: [Located] { located.filter { !$0.entry.isContainer } }

    /// Looks a row up by name (names are unique in a valid form).
    public func entry(named name: String) -> Located? {
        located.first { $0.entry.name == name }
    }
}
