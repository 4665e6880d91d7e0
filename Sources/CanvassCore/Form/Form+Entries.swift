extension Form {
    /// A survey row with where it sits: the groups and repeats around it, and the key it is known by.
    ///
    /// XLSForm asks a name to be unique only among its siblings, so a household form may have a
    /// `name` in its people repeat and another in its children repeat, or an `age` in two groups.
    /// A row whose name is used once in the form is known by its name, as it always was: its
    /// stored answers, columns and `${name}` references are unchanged. A row whose name is used
    /// more than once is known by its path inside the nearest repeat around it (`details/age`), or
    /// inside the form (`grp_a/age`); its stored answers are `people[2]/name`, `grp_a/age`.
    public struct Located: Sendable, Hashable {
        public var entry: Entry
        /// Names of the enclosing groups and repeats, outermost first.
        public var ancestors: [String]
        /// Names of the enclosing repeats only, outermost first.
        public var repeats: [String]
        /// The name, or, when the name is used more than once in the form, the path from the
        /// nearest repeat around the row (or from the form) to it: what follows the repeat
        /// instances in a stored answer's path, and the row's key in an export's table or a
        /// `record` object.
        public var localKey: String
        /// Unique in the form: the name when it is used once, else the nearest repeat's name (if
        /// any) and the local key (`people/name`, `grp_a/age`).
        public var key: String

        /// Every group and repeat around the row and the row itself, slash-separated.
        public var path: String { (ancestors + [entry.name]).joined(separator: "/") }
    }

    /// Every row, groups and repeats included, in form order (depth first).
    public var allEntries: [Entry] { located.map(\.entry) }

    /// Every row with its location and key, in form order.
    public var located: [Located] {
        var counts: [String: Int] = [:]
        func count(_ entries: [Entry]) {
            for entry in entries {
                counts[entry.name, default: 0] += 1
                count(entry.children ?? [])
            }
        }
        count(survey)
        var result: [Located] = []
        func walk(_ entries: [Entry], ancestors: [String], repeats: [String], sinceRepeat: [String]) {
            for entry in entries {
                let unique = counts[entry.name, default: 0] <= 1
                let localKey = unique ? entry.name : (sinceRepeat + [entry.name]).joined(separator: "/")
                let key = unique ? entry.name : ((repeats.last.map { [$0] } ?? []) + [localKey]).joined(separator: "/")
                result.append(Located(entry: entry, ancestors: ancestors, repeats: repeats, localKey: localKey, key: key))
                if let children = entry.children {
                    let isRepeat = entry.kind == .repeat
                    walk(children, ancestors: ancestors + [entry.name], repeats: isRepeat ? repeats + [entry.name] : repeats,
                         sinceRepeat: isRepeat ? [] : sinceRepeat + [entry.name])
                }
            }
        }
        walk(survey, ancestors: [], repeats: [], sinceRepeat: [])
        return result
    }

    /// Rows that are fields: everything but group and repeat boundaries.
    public var fields: [Located] { located.filter { !$0.entry.isContainer } }

    /// Looks a row up by its key: its name when the name is used once in the form, else its key
    /// (`people/name`).
    public func entry(named key: String) -> Located? {
        located.first { $0.key == key }
    }
}
