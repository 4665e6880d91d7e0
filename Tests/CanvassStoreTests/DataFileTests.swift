import CanvassCore
import CanvassStore
import Foundation
import GRDB
import Testing

struct DataFileTests {
    @Test func newFileIsPrivateWALAndMarkedAsOurs() throws {
        let dir = try StoreFixtures.scratch()
        let path = dir.appendingPathComponent("a.canvass").path
        let file = try DataFile(path: path, mode: .create, environment: StoreFixtures.environment("a"))
        #expect(file.id == "a-0001")
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let queue = try DatabaseQueue(path: path)
        let pragmas = try queue.read { db in
            [try Int.fetchOne(db, sql: "PRAGMA application_id"), try Int.fetchOne(db, sql: "PRAGMA user_version")]
        }
        #expect(pragmas == [0x434E_5653, 3])
        #expect(try queue.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") } == "wal")
    }

    @Test func missingFileIsNotCreatedForReading() throws {
        let path = try StoreFixtures.scratch().appendingPathComponent("none.canvass").path
        #expect(throws: StoreError.notFound(path: path)) { try DataFile(path: path, mode: .readOnly) }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func foreignAndNewerFilesAreRefusedByName() throws {
        let dir = try StoreFixtures.scratch()
        let foreign = dir.appendingPathComponent("other.db").path
        try DatabaseQueue(path: foreign).write { db in try db.execute(sql: "CREATE TABLE t(x)") }
        #expect(throws: StoreError.notCanvass(path: foreign, detail: "a SQLite file of another application")) {
            try DataFile(path: foreign, mode: .readWrite)
        }
        let newer = dir.appendingPathComponent("newer.canvass").path
        _ = try DataFile(path: newer, mode: .create)
        try DatabaseQueue(path: newer).write { db in try db.execute(sql: "PRAGMA user_version = 99") }
        #expect(throws: StoreError.newerVersion(path: newer, found: 99, known: 3)) { try DataFile(path: newer, mode: .readOnly) }
        let random = dir.appendingPathComponent("random.canvass").path
        FileManager.default.createFile(atPath: random, contents: Data((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 7919) }))
        #expect(throws: StoreError.notCanvass(path: random, detail: "not a SQLite database")) { try DataFile(path: random, mode: .readOnly) }
    }

    @Test func revisionsAreNumberedPerOriginAndSupersedeTheHeads() throws {
        let path = try StoreFixtures.scratch().appendingPathComponent("a.canvass").path
        let file = try DataFile(path: path, mode: .create, environment: StoreFixtures.environment("a"))
        let id = try file.write { writer in
            let id = try writer.createInterview(id: "i1", form: StoreFixtures.form, surveyor: "lan", device: "d1", mode: .bulk)
            try writer.set(["unit": "stp", "no": "4"], interview: id, author: "lan", device: "d1")
            return id
        }
        let unchanged = try file.write { writer in try writer.set(["unit": "stp"], interview: id, author: "lan", device: "d1") }
        #expect(unchanged.isEmpty)
        let edit = try file.write { writer in try writer.set(["no": "5"], interview: id, author: "hoa", device: "d2") }
        #expect(edit.map(\.id) == [RevisionID(origin: "a-0001", counter: 4)])
        #expect(edit.first?.parents == [RevisionID(origin: "a-0001", counter: 2)])
        let revisions = try file.revisions(id)
        #expect(revisions.map(\.id.counter) == [1, 2, 3, 4])
        #expect(revisions.map(\.field) == ["_status", "no", "unit", "no"])
        #expect(Set(revisions.map(\.hlc)).count == 4)
        #expect(try file.state(id).answers == ["unit": "stp", "no": "5"])
    }

    @Test func aFailedWriteLeavesNothing() throws {
        let path = try StoreFixtures.scratch().appendingPathComponent("a.canvass").path
        let file = try DataFile(path: path, mode: .create, environment: StoreFixtures.environment("a"))
        try file.write { writer in _ = try writer.createInterview(id: "i1", form: StoreFixtures.form, surveyor: "lan", device: "d", mode: .bulk) }
        let before = try StoreFixtures.snapshot(path)
        #expect(throws: StoreError.exists(path: path, id: "i1")) {
            try file.write { writer in
                _ = try writer.createInterview(id: "i2", form: StoreFixtures.form, surveyor: "lan", device: "d", mode: .bulk)
                _ = try writer.createInterview(id: "i1", form: StoreFixtures.form, surveyor: "lan", device: "d", mode: .bulk)
            }
        }
        #expect(try StoreFixtures.snapshot(path) == before)
    }

    @Test func aChangedFormUnderTheSameVersionIsRefused() throws {
        let path = try StoreFixtures.scratch().appendingPathComponent("a.canvass").path
        let file = try DataFile(path: path, mode: .create)
        try file.write { writer in _ = try writer.embed(StoreFixtures.form) }
        var changed = StoreFixtures.form
        changed.survey[0].label = .plain("Đơn vị")
        #expect(throws: StoreError.formClash(formId: "mini", version: "1", existing: StoreFixtures.form.sha256, incoming: changed.sha256)) {
            try file.write { writer in _ = try writer.embed(changed) }
        }
    }
}

