import CanvassCore
@testable import CanvassStore
import Foundation
import GRDB
import Testing

/// Files travel by copying. A copy, a restored backup, a clone on another machine or a diverged
/// file must never lose a revision at merge (issue 12).
struct CopyTests {
    let dir: URL
    init() throws { dir = try StoreFixtures.scratch() }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    func open(_ name: String, _ prefix: String, machine: String = "test-machine") throws -> DataFile {
        try DataFile(path: path(name), mode: .create, environment: .fixed(start: Date(timeIntervalSince1970: 1_770_000_000), idPrefix: prefix, machine: machine))
    }

    func edit(_ file: DataFile, _ changes: [String: String?], by author: String, interview: String = "i1") throws {
        try file.write { writer in try writer.set(changes, interview: interview, author: author, device: "dev-\(author)") }
    }

    /// A base file with one interview, and a copy of its bytes: `cp`, with a new inode.
    func baseAndCopy() throws -> (DataFile, DataFile) {
        let base = try open("base.canvass", "b")
        try base.write { writer in _ = try writer.createInterview(id: "i1", form: StoreFixtures.form, surveyor: "lan", device: "d", mode: .bulk) }
        try edit(base, ["unit": "u1", "no": "1", "q1": "3"], by: "lan")
        try Data(contentsOf: URL(fileURLWithPath: base.path)).write(to: URL(fileURLWithPath: path("copy.canvass")))
        return (base, try open("copy.canvass", "c"))
    }

    func merged(_ sources: [String], into name: String) throws -> DataFile {
        let target = try open(name, "t-\(name)")
        for report in target.merge(sources: sources) {
            #expect(report.outcome == .merged, "\(report.path): \(report.outcome) \(report.reason ?? "")")
        }
        return target
    }

    func revisions(_ path: String) throws -> Set<String> {
        Set(try DatabaseQueue(path: path).read { db in try String.fetchAll(db, sql: "SELECT interview || field || ifnull(value, '-') || author || hlc FROM revision") })
    }

    @Test func aCopyForksAtItsFirstWriteAndBothMergeWithNothingLost() throws {
        let (base, copy) = try baseAndCopy()
        #expect(copy.id == base.id)
        try edit(copy, ["comment": "bản sao"], by: "sup")
        try edit(base, ["comment": "bản gốc"], by: "lan")
        #expect(copy.id != base.id)
        #expect(try base.forks().isEmpty)
        let fork = try #require(try copy.forks().first)
        #expect(fork.previous == base.id && fork.reason.contains("copy"))

        let forward = try merged([base.path, copy.path], into: "forward.canvass")
        let backward = try merged([copy.path, base.path], into: "backward.canvass")
        #expect(try revisions(forward.path) == revisions(base.path).union(revisions(copy.path)))
        #expect(try StoreFixtures.snapshot(forward.path) == StoreFixtures.snapshot(backward.path))
        #expect(try forward.conflicts().map { Set($0.values.map(\.value)) } == [["bản sao", "bản gốc"]])
        // The copy merges into its original too: the same origin is not the same file.
        #expect(base.merge(source: copy.path).outcome == .merged)
        #expect(try StoreFixtures.snapshot(base.path).filter { !$0.hasPrefix("form") } == StoreFixtures.snapshot(forward.path).filter { !$0.hasPrefix("form") })
    }

    @Test func aMovedFileKeepsItsOrigin() throws {
        let (base, _) = try baseAndCopy()
        let id = base.id
        try base.close()
        try FileManager.default.moveItem(atPath: base.path, toPath: path("moved.canvass"))
        let moved = try open("moved.canvass", "m")
        try edit(moved, ["q2": "4"], by: "lan")
        #expect(moved.id == id)
        #expect(try moved.forks().isEmpty)
    }

