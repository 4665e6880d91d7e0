import ArgumentParser
import CanvassCore
import CanvassStore
import Foundation

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export interviews as JSON lines, CSV tables or an Excel workbook (discarded ones left out).",
        discussion: """
            jsonl: one object per interview with _id, _status, _surveyor, _form_id, _form_version and the answers
            by field name (repeats as lists of objects); a field in conflict has no value and is in _conflicts.
            -o names a file; without it, standard output.

            csv and xlsx: one wide table per form, one row per interview, and one table per repeat with one row
            per instance, keyed by _parent_id (the interview) and _path (e.g. members[2]). Columns are the union
            over the form's versions; a select_multiple is its space-separated value plus a 0/1 column per choice
            (name/choice). -o names a directory, created if absent: FORM.csv and FORM-REPEAT.csv, or FORM.xlsx with
            a sheet per table (a name two tables would share gets ~2 on the second, by form id). Numbers are numbers in the workbook; everything else is text, as recorded.

            A location is its value plus NAME-Latitude, NAME-Longitude, NAME-Altitude and NAME-Accuracy columns (as
            ODK Central exports it). Photos, recordings and documents answered are written beside the tables, in
            media/ (named by their SHA-256, as the answers name them): in the directory of -o.

            Every file is created readable only by its owner (exports hold personal data). The output depends only
            on the revisions, never on the order of merges.

            Examples:
              canvass export district.canvass --format csv -o export/ --bom
              canvass export district.canvass --format xlsx -o export/ --labels --lang vi
              canvass export district.canvass --format jsonl -o district.jsonl
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case jsonl, csv, xlsx }

    @Argument(help: "The data file.")
    var file: String

    @Option(help: "Output format: jsonl, csv or xlsx.")
    var format: Format = .jsonl

    @Option(name: .shortAndLong, help: "jsonl: output file (standard output when absent). csv, xlsx: output directory.")
    var output: String?

    @Flag(help: "csv, xlsx: write choice labels instead of choice names.")
    var labels = false

    @Option(help: "Language of labels (default: the form's).")
    var lang: String?

    @Flag(help: "csv: start each file with a UTF-8 byte order mark, so that Excel reads Vietnamese correctly.")
    var bom = false

    func validate() throws {
        if format != .jsonl, output == nil { throw ValidationError("--format \(format.rawValue) writes several files: give a directory with -o DIR") }
        if bom, format != .csv { throw ValidationError("--bom applies to --format csv only") }
        if labels || lang != nil, format == .jsonl { throw ValidationError("--labels and --lang apply to csv and xlsx; jsonl keeps choice names") }
    }

    func run() throws {
        let data = try Stores.open(file, mode: .readOnly, environment: CLIEnvironment.store)
        let engines = try FormEngines(data)
        let writer: ExportWriter = format == .jsonl ? try JSONLinesWriter(path: output) : try TableWriter(
            directory: output!, format: format, bom: bom, layouts: try layouts(data))
        // Calculations, layout and text are made on every core; the file is read and written here, in order.
        var media = Set<String>()
        let pipeline = BatchPipeline<(InterviewSummary, InterviewState), ([ExportRow], [String])>(
            work: { interview, state in
                let engine = try engines.engine(sha256: interview.form)
                let answers = engine.recalculated(state.answers)
                let files = answers.compactMap { path, value in engine.row(atPath: path)?.row.kind?.isMedia == true ? value : nil }
                return (try writer.render(interview, answers, conflicts: state.conflicts, engine: engine), files)
            },
            deliver: { batch in
                for (rows, files) in batch {
                    for row in rows { try writer.write(row) }
                    media.formUnion(files)
                }
            })
        try data.forEachInterview(showing: "exporting") { interview, state in
            guard interview.status != InterviewStatus.discarded.rawValue else { return }
            try pipeline.add((interview, state))
        }
        try pipeline.finish()
        try writer.close()
        try writeMedia(media.sorted(), from: data)
    }

    /// The answered files, into media/ beside the tables (a jsonl on standard output has nowhere to put them).
    func writeMedia(_ names: [String], from data: any Store) throws {
        guard !names.isEmpty else { return }
        guard let output else {
            Output.error("warning: \(names.count) answered files are not written: give -o FILE to have them in media/ beside it")
            return
        }
        let base = format == .jsonl ? URL(fileURLWithPath: output).deletingLastPathComponent() : URL(fileURLWithPath: output)
        let directory = base.appendingPathComponent("media")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw ValidationError("cannot create the directory \(directory.path): \(error.localizedDescription)")
        }
        var missing = 0
        for name in names {
            guard let sha = MediaFile.sha256(ofStoredName: name), let bytes = try data.attachment(sha) else {
                missing += 1
                continue
            }
            let sink = try ExportSink(path: directory.appendingPathComponent(name).path)
            try sink.write(Array(bytes))
            try sink.close()
        }
        if missing > 0 { Output.error("warning: \(missing) answered files are not in \(file) (answers merged without them); the rest are in \(directory.path)") }
    }

    func layouts(_ data: any Store) throws -> [String: ExportLayout] {
        let versions = Dictionary(grouping: try data.forms(), by: \.formId)
        return versions.mapValues { ExportLayout(versions: $0, labels: labels, language: lang) }
    }
}

/// One row of output, made off the reading thread: the bytes of a line, or a workbook row's cells.
struct ExportRow: Sendable {
    var form = ""
    var table = 0
    var bytes: [UInt8] = []
    var cells: [ExportLayout.Cell] = []
}

/// `render` runs on any thread and reads only what `init` set; `write` and `close` run on the
/// reading thread, in order.
protocol ExportWriter: AnyObject, Sendable {
    func render(_ interview: InterviewSummary, _ answers: Answers, conflicts: [String], engine: FormEngine) throws -> [ExportRow]
    func write(_ row: ExportRow) throws
    func close() throws
}

final class JSONLinesWriter: ExportWriter, @unchecked Sendable {
    let sink: ExportSink

    init(path: String?) throws {
        sink = try ExportSink(path: path)
    }

    func render(_ interview: InterviewSummary, _ answers: Answers, conflicts: [String], engine: FormEngine) throws -> [ExportRow] {
        var object = engine.json(answers)
        object["_id"] = .string(interview.id)
        object["_status"] = .string(interview.status)
        object["_surveyor"] = .string(interview.surveyor)
        object["_form_id"] = .string(interview.formId)
        object["_form_version"] = .string(interview.formVersion)
        if !conflicts.isEmpty { object["_conflicts"] = .array(conflicts.map(JSONValue.string)) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return [ExportRow(bytes: Array(try encoder.encode(object)) + [0x0A])]
    }

    func write(_ row: ExportRow) throws { try sink.write(row.bytes) }

    func close() throws { try sink.close() }
}

/// CSV files or workbooks, one table per form and repeat, written as the interviews stream past.
final class TableWriter: ExportWriter, @unchecked Sendable {
    let layouts: [String: ExportLayout]
    let workbook: Bool
    var csv: [String: [ExportSink]] = [:]
    var workbooks: [String: WorkbookFile] = [:]

    init(directory: String, format: ExportCommand.Format, bom: Bool, layouts: [String: ExportLayout]) throws {
        self.layouts = layouts
        workbook = format == .xlsx
        let base = URL(fileURLWithPath: directory)
        do {
            try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw ValidationError("cannot create the directory \(directory): \(error.localizedDescription)")
        }
        var names = FileNames()
        for (formId, layout) in layouts.sorted(by: { $0.key < $1.key }) {
            if workbook {
                let book = try WorkbookFile(url: base.appendingPathComponent(names.unique(formId) + ".xlsx"))
                for table in layout.tables {
                    try book.append(sheet: try book.addSheet(table.name), table.columns.map(ExportLayout.Cell.text))
                }
                workbooks[formId] = book
            } else {
                csv[formId] = try layout.tables.map { table in
                    let sink = try ExportSink(path: base.appendingPathComponent(names.unique(table.name) + ".csv").path)
                    if bom { try sink.write([0xEF, 0xBB, 0xBF]) }
                    try sink.write(Array(CSV.line(table.columns).utf8))
                    return sink
                }
            }
        }
    }

    /// File names safe on any disk, and distinct even where case does not count: form `hh` with
    /// repeat `members` and a form `hh-members` would both be `hh-members`, so the second (by
    /// form id) becomes `hh-members~2`. `~` is never in a name otherwise.
    struct FileNames {
        var used: Set<String> = []

        mutating func unique(_ name: String) -> String {
            let safe = String(name.map { $0.isLetter || $0.isNumber || "-_.".contains($0) ? $0 : "_" })
            var candidate = safe, n = 1
            while !used.insert(candidate.lowercased()).inserted {
                n += 1
                candidate = "\(safe)~\(n)"
            }
            return candidate
        }
    }

    func render(_ interview: InterviewSummary, _ answers: Answers, conflicts: [String], engine: FormEngine) throws -> [ExportRow] {
        guard let layout = layouts[interview.formId] else { return [] }
        let facts = ExportLayout.Interview(
            id: interview.id, status: interview.status, surveyor: interview.surveyor, device: interview.device,
            created: interview.created, updated: interview.updated, formVersion: interview.formVersion, conflicts: conflicts)
        return layout.rows(facts, answers, engine: engine).map { table, cells in
            guard !workbook else { return ExportRow(form: interview.formId, table: table, cells: cells) }
            var bytes: [UInt8] = []
            CSV.append(cells.lazy.map(\.text), to: &bytes)
            return ExportRow(form: interview.formId, table: table, bytes: bytes)
        }
    }

    func write(_ row: ExportRow) throws {
        if let book = workbooks[row.form] {
            try book.append(sheet: row.table, row.cells)
        } else {
            try csv[row.form]![row.table].write(row.bytes)
        }
    }

    func close() throws {
        for sinks in csv.values { for sink in sinks { try sink.close() } }
        for book in workbooks.values { try book.finish() }
    }
}

/// Standard output, or a file readable only by its owner (exports hold personal data). A file is
/// written beside its name and renamed into place when complete, so a failure or a kill leaves the
/// previous file as it was, never a truncated one that looks whole.
final class ExportSink {
    let handle: FileHandle
    let path: String?
    let partial: String?
    private var closed = false

    init(path: String?) throws {
        self.path = path
        guard let path else {
            handle = .standardOutput
            partial = nil
            return
        }
        let url = URL(fileURLWithPath: path)
        let partial = TemporaryName.make(for: url, kind: "partial").path
        // A new file, never one already there or a link planted in a shared folder.
        let fd = open(partial, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw ValidationError("cannot write \(path): \(String(cString: strerror(errno)))") }
        fchmod(fd, 0o600)
        handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        self.partial = partial
    }

    deinit {
        if let partial, !closed { unlink(partial) }
    }

    /// Lines are gathered and written a megabyte at a time: one system call per interview is slow at 250,000.
    private var buffer: [UInt8] = []

    func write(_ bytes: [UInt8]) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 20 { try flush() }
    }

    private func flush() throws {
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws {
        try flush()
        guard let path, let partial else { return }
        try handle.synchronize()
        guard rename(partial, path) == 0 else { throw ValidationError("cannot write \(path): \(String(cString: strerror(errno)))") }
        closed = true
    }
}
