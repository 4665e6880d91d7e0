import CanvassCore
import CanvassStore
import Foundation
import GRDB

/// Scratch files, a small form and a fixed clock for store tests.
enum StoreFixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("canvass-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static let form: Form = {
        let yaml = """
            form_id: mini
            version: "1"
            case_key: "concat(${unit}, '-', ${no})"
            survey:
              - {type: text, name: unit, label: Unit}
              - {type: integer, name: no, label: Number}
              - {type: select_one scale, name: q1, label: Q1}
              - {type: select_one scale, name: q2, label: Q2}
              - {type: text, name: comment, label: Comment}
              - {type: calculate, name: total, calculation: "${q1} + ${q2}"}
            choices:
              scale: [{name: "1", label: one}, {name: "2", label: two}, {name: "3", label: three}, {name: "4", label: four}, {name: "5", label: five}]
            """
        // The fixture is known to be valid; a failure here is a test bug.
        return (try? FormLoader.load(yaml: yaml, file: "mini.yaml")) ?? Form(formId: "broken", version: "0", survey: [])
    }()

    static func environment(_ prefix: String) -> StoreEnvironment {
        .fixed(start: Date(timeIntervalSince1970: 1_770_000_000), idPrefix: prefix)
    }

    /// Every row of the derived and logged state, in a fixed order: two files are equal in content
    /// when these are equal (merge provenance aside).
    /// Rows naming an interview or form the file lacks: merge writes with foreign keys off, so
    /// the tests check what SQLite no longer does.
    static func foreignKeyViolations(_ path: String) throws -> Int {
        try DatabaseQueue(path: path).read { db in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").count }
    }

    static func snapshot(_ path: String) throws -> [String] {
        let queue = try DatabaseQueue(path: path)
        return try queue.read { db in
            var lines: [String] = []
            for row in try Row.fetchAll(db, sql: "SELECT origin, counter, interview, field, value, author, hlc, parents FROM revision ORDER BY origin, counter") {
                lines.append("rev \(row)")
            }
            for row in try Row.fetchAll(db, sql: "SELECT interview, field, value, heads, conflict FROM current ORDER BY interview, field") {
                lines.append("cur \(row)")
            }
            for row in try Row.fetchAll(db, sql: "SELECT id, form, surveyor, key, status, updated FROM interview ORDER BY id") {
                lines.append("int \(row)")
            }
            for row in try Row.fetchAll(db, sql: "SELECT sha256 FROM form ORDER BY sha256") { lines.append("form \(row)") }
            return lines
        }
    }
}
