import CanvassCore
import Foundation
import Testing

/// Random surveyor files (concurrent edits, one case key recorded twice, a copy written to, a
/// file given twice) merged three ways: (a) one flat merge of files, (b) a random tree of
/// ward, district and province files, (c) pushed to a PostgreSQL server in a random order and
/// random chunks, some twice, one push killed, then pulled back into a file. All give the same
/// export, conflicts and duplicates (issue 15).
@Suite(.serialized) struct ServerPropertyTests {
    struct Scenario {
        let dir: URL
        var random: SplitMix64

        @discardableResult
        func run(_ arguments: [String], as prefix: String, input: String? = nil, expect code: Int32? = 0,
                 sourceLocation: SourceLocation = #_sourceLocation) throws -> CLI.Result {
            let result = try CLI.run(arguments, input: input, in: dir, environment: ["CANVASS_ID_PREFIX": prefix, "CANVASS_MACHINE": "laptop"])
            if let code { #expect(result.code == code, "\(arguments): \(result.out)\(result.err)", sourceLocation: sourceLocation) }
            return result
        }

        /// The sources, as a coordinator receives them.
        mutating func surveyorFiles() throws -> [String] {
            let lines = try String(contentsOfFile: CLI.fixture("batches/sipas-planted.jsonl"), encoding: .utf8).split(separator: "\n").map(String.init)
            try run(["record", CLI.form("sipas-2017.yaml"), "--db", "base.canvass", "--surveyor", "lan", "--answers", "-", "--complete"],
                    as: "base", input: lines.prefix(4).joined(separator: "\n"), expect: nil)
            var files: [String] = []
            for n in 1...4 {
                let file = "s\(n).canvass"
                try run(["merge", file, "base.canvass"], as: "s\(n)")
                for edit in 0..<3 {
                    let interview = "phieu-00\(Int.random(in: 1...4, using: &random))"
                    let field = ["e1_1", "e2_3", "e3_2", "comment"][Int.random(in: 0..<4, using: &random)]
                    let value = field == "comment" ? ["Tốt", "Chậm", "Hài lòng"][Int.random(in: 0..<3, using: &random)] : String(Int.random(in: 1...5, using: &random))
                    try run(["edit", file, interview, "--set", "\(field)=\(value)", "--as", "s\(n)"], as: "s\(n)e\(edit)", expect: nil)
                }
                // A new phiếu of its own; surveyor 2 records surveyor 1's form number again: a duplicate.
                let line = lines[4].replacingOccurrences(of: "phieu-005", with: "s\(n)-new")
                    .replacingOccurrences(of: "\"form_no\": 5", with: "\"form_no\": \(n == 2 ? 41 : 40 + n)")
                try run(["record", CLI.form("sipas-2017.yaml"), "--db", file, "--surveyor", "s\(n)", "--answers", "-"], as: "s\(n)r", input: line, expect: nil)
                files.append(file)
            }
            // A copy of one file, written to (it forks), handed over as a file of its own.
            try Data(contentsOf: dir.appendingPathComponent("s1.canvass")).write(to: dir.appendingPathComponent("s1-copy.canvass"))
            try run(["edit", "s1-copy.canvass", "phieu-001", "--set", "e4_1=\(Int.random(in: 1...5, using: &random))", "--as", "sup"], as: "copy", expect: nil)
            return files + ["s1-copy.canvass"]
        }

        /// A random tree: files into wards, wards into districts, districts into the province.
        mutating func tree(_ sources: [String]) throws -> String {
            var level = sources.shuffled(using: &random)
            var depth = 0
            while level.count > 1 {
                depth += 1
                var next: [String] = []
                var rest = level[...]
                while !rest.isEmpty {
                    let take = min(rest.count, Int.random(in: 1...3, using: &random))
                    let target = "tree-\(depth)-\(next.count).canvass"
                    try run(["merge", target] + Array(rest.prefix(take)), as: target)
                    next.append(target)
                    rest = rest.dropFirst(take)
                }
                level = next
            }
            return level[0]
        }

        /// Pushes in random chunks and order, replays included; one push is killed at a random
        /// moment, and pushed again later. Then pulls it all back.
        mutating func server(_ sources: [String]) throws -> (url: String, pulled: String) {
            let url = try TestServer.database()
            var queue = (sources + sources.prefix(2)).shuffled(using: &random)
            var chunks: [[String]] = []
            while !queue.isEmpty {
                let take = min(queue.count, Int.random(in: 1...3, using: &random))
                chunks.append(Array(queue.prefix(take)))
                queue.removeFirst(take)
            }
            let killed = Int.random(in: 0..<chunks.count, using: &random)
            var again: [[String]] = []
            for (n, chunk) in chunks.enumerated() {
                if n == killed {
                    let process = CLI.background(["merge", url] + chunk, in: dir)
                    try process.run()
                    usleep(UInt32(Int.random(in: 0...150_000, using: &random)))
                    kill(process.processIdentifier, SIGKILL)
                    process.waitUntilExit()
                    again.append(chunk)
                    continue
                }
                try run(["merge", url] + chunk, as: "push")
            }
            for chunk in again { try run(["merge", url] + chunk, as: "push") }
            try run(["merge", "pulled.canvass", url], as: "pull")
            return (url, "pulled.canvass")
        }
    }

