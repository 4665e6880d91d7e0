import ArgumentParser

/// The `canvass` command: offline field-survey collection, from questionnaire to merged, validated data.
public struct Canvass: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "canvass",
        abstract: "Collect survey interviews offline, merge surveyors' files, validate and report.",
        discussion: """
            Forms are YAML (see docs/forms.md) or XLSForm .xlsx. Data files are SQLite files that embed their forms.
            Exit codes: 0 ok, 1 findings (invalid forms or interviews, conflicts, refused inputs), 64 usage.

            Examples:
              canvass form check forms/*.yaml
              canvass interview forms/sipas-2017.yaml --db lan.canvass --surveyor lan --lang vi
              canvass validate lan.canvass
              canvass merge district.canvass team/*.canvass
              canvass conflicts district.canvass
              canvass status district.canvass
              canvass report district.canvass --index sipas --by unit --html sipas.html
            """,
        version: "0.1.0",
        subcommands: [
            FormCommand.self, ExprCommand.self, InterviewCommand.self, RecordCommand.self, EditCommand.self,
            ListCommand.self, ShowCommand.self, ReviewCommand.self, ValidateCommand.self, MergeCommand.self,
            ConflictsCommand.self, ResolveCommand.self, DuplicatesCommand.self, DiscardCommand.self, LogCommand.self,
            ExportCommand.self, ReportCommand.self, QuotaCommand.self, SampleCommand.self, StatusCommand.self,
            PackCommand.self, ForkCommand.self, ServerCommand.self, KeyCommand.self, VerifyCommand.self,
        ]
    )

    public init() {}
}
