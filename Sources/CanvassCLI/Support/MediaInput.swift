import CanvassCore
import CanvassStore
import Foundation

/// The files people give for image, audio, video and file answers: read from a path (relative to
/// where the answers come from), named by their SHA-256 (`MediaFile`), and held until the answers
/// are written, in the same transaction, so an answer never names a file the data file lacks.
final class MediaInput {
    let base: URL
    private(set) var files: [String: Data] = [:]

    init(base: URL) { self.base = base }

    /// Why a path was not taken: said in English to commands, and in the interview's language at
    /// the prompt (`Messages.media`).
    enum Failure: LocalizedError {
        case notAFile(String)
        case tooLarge(String, megabytes: Int, limit: Int)
        case unreadable(String)

        var errorDescription: String? { Messages(language: "en", table: Messages.english).media(self) }
    }

    /// The stored name for the file at `path`, its bytes kept for `attach`.
    func add(_ path: String) throws -> String {
        let expanded = (path as NSString).expandingTildeInPath
        let url = expanded.hasPrefix("/") ? URL(fileURLWithPath: expanded) : base.appendingPathComponent(expanded)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw Failure.notAFile(url.path)
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
        guard size <= DataFile.maxAttachmentBytes else {
            throw Failure.tooLarge(url.path, megabytes: size >> 20, limit: DataFile.maxAttachmentBytes >> 20)
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw Failure.unreadable(url.path)
        }
        let sha = MediaFile.sha256(of: data)
        files[sha] = data
        return MediaFile.storedName(sha256: sha, originalName: url.lastPathComponent)
    }

    /// `value` as stored: the path given for a photo, recording or document becomes the stored
    /// name of the file (kept for `attach`); a stored name, or any other answer, stays.
    func stored(_ value: String, kind: FieldType.Kind?) throws -> String {
        guard kind?.isMedia == true, !value.isEmpty, MediaFile.sha256(ofStoredName: value) == nil else { return value }
        return try add(value)
    }

    /// Stores the files read since the last call in the transaction `writer` belongs to (each
    /// once: an interview writes at every answer).
    func attach(_ writer: inout Writer) throws {
        for data in files.values { try writer.attach(data) }
        files = [:]
    }

    /// Stored names among `answers` (of `engine`'s media fields) that neither `file` nor this
    /// input holds: an answer must name a file the data file has.
    func missing(in answers: Answers, engine: FormEngine, file: DataFile?) throws -> [String] {
        var missing: [String] = []
        for (path, value) in answers {
            guard engine.row(atPath: path)?.row.kind?.isMedia == true, let sha = MediaFile.sha256(ofStoredName: value),
                  files[sha] == nil, try file?.attachment(sha) == nil
            else { continue }
            missing.append(path)
        }
        return missing.sorted()
    }
}
