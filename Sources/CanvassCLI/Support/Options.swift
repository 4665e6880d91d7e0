import ArgumentParser
import CanvassCore
import Foundation

/// Who is writing, shared by every command that writes revisions.
struct AuthorOptions: ParsableArguments {
    @Option(name: .customLong("as"), help: "Your id (surveyor or supervisor), recorded on every revision.")
    var author: String

    @Option(help: "Device id recorded on every revision (default: this machine's name).")
    var device: String?

    var deviceID: String { device ?? CLIEnvironment.hostName }

    func validate() throws {
        if author.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--as needs a non-empty id") }
    }
}

extension FormFile {
    /// Loads a form and refuses it, naming the file, when `form check` finds errors.
    static func loadChecked(_ path: String) throws -> Form {
        let (form, findings) = try loadChecked(path, check: true)
        let errors = findings.filter { $0.severity == .error }
        if let first = errors.first {
            throw FormError(file: path, message: "the form is not valid (\(errors.count) errors, first: \(first.message)); run canvass form check \(path)")
        }
        return form
    }
}

/// Renders findings for people: one line each, interview and field first.
func render(_ finding: Finding) -> String {
    let severity = finding.severity == .error ? Output.styled("error", .red) : Output.styled("warning", .yellow)
    let interview = finding.interview.map { "\($0): " } ?? ""
    return "\(severity) [\(finding.code)] \(interview)\(finding.message)"
}
