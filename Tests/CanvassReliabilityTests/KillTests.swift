import CanvassStore
import Foundation
import GRDB
import Testing

/// SIGKILL at random moments: nothing acknowledged is lost, a batch is all or nothing, a merge leaves
/// the target as it was before or after each whole source, and every file passes integrity_check.
/// `CANVASS_KILL_ROUNDS` sets the rounds (5 by default, 50 for a full run); each test prints its seed.
@Suite(.serialized)
struct KillTests {
    /// The moment of each kill, in seconds: uniform over 0 to 1.2 times an unkilled run, so some
    /// kills land before, some during and some after the writing.
    static func moment(_ reference: Double, _ random: inout SeededRandom) -> Double {
        Double.random(in: 0..<(reference * 1.2), using: &random)
    }

    static func timed(_ body: () throws -> Void) rethrows -> Double {
        let start = Date()
        try body()
        return Date().timeIntervalSince(start)
    }

    /// Kills `process` `seconds` after starting it; true if the signal ended it (not its own exit).
    static func runAndKill(_ process: Process, after seconds: Double) throws -> Bool {
        try process.run()
        usleep(useconds_t(seconds * 1_000_000))  // the random kill moment itself
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        return process.terminationReason == .uncaughtSignal
    }

    @Test func killedInterviewKeepsEveryAcknowledgedAnswer() throws {
        var random = SeededRandom(test: "interview kill")
        let dir = try Canvass.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let rounds = Rounds.kill
        var inFlightSaved = 0, killedBeforeEnd = 0
        for round in 0..<rounds {
            let db = "k\(round).canvass"
            // How many answers to see acknowledged (the SIPAS form asks 42 questions), then one more in flight.
            let acknowledged = Int.random(in: 0..<42, using: &random)
            let delay = Double.random(in: 0..<0.0015, using: &random)
            let interview = try PipedInterview(form: Canvass.form("sipas-2017.yaml"), db: db, in: dir)
            var typed: [(path: String, value: String)] = []
            #expect(interview.waitForQuestions(1), "round \(round): no first question; output: \(interview.output)")
            for index in 0..<acknowledged {
                let path = interview.questions[index]
                let value = try #require(sipasAnswers[fieldName(path)], "round \(round): no answer for \(path)")
                interview.send(value)
                typed.append((path, value))
                // The next question is printed only after the answer was committed.
                #expect(interview.waitForQuestions(index + 2), "round \(round): \(path) not acknowledged; output: \(interview.output)")
            }
            guard interview.questions.count > acknowledged else {
                Issue.record("round \(round): only \(interview.questions.count) questions shown; output: \(interview.output)")
                interview.killNow()
                continue
            }
            let inFlightPath = interview.questions[acknowledged]
            let inFlight = sipasAnswers[fieldName(inFlightPath)] ?? ""
            interview.send(inFlight)
            usleep(useconds_t(delay * 1_000_000))  // the random kill moment
            interview.killNow()
            if interview.process.terminationReason == .uncaughtSignal { killedBeforeEnd += 1 }

            let path = dir.appendingPathComponent(db).path
            #expect(try Snapshot.integrity(path) == ["ok"], "round \(round)")
            let file = try DataFile(path: path, mode: .readOnly)
            let interviews = try file.interviews()
            #expect(interviews.count == 1, "round \(round): \(interviews.count) interviews")
            guard let id = interviews.first?.id else { continue }
            let answers = try file.state(id).answers
            for (path, value) in typed {
                #expect(answers[path] == value, "round \(round) (seed \(random.seed)): acknowledged \(path) = \(value) is \(answers[path] ?? "missing")")
            }
            if let saved = answers[inFlightPath] {
                #expect(saved == inFlight, "round \(round): the answer in flight was saved wrongly")
                inFlightSaved += 1
            }
            // Nothing but what was typed (and what a device fills in) is there.
            let allowed = Set(typed.map(\.path) + [inFlightPath, "start", "end", "today", "deviceid", "username", "satisfied_count", "satisfied_pct"])
            let extra = answers.keys.filter { !$0.hasPrefix("_") && !allowed.contains($0) }
            #expect(extra.isEmpty, "round \(round): unexpected answers \(extra)")
        }
        print("interview kill: \(rounds) rounds, \(killedBeforeEnd) killed mid-interview, in-flight answer saved in \(inFlightSaved)")
    }

