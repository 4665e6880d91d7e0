import Foundation
import Testing

/// Two processes writing one file: the second waits for the first (SQLite's busy timeout) and
/// nothing is lost.
struct ConcurrencyTests {
    @Test func twoRecordsIntoOneFileLoseNothing() throws {
        let dir = try CLI.scratch()
        let lines = try String(contentsOfFile: CLI.fixture("batches/sipas-planted.jsonl"), encoding: .utf8).split(separator: "\n")
        // The file exists first, so both processes open it rather than race to create it.
        try CLI.run(["record", CLI.form("sipas-2017.yaml"), "--db", "shared.canvass", "--surveyor", "lan", "--answers", "-"],
                    input: String(lines[0]), in: dir)
        func batch(_ prefix: String) -> String {
            (0..<150).map { n in
                String(lines[1]).replacingOccurrences(of: "\"phieu-002\"", with: "\"\(prefix)-\(n)\"")
            }.joined(separator: "\n")
        }
        let processes = try ["a", "b"].map { prefix -> Process in
            let process = CLI.background(["record", CLI.form("sipas-2017.yaml"), "--db", "shared.canvass", "--surveyor", prefix, "--answers", "\(prefix).jsonl"], in: dir)
            try batch(prefix).write(to: dir.appendingPathComponent("\(prefix).jsonl"), atomically: true, encoding: .utf8)
            return process
        }
        for process in processes { try process.run() }
        for process in processes { process.waitUntilExit() }
        #expect(processes.map(\.terminationStatus) == [0, 0])
        let list = try CLI.run(["list", "shared.canvass", "--json"], in: dir)
        let rows = try #require(try CLI.json(list.out) as? [[String: Any]])
        #expect(rows.count == 301)
        #expect(Set(rows.compactMap { $0["surveyor"] as? String }) == ["lan", "a", "b"])
    }
}