    /// Export, conflicts (without provenance) and duplicate groups: what must agree.
    static func outcome(_ store: String, _ scenario: Scenario) throws -> String { try TestServer.outcome(store, in: scenario.dir) }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func aFlatMergeATreeOfMergesAndAServerAgree(seed: UInt64) throws {
        var scenario = Scenario(dir: try CLI.scratch(), random: SplitMix64(seed: seed))
        let sources = try scenario.surveyorFiles()
        try scenario.run(["merge", "flat.canvass"] + sources, as: "flat")
        let expected = try Self.outcome("flat.canvass", scenario)
        // The history must hold something to agree on.
        #expect(expected.contains("phieu-") && expected.contains("\"key\""), "\(expected)")
        let province = try scenario.tree(sources)
        #expect(try Self.outcome(province, scenario) == expected, "tree")
        let (url, pulled) = try scenario.server(sources)
        for (name, store) in [("server", url), ("pulled", pulled)] {
            let got = try Self.outcome(store, scenario)
            if got != expected {
                try got.write(to: scenario.dir.appendingPathComponent("\(name).outcome"), atomically: true, encoding: .utf8)
                try expected.write(to: scenario.dir.appendingPathComponent("expected.outcome"), atomically: true, encoding: .utf8)
            }
            #expect(got == expected, "\(name) differs: diff \(scenario.dir.path)/{expected,\(name)}.outcome")
        }
    }

    /// A push of 10 files (two transactions: 8, then 2) killed at a random moment leaves the
    /// server as after 0, 8 or 10 of them, each whole; pushed again, it is as an unkilled push.
    @Test func aKilledPushLeavesAWholeNumberOfBatches() throws {
        var scenario = Scenario(dir: try CLI.scratch(), random: SplitMix64(seed: 99))
        var sources: [String] = []
        for n in 1...10 {
            try TestServer.households("h\(n).canvass", province: n % 2 == 0 ? "hn" : "bd", count: 12, in: scenario.dir, prefix: "h\(n)")
            sources.append("h\(n).canvass")
        }
        try scenario.run(["merge", "flat.canvass"] + sources, as: "flat")
        let expected = try Self.outcome("flat.canvass", scenario)
        let rounds = Int(ProcessInfo.processInfo.environment["CANVASS_KILL_ROUNDS"] ?? "") ?? 5
        // Kills land uniformly over 1.2 times an unkilled push.
        let clock = ContinuousClock()
        let unkilled = try TestServer.database()
        let took = try clock.measure { try scenario.run(["merge", unkilled] + sources, as: "timed") }
        let window = Int(Double(took.components.seconds) * 1.2e6 + Double(took.components.attoseconds) * 1.2e-12)
        var seen: [Int: Int] = [:]
        for _ in 0..<rounds {
            let url = try TestServer.database()
            let process = CLI.background(["merge", url] + sources, in: scenario.dir)
            try process.run()
            usleep(UInt32(Int.random(in: 0...window, using: &scenario.random)))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let logged = Int(try TestServer.psql(url, "SELECT count(*) FROM canvass.merge_log").out.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
            #expect([0, 8, 10].contains(logged), "the server kept \(logged) sources")
            seen[logged, default: 0] += 1
            if logged > 0 {
                try scenario.run(["merge", "partial.canvass"] + Array(sources.prefix(logged)), as: "partial")
                let pulled = "pulled-\(logged).canvass"
                try scenario.run(["merge", pulled, url], as: "pull")
                #expect(try Self.outcome(pulled, scenario) == Self.outcome("partial.canvass", scenario))
                try? FileManager.default.removeItem(at: scenario.dir.appendingPathComponent("partial.canvass"))
            }
            try scenario.run(["merge", url] + sources, as: "again")
            #expect(try Self.outcome(url, scenario) == expected)
        }
        print("push kill: \(rounds) rounds of 10 sources (unkilled push \(took)); the server kept: \(seen.sorted { $0.key < $1.key })")
    }
}
