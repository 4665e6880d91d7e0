import ArgumentParser

struct FormCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "form",
        abstract: "Check, show, import and export questionnaire definitions.",
        subcommands: [FormCheck.self, FormShow.self, FormImport.self, FormExport.self]
    )
}
