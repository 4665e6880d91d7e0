import Foundation
import GRDB
import Testing

/// A merge killed at any moment leaves the target as it was after some whole number of sources
/// (sources are committed in batches, a savepoint each), and the file passes integrity_check.
struct MergeKillTests {
    func sipas(_ prefix: String, count: Int) -> String {
        (1...count).map { SupervisorCommandTests.sipas("\(prefix)-\($0)", unit: "stp", number: $0, score: 3 + $0 % 3) }.joined(separator: "\n")
    }

    func snapshot(_ path: String) throws -> String {
        guard FileManager.default.fileExists(atPath: path) else { return "absent" }
        return try DatabaseQueue(path: path).read { db in
            let check = try String.fetchAll(db, sql: "PRAGMA integrity_check")
            let revisions = try Int.fetchOne(db, sql: "SELECT count(*) FROM revision") ?? -1
            let current = try Int.fetchOne(db, sql: "SELECT count(*) FROM current") ?? -1
            let interviews = try Int.fetchOne(db, sql: "SELECT count(*) FROM interview") ?? -1
            let merges = try Int.fetchOne(db, sql: "SELECT count(*) FROM merge_log") ?? -1
            return "\(check) \(interviews) \(revisions) \(current) \(merges)"
        }
    }

    @Test func killedMergeLeavesAWholeNumberOfSources() throws {
        let dir = try CLI.scratch()
        let names = (1...6).map { "s\($0).canvass" }
        for (index, name) in names.enumerated() {
            try CLI.run(["record", CLI.form("sipas-2017.yaml"), "--db", name, "--surveyor", "s\(index)", "--answers", "-"],
                        input: sipas("s\(index)", count: 40), in: dir, environment: ["CANVASS_ID_PREFIX": "s\(index)"])
        }
        // The states a target may be in: after 0, 1, ... all sources.
        var allowed = [try snapshot(dir.appendingPathComponent("none.canvass").path)]
        for count in 1...names.count {
            let target = "prefix\(count).canvass"
            try CLI.run(["merge", target] + names.prefix(count), in: dir, environment: ["CANVASS_ID_PREFIX": "t"])
            allowed.append(try snapshot(dir.appendingPathComponent(target).path))
        }
        var seen = Set<String>()
        defer { #expect(seen.count > 1, "the kills should land at different moments: \(seen)") }
        for attempt in 0..<8 {
            let target = dir.appendingPathComponent("killed\(attempt).canvass").path
            let process = CLI.background(["merge", target] + names, in: dir)
            try process.run()
            usleep(useconds_t(40_000 + attempt * 45_000))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let state = try snapshot(target)
            // Absent, or created empty (before the first source), or after some whole number of sources.
            #expect(allowed.contains(state) || state == "[\"ok\"] 0 0 0 0", "attempt \(attempt): \(state)")
            seen.insert(state)
        }
    }
}
