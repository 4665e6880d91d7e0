import ArgumentParser
import CanvassCore
import CanvassStore

struct DuplicatesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "duplicates",
        abstract: "List interviews with different ids and the same case key, with the answers that differ.",
        discussion: """
            The case key comes from the form (e.g. unit and form number). Discarded interviews are left out.
            Keep one and discard the others with canvass discard. Exit 1 if there are any.

            Examples:
              canvass duplicates district.canvass
              canvass duplicates district.canvass --json
            """
    )

    @Argument(help: "The data file.")
    var file: String

    @Flag(help: "Print the groups as JSON.")
    var json = false

    struct Group: Encodable {
        var key: String
        var interviews: [String]
        /// Field → value per interview, for the fields where they differ.
        var differences: [String: [String: String]]
    }

    func run() throws {
        let data = try Stores.open(file, mode: .readOnly, environment: CLIEnvironment.store)
        var groups: [Group] = []
        for group in try data.duplicates() {
            var states: [String: Answers] = [:]
            for id in group.interviews { states[id] = try data.state(id).answers }
            let fields = Set(states.values.flatMap(\.keys))
            var differences: [String: [String: String]] = [:]
            for field in fields where Set(group.interviews.map { states[$0]?[field] }).count > 1 {
                differences[field] = Dictionary(uniqueKeysWithValues: group.interviews.map { ($0, states[$0]?[field] ?? "") })
            }
            groups.append(Group(key: group.key, interviews: group.interviews, differences: differences))
        }
        if json {
            Output.printJSON(groups)
        } else {
            for group in groups {
                Output.print(Output.styled("key \(group.key): \(group.interviews.joined(separator: ", "))", .bold))
                let rows = group.differences.keys.sorted().map { field in [field] + group.interviews.map { group.differences[field]?[$0] ?? "" } }
                if !rows.isEmpty { Output.print(Table.render(header: ["field"] + group.interviews, rows: rows)) }
            }
            Output.print("\(groups.count) duplicate groups" + (groups.isEmpty ? "" : "; keep one, discard the others with canvass discard \(file) ID --reason TEXT --as YOU"))
        }
        if !groups.isEmpty { throw ExitCode(1) }
    }
}
