import CanvassCore
import GRDB

/// The two small tables a merge unions beside the log: forks (provenance: which file took which
/// origin, and why) and form equivalences. Few rows, so a source's are read and copied whole.
enum MergeExtras {
    /// A key for every row: `fork ORIGIN`, `same SHA SHA`.
    static func keys(_ db: Database) throws -> Set<String> {
        guard try db.tableExists("fork") else { return [] }
        let forks = try String.fetchAll(db, sql: "SELECT 'fork ' || origin FROM fork")
        let same = try String.fetchAll(db, sql: "SELECT 'same ' || sha256 || ' ' || same_as FROM form_equivalent")
        return Set(forks + same)
    }

    /// Checks a source's rows are as Canvass writes them (NFC text; an equivalence between two
    /// of the source's own forms, in order) and returns their keys.
    static func check(_ db: Database, forms: Set<String>, path: String) throws -> Set<String> {
        func text(_ value: DatabaseValue) -> String? {
            guard case .string(let text) = value.storage, text.isNFC, !text.utf8.contains(0) else { return nil }
            return text
        }
        var keys = Set<String>()
        for row in try Row.fetchAll(db, sql: "SELECT origin, previous, reason, time, path, host, first, last, digest FROM fork") {
            let texts = (0..<6).map { text(row[$0] as DatabaseValue) }
            let numbers = [row[6], row[7]].map { (value: DatabaseValue) -> Bool in
                if case .int64 = value.storage { return true }
                return value.isNull
            }
            let digest: Bool = switch (row[8] as DatabaseValue).storage {
            case .null: true
            case .blob(let data): data.count == 32
            default: false
            }
            guard texts.allSatisfy({ $0 != nil }), numbers.allSatisfy({ $0 }), digest, let origin = texts[0], !origin.isEmpty else {
                throw StoreError.refused(path: path, reason: "a row of its fork table is not as Canvass writes it")
            }
            keys.insert("fork \(origin)")
        }
        for row in try Row.fetchAll(db, sql: "SELECT sha256, same_as, author, time FROM form_equivalent") {
            let texts = (0..<4).map { text(row[$0] as DatabaseValue) }
            guard texts.allSatisfy({ $0 != nil }), let a = texts[0], let b = texts[1], a < b, forms.contains(a), forms.contains(b) else {
                throw StoreError.refused(path: path, reason: "a row of its form_equivalent table is not as Canvass writes it")
            }
            keys.insert("same \(a) \(b)")
        }
        return keys
    }

    /// Copies a checked source's rows into the target (`schema`: the source's name in the
    /// target's connection); rows the target has are kept as they are.
    static func copy(_ db: Database, schema: String) throws {
        try db.execute(sql: """
            INSERT OR IGNORE INTO main.fork (origin, previous, first, last, digest, reason, time, path, host)
            SELECT origin, previous, first, last, digest, reason, time, path, host FROM \(schema).fork
            """)
        try db.execute(sql: "INSERT OR IGNORE INTO main.form_equivalent (sha256, same_as, author, time) SELECT sha256, same_as, author, time FROM \(schema).form_equivalent")
    }
}
