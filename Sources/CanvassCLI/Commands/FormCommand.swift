import ArgumentParser

struct FormCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "form",
        abstract: "Check, show, import and export questionnaire definitions; tell a data file's definitions apart.",
        subcommands: [FormCheck.self, FormShow.self, FormImport.self, FormExport.self, FormEquivalent.self]
    )
}