    @Test func killedRecordBatchIsAllOrNothing() throws {
        var random = SeededRandom(test: "record kill")
        let dir = try Canvass.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let size = 300
        try Canvass.sipas("k", count: size).write(to: dir.appendingPathComponent("batch.jsonl"), atomically: true, encoding: .utf8)
        let arguments = { (db: String) in
            ["record", Canvass.form("sipas-2017.yaml"), "--db", db, "--surveyor", "k", "--answers", "batch.jsonl", "--complete"]
        }
        // An unkilled run: how long it takes, and what the whole batch writes.
        let reference = try Self.timed {
            let process = Canvass.process(arguments("reference.canvass"), in: dir)
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
        }
        func counts(_ path: String) throws -> (interviews: Int, revisions: Int, current: Int, base: Int) {
            try DatabaseQueue(path: path).read { db in
                (try Int.fetchOne(db, sql: "SELECT count(*) FROM interview WHERE id LIKE 'k-%'") ?? -1,
                 try Int.fetchOne(db, sql: "SELECT count(*) FROM revision WHERE interview LIKE 'k-%'") ?? -1,
                 try Int.fetchOne(db, sql: "SELECT count(*) FROM current WHERE interview LIKE 'k-%'") ?? -1,
                 try Int.fetchOne(db, sql: "SELECT count(*) FROM revision WHERE interview = 'base-1'") ?? -1)
            }
        }
        let whole = try counts(dir.appendingPathComponent("reference.canvass").path)
        #expect(whole.interviews == size)
        var outcomes: [String: Int] = [:], killed = 0
        for round in 0..<Rounds.kill {
            let db = "r\(round).canvass", path = dir.appendingPathComponent("r\(round).canvass").path
            // Odd rounds add to a file that holds an interview already; even rounds create the file.
            var baseRevisions = 0
            if round % 2 == 1 {
                let base = try Canvass.run(["record", Canvass.form("sipas-2017.yaml"), "--db", db, "--surveyor", "b", "--answers", "-"],
                                           in: dir, input: Canvass.sipas("base", count: 1), environment: ["CANVASS_ID_PREFIX": "r\(round)"])
                #expect(base.code == 0, "\(base.err)")
                baseRevisions = try counts(path).base
            }
            let delay = Self.moment(reference, &random)
            if try Self.runAndKill(Canvass.process(arguments(db), in: dir, environment: ["CANVASS_ID_PREFIX": "r\(round)"]), after: delay) {
                killed += 1
            }
            guard FileManager.default.fileExists(atPath: path) else {
                #expect(round % 2 == 0, "round \(round): the existing file disappeared")
                outcomes["absent", default: 0] += 1
                continue
            }
            #expect(try Snapshot.integrity(path) == ["ok"], "round \(round) (seed \(random.seed))")
            let found = try counts(path)
            #expect(found.base == baseRevisions, "round \(round): the interview already there changed")
            let nothing = found.interviews == 0 && found.revisions == 0 && found.current == 0
            let all = found.interviews == whole.interviews && found.revisions == whole.revisions && found.current == whole.current
            #expect(nothing || all, "round \(round) (seed \(random.seed), kill at \(delay) s): part of a batch: \(found)")
            outcomes[nothing ? "nothing" : all ? "all" : "part", default: 0] += 1
            // The file still works.
            #expect(try Canvass.run(["list", db, "--json"], in: dir).code == 0, "round \(round)")
        }
        print("record kill: \(Rounds.kill) rounds of \(size) interviews (unkilled run \(reference) s), \(killed) killed: \(outcomes)")
        if Rounds.kill >= 20 {
            #expect(outcomes.count > 1, "kills should land both before and after the commit: \(outcomes)")
        }
    }

    @Test func killedMergeLeavesAWholeNumberOfSources() throws {
        var random = SeededRandom(test: "merge kill")
        let dir = try Canvass.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let names = (1...10).map { "s\($0).canvass" }
        for (index, name) in names.enumerated() { try Canvass.record(name, prefix: "s\(index + 1)", count: 120, in: dir) }
        // The states a target may be in: absent, created empty, after 1, 2, … all sources in order.
        var allowed = ["absent"]
        try Canvass.run(["merge", "empty.canvass", "no-such-source.canvass"], in: dir, environment: ["CANVASS_ID_PREFIX": "e"])
        allowed.append(try Snapshot.of(dir.appendingPathComponent("empty.canvass").path))
        for name in names {
            #expect(try Canvass.run(["merge", "prefix.canvass", name], in: dir, environment: ["CANVASS_ID_PREFIX": "p"]).code == 0)
            allowed.append(try Snapshot.of(dir.appendingPathComponent("prefix.canvass").path))
        }
        var wholeMerge = Canvass.Result(out: "", err: "", code: 0, seconds: 0, peakBytes: 0)
        let reference = try Self.timed { wholeMerge = try Canvass.run(["merge", "whole.canvass"] + names, in: dir) }
        #expect(wholeMerge.code == 0)
        let whole = try Snapshot.of(dir.appendingPathComponent("whole.canvass").path)
        #expect(whole == allowed.last, "one merge of all sources equals merging them one by one")

        var seen: [String: Int] = [:]
        for round in 0..<Rounds.kill {
            let target = "killed\(round).canvass", path = dir.appendingPathComponent(target).path
            let delay = Self.moment(reference, &random)
            _ = try Self.runAndKill(Canvass.process(["merge", target] + names, in: dir, environment: ["CANVASS_ID_PREFIX": "k\(round)"]), after: delay)
            let state = try Snapshot.of(path)
            let index = allowed.firstIndex(of: state)
            #expect(index != nil, "round \(round) (seed \(random.seed), kill at \(delay) s): not a whole number of sources: \(state)")
            seen[index.map { ["absent", "empty"].indices.contains($0) ? ["absent", "empty"][$0] : "\($0 - 1) sources" } ?? "other", default: 0] += 1
            // Merging again finishes the job: the same file as an unkilled merge.
            let again = try Canvass.run(["merge", target] + names, in: dir, environment: ["CANVASS_ID_PREFIX": "k\(round)"])
            #expect(again.code == 0, "round \(round): \(again.text)")
            #expect(try Snapshot.of(path) == whole, "round \(round): merging again after the kill")
        }
        print("merge kill: \(Rounds.kill) rounds of \(names.count) sources (unkilled merge \(reference) s); the target when killed: \(seen)")
        if Rounds.kill >= 20 {
            #expect(seen.count > 2, "kills should land at several moments: \(seen)")
        }
    }
}
