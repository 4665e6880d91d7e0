import CanvassCore
import Crypto
import Foundation
import GRDB

/// The files answered to image, audio, video and file questions, stored in the data file by the
/// SHA-256 of their bytes (schema 6): the same photo is stored once however often it is answered
/// or merged, and a merge is a union of them, like the revisions.
extension DataFile {
    /// Larger files are refused when answered, and in a file being merged.
    public static let maxAttachmentBytes = 64 << 20

    /// The bytes of an answered file, by its SHA-256; nil when this file does not hold it.
    public func attachment(_ sha256: String) throws(StoreError) -> Data? {
        return try read { db in
            guard try db.tableExists("attachment") else { return nil }
            return try Data.fetchOne(db, sql: "SELECT data FROM attachment WHERE sha256 = ?", arguments: [sha256])
        }
    }
}

extension Writer {
    /// Stores a file's bytes (once: the same bytes are the same row) and returns their SHA-256.
    @discardableResult
    public mutating func attach(_ data: Data) throws -> String {
        guard data.count <= DataFile.maxAttachmentBytes else {
            throw StoreError.refused(path: file.path, reason: "a file of \(data.count >> 20) MB is larger than \(DataFile.maxAttachmentBytes >> 20) MB; make it smaller")
        }
        let sha = MediaFile.sha256(of: data)
        try db.execute(sql: "INSERT OR IGNORE INTO attachment (sha256, data) VALUES (?, ?)", arguments: [sha, data])
        return sha
    }
}

/// A merge's share of attachments: the source's that the target lacks, each checked to be the
/// file its name says (a file from the field is untrusted), then copied in the write.
enum MergeAttachments {
    /// The SHA-256 of every attachment a file holds.
    static func keys(_ db: Database) throws -> Set<String> {
        guard try db.tableExists("attachment") else { return [] }
        return Set(try String.fetchAll(db, sql: "SELECT sha256 FROM attachment"))
    }

    /// The source's attachments the target lacks, each read and hashed: its bytes must be the
    /// file its name says, of the size Canvass accepts.
    static func check(_ db: Database, known: Set<String>, path: String) throws -> [String] {
        guard try db.tableExists("attachment") else { return [] }
        var new: [String] = []
        for sha in try String.fetchAll(db, sql: "SELECT sha256 FROM attachment ORDER BY sha256") where !known.contains(sha) {
            guard let data = try Data.fetchOne(db, sql: "SELECT data FROM attachment WHERE sha256 = ?", arguments: [sha]),
                  data.count <= DataFile.maxAttachmentBytes, MediaFile.sha256(of: data) == sha
            else {
                throw StoreError.refused(path: path, reason: "its attachment \(sha.prefix(12)) is not the file its name says (damaged or altered); ask for the file again, made with canvass pack")
            }
            new.append(sha)
        }
        return new
    }

    /// Copies the checked attachments from the source (`schema`, attached) into the target.
    static func copy(_ db: Database, schema: String, _ shas: [String]) throws {
        guard !shas.isEmpty else { return }  // a source before schema 6 has no attachment table
        let insert = try db.makeStatement(sql: "INSERT OR IGNORE INTO main.attachment (sha256, data) SELECT sha256, data FROM \(schema).attachment WHERE sha256 = ?")
        for sha in shas { try insert.execute(arguments: [sha]) }
    }
}
