import CanvassCore
import CanvassStore

extension DataFile {
    /// Says so, on standard error, when recording with `form` keeps a second definition of its
    /// id and version beside one this file already holds: both are kept and shown apart.
    func warnOfOtherDefinitions(_ form: Form) throws {
        let others = try otherDefinitions(of: form)
        guard !others.isEmpty else { return }
        let mine = "\(form.version)~\(form.sha256.prefix(8))"
        Output.error("warning: \(path) already holds form \(form.formId) version \(form.version) with another definition (\(others.map(\.label).joined(separator: ", "))); "
            + "the one given is kept beside it, shown as \(mine). If only their wording differs: canvass form equivalent \(path) \(mine) \(others[0].label) --as ID")
    }
}
