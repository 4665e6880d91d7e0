import ArgumentParser
import CanvassStore

struct FormEquivalent: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "equivalent",
        abstract: "Show a data file's form definitions; mark two that differ in wording only as one version.",
        discussion: """
            A form fixed without a new version (a label typo, say) reaches a data file as a second
            definition under the same form id and version. Both are kept, since interviews were
            recorded with each, and they are shown apart as VERSION~ and the start of their
            SHA-256 (1~036ff383), in list, show, exports and reports. When only their wording
            differs (labels, hints, messages), mark them equivalent and they are one version
            again; a difference in fields, types, expressions or choices is refused by name.
            The mark travels with the file and merges like everything else.

            Without A and B, lists the definitions the file holds.

            Examples:
              canvass form equivalent district.canvass
              canvass form equivalent district.canvass 1~036ff383 1~9a41c2d0 --as hoa
            """
    )

    @Argument(help: "The data file.")
    var file: String

    @Argument(help: "Two definitions, by label (1~036ff383) or SHA-256 prefix.")
    var definitions: [String] = []

    @Option(name: .customLong("as"), help: "Your id, recorded with the mark.")
    var author: String?

    @Flag(help: "Print the result as JSON.")
    var json = false

    func validate() throws {
        guard definitions.isEmpty || definitions.count == 2 else { throw ValidationError("give two definitions to mark equivalent, or none to list them") }
        if definitions.count == 2, (author ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--as ID is needed to mark definitions equivalent")
        }
    }

    func run() throws {
        if definitions.count == 2 {
            let data = try DataFile(path: file, mode: .readWrite, environment: CLIEnvironment.store)
            try data.markEquivalent(try data.definition(named: definitions[0]), try data.definition(named: definitions[1]), author: author ?? "")
        }
        let data = try DataFile(path: file, mode: .readOnly, environment: CLIEnvironment.store)
        let all = try data.definitions()
        if json {
            Output.printJSON(all)
            return
        }
        Output.print(Table.render(header: ["form", "shown as", "sha256", "interviews"],
                                  rows: all.map { [$0.formId, $0.label, String($0.sha256.prefix(12)), String($0.interviews)] }))
    }
}
