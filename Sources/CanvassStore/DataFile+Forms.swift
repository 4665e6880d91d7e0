import CanvassCore
import Foundation
import GRDB

/// One embedded definition, with the version people see (`FormLabels`).
public struct FormDefinition: Sendable, Codable, Hashable {
    public var sha256: String
    public var formId: String
    public var version: String
    public var label: String
    public var interviews: Int

    enum CodingKeys: String, CodingKey {
        case sha256, version, label, interviews
        case formId = "form_id"
    }
}

extension DataFile {
    /// The label of every embedded definition, by SHA-256.
    static func formLabels(_ db: Database, schemaVersion: Int) throws -> [String: String] {
        let definitions = try Row.fetchAll(db, sql: "SELECT sha256, form_id, version FROM form").map {
            FormLabels.Definition(sha256: $0[0], formId: $0[1], version: $0[2])
        }
        let equivalent = schemaVersion < 4 ? [] : try Row.fetchAll(db, sql: "SELECT sha256, same_as FROM form_equivalent").map { ($0[0] as String, $0[1] as String) }
        return FormLabels.labels(definitions, equivalent: equivalent)
    }

    /// Every embedded definition with its label and how many interviews use it, by form id and label.
    public func definitions() throws(StoreError) -> [FormDefinition] {
        try read { db in
            let labels = try DataFile.formLabels(db, schemaVersion: schemaVersion)
            return try Row.fetchAll(db, sql: """
                SELECT form.sha256, form.form_id, form.version, (SELECT count(*) FROM interview WHERE interview.form = form.sha256)
                FROM form
                """).map { row in
                FormDefinition(sha256: row[0], formId: row[1], version: row[2], label: labels[row[0]] ?? row[2], interviews: row[3])
            }.sorted { ($0.formId, $0.label) < ($1.formId, $1.label) }
        }
    }

    /// The other definitions this file holds under `form`'s id and version: recording with
    /// `form` keeps both, shown apart by their labels, which the caller should say.
    public func otherDefinitions(of form: Form) throws(StoreError) -> [FormDefinition] {
        let sha = form.sha256
        let same = try definitions().filter { $0.formId == form.formId && $0.version == form.version }
        let mine = same.first { $0.sha256 == sha }
        return same.filter { $0.sha256 != sha && $0.label != mine?.label }
    }

    /// The definition a user names by its label (`1~036ff383`) or a prefix of its SHA-256.
    public func definition(named name: String) throws(StoreError) -> FormDefinition {
        let all = try definitions()
        let matches = all.filter { $0.label == name || "\($0.formId) \($0.label)" == name }
        let found = matches.isEmpty && name.count >= 6 ? all.filter { $0.sha256.hasPrefix(name.lowercased()) } : matches
        guard found.count == 1 else {
            let known = all.map { "\($0.formId) \($0.label)" }.joined(separator: ", ")
            throw StoreError.refused(path: path, reason: found.isEmpty
                ? "no form definition is named '\(name)'; this file holds: \(known)"
                : "'\(name)' names \(found.count) definitions; give more of its SHA-256")
        }
        return found[0]
    }

    /// Marks two definitions of one form id and version as differing in wording only, so that
    /// they are shown, exported and reported as one version. Refused, naming the first
    /// difference, when they differ in more (a field, type, expression or choice).
    public func markEquivalent(_ a: FormDefinition, _ b: FormDefinition, author: String) throws {
        guard a.sha256 != b.sha256 else { throw StoreError.refused(path: path, reason: "those name the same definition") }
        guard a.formId == b.formId, a.version == b.version else {
            throw StoreError.refused(path: path, reason: "\(a.formId) \(a.version) and \(b.formId) \(b.version) are not one form id and version; only definitions that share both can be equivalent")
        }
        if let difference = try form(sha256: a.sha256).differenceBeyondWording(from: try form(sha256: b.sha256)) {
            throw StoreError.refused(path: path, reason: "\(a.label) and \(b.label) differ in more than wording: \(difference); keep them apart")
        }
        let (low, high) = a.sha256 < b.sha256 ? (a.sha256, b.sha256) : (b.sha256, a.sha256)
        try write { writer in
            try writer.db.execute(sql: "INSERT OR IGNORE INTO form_equivalent (sha256, same_as, author, time) VALUES (?, ?, ?, ?)",
                                  arguments: [low, high, author.nfc, environment.now().iso8601])
        }
    }
}
