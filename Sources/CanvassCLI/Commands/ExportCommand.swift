import ArgumentParser
import CanvassCore
import CanvassStore
import Foundation

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export interviews, one JSON object per interview (discarded ones left out).",
        discussion: """
            Each object has _id, _status, _surveyor, _form_id, _form_version and the answers by field name
            (repeats as lists of objects); a field in conflict has no value and is listed in _conflicts.
            The output depends only on the revisions, never on the order of merges.

            Examples:
              canvass export district.canvass --format jsonl -o district.jsonl
              canvass export district.canvass --format jsonl | head
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case jsonl }

    @Argument(help: "The data file.")
    var file: String

    @Option(help: "Output format: jsonl.")
    var format: Format = .jsonl

    @Option(name: .shortAndLong, help: "Output file (standard output when absent); created with mode 0600.")
    var output: String?

    func run() throws {
        let data = try DataFile(path: file, mode: .readOnly, environment: CLIEnvironment.store)
        let engines = try FormEngines(data)
        let sink = try ExportSink(path: output)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        try data.forEachInterview { interview, state in
            guard interview.status != InterviewStatus.discarded.rawValue else { return }
            let engine = try engines.engine(sha256: interview.form)
            var object = engine.json(engine.recalculated(state.answers))
            object["_id"] = .string(interview.id)
            object["_status"] = .string(interview.status)
            object["_surveyor"] = .string(interview.surveyor)
            object["_form_id"] = .string(interview.formId)
            object["_form_version"] = .string(interview.formVersion)
            if !state.conflicts.isEmpty { object["_conflicts"] = .array(state.conflicts.map(JSONValue.string)) }
            sink.write(try encoder.encode(object) + Data("\n".utf8))
        }
        try sink.close()
    }
}

/// Standard output, or a new file readable only by its owner (exports hold personal data).
final class ExportSink {
    let handle: FileHandle
    let isFile: Bool

    init(path: String?) throws {
        guard let path else {
            handle = .standardOutput
            isFile = false
            return
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw ValidationError("cannot write \(path): \(String(cString: strerror(errno)))") }
        handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        isFile = true
    }

    /// Lines are gathered and written a megabyte at a time: one system call per interview is slow at 250,000.
    private var buffer = Data()

    func write(_ data: Data) {
        buffer.append(data)
        if buffer.count >= 1 << 20 { flush() }
    }

    private func flush() {
        handle.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws {
        flush()
        if isFile { try handle.synchronize() }
    }
}
