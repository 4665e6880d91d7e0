import Foundation
import GRDB
@testable import CanvassStore
import Testing
import TestSupport

/// Files travel by copying: USB sticks, shared folders, backups restored on a new laptop, disks
/// cloned from one image. Each scenario runs the built binary, then merges the files in several
/// orders and groupings, and checks that every revision ends up in the result, that edits made
/// apart on the same answer are conflicts, that every grouping gives the same export, and that
/// no file holding something new is ever called "already merged" (issue 12).
struct CopyScenarioTests {
    let dir: URL
    init() throws { dir = try CLI.scratch() }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    /// Runs canvass in the scenario's folder. Every file gets its own id prefix: under the fixed
    /// test clock, ids (and so new origins) are sequential per process.
    @discardableResult
    func run(_ arguments: [String], as prefix: String, machine: String = "laptop", expect code: Int32? = 0,
             sourceLocation: SourceLocation = #_sourceLocation) throws -> CLI.Result {
        let result = try CLI.run(arguments, in: dir, environment: ["CANVASS_ID_PREFIX": prefix, "CANVASS_MACHINE": machine])
        if let code {
            #expect(result.code == code, "\(arguments.joined(separator: " ")): \(result.out)\(result.err)", sourceLocation: sourceLocation)
        }
        return result
    }

    /// The first `count` phiếu of the planted batch (one has a planted mistake: exit 1).
    func record(_ name: String, count: Int = 3, machine: String = "laptop") throws {
        let lines = try String(contentsOfFile: CLI.fixture("batches/sipas-planted.jsonl"), encoding: .utf8).split(separator: "\n")
        let result = try CLI.run(["record", CLI.form("sipas-2017.yaml"), "--db", name, "--surveyor", "lan", "--answers", "-", "--complete"],
                                 input: lines.prefix(count).joined(separator: "\n"), in: dir,
                                 environment: ["CANVASS_ID_PREFIX": name, "CANVASS_MACHINE": machine])
        #expect(result.out.contains("recorded \(count) interviews"), "\(result.out)\(result.err)")
    }

    /// How many revisions a file holds: the next one written is numbered after them.
    func count(_ name: String) throws -> Int { try revisions(name).count }

    /// `cp`: a new file with the same bytes.
    func copy(_ from: String, _ to: String) throws {
        try Data(contentsOf: URL(fileURLWithPath: path(from))).write(to: URL(fileURLWithPath: path(to)))
    }

