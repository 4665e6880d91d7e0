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
        #expect(pragmas == [0x434E_5653, 6])
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
        #expect(throws: StoreError.newerVersion(path: newer, found: 99, known: 6)) { try DataFile(path: newer, mode: .readOnly) }
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
}

struct DataFileCreateTests {
    @Test func aFileThatCannotBeCreatedIsNamedWithTheReason() throws {
        let path = "/nonexistent-folder-\(UUID().uuidString)/a.canvass"
        #expect(throws: StoreError.cannotCreate(path: path, reason: "No such file or directory")) {
            try DataFile(path: path, mode: .create)
        }
    }
}

/// Files written by earlier versions of Canvass still merge in, and are migrated when opened for
/// writing. `Tests/Fixtures/data/schema3.canvass` was written by Canvass at a8df6ff (schema 3, no
/// digests): three SIPAS 2017 phiếu, an edit with a note, an approval.
struct SchemaMigrationTests {
    static let fixture = StoreFixtures.root.appendingPathComponent("Tests/Fixtures/data/schema3.canvass")

    func copy(to dir: URL, as name: String) throws -> String {
        let path = dir.appendingPathComponent(name).path
        try FileManager.default.copyItem(atPath: Self.fixture.path, toPath: path)
        return path
    }

    func digests(_ path: String) throws -> [String] {
        try DatabaseQueue(path: path).read { db in
            try Row.fetchAll(db, sql: "SELECT origin, counter, hex(digest) FROM revision ORDER BY origin, counter").map { "\($0[0] as String):\($0[1] as Int64) \($0[2] as String? ?? "NULL")" }
        }
    }

    @Test func aSchemaThreeFileMergesInAndMigratesToTheSameDigests() throws {
        let dir = try StoreFixtures.scratch()
        let old = try copy(to: dir, as: "old.canvass")
        let target = try DataFile(path: dir.appendingPathComponent("t.canvass").path, mode: .create)
        let report = target.merge(source: old)
        #expect(report.outcome == .merged && report.newRevisions == 113, "\(report.reason ?? "")")
        #expect(try target.state("phieu-001").answers["procedure"] == "Chứng thực bản sao từ bản chính")
        #expect(try target.interview("phieu-002").status == "approved")
        #expect(try target.conflicts().isEmpty)
        let merged = try digests(target.path)
        #expect(merged.count == 113 && !merged.contains { $0.hasSuffix("NULL") })

        // Opened for writing, the old file is migrated: schema 6 (digests, the new entry modes, then attachments), the
        // same digests as the merge worked out, so merging it again finds nothing new.
        let migrated = try DataFile(path: old, mode: .readWrite)
        #expect(try DatabaseQueue(path: old).read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") } == 6)
        #expect(try DatabaseQueue(path: old).read { db in try db.tableExists("attachment") })
        #expect(try digests(old) == merged)
        #expect(try migrated.state("phieu-001").answers["procedure"] == "Chứng thực bản sao từ bản chính")
        #expect(target.merge(source: old).outcome == .alreadyMerged)
        // And it writes on, chaining from its last digest, a file among its answers too.
        try migrated.write { writer in
            try writer.note("đã kiểm tra", interview: "phieu-003", author: "hoa", device: "d")
            try writer.attach(Data("ảnh chụp phiếu".utf8))
        }
        #expect(target.merge(source: old).outcome == .merged)
        #expect(try target.attachment(MediaFile.sha256(of: Data("ảnh chụp phiếu".utf8))) == Data("ảnh chụp phiếu".utf8))
        // Its field names are as they were: every name of that form is used once.
        #expect(try target.state("phieu-001").answers.keys.allSatisfy { !$0.contains("/") })
    }

    /// Schema 2 kept an (interview, field) index on the log.
    @Test func aSchemaTwoFileMergesIn() throws {
        let dir = try StoreFixtures.scratch()
        let old = try copy(to: dir, as: "old.canvass")
        try DatabaseQueue(path: old).write { db in
            try db.execute(sql: "DROP INDEX revision_note; CREATE INDEX revision_field ON revision(interview, field); PRAGMA user_version = 2")
        }
        let target = try DataFile(path: dir.appendingPathComponent("t.canvass").path, mode: .create)
        #expect(target.merge(source: old).outcome == .merged)
        #expect(try target.revisions("phieu-001").contains { $0.field == "_note" && $0.value == "khách ghi nhầm thủ tục" })
    }
}
