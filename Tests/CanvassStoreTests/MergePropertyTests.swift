import CanvassCore
import CanvassStore
import Foundation
import GRDB
import Testing

/// Random edit histories on several copies of a file, merged in random orders and groupings:
/// always the same result; merging twice changes nothing; current values equal a rebuild from the log.
struct MergePropertyTests {
    let engine: FormEngine

    init() throws { engine = try FormEngine(form: StoreFixtures.form) }

    func edit(_ file: DataFile, _ interview: String, _ changes: [String: String?], by author: String) throws {
        try file.write { writer in
            try writer.set(changes, interview: interview, author: author, device: "dev-\(author)")
        }
        let answers = try file.state(interview).answers
        try file.write { writer in try writer.setKey(engine.caseKey(answers), interview: interview) }
    }

    /// Builds replicas of one base file and plays a random history on them: edits, new
    /// interviews, notes, merges between replicas, and the ways files travel: a replica copied
    /// (the copy writes on too), a backup taken, a backup restored over its replica (same inode).
    func history(seed: UInt64, in dir: URL) throws -> [String] {
        var random = SplitMix64(seed: seed)
        let base = try DataFile(path: dir.appendingPathComponent("base.canvass").path, mode: .create, environment: StoreFixtures.environment("b\(seed)"))
        for n in 1...4 {
            let id = "i\(n)"
            try base.write { writer in _ = try writer.createInterview(id: id, form: StoreFixtures.form, surveyor: "lan", device: "d0", mode: .bulk) }
            try edit(base, id, ["unit": "u\(n % 2)", "no": "\(n)", "q1": "3", "q2": "4"], by: "lan")
        }
        var names = (1...4).map { "r\($0)" }
        var replicas: [DataFile] = []
        for name in names {
            let file = try DataFile(path: dir.appendingPathComponent("\(name).canvass").path, mode: .create, environment: StoreFixtures.environment("\(name)s\(seed)"))
            #expect(file.merge(source: base.path).outcome == .merged)
            replicas.append(file)
        }
        var created = 0, travelled = 0
        var backups: [Int: Data] = [:]
        for _ in 0..<60 {
            let r = Int.random(in: 0..<replicas.count, using: &random)
            let file = replicas[r]
            switch Int.random(in: 0..<22, using: &random) {
            case 0..<14:
                // Mostly the shared interviews, so that copies really do edit the same fields.
                let interviews = try file.interviews().map(\.id)
                let shared = interviews.filter { $0.hasPrefix("i") }
                let pool = Int.random(in: 0..<5, using: &random) < 4 ? shared : interviews
                let interview = pool[Int.random(in: 0..<pool.count, using: &random)]
                let field = ["q1", "q2", "comment", "no", "unit"][Int.random(in: 0..<5, using: &random)]
                let value: String? = switch field {
                case "q1", "q2": String(Int.random(in: 1...5, using: &random))
                case "no": String(Int.random(in: 1...6, using: &random))
                case "unit": "u\(Int.random(in: 0...1, using: &random))"
                default: Bool.random(using: &random) ? nil : ["Tốt", "Chậm", "Hài lòng"][Int.random(in: 0..<3, using: &random)]
                }
                try edit(file, interview, [field: value], by: names[r])
            case 14..<17:
                created += 1
                let id = "n\(seed)-\(created)"
                try file.write { writer in _ = try writer.createInterview(id: id, form: StoreFixtures.form, surveyor: names[r], device: "dev", mode: .prompt) }
                try edit(file, id, ["unit": "u0", "no": String(Int.random(in: 1...6, using: &random)), "q1": "5"], by: names[r])
            case 17:
                let interviews = try file.interviews().map(\.id)
                let interview = interviews[Int.random(in: 0..<interviews.count, using: &random)]
                try file.write { writer in try writer.note("ghi chú \(Int.random(in: 1...9, using: &random))", interview: interview, author: names[r], device: "dev") }
            case 18, 19:
                let other = replicas[Int.random(in: 0..<replicas.count, using: &random)]
                if other.path != file.path { #expect(file.merge(source: other.path).outcome != .refused) }
            default:
                travelled += 1
                switch Int.random(in: 0..<3, using: &random) {
                case 0 where replicas.count < 8:
                    try copy(r, "\(names[r])c\(travelled)")
                case 1 where backups[r] != nil:
                    try restore(r, backups[r]!, "\(names[r])r\(travelled)")
                default:
                    backups[r] = try Data(contentsOf: URL(fileURLWithPath: file.path))
                }
            }
        }
        // cp: the copy is written on as a replica of its own.
        func copy(_ r: Int, _ name: String) throws {
            let path = dir.appendingPathComponent("\(name).canvass").path
            try Data(contentsOf: URL(fileURLWithPath: replicas[r].path)).write(to: URL(fileURLWithPath: path))
            replicas.append(try DataFile(path: path, mode: .readWrite, environment: StoreFixtures.environment("\(name)s\(seed)")))
            names.append(name)
        }
        // A backup restored over its file: the same inode, older bytes.
        func restore(_ r: Int, _ backup: Data, _ name: String) throws {
            try replicas[r].close()
            let handle = try #require(FileHandle(forWritingAtPath: replicas[r].path))
            try handle.truncate(atOffset: 0)
            try handle.write(contentsOf: backup)
            try handle.close()
            replicas[r] = try DataFile(path: replicas[r].path, mode: .readWrite, environment: StoreFixtures.environment("\(name)s\(seed)"))
        }
        // Planted in every seed: a backup restored after the file moved on and was merged
        // elsewhere, and a copy, each written to.
        let backup = try Data(contentsOf: URL(fileURLWithPath: replicas[2].path))
        try edit(replicas[2], "i2", ["q2": "1"], by: names[2])
        #expect(replicas[3].merge(source: replicas[2].path).outcome == .merged)
        try restore(2, backup, "\(names[2])-restored")
        try edit(replicas[2], "i2", ["q2": "2"], by: names[2])
        try copy(3, "\(names[3])-copy")
        try edit(replicas[replicas.count - 1], "i3", ["comment": "bản sao"], by: names[replicas.count - 1])
        try edit(replicas[3], "i3", ["comment": "bản gốc"], by: names[3])
        // One planted concurrent edit, so every seed has at least one conflict to agree on.
        try edit(replicas[0], "i1", ["comment": "bản A \(seed)"], by: names[0])
        try edit(replicas[1], "i1", ["comment": "bản B \(seed)"], by: names[1])
        return replicas.map(\.path)
    }

    func merged(_ sources: [String], into path: String) throws -> DataFile {
        let target = try DataFile(path: path, mode: .create)
        // Together, so each source is checked while the one before it is written.
        for report in target.merge(sources: sources) { #expect(report.outcome != .refused, "\(report.reason ?? "")") }
        return target
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6] as [UInt64])
    func anyOrderAndGroupingGivesTheSameFile(seed: UInt64) throws {
        let dir = try StoreFixtures.scratch()
        let sources = try history(seed: seed, in: dir)
        var random = SplitMix64(seed: seed &* 31)
        let forward = try merged(sources, into: dir.appendingPathComponent("forward.canvass").path)
        let backward = try merged(sources.reversed(), into: dir.appendingPathComponent("backward.canvass").path)
        let shuffled = try merged(sources.shuffled(using: &random) + sources.shuffled(using: &random), into: dir.appendingPathComponent("shuffled.canvass").path)
        let left = try merged(Array(sources.prefix(sources.count / 2)), into: dir.appendingPathComponent("left.canvass").path)
        let right = try merged(Array(sources.suffix(sources.count - sources.count / 2)), into: dir.appendingPathComponent("right.canvass").path)
        let tree = try merged([right.path, left.path], into: dir.appendingPathComponent("tree.canvass").path)

        // The history must have produced something to agree on, or the test proves nothing.
        #expect(try forward.conflicts().count > 0)
        // Copies and restores were made and written to, or the test proves less than it says.
        let forks = try sources.flatMap { try DataFile(path: $0, mode: .readOnly).forks() }.map(\.reason)
        #expect(forks.contains { $0.contains("copy") } && forks.contains { $0.contains("restored") })
        // Nothing lost: every revision of every source, by name and content, is in the result.
        let all = try sources.reduce(into: Set<String>()) { $0.formUnion(try revisions($1)) }
        #expect(try revisions(forward.path).isSuperset(of: all))
        let expected = try StoreFixtures.snapshot(forward.path)
        for file in [forward, backward, shuffled, left, right, tree] { #expect(try StoreFixtures.foreignKeyViolations(file.path) == 0) }
        for other in [backward, shuffled, tree] {
            #expect(try StoreFixtures.snapshot(other.path) == expected)
            // `source` is provenance (which file brought a value here), so it may differ; the rest may not.
            #expect(try withoutSources(other.conflicts()) == withoutSources(forward.conflicts()))
            #expect(try other.duplicates() == forward.duplicates())
        }
        // Merging a source again changes nothing and says so.
        for source in sources {
            #expect(forward.merge(source: source).outcome == .alreadyMerged)
        }
        #expect(try StoreFixtures.snapshot(forward.path) == expected)
        // The incrementally kept current values equal a rebuild from the whole log.
        #expect(try rebuilt(forward.path) == current(forward.path))
    }

    func revisions(_ path: String) throws -> Set<String> {
        Set(try DatabaseQueue(path: path).read { db in try String.fetchAll(db, sql: "SELECT origin || ':' || counter || ' ' || hex(digest) FROM revision") })
    }

    func withoutSources(_ conflicts: [Conflict]) -> [Conflict] {
        conflicts.map { conflict in
            var conflict = conflict
            conflict.values = conflict.values.map { side in
                var side = side
                side.source = ""
                return side
            }
            return conflict
        }
    }

    func current(_ path: String) throws -> [String: String] {
        try DatabaseQueue(path: path).read { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT interview, field, value, heads, conflict FROM current").map {
                ("\($0["interview"] as String) \($0["field"] as String)", "\($0["value"] as String? ?? "nil") [\($0["heads"] as String)] \($0["conflict"] as Int)")
            })
        }
    }