    /// `cp backup.canvass lan.canvass` over a file that exists: the same inode, other bytes.
    func overwrite(_ name: String, with bytes: Data) throws {
        let handle = try #require(FileHandle(forWritingAtPath: path(name)))
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: bytes)
        try handle.close()
    }

    func edit(_ name: String, _ id: String, _ assignment: String, by author: String, prefix: String, machine: String = "laptop") throws {
        let result = try run(["edit", name, id, "--set", assignment, "--as", author], as: prefix, machine: machine)
        #expect(result.out.hasPrefix("\(id): 1 answers changed"), "\(result.out)")
    }

    /// Each revision by name and digest.
    func revisions(_ name: String) throws -> Set<String> {
        Set(try DatabaseQueue(path: path(name), configuration: { var c = Configuration(); c.readonly = true; return c }()).read { db in
            try String.fetchAll(db, sql: "SELECT origin || ':' || counter || ' ' || hex(digest) FROM revision")
        })
    }

    func forks(_ name: String) throws -> [[String: Any]] {
        let log = try run(["log", name, "--json"], as: "log")
        return try #require((try CLI.json(log.out) as? [String: Any])?["forks"] as? [[String: Any]])
    }

    /// The answers in conflict, each as its sorted values, and the export, of a merged file.
    func outcome(_ name: String) throws -> (conflicts: [String], export: String) {
        let conflicts = try #require(try CLI.json(try run(["conflicts", name, "--json"], as: "c", expect: nil).out) as? [[String: Any]])
        let described = conflicts.map { conflict in
            let values = (conflict["values"] as? [[String: Any]] ?? []).map { ($0["value"] as? String) ?? "∅" }.sorted()
            return "\(conflict["interview"] ?? "") \(conflict["field"] ?? ""): \(values.joined(separator: " | "))"
        }.sorted()
        return (described, try run(["export", name, "--format", "jsonl"], as: "e").out)
    }

    /// Merges `sources` forwards, backwards and as a tree of partial merges. With `allNew` (each
    /// source holds revisions no other does), every merge must say "merged", never "already
    /// merged"; none may be refused. Every grouping must give the same conflicts and export, and
    /// hold every revision of every source. Returns that outcome.
    @discardableResult
    func mergeEveryWay(_ sources: [String], tag: String, allNew: Bool = true, sourceLocation: SourceLocation = #_sourceLocation) throws -> (conflicts: [String], export: String) {
        func merged(_ target: String, _ inputs: [String]) throws {
            let result = try run(["merge", target] + inputs + ["--json"], as: target, sourceLocation: sourceLocation)
            let reports = try #require((try CLI.json(result.out) as? [String: Any])?["sources"] as? [[String: Any]], sourceLocation: sourceLocation)
            let outcomes = reports.map { $0["outcome"] as? String ?? "" }
            #expect(allNew ? outcomes.allSatisfy { $0 == "merged" } : !outcomes.contains("refused"), "\(target) ← \(inputs): \(reports)", sourceLocation: sourceLocation)
        }
        let half = sources.count / 2
        try merged("\(tag)-forward.canvass", sources)
        try merged("\(tag)-backward.canvass", sources.reversed())
        try merged("\(tag)-left.canvass", Array(sources.prefix(max(half, 1))))
        try merged("\(tag)-right.canvass", Array(sources.suffix(sources.count - max(half, 1))))
        try merged("\(tag)-tree.canvass", ["\(tag)-right.canvass", "\(tag)-left.canvass"])
        let all = try sources.reduce(into: Set<String>()) { $0.formUnion(try revisions($1)) }
        let expected = try outcome("\(tag)-forward.canvass")
        for target in ["forward", "backward", "tree"].map({ "\(tag)-\($0).canvass" }) {
            #expect(try revisions(target).isSuperset(of: all), "\(target) lost revisions", sourceLocation: sourceLocation)
            let got = try outcome(target)
            #expect(got.conflicts == expected.conflicts, "\(target)", sourceLocation: sourceLocation)
            #expect(got.export == expected.export, "\(target)", sourceLocation: sourceLocation)
        }
        return expected
    }

    @Test func aCopyAndItsOriginalBothWrittenMergeWithTheirEditsInConflict() throws {
        try record("c1.canvass")
        try copy("c1.canvass", "c2.canvass")
        try edit("c2.canvass", "phieu-001", "e1_1=5", by: "sup", prefix: "c2-edit")
        try edit("c1.canvass", "phieu-001", "e1_1=2", by: "lan", prefix: "c1-edit")
        try edit("c2.canvass", "phieu-002", "trips=3", by: "sup", prefix: "c2-edit2")
        let merged = try mergeEveryWay(["c1.canvass", "c2.canvass"], tag: "m")
        #expect(merged.conflicts == ["phieu-001 e1_1: 2 | 5"])
        #expect(merged.export.contains("\"trips\":\"3\""))
        #expect(try forks("c1.canvass").isEmpty)
        #expect(try forks("c2.canvass").map { $0["reason"] as? String } == ["it is a copy (its inode is not its last writer's)"])
        // The copy and the original merge into each other too.
        #expect(try run(["merge", "c2.canvass", "c1.canvass"], as: "back").out.hasPrefix("c1.canvass: merged:"))
    }

    @Test func aBackupRestoredOverAFileAlreadyMergedElsewhereKeepsEverything() throws {
        try record("c1.canvass")
        let backup = try Data(contentsOf: URL(fileURLWithPath: path("c1.canvass")))
        try edit("c1.canvass", "phieu-001", "e1_1=1", by: "lan", prefix: "before")
        try copy("c1.canvass", "handed-over.canvass")
        try run(["merge", "district.canvass", "c1.canvass"], as: "district")
        try overwrite("c1.canvass", with: backup)
        try edit("c1.canvass", "phieu-001", "e1_1=3", by: "lan", prefix: "after")
        #expect((try forks("c1.canvass").first?["reason"] as? String)?.hasPrefix("it was restored from an older copy") == true)
        #expect(try run(["merge", "district.canvass", "c1.canvass"], as: "district").out.hasPrefix("c1.canvass: merged:"))
        let merged = try mergeEveryWay(["handed-over.canvass", "c1.canvass"], tag: "m")
        #expect(merged.conflicts == ["phieu-001 e1_1: 1 | 3"])
        #expect(try outcome("district.canvass").conflicts == merged.conflicts)
    }

    @Test func twoClonesOfOneLaptopImageEachTakeTheirOwnOrigin() throws {
        try record("lan.canvass", machine: "image")
        let image = try Data(contentsOf: URL(fileURLWithPath: path("lan.canvass")))
        for (laptop, value) in [("a", "2"), ("b", "3")] {
            try overwrite("lan.canvass", with: image)
            try edit("lan.canvass", "phieu-001", "e1_1=\(value)", by: "lan", prefix: "clone-\(laptop)", machine: "laptop-\(laptop)")
            #expect(try forks("lan.canvass").first?["reason"] as? String == "it is written on another machine than before (a cloned disk, or a file carried over)")
            try copy("lan.canvass", "laptop-\(laptop).canvass")
        }
        try overwrite("lan.canvass", with: image)
        try copy("lan.canvass", "image.canvass")
        let merged = try mergeEveryWay(["laptop-a.canvass", "laptop-b.canvass"], tag: "m")
        #expect(merged.conflicts == ["phieu-001 e1_1: 2 | 3"])
        #expect(try run(["merge", "m-forward.canvass", "image.canvass"], as: "img").out.hasPrefix("image.canvass: already merged"))
    }

    @Test func aMovedFileKeepsItsIdentity() throws {
        try record("c1.canvass")
        let first = try run(["merge", "district.canvass", "c1.canvass", "--json"], as: "district")
        let id = try #require(((try CLI.json(first.out) as? [String: Any])?["sources"] as? [[String: Any]])?.first?["file_id"] as? String)
        try FileManager.default.moveItem(atPath: path("c1.canvass"), toPath: path("renamed.canvass"))
        try edit("renamed.canvass", "phieu-001", "e1_1=1", by: "lan", prefix: "moved")
        #expect(try forks("renamed.canvass").isEmpty)
        let again = try run(["merge", "district.canvass", "renamed.canvass", "--json"], as: "district")
        let report = try #require(((try CLI.json(again.out) as? [String: Any])?["sources"] as? [[String: Any]])?.first)
        #expect(report["outcome"] as? String == "merged" && report["file_id"] as? String == id)
    }

    /// A copy made with its writer record forged (as a rolled-back virtual machine, or a hand
    /// edit, leaves it): the copy writes under its original's names. Refused by name; the way
    /// out it prints merges it with nothing lost.
    @Test func aHandMadeDivergenceIsRefusedByNameAndTheWayOutLosesNothing() throws {
        try record("c1.canvass")
        let diverged = try count("c1.canvass") + 1
        try copy("c1.canvass", "c2.canvass")
        let environment = StoreEnvironment(now: { Date() }, newID: { "" }, machine: { _ in "named-laptop" })
        let stamp = try #require(WriterStamp.of(path: path("c2.canvass"), environment: environment))
        try DatabaseQueue(path: path("c2.canvass")).write { db in
            try db.execute(sql: "UPDATE meta SET value = ? WHERE key = 'writer'", arguments: [stamp.text])
        }
        try edit("c2.canvass", "phieu-001", "e1_1=5", by: "sup", prefix: "c2-edit")
        try edit("c1.canvass", "phieu-001", "e1_1=2", by: "lan", prefix: "c1-edit")
        try run(["merge", "district.canvass", "c1.canvass"], as: "district")
        let before = try revisions("district.canvass")

        let refused = try run(["merge", "district.canvass", "c2.canvass"], as: "district", expect: 1)
        let origin = try #require(try revisions("c1.canvass").first?.split(separator: ":").first.map(String.init))
        #expect(refused.out.hasPrefix("c2.canvass: refused: c2.canvass diverged from district.canvass: revision \(origin):\(diverged) is one revision there and another here"))
        #expect(refused.out.contains("if c2.canvass is the copy, canvass fork c2.canvass --against district.canvass;"))
        #expect(try revisions("district.canvass") == before)
        let json = try run(["merge", "district.canvass", "c2.canvass", "--json"], as: "district", expect: 1)
        let divergence = try #require(((try CLI.json(json.out) as? [String: Any])?["sources"] as? [[String: Any]])?.first?["divergence"] as? [String: Any])
        #expect(divergence["origin"] as? String == origin && divergence["counter"] as? Int == diverged && divergence["holds"] as? Int == diverged)

        let fork = try run(["fork", "c2.canvass", "--against", "district.canvass"], as: "fork")
        #expect(fork.out.hasPrefix("c2.canvass: renamed \(origin):\(diverged)-\(diverged) as \(origin)~"))
        #expect(try run(["merge", "district.canvass", "c2.canvass"], as: "district").out.hasPrefix("c2.canvass: merged: 0 new interviews, 1 new revisions"))
        #expect(try outcome("district.canvass").conflicts == ["phieu-001 e1_1: 2 | 5"])
        let merged = try mergeEveryWay(["c1.canvass", "c2.canvass"], tag: "m")
        #expect(merged.conflicts == ["phieu-001 e1_1: 2 | 5"])
    }

    /// A resolution and an approval made on a copy of the coordinator's file hold in every order.
    @Test func aResolutionAndAnApprovalMadeOnACopySurviveEveryMergeOrder() throws {
        try record("base.canvass")
        try run(["merge", "s1.canvass", "base.canvass"], as: "s1")
        try run(["merge", "s2.canvass", "base.canvass"], as: "s2")
        try edit("s1.canvass", "phieu-001", "e1_1=1", by: "lan", prefix: "s1-edit")
        try edit("s2.canvass", "phieu-001", "e1_1=2", by: "minh", prefix: "s2-edit")
        try run(["merge", "hub.canvass", "s1.canvass", "s2.canvass"], as: "hub")
        try copy("hub.canvass", "hub-copy.canvass")
        try run(["resolve", "hub-copy.canvass", "phieu-001", "e1_1", "--value", "2", "--as", "hoa"], as: "resolve")
        try run(["review", "hub-copy.canvass", "phieu-002", "approve", "--as", "hoa"], as: "review")
        // The hubs hold the surveyors' files: merged after them, a surveyor's is already merged.
        let merged = try mergeEveryWay(["s1.canvass", "hub-copy.canvass", "s2.canvass", "hub.canvass"], tag: "m", allNew: false)
        #expect(merged.conflicts.isEmpty)
        let lines = merged.export.split(separator: "\n")
        #expect(lines.contains { $0.contains("\"_id\":\"phieu-001\"") && $0.contains("\"e1_1\":\"2\"") })
        #expect(lines.contains { $0.contains("\"_id\":\"phieu-002\"") && $0.contains("\"_status\":\"approved\"") })
    }

    /// What a surveyor hands over: one checked 0600 file, the original's in every merge, that
    /// takes a new origin if anyone writes to it.
    @Test func aPackedFileMergesAsItsOriginalAndForksWhenWritten() throws {
        try record("lan.canvass")
        try edit("lan.canvass", "phieu-001", "e1_1=1", by: "lan", prefix: "edit")
        let packed = try run(["pack", "lan.canvass", "-o", "usb.canvass"], as: "pack")
        #expect(packed.out.hasPrefix("packed lan.canvass into usb.canvass: 3 interviews, \(try count("lan.canvass")) revisions"))
        #expect(try FileManager.default.attributesOfItem(atPath: path("usb.canvass"))[.posixPermissions] as? Int == 0o600)
        #expect(!FileManager.default.fileExists(atPath: path("usb.canvass-wal")))
        #expect(try revisions("usb.canvass") == revisions("lan.canvass"))
        let again = try run(["pack", "lan.canvass", "-o", "usb.canvass"], as: "pack", expect: 1)
        #expect(again.err == "Error: usb.canvass: it exists already; give a new name (pack never overwrites)\n")
        try run(["merge", "district.canvass", "usb.canvass"], as: "district")
        #expect(try run(["merge", "district.canvass", "lan.canvass"], as: "district").out.hasPrefix("lan.canvass: already merged"))
        try edit("usb.canvass", "phieu-002", "e1_1=2", by: "sup", prefix: "usb")
        #expect(try forks("usb.canvass").count == 1)
        try edit("lan.canvass", "phieu-002", "e1_1=3", by: "lan", prefix: "edit2")
        let merged = try mergeEveryWay(["lan.canvass", "usb.canvass"], tag: "m")
        #expect(merged.conflicts == ["phieu-002 e1_1: 2 | 3"])
    }

    /// A label fixed in the YAML without a new version, half the laptops recording with each:
    /// both merge, nothing refused, the warning names both definitions, and marking them
    /// equivalent shows them as one version.
    @Test func twoDefinitionsUnderOneVersionMergeWithNothingRefused() throws {
        let yaml = try String(contentsOfFile: CLI.form("sipas-2017.yaml"), encoding: .utf8)
        let fixed = yaml.replacingOccurrences(of: "Số phiếu (in trên phiếu)", with: "Số phiếu (in ở góc phải trên phiếu)")
        #expect(fixed != yaml)
        try fixed.write(to: dir.appendingPathComponent("fixed.yaml"), atomically: true, encoding: .utf8)
        try record("a.canvass", count: 2)
        let lines = try String(contentsOfFile: CLI.fixture("batches/sipas-planted.jsonl"), encoding: .utf8).split(separator: "\n")
        let recorded = try CLI.run(["record", "fixed.yaml", "--db", "b.canvass", "--surveyor", "minh", "--answers", "-"],
                                   input: lines.suffix(2).joined(separator: "\n"), in: dir, environment: ["CANVASS_ID_PREFIX": "b"])
        #expect(recorded.out.contains("recorded 2 interviews"))
        // Recording with the fixed form into a file that holds the first warns, and keeps both.
        let mixed = try CLI.run(["record", "fixed.yaml", "--db", "a.canvass", "--surveyor", "lan", "--answers", "-"],
                                input: String(lines[3]), in: dir, environment: ["CANVASS_ID_PREFIX": "a2"])
        #expect(mixed.err.contains("warning: a.canvass already holds form sipas_2017 version"))

        let merge = try run(["merge", "t.canvass", "a.canvass", "b.canvass"], as: "t")
        #expect(!merge.out.contains("refused:"))
        let definitions = try #require(try CLI.json(try run(["form", "equivalent", "t.canvass", "--json"], as: "l").out) as? [[String: Any]])
        let labels = definitions.compactMap { $0["label"] as? String }
        #expect(labels.count == 2 && labels.allSatisfy { $0.contains("~") })
        #expect(merge.out.contains("warning: form sipas_2017 version") && labels.allSatisfy { merge.out.contains($0) })
        let export = try run(["export", "t.canvass"], as: "e").out
        #expect(Set(labels) == Set(export.split(separator: "\n").compactMap { line in
            (try? CLI.json(String(line)) as? [String: Any])?["_form_version"] as? String
        }))
        try run(["form", "equivalent", "t.canvass", labels[0], labels[1], "--as", "hoa"], as: "eq")
        let versions = Set(try run(["export", "t.canvass"], as: "e").out.split(separator: "\n").compactMap { line in
            (try? CLI.json(String(line)) as? [String: Any])?["_form_version"] as? String
        })
        #expect(versions.count == 1 && !versions.first!.contains("~"))
    }

    /// A file handed over with a -wal that SQLite cannot read where it lies (a read-only
    /// folder, where it cannot make the -shm): merged from its main file alone, with a warning;
    /// status warns too. Run as another user when the tests run as root, who may write anywhere.
    @Test func aSourceWhoseWALCannotBeReadIsMergedWithAWarning() throws {
        try record("lan.canvass")
        let usb = dir.appendingPathComponent("usb")
        try FileManager.default.createDirectory(at: usb, withIntermediateDirectories: true)
        try copy("lan.canvass", "usb/lan.canvass")
        try copy("lan.canvass", "usb/clean.canvass")
        // A write left in the -wal, as a program stopped before its checkpoint leaves it.
        let python = try #require(ExternalTool.find("python3"), "\(ExternalTool.missing("python3", from: "Debian's python3"))")
        let writer = try CLI.execute(URL(fileURLWithPath: python), ["-c", """
            import os, sqlite3, sys
            db = sqlite3.connect(sys.argv[1], isolation_level=None)
            db.execute("PRAGMA wal_autocheckpoint = 0")
            db.execute("INSERT INTO meta VALUES ('left', 'in the wal')")
            os._exit(0)
            """, path("usb/lan.canvass")], in: dir, environment: [:])
        #expect(writer.code == 0, "\(writer.err)")
        #expect(((try FileManager.default.attributesOfItem(atPath: path("usb/lan.canvass-wal"))[.size] as? Int) ?? 0) > 0)
        try? FileManager.default.removeItem(atPath: path("usb/lan.canvass-shm"))
        let out = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        for (file, mode) in [(out.path, 0o777), (usb.path, 0o555), (path("usb/lan.canvass"), 0o644), (path("usb/lan.canvass-wal"), 0o644),
                             (path("usb/clean.canvass"), 0o644)] {
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: file)
        }
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: usb.path) }
        let asAnotherUser = getuid() == 0 ? ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] : []
        func canvass(_ arguments: [String]) throws -> CLI.Result {
            let program = URL(fileURLWithPath: asAnotherUser.first ?? CLI.binary.path)
            return try CLI.execute(program, asAnotherUser.dropFirst() + (asAnotherUser.isEmpty ? [] : [CLI.binary.path]) + arguments,
                                   in: dir, environment: ["NO_COLOR": "1", "PATH": "/usr/bin:/bin", "HOME": out.path])
        }
        let merge = try canvass(["merge", "out/t.canvass", "usb/lan.canvass"])
        #expect(merge.code == 0, "\(merge.out)\(merge.err)")
        #expect(merge.out.contains("usb/lan.canvass: merged: 3 new interviews"))
        #expect(merge.out.contains("warning: its -wal could not be read here"))
        let status = try canvass(["status", "usb/lan.canvass"])
        #expect(status.err.contains("warning: usb/lan.canvass: its -wal could not be read here"), "\(status.err)")
        #expect(!FileManager.default.fileExists(atPath: path("usb/lan.canvass-shm")))
        // A file with no -wal there is whole, and read without a word.
        let clean = try canvass(["status", "usb/clean.canvass", "--json"])
        let dashboard = try CLI.json(clean.out) as? [String: Any]
        #expect(clean.err.isEmpty && dashboard?["interviews"] as? Int == 3, "\(clean.out)\(clean.err)")
    }
}
