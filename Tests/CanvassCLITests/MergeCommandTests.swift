import Foundation
import GRDB
import Testing

struct MergeCommandTests {
    /// A directory with two good surveyor files recorded from the planted batch, split in two.
    func fleet() throws -> URL {
        let dir = try CLI.scratch()
        let lines = try String(contentsOfFile: CLI.fixture("batches/sipas-planted.jsonl"), encoding: .utf8).split(separator: "\n")
        try CLI.run(["record", CLI.form("sipas-2017.yaml"), "--db", "lan.canvass", "--surveyor", "lan", "--answers", "-"],
                    input: lines.prefix(3).joined(separator: "\n"), in: dir, environment: ["CANVASS_ID_PREFIX": "lan"])
        try CLI.run(["record", CLI.form("sipas-2017.yaml"), "--db", "minh.canvass", "--surveyor", "minh", "--answers", "-"],
                    input: lines.suffix(3).joined(separator: "\n"), in: dir, environment: ["CANVASS_ID_PREFIX": "minh"])
        return dir
    }

    // Each file made here gets its own id prefix: under the fixed test clock, ids are sequential.

    @Test func mergeReportsAndIsIdempotent() throws {
        let dir = try fleet()
        let first = try CLI.run(["merge", "hub.canvass", "lan.canvass", "minh.canvass"], in: dir)
        #expect(first.code == 0)
        #expect(first.out == """
            lan.canvass: merged: 3 new interviews, 107 new revisions, 0 interviews changed
            minh.canvass: merged: 3 new interviews, 108 new revisions, 0 interviews changed
            merged 2, already merged 0, refused 0; open conflicts 0, duplicate groups 0

            """)
        let export = try CLI.run(["export", "hub.canvass", "--format", "jsonl"], in: dir).out
        let again = try CLI.run(["merge", "hub.canvass", "minh.canvass", "lan.canvass", "--json"], in: dir)
        #expect(again.code == 0)
        let report = try #require(try CLI.json(again.out) as? [String: Any])
        #expect((report["sources"] as? [[String: Any]])?.map { $0["outcome"] as? String } == ["already-merged", "already-merged"])
        #expect(try CLI.run(["export", "hub.canvass", "--format", "jsonl"], in: dir).out == export)
        #expect(export.split(separator: "\n").count == 6)
        let log = try CLI.run(["log", "hub.canvass", "--json"], in: dir)
        let entries = try #require((try CLI.json(log.out) as? [String: Any])?["merges"] as? [[String: Any]])
        #expect(entries.map { $0["path"] as? String } == ["lan.canvass", "minh.canvass"])
        #expect(entries.allSatisfy { ($0["sha256"] as? String)?.count == 64 })
    }

    @Test func hostileSourcesAreRefusedByNameAndTheGoodOnesMerge() throws {
        let dir = try fleet()
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        // Random bytes, a truncated Canvass file, another application's database.
        try Data((0..<20_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }).write(to: URL(fileURLWithPath: path("random.canvass")))
        let whole = try Data(contentsOf: URL(fileURLWithPath: path("lan.canvass")))
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: path("truncated.canvass")))
        try DatabaseQueue(path: path("other.db")).write { db in try db.execute(sql: "CREATE TABLE photos(id INTEGER PRIMARY KEY, data BLOB)") }
        // A Canvass file from a newer version, one with a hidden trigger, one with a wrong value inside.
        try CLI.run(["merge", "newer.canvass", "lan.canvass"], in: dir, environment: ["CANVASS_ID_PREFIX": "newer"])
        try DatabaseQueue(path: path("newer.canvass")).write { db in try db.execute(sql: "PRAGMA user_version = 9") }
        try CLI.run(["merge", "trigger.canvass", "lan.canvass"], in: dir, environment: ["CANVASS_ID_PREFIX": "trigger"])
        try DatabaseQueue(path: path("trigger.canvass")).write { db in
            try db.execute(sql: "CREATE TRIGGER sneaky AFTER INSERT ON meta BEGIN DELETE FROM revision; END")
        }
        try CLI.run(["merge", "badvalue.canvass", "minh.canvass"], in: dir, environment: ["CANVASS_ID_PREFIX": "badvalue"])
        try DatabaseQueue(path: path("badvalue.canvass")).write { db in
            try db.execute(sql: "UPDATE revision SET value = 'mười lăm' WHERE field = 'form_no'")
        }
        let result = try CLI.run(["merge", "hub.canvass", "random.canvass", "lan.canvass", "truncated.canvass", "other.db",
                                  "newer.canvass", "trigger.canvass", "badvalue.canvass", "minh.canvass"], in: dir)
        #expect(result.code == 1)
        let lines = result.out.split(separator: "\n").map(String.init)
        #expect(lines.count == 9)
        #expect(lines[0] == "random.canvass: refused: random.canvass is not a Canvass data file (not a SQLite database); give a file written by canvass")
        #expect(lines[1].hasPrefix("lan.canvass: merged: 3 new interviews"))
        #expect(lines[2].hasPrefix("truncated.canvass: refused: "))
        #expect(lines[3] == "other.db: refused: other.db is not a Canvass data file (a SQLite file of another application); give a file written by canvass")
        #expect(lines[4] == "newer.canvass: refused: newer.canvass was written by a newer Canvass (schema 9; this one knows up to 6); update canvass to open it")
        #expect(lines[5] == "trigger.canvass: refused: trigger.canvass is not a Canvass data file (its schema has a trigger sneaky that Canvass never creates); give a file written by canvass")
        #expect(lines[6] == "badvalue.canvass: refused: badvalue.canvass: field 'form_no' holds a value that is not a whole number")
        #expect(!lines[6].contains("mười lăm"))  // values never appear in messages
        #expect(lines[7].hasPrefix("minh.canvass: merged: 3 new interviews"))
        #expect(lines.last == "merged 2, already merged 0, refused 6; open conflicts 0, duplicate groups 0")
        let list = try CLI.run(["list", "hub.canvass", "--json"], in: dir)
        #expect((try CLI.json(list.out) as? [Any])?.count == 6)
    }

    @Test func conflictsResolveAndStayResolved() throws {
        let dir = try fleet()
        try CLI.run(["merge", "hub.canvass", "lan.canvass"], in: dir, environment: ["CANVASS_ID_PREFIX": "hub"])
        try CLI.run(["merge", "copy.canvass", "hub.canvass"], in: dir, environment: ["CANVASS_ID_PREFIX": "copy"])
        try CLI.run(["edit", "lan.canvass", "phieu-001", "--set", "e2_1=1", "--set", "e2_2=2", "--as", "lan"], in: dir)
        try CLI.run(["edit", "copy.canvass", "phieu-001", "--set", "e2_1=4", "--set", "e2_2=2", "--as", "hoa"], in: dir)
        let merge = try CLI.run(["merge", "hub.canvass", "lan.canvass", "copy.canvass"], in: dir)
        #expect(merge.out.hasSuffix("open conflicts 1, duplicate groups 0\n"))
        let conflicts = try CLI.run(["conflicts", "hub.canvass", "--json"], in: dir)
        #expect(conflicts.code == 1)
        let list = try #require(try CLI.json(conflicts.out) as? [[String: Any]])
        #expect(list.map { $0["field"] as? String } == ["e2_1"])  // e2_2 converged: no conflict
        let values = try #require(list.first?["values"] as? [[String: Any]])
        #expect(Set(values.map { $0["value"] as? String }) == ["1", "4"])
        #expect(Set(values.map { $0["author"] as? String }) == ["lan", "hoa"])
        #expect(Set(values.map { $0["source"] as? String }) == ["lan.canvass", "copy.canvass"])
        let keep = try #require(values.first { $0["value"] as? String == "4" }?["revision"] as? String)
        let resolve = try CLI.run(["resolve", "hub.canvass", "phieu-001", "e2_1", "--keep", keep, "--as", "sup"], in: dir)
        #expect(resolve.out == "phieu-001 e2_1: resolved to 4\n")
        #expect(try CLI.run(["conflicts", "hub.canvass"], in: dir).code == 0)
        #expect(try CLI.run(["merge", "hub.canvass", "lan.canvass", "copy.canvass"], in: dir).out.hasSuffix("open conflicts 0, duplicate groups 0\n"))
        let export = try CLI.run(["export", "hub.canvass"], in: dir).out
        #expect(export.contains(#""_id":"phieu-001""#) && export.contains(#""e2_1":"4""#))
    }

    @Test func duplicatesAreListedAndDiscardingKeepsTheInterview() throws {
        let dir = try fleet()
        try CLI.run(["record", CLI.form("sipas-2017.yaml"), "--db", "minh.canvass", "--surveyor", "minh", "--answers", "-"],
                    input: #"{"_id": "again-1", "unit": "stp", "form_no": 1, "procedure": "Đăng ký kết hôn"}"#, in: dir)
        try CLI.run(["merge", "hub.canvass", "lan.canvass", "minh.canvass"], in: dir)
        let duplicates = try CLI.run(["duplicates", "hub.canvass", "--json"], in: dir)
        #expect(duplicates.code == 1)
        let groups = try #require(try CLI.json(duplicates.out) as? [[String: Any]])
        #expect(groups.map { $0["key"] as? String } == ["stp-1"])
        #expect(groups.first?["interviews"] as? [String] == ["again-1", "phieu-001"])
        let differences = try #require(groups.first?["differences"] as? [String: [String: String]])
        #expect(differences["procedure"] == ["again-1": "Đăng ký kết hôn", "phieu-001": "Cấp bản sao trích lục hộ tịch"])
        let discard = try CLI.run(["discard", "hub.canvass", "again-1", "--reason", "nhập trùng", "--as", "hoa", "--json"], in: dir)
        #expect(discard.code == 0)
        #expect(try CLI.json(discard.out) as? [String: String] == ["interview": "again-1", "status": "discarded"])
        #expect(try CLI.run(["duplicates", "hub.canvass"], in: dir).code == 0)
        #expect(!(try CLI.run(["export", "hub.canvass"], in: dir).out.contains("again-1")))
        let list = try CLI.run(["list", "hub.canvass", "--status", "discarded", "--json"], in: dir)
        #expect((try CLI.json(list.out) as? [[String: Any]])?.map { $0["id"] as? String } == ["again-1"])
    }
}