    /// Current values worked out from the whole log, read as a table scan (not through `current`).
    func rebuilt(_ path: String) throws -> [String: String] {
        let file = try DataFile(path: path, mode: .readOnly)
        var result: [String: String] = [:]
        for interview in try file.interviews() {
            let log = try self.log(path, interview.id)
            // An interview's history, found back from its heads in `current`, is the whole log of it.
            #expect(try file.revisions(interview.id).map(\.id) == log.map(\.id))
            let byField = Dictionary(grouping: log.filter { $0.field != ReservedField.note }, by: \.field)
            for (field, revisions) in byField {
                let state = FieldState(revisions: revisions)
                let heads = state.headIDs.map(\.description).joined(separator: " ")
                result["\(interview.id) \(field)"] = "\(state.value ?? "nil") [\(heads)] \(state.isConflict ? 1 : 0)"
            }
        }
        return result
    }

    func log(_ path: String, _ interview: String) throws -> [Revision] {
        try DatabaseQueue(path: path).read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM revision NOT INDEXED WHERE interview = ?", arguments: [interview]).map { row in
                Revision(id: RevisionID(origin: row["origin"], counter: row["counter"]), interview: row["interview"], field: row["field"],
                         value: row["value"], author: row["author"], device: row["device"], hlc: row["hlc"], time: row["time"],
                         parents: (row["parents"] as String).split(separator: " ").compactMap { RevisionID(String($0)) })
            }
        }.sorted { ($0.hlc, $0.id) < ($1.hlc, $1.id) }
    }

    /// Sources are checked ahead of the writing, against the target as it was: one that overlaps a
    /// source written meanwhile must be checked again, not written on its stale check.
    @Test func aSourceOverlappingOneWrittenAfterItsCheckIsCheckedAgain() throws {
        let dir = try StoreFixtures.scratch()
        let a = try DataFile(path: dir.appendingPathComponent("a.canvass").path, mode: .create, environment: StoreFixtures.environment("a"))
        try a.write { writer in _ = try writer.createInterview(id: "i1", form: StoreFixtures.form, surveyor: "lan", device: "d", mode: .bulk) }
        try edit(a, "i1", ["unit": "u1", "no": "1", "q1": "3"], by: "lan")
        let b = try merged([a.path], into: dir.appendingPathComponent("b.canvass").path)
        try edit(b, "i1", ["q1": "4"], by: "hoa")
        try b.write { writer in _ = try writer.createInterview(id: "i2", form: StoreFixtures.form, surveyor: "hoa", device: "d", mode: .bulk) }

        let together = try DataFile(path: dir.appendingPathComponent("together.canvass").path, mode: .create)
        let reports = together.merge(sources: [a.path, a.path, b.path])
        #expect(reports.map(\.outcome) == [.merged, .alreadyMerged, .merged])
        // b brings only what a did not: its edit, and the new interview with its status.
        #expect(reports[2].newRevisions == 2 && reports[2].newInterviews == 1 && reports[2].changedInterviews == 1)

        let oneByOne = try DataFile(path: dir.appendingPathComponent("one.canvass").path, mode: .create)
        for source in [a.path, b.path] { #expect(oneByOne.merge(source: source).outcome == .merged) }
        #expect(try StoreFixtures.snapshot(together.path) == StoreFixtures.snapshot(oneByOne.path))
        #expect(try together.state("i1").answers["q1"] == "4")
    }

    /// A dry run judges every source against the target as it is, and changes nothing.
    @Test func aDryRunJudgesEachSourceAloneAndWritesNothing() throws {
        let dir = try StoreFixtures.scratch()
        let a = try DataFile(path: dir.appendingPathComponent("a.canvass").path, mode: .create, environment: StoreFixtures.environment("a"))
        try a.write { writer in _ = try writer.createInterview(id: "i1", form: StoreFixtures.form, surveyor: "lan", device: "d", mode: .bulk) }
        let target = try DataFile(path: dir.appendingPathComponent("t.canvass").path, mode: .create)
        let before = try StoreFixtures.snapshot(target.path)
        let reports = target.merge(sources: [a.path, a.path, a.path], dryRun: true)
        #expect(reports.map(\.outcome) == [.merged, .merged, .merged])
        #expect(reports.map(\.newRevisions) == [1, 1, 1])
        #expect(try StoreFixtures.snapshot(target.path) == before)
    }

    /// A source refused while it is written (here: an interview the target holds with other facts)
    /// is rolled back alone; the sources written with it stay.
    @Test func aSourceRefusedAtWriteTimeLeavesTheOthersOfItsBatch() throws {
        let dir = try StoreFixtures.scratch()
        var files: [DataFile] = []
        for name in ["a", "b", "c", "d"] {
            let file = try DataFile(path: dir.appendingPathComponent("\(name).canvass").path, mode: .create, environment: StoreFixtures.environment(name))
            try file.write { writer in _ = try writer.createInterview(id: "\(name)1", form: StoreFixtures.form, surveyor: name, device: "d", mode: .bulk) }
            files.append(file)
        }
        // b claims a's interview with another surveyor.
        try files[1].write { writer in _ = try writer.createInterview(id: "a1", form: StoreFixtures.form, surveyor: "mạo danh", device: "d", mode: .bulk) }
        let target = try DataFile(path: dir.appendingPathComponent("t.canvass").path, mode: .create)
        let reports = target.merge(sources: files.map(\.path))
        #expect(reports.map(\.outcome) == [.merged, .refused, .merged, .merged])
        #expect(reports[1].reason?.contains("interview a1 exists here with other facts") == true, "\(reports[1].reason ?? "")")
        #expect(try target.interviews().map(\.id) == ["a1", "c1", "d1"])
        #expect(try target.interview("a1").surveyor == "a")
        #expect(try StoreFixtures.foreignKeyViolations(target.path) == 0)
    }

    @Test func concurrentEditsConflictAndConvergingOnesDoNot() throws {
        let dir = try StoreFixtures.scratch()
        let base = try DataFile(path: dir.appendingPathComponent("base.canvass").path, mode: .create)
        try base.write { writer in _ = try writer.createInterview(id: "i1", form: StoreFixtures.form, surveyor: "lan", device: "d", mode: .bulk) }
        try edit(base, "i1", ["unit": "u1", "no": "1", "q1": "3", "q2": "3"], by: "lan")
        let a = try merged([base.path], into: dir.appendingPathComponent("a.canvass").path)
        let b = try merged([base.path], into: dir.appendingPathComponent("b.canvass").path)
        try edit(a, "i1", ["q1": "1", "q2": "5", "comment": "từ A"], by: "lan")
        try edit(b, "i1", ["q1": "2", "q2": "5", "no": "7"], by: "minh")
        let target = try merged([a.path, b.path], into: dir.appendingPathComponent("t.canvass").path)
        let conflicts = try target.conflicts()
        #expect(conflicts.map(\.field) == ["q1"])
        #expect(conflicts.first?.values.map(\.value) == ["1", "2"])
        #expect(try target.state("i1").answers == ["unit": "u1", "no": "7", "q2": "5", "comment": "từ A"])
        // Resolving names both sides as parents: merging the old sides again does not reopen it.
        try edit(target, "i1", ["q1": "2"], by: "hoa")
        #expect(try target.conflicts().isEmpty)
        #expect(target.merge(source: a.path).outcome == .alreadyMerged)
        #expect(try target.conflicts().isEmpty)
        // And the resolution travels: merged back into A, A agrees.
        #expect(a.merge(source: target.path).outcome == .merged)
        #expect(try a.state("i1").answers["q1"] == "2")
        #expect(try a.conflicts().isEmpty)
    }
}
