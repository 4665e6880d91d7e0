import CanvassStore
import Foundation
import GRDB
import Testing

/// Two processes writing one file lose nothing; a file locked longer than the busy timeout (10 s)
/// is refused with a message naming it, and left intact. (Two `record`s into an existing file:
/// `Tests/CanvassCLITests/ConcurrencyTests.swift`.)
struct WriterConcurrencyTests {
    func interviewIDs(_ path: String) throws -> [String] {
        try DatabaseQueue(path: path).read { db in try String.fetchAll(db, sql: "SELECT id FROM interview ORDER BY id") }
    }

    /// Both processes find no file and create it at once: one creation wins, both write into it.
    @Test(arguments: 0..<3)
    func twoRecordsRacingToCreateAFileLoseNothing(attempt: Int) throws {
        let dir = try Canvass.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let processes = try ["a", "b"].map { prefix -> Process in
            try Canvass.sipas(prefix, count: 100).write(to: dir.appendingPathComponent("\(prefix).jsonl"), atomically: true, encoding: .utf8)
            return Canvass.process(["record", Canvass.form("sipas-2017.yaml"), "--db", "new.canvass", "--surveyor", prefix,
                                    "--answers", "\(prefix).jsonl", "--complete"], in: dir, environment: ["CANVASS_ID_PREFIX": prefix])
        }
        for process in processes { try process.run() }
        for process in processes { process.waitUntilExit() }
        #expect(processes.map(\.terminationStatus) == [0, 0])
        let path = dir.appendingPathComponent("new.canvass").path
        #expect(try Snapshot.integrity(path) == ["ok"])
        let ids = try interviewIDs(path)
        #expect(ids.count == 200)
        #expect(Set(ids) == Set((1...100).flatMap { ["a-\($0)", "b-\($0)"] }))
        // The losing creation cleaned up after itself.
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".creating-") }
        #expect(left.isEmpty, "\(left)")
    }

    /// An enumerator answers while a coordinator merges a fleet into the same file.
    @Test func interviewWhileMergeWritesTheSameFileLosesNothing() throws {
        let dir = try Canvass.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let names = (1...8).map { "s\($0).canvass" }
        for (index, name) in names.enumerated() { try Canvass.record(name, prefix: "s\(index + 1)", count: 60, in: dir) }
        let interview = try PipedInterview(form: Canvass.form("sipas-2017.yaml"), db: "shared.canvass", in: dir,
                                           environment: ["CANVASS_ID_PREFIX": "shared"])
        #expect(interview.waitForQuestions(1))
        let merge = Canvass.process(["merge", "shared.canvass"] + names, in: dir, environment: ["CANVASS_ID_PREFIX": "m"])
        let mergeOut = Pipe()
        merge.standardOutput = mergeOut
        var typed: [(String, String)] = [], duringMerge = 0
        var index = 0
        while !interview.completed {
            if index == 2 { try merge.run() }
            guard index < interview.questions.count else { Issue.record("no question \(index): \(interview.output)"); break }
            let path = interview.questions[index]
            let value = try #require(sipasAnswers[fieldName(path)])
            interview.send(value)
            typed.append((path, value))
            let acknowledged = interview.waitForQuestions(index + 2)
            #expect(acknowledged, "\(path) not acknowledged: \(interview.output)")
            if !acknowledged { break }
            if index >= 2 && merge.isRunning { duringMerge += 1 }
            index += 1
        }
        interview.finish()
        let report = String(decoding: mergeOut.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        merge.waitUntilExit()
        #expect(interview.process.terminationStatus == 0)
        #expect(merge.terminationStatus == 0, "\(report)")
        #expect(report.contains("merged 8, already merged 0, refused 0"), "\(report)")
        #expect(duringMerge > 0, "the answers should overlap the merge")
        print("interview while merging: \(typed.count) answers, \(duringMerge) acknowledged while the merge ran")

        let path = dir.appendingPathComponent("shared.canvass").path
        #expect(try Snapshot.integrity(path) == ["ok"])
        let file = try DataFile(path: path, mode: .readOnly)
        let interviews = try file.interviews()
        #expect(interviews.count == 8 * 60 + 1)
        let own = try #require(interviews.first { $0.id.hasPrefix("shared-") })
        #expect(own.status == "completed")
        let answers = try file.state(own.id).answers
        for (path, value) in typed { #expect(answers[path] == value, "\(path)") }
    }

    /// Another program holds the write lock past the busy timeout: `record` waits, then stops with
    /// a message naming the file; nothing is written and the file stays intact. A lock released
    /// within the timeout is simply waited for.
    @Test func aBusyFileIsWaitedForThenRefusedByName() throws {
        let dir = try Canvass.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Canvass.record("busy.canvass", prefix: "base", count: 3, in: dir)
        let path = dir.appendingPathComponent("busy.canvass").path
        let before = try Snapshot.of(path)
        let recordOne = { (prefix: String) in
            ["record", Canvass.form("sipas-2017.yaml"), "--db", "busy.canvass", "--surveyor", prefix, "--answers", "\(prefix).jsonl"]
        }
        for prefix in ["late", "soon"] {
            try Canvass.sipas(prefix, count: 1).write(to: dir.appendingPathComponent("\(prefix).jsonl"), atomically: true, encoding: .utf8)
        }
        let holder = try DatabaseQueue(path: path)
        let refused = try holder.writeWithoutTransaction { db -> Canvass.Result in
            try db.execute(sql: "BEGIN IMMEDIATE")
            defer { try? db.execute(sql: "ROLLBACK") }
            return try Canvass.run(recordOne("late"), in: dir)
        }
        #expect(refused.code == 1, "\(refused.text)")
        #expect(refused.err == "Error: busy.canvass is busy: another program kept it locked for more than 10 s; nothing was written; try again when it has finished\n")
        #expect(refused.seconds >= 9.5 && refused.seconds < 20, "waited \(refused.seconds) s")
        #expect(try Snapshot.of(path) == before)

        // Held for a second only: waited for, and written.
        let soon = Canvass.process(recordOne("soon"), in: dir)
        try holder.writeWithoutTransaction { db in
            try db.execute(sql: "BEGIN IMMEDIATE")
            try soon.run()
            usleep(1_000_000)  // how long the lock is held, not a synchronisation
            try db.execute(sql: "ROLLBACK")
        }
        soon.waitUntilExit()
        #expect(soon.terminationStatus == 0)
        #expect(try interviewIDs(path) == ["base-1", "base-2", "base-3", "soon-1"])
        #expect(try Snapshot.integrity(path) == ["ok"])
    }
}
