import Foundation

/// The files a form reads beside it: choices files of `select_one_from_file` and the CSV files of
/// `pulldata()`. Loaded once, into choice lists named after the file, so the data file embeds them
/// with the form's definition.
extension Form {
    /// The CSV files pulldata() calls read (`pulldata('prices', ...)` reads `prices.csv`), in the
    /// order they first appear.
    public var pulldataFiles: [String] { pulldataUses.map(\.file) }

    private static let pulldataPattern = try? NSRegularExpression(pattern: #"pulldata\s*\(\s*['"‘’“”]([^'"‘’“”]+)['"‘’“”]"#)

    /// Each of pulldata()'s files with the first field that reads it, for messages.
    var pulldataUses: [(file: String, field: String)] {
        var uses: [(file: String, field: String)] = []
        let pattern = Self.pulldataPattern
        for item in located {
            let entry = item.entry
            for source in entry.expressions.map(\.source) + [entry.default].compactMap({ $0 }) where source.contains("pulldata") {
                let range = NSRange(source.startIndex..<source.endIndex, in: source)
                for match in pattern?.matches(in: source, range: range) ?? [] {
                    guard let found = Range(match.range(at: 1), in: source) else { continue }
                    let file = String(source[found])
                    let name = file.lowercased().hasSuffix(".csv") ? file : file + ".csv"
                    if !uses.contains(where: { $0.file == name }) { uses.append((name, item.key)) }
                }
            }
        }
        return uses
    }

    /// The rows pulldata() looks up in `name` (without `.csv`): every column of each row; a
    /// choices file's rows carry their name and label as columns too. nil when not loaded.
    public func dataRows(_ name: String) -> [[String: String]]? {
        let file = name.lowercased().hasSuffix(".csv") ? name : name + ".csv"
        guard let list = choiceList(file) else { return nil }
        // A pulldata file's choices are named by row number; a choices file's by their value.
        let choicesFile = located.contains { $0.entry.kind?.takesFile == true && $0.entry.type.list == file }
        return list.choices.map { choice in
            var row = choice.extra
            if row["name"] == nil, choicesFile { row["name"] = choice.name }
            if row["label"] == nil, case .plain(let label)? = choice.label { row["label"] = label }
            return row
        }
    }

    /// Loads what the form reads beside it and is not in it yet: the choices of select-from-file
    /// questions and pulldata()'s CSV files, through `siblings` (a file beside the form, by name;
    /// nil when absent). Returns a warning for each file it could not load.
    public mutating func loadFiles(siblings: (String) -> Data?) -> [Finding] {
        var findings: [Finding] = []
        var known = Set(choices.map(\.name))
        func load(_ name: String, for field: String?, _ parse: (Data) throws(XLSXError) -> [Choice]) {
            guard known.insert(name).inserted else { return }
            guard !name.contains("/"), !name.contains("\\"), name != ".." else {
                findings.append(Finding(.warning, "missing-file", field: field, "'\(name)' is a path; files are read only from beside the form, named without folders"))
                return
            }
            guard let data = siblings(name) else {
                findings.append(Finding(.warning, "missing-file", field: field, "'\(name)' is not beside the form, so what it holds is missing; put the file next to the form"))
                return
            }
            do {
                choices.append(ChoiceList(name: name, choices: try parse(data)))
            } catch {
                findings.append(Finding(.warning, "missing-file", field: field, "'\(name)' cannot be read: \(error.message)"))
            }
        }
        let language = defaultLanguage
        for item in located where item.entry.kind?.takesFile == true {
            guard let list = item.entry.type.list else { continue }
            let parameters = item.entry.parameterValues, value = parameters["value"] ?? "name", label = parameters["label"] ?? "label"
            load(list, for: item.key) { data throws(XLSXError) in try ExternalChoices.parse(data, file: list, defaultLanguage: language, value: value, label: label) }
        }
        for (file, field) in pulldataUses {
            load(file, for: field) { data throws(XLSXError) in try ExternalChoices.dataRows(data) }
        }
        return findings
    }
}