    /// `cp backup lan.canvass` over the live file keeps its inode: the seal tells.
    @Test func aBackupRestoredOverTheFileForksAndNothingIsLost() throws {
        let (base, _) = try baseAndCopy()
        let backup = try Data(contentsOf: URL(fileURLWithPath: base.path))
        try edit(base, ["q1": "5", "comment": "sau sao lưu"], by: "lan")
        let hub = try merged([base.path], into: "hub.canvass")
        try base.close()
        let handle = try #require(FileHandle(forWritingAtPath: path("base.canvass")))
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: backup)
        try handle.close()
        let restored = try open("base.canvass", "r")
        try edit(restored, ["q1": "2"], by: "lan")
        #expect(try restored.forks().first?.reason.contains("restored") == true)
        #expect(hub.merge(source: restored.path).outcome == .merged)
        #expect(try revisions(hub.path).isSuperset(of: revisions(restored.path)))
        #expect(try hub.conflicts().map(\.field) == ["q1"])
    }

    /// Two laptops cloned from one image: the same file, inode and all, on other machines.
    @Test func clonesOnTwoMachinesEachForkAndAllMerge() throws {
        let (base, _) = try baseAndCopy()
        let image = try Data(contentsOf: URL(fileURLWithPath: base.path))
        try base.close()
        var clones: [String] = []
        for machine in ["laptop-a", "laptop-b"] {
            let handle = try #require(FileHandle(forWritingAtPath: path("base.canvass")))
            try handle.truncate(atOffset: 0)
            try handle.write(contentsOf: image)
            try handle.close()
            let clone = try open("base.canvass", machine, machine: machine)
            try edit(clone, ["comment": machine], by: machine)
            #expect(try clone.forks().first?.reason.contains("another machine") == true)
            try clone.close()
            try Data(contentsOf: URL(fileURLWithPath: path("base.canvass"))).write(to: URL(fileURLWithPath: path("\(machine).canvass")))
            clones.append(path("\(machine).canvass"))
        }
        let merged = try merged(clones, into: "merged.canvass")
        #expect(try merged.conflicts().map { Set($0.values.map(\.value)) } == [["laptop-a", "laptop-b"]])
    }

    /// A copy that kept writing under its original's name (here its writer record is forged,
    /// as a rolled-back virtual machine would leave it): refused by name, then forked and merged.
    @Test func aDivergedCopyIsRefusedByNameAndForkMergesItWithNothingLost() throws {
        let (base, copy) = try baseAndCopy()
        try copy.close()
        let stamp = try #require(WriterStamp.of(path: path("copy.canvass"), environment: StoreFixtures.environment("x")))
        try DatabaseQueue(path: path("copy.canvass")).write { db in
            try db.execute(sql: "UPDATE meta SET value = ? WHERE key = 'writer'", arguments: [stamp.text])
        }
        let diverged = try open("copy.canvass", "c")
        try edit(diverged, ["comment": "bản sao", "q2": "1"], by: "sup")
        try edit(base, ["comment": "bản gốc"], by: "lan")
        #expect(diverged.id == base.id)

        let report = base.merge(source: diverged.path)
        #expect(report.outcome == .refused)
        let divergence = try #require(report.divergence)
        #expect(divergence.origin == base.id && divergence.path == diverged.path && divergence.other == base.path)
        #expect(report.reason?.contains("canvass fork \(diverged.path) --against \(base.path);") == true)
        #expect(try StoreFixtures.snapshot(base.path) == StoreFixtures.snapshot(base.path))

        let forks = try diverged.fork(against: base.path)
        #expect(forks.map(\.previous) == [base.id] && forks[0].first == divergence.counter)
        #expect(diverged.id != base.id)
        let forward = try merged([base.path, diverged.path], into: "forward.canvass")
        let backward = try merged([diverged.path, base.path], into: "backward.canvass")
        #expect(try StoreFixtures.snapshot(forward.path) == StoreFixtures.snapshot(backward.path))
        #expect(try forward.conflicts().map { Set($0.values.map(\.value)) } == [["bản sao", "bản gốc"]])
        #expect(try forward.state("i1").answers["q2"] == "1")
        #expect(base.merge(source: diverged.path).outcome == .merged)
    }

    /// A diverged copy, forged as above: the same bytes as `base`, writing under its origin.
    func divergedCopy(of base: DataFile, as name: String) throws -> DataFile {
        try Data(contentsOf: URL(fileURLWithPath: base.path)).write(to: URL(fileURLWithPath: path(name)))
        let stamp = try #require(WriterStamp.of(path: path(name), environment: StoreFixtures.environment("x")))
        try DatabaseQueue(path: path(name)).write { db in
            try db.execute(sql: "UPDATE meta SET value = ? WHERE key = 'writer'", arguments: [stamp.text])
        }
        return try open(name, name)
    }

    /// Once a branch is renamed, a file that still holds it under its old names is refused (in
    /// either direction) until it is forked the same way, which its fork against the renamer
    /// does; no revision ends up twice.
    @Test func aRenamedBranchNeverComesBackUnderItsOldNames() throws {
        let (base, _) = try baseAndCopy()
        let copy = try divergedCopy(of: base, as: "x.canvass")
        try edit(copy, ["comment": "bản sao"], by: "sup")
        try Data(contentsOf: URL(fileURLWithPath: copy.path)).write(to: URL(fileURLWithPath: path("x2.canvass")))
        try edit(base, ["comment": "bản gốc"], by: "lan")
        let target = try merged([base.path], into: "t.canvass")
        let hub = try merged([path("x2.canvass")], into: "hub.canvass")
        #expect(try copy.fork(against: target.path).count == 1)
        #expect(target.merge(source: copy.path).outcome == .merged)

        let unrenamed = target.merge(source: path("x2.canvass"))
        #expect(unrenamed.outcome == .refused)
        #expect(unrenamed.reason?.hasSuffix("fork it the same way first: canvass fork \(path("x2.canvass")) --against \(target.path)") == true)
        let fromTheRenamer = hub.merge(source: copy.path)
        #expect(fromTheRenamer.outcome == .refused)
        #expect(fromTheRenamer.reason?.hasSuffix("fork \(hub.path) the same way first: canvass fork \(hub.path) --against \(copy.path)") == true)

        let x2 = try open("x2.canvass", "x2b")
        #expect(try x2.fork(against: target.path).map(\.origin) == copy.forks().filter { $0.first != nil }.map(\.origin))
        #expect(try hub.fork(against: copy.path).count == 1)
        #expect(target.merge(source: x2.path).outcome != .refused)
        #expect(hub.merge(source: target.path).outcome == .merged)
        #expect(target.merge(source: hub.path).outcome != .refused)
        #expect(try revisions(target.path) == revisions(hub.path))
        #expect(try target.conflicts().map { Set($0.values.map(\.value)) } == [["bản sao", "bản gốc"]])
    }

    /// SQLite would cut bound text at a NUL, and the stored revision would no longer match its
    /// digest: refused, and nothing written.
    @Test func textWithANulIsRefusedAndNothingIsWritten() throws {
        let (base, _) = try baseAndCopy()
        let before = try StoreFixtures.snapshot(base.path)
        #expect(throws: StoreError.refused(path: base.path, reason: "a value, id or name holds a NUL character, which Canvass cannot store; remove it (nothing was written)")) {
            try edit(base, ["comment": "Ng\u{0}uyễn"], by: "lan")
        }
        #expect(try StoreFixtures.snapshot(base.path) == before)
    }
}
