import CanvassCore

/// How commands name a field to the user: by its stored path, which is its name unless the name is
/// used more than once in the form.
enum FieldNaming {
    /// The message for a path that names no field: when it is a name several fields share, which
    /// paths to use instead (a repeat's instance written as [N]).
    static func unknown(_ path: String, engine: FormEngine, form: String) -> String {
        let named = engine.rows(named: path).filter { $0.key != path }
        guard !named.isEmpty else { return "'\(path)' is not a field of form \(form); see canvass form show" }
        let paths = named.map { row in row.repeats.map { "\($0)[N]/" }.joined() + row.localKey }
        return "'\(path)' is the name of \(named.count) fields of form \(form); give the one you mean by its path: \(paths.joined(separator: ", "))"
    }
}