struct DataFileCreateTests {
    @Test func aFileThatCannotBeCreatedIsNamedWithTheReason() throws {
        let path = "/nonexistent-folder-\(UUID().uuidString)/a.canvass"
        #expect(throws: StoreError.cannotCreate(path: path, reason: "No such file or directory")) {
            try DataFile(path: path, mode: .create)
        }
    }
}

/// Files written before schema 3 kept an (interview, field) index on the log; they still merge in,
/// and open for writing migrated, with their history intact.
struct SchemaMigrationTests {
    /// A file as Canvass 2 wrote it: the index instead of the notes index, user_version 2.
    func versionTwo(_ path: String, environment: StoreEnvironment) throws -> DataFile {
        let file = try DataFile(path: path, mode: .create, environment: environment)
        try file.write { writer in
            let id = try writer.createInterview(id: "v2-1", form: StoreFixtures.form, surveyor: "lan", device: "d1", mode: .bulk)
            try writer.set(["unit": "stp", "no": "4"], interview: id, author: "lan", device: "d1")
            try writer.set(["no": "5"], interview: id, author: "lan", device: "d1")
            try writer.note("gặp chủ hộ", interview: id, author: "lan", device: "d1")
        }
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: """
                DROP INDEX revision_note;
                CREATE INDEX revision_field ON revision(interview, field);
                PRAGMA user_version = 2;
                """)
        }
        return file
    }

    @Test func aVersionTwoFileMergesAndMigrates() throws {
        let dir = try StoreFixtures.scratch()
        let old = dir.appendingPathComponent("old.canvass").path
        let before = try versionTwo(old, environment: StoreFixtures.environment("o")).revisions("v2-1")
        #expect(before.map(\.field) == ["_status", "no", "unit", "no", "_note"])

        let target = try DataFile(path: dir.appendingPathComponent("t.canvass").path, mode: .create)
        #expect(target.merge(source: old).outcome == .merged)
        #expect(try target.revisions("v2-1").map(\.id) == before.map(\.id))

        let reopened = try DataFile(path: old, mode: .readWrite)
        let schema = try DatabaseQueue(path: old).read { db in
            (try Int.fetchOne(db, sql: "PRAGMA user_version"),
             try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'revision%' ORDER BY name"))
        }
        #expect(schema.0 == 3 && schema.1 == ["revision_note"])
        #expect(try reopened.revisions("v2-1").map(\.id) == before.map(\.id))
        #expect(try reopened.state("v2-1").answers == ["unit": "stp", "no": "5"])
    }
}
