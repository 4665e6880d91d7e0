import CanvassCore
import Foundation
import GRDB

/// What paper keying, its verification and the kiosk read and keep beside the answers.
extension DataFile {
    /// The current values of an interview's reserved fields (`_status`, `_verify/…`, …), notes
    /// and conflicting fields left out.
    public func reserved(_ interview: String) throws(StoreError) -> [String: String] {
        try read { db in
            var result: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT field, value FROM current WHERE interview = ? AND field LIKE '\\_%' ESCAPE '\\' AND conflict = 0",
                                        arguments: [interview]) {
                if let value: String = row["value"] { result[row["field"]] = value }
            }
            return result
        }
    }

    /// Every field keyed or verified in the interviews keyed from paper, and who keyed each
    /// interview: what `ClerkStatistics` is computed from. Reads the whole log once.
    public func keyingEvents() throws(StoreError) -> (events: [ClerkStatistics.Event], keyers: [String: String]) {
        try read { db in
            let keyers = Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT id, surveyor FROM interview WHERE mode = 'key'")
                .map { ($0[0] as String, $0[1] as String) })
            var events: [ClerkStatistics.Event] = []
            let rows = try Row.fetchCursor(db, sql: """
                SELECT r.author, r.interview, r.field, r.time, r.value FROM revision r JOIN interview i ON i.id = r.interview
                WHERE i.mode = 'key' AND r.field NOT IN ('_status', '_note', '_approved', '_verified', '_abandoned')
                """)
            while let row = try rows.next() {
                let field: String = row[2]
                let value: String? = row[4]
                let verification = FieldVerification.verifiedPath(field) != nil ? value.flatMap(FieldVerification.init(text:)) : nil
                events.append(ClerkStatistics.Event(author: row[0], interview: row[1], field: field, time: row[3], verification: verification))
            }
            return (events, keyers)
        }
    }

    /// A setting kept in this file only (never merged), such as the kiosk's PIN hash.
    public func setting(_ key: String) throws(StoreError) -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: ["setting." + key]) }
    }

    public func setSetting(_ key: String, _ value: String) throws {
        guard access == .write else { throw StoreError.refused(path: path, reason: "it was opened for reading only; nothing was written") }
        do {
            try queue.write { db in
                try db.execute(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", arguments: ["setting." + key, value])
            }
        } catch {
            throw DataFile.describe(error, path: path)
        }
    }
}
