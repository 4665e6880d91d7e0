import CanvassCore
import Foundation
import GRDB
import Testing

/// Runs the built `canvass` binary as a user would (a short copy of CanvassCLITests' runner:
/// test targets cannot share files), and measures what a run costs.
enum Canvass {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var binary: URL {
        let beside = Bundle.main.bundleURL.appendingPathComponent("canvass")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return root.appendingPathComponent(".build/debug/canvass")
    }

    static func form(_ name: String) -> String { root.appendingPathComponent("forms/\(name)").path }

    /// A fixed clock (ids and times repeat), no colour, and the given additions.
    static func environment(_ extra: [String: String] = [:]) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        env["CANVASS_NOW"] = "2026-03-01T08:00:00Z"
        env.merge(extra) { _, new in new }
        return env
    }

    /// A child process with the environment above, in `directory`, not yet started.
    static func process(_ arguments: [String], in directory: URL, environment extra: [String: String] = [:]) -> Process {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = environment(extra)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        return process
    }

    struct Result {
        var out: String
        var err: String
        var code: Int32
        var seconds: Double
        /// Peak resident memory of the child, from wait4's rusage.
        var peakBytes: Int
        var text: String { out + err }
    }

    /// GNU time, which measures the peak memory of the command it runs (Debian package `time`).
    static let time = FileManager.default.isExecutableFile(atPath: "/usr/bin/time") ? "/usr/bin/time" : nil

    /// Runs to the end (the whole process group killed after `limit` seconds) and reports output,
    /// exit code (minus the signal when killed), time and peak memory. The peak is GNU time's %M
    /// when it is installed; otherwise wait4's rusage, an upper bound: a child spawned from this
    /// (large) test process counts this process's own peak too. `umask` (e.g. "000") is set
    /// first; `prefix` (e.g. strace) runs the command.
    @discardableResult
    static func run(_ arguments: [String], in directory: URL, input: String? = nil, environment extra: [String: String] = [:],
                    umask: String? = nil, prefix: [String] = [], limit: Double = 120) throws -> Result {
        let io = try scratch()
        defer { try? FileManager.default.removeItem(at: io) }
        let path = { (name: String) in io.appendingPathComponent(name).path }
        try Data((input ?? "").utf8).write(to: io.appendingPathComponent("in"))
        let measure = time.map { [$0, "-f", "%M", "-o", path("memory")] } ?? []
        let script = "cd \"$1\" || exit 99; \(umask.map { "umask \($0); " } ?? "")shift; exec \"$@\""
        let argv = ["/bin/sh", "-c", script, "sh", directory.path] + measure + prefix + [binary.path] + arguments
        let envp = self.environment(extra).map { "\($0.key)=\($0.value)" }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, path("in"), O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, path("out"), O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, path("err"), O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        var pid: pid_t = 0
        let start = Date()
        let spawned = withCStrings(argv) { cArgv in
            withCStrings(envp) { cEnv in posix_spawn(&pid, "/bin/sh", &actions, &attributes, cArgv, cEnv) }
        }
        guard spawned == 0 else { throw SpawnError(message: "posix_spawn failed: \(spawned)") }
        var status: Int32 = 0
        var usage = rusage()
        while true {
            let reaped = wait4(pid, &status, WNOHANG, &usage)
            if reaped == pid { break }
            if reaped < 0 && errno != EINTR { throw SpawnError(message: "wait4 failed: \(errno)") }
            if Date().timeIntervalSince(start) > limit {
                kill(-pid, SIGKILL)  // its own process group: sh, time and canvass
                _ = wait4(pid, &status, 0, &usage)
                break
            }
            usleep(5_000)  // polling only to enforce the time limit; the exit itself is what is waited for
        }
        let seconds = Date().timeIntervalSince(start)
        let read = { (name: String) in String(decoding: FileManager.default.contents(atPath: path(name)) ?? Data(), as: UTF8.self) }
        var code: Int32 = status & 0x7f == 0 ? (status >> 8) & 0xff : -(status & 0x7f)
        var peak = Int(usage.ru_maxrss) * 1024
        if time != nil {
            let report = read("memory").split(separator: "\n")
            if let line = report.first(where: { $0.hasPrefix("Command terminated by signal ") }), let signal = Int32(line.split(separator: " ").last ?? "") {
                code = -signal
            }
            if let kilobytes = report.last.flatMap({ Int($0) }) { peak = kilobytes * 1024 }
        }
        return Result(out: read("out"), err: read("err"), code: code, seconds: seconds, peakBytes: peak)
    }

    struct SpawnError: Error { var message: String }

    static func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
        var pointers = strings.map { strdup($0) }
        pointers.append(nil)
        defer { for pointer in pointers { free(pointer) } }
        return body(pointers)
    }

    /// A fresh directory for one test's files.
    static func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("canvass-reliability-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func json(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8))
    }

    /// `count` complete SIPAS 2017 interviews as JSONL, ids `prefix-1`…, answers varying with n.
    static func sipas(_ prefix: String, count: Int, from first: Int = 1) -> String {
        let criteria = ["e1_1", "e1_2", "e1_3", "e1_4", "e2_1", "e2_2", "e2_3", "e2_4", "e2_5", "e3_1", "e3_2", "e3_3", "e3_4",
                        "e3_5", "e3_6", "e4_1", "e4_2", "e4_3", "e5_1", "e5_2", "e5_3", "e5_4"]
        return (first..<(first + count)).map { n in
            var fields = [
                "\"_id\": \"\(prefix)-\(n)\"", "\"unit\": \"stp\"", "\"form_no\": \(n)", "\"procedure\": \"Chứng thực \(prefix) \(n)\"",
                "\"submission\": \"in_person\"", "\"respondent_type\": \"individual\"", "\"trips\": \"1\"", "\"on_time\": \"yes\"",
                "\"trouble\": \"no\"", "\"extra_payment\": \"no\"", "\"gave_feedback\": \"no\"",
            ]
            fields += criteria.enumerated().map { "\"\($0.element)\": \"\(3 + (n + $0.offset) % 3)\"" }
            return "{" + fields.joined(separator: ", ") + "}"
        }.joined(separator: "\n") + "\n"
    }

    /// Records `count` interviews into `name` in `dir`, each file with its own id prefix.
    static func record(_ name: String, prefix: String, count: Int, in dir: URL) throws {
        let result = try run(["record", form("sipas-2017.yaml"), "--db", name, "--surveyor", prefix, "--answers", "-", "--complete"],
                             in: dir, input: sipas(prefix, count: count), environment: ["CANVASS_ID_PREFIX": prefix])
        #expect(result.code == 0, "recording \(name): \(result.err)")
    }
}

/// What a data file holds, compactly, with its integrity check: two snapshots are equal when the
/// files hold the same interviews, revisions, current values and merges.
enum Snapshot {
    static func of(_ path: String) throws -> String {
        guard FileManager.default.fileExists(atPath: path) else { return "absent" }
        return try DatabaseQueue(path: path).read { db in
            let check = try String.fetchAll(db, sql: "PRAGMA integrity_check")
            let counts = try ["interview", "revision", "current", "merge_log", "form"].map { table in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? -1
            }
            let current = try String.fetchAll(db, sql: """
                SELECT interview || '|' || field || '|' || coalesce(value, '∅') || '|' || heads || '|' || conflict
                FROM current ORDER BY interview, field
                """)
            return "\(check) \(counts) \(fnv(current.joined(separator: "\n")))"
        }
    }

    static func integrity(_ path: String) throws -> [String] {
        try DatabaseQueue(path: path).read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
    }

    /// FNV-1a: a stable digest without a crypto dependency.
    static func fnv(_ text: String) -> String {
        var hash: UInt64 = 0xcbf29ce484222325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100000001b3 }
        return String(hash, radix: 16)
    }
}

/// Random but reproducible: the seed is printed, and `CANVASS_KILL_SEED` replays it.
struct SeededRandom: RandomNumberGenerator {
    var generator: SplitMix64
    let seed: UInt64

    init(test: String) {
        let given = ProcessInfo.processInfo.environment["CANVASS_KILL_SEED"].flatMap { UInt64($0) }
        seed = given ?? UInt64.random(in: 1...UInt64(UInt32.max))
        generator = SplitMix64(seed: seed)
        print("\(test): seed \(seed) (replay with CANVASS_KILL_SEED=\(seed))")
    }

    mutating func next() -> UInt64 { generator.next() }
}

enum Rounds {
    /// How many times each kill loop runs: `CANVASS_KILL_ROUNDS` (50 for a full local run), 5 by default.
    static var kill: Int {
        ProcessInfo.processInfo.environment["CANVASS_KILL_ROUNDS"].flatMap { Int($0) }.map { max($0, 1) } ?? 5
    }
}

/// Drives `canvass interview` through a pipe one answer at a time, reading its output as it goes:
/// an answer is acknowledged when the next question (or the completion line) has been printed.
final class PipedInterview {
    let process: Process
    let stdin = Pipe(), stdout = Pipe()
    var output = ""
    /// The paths of the questions shown so far, in order.
    var questions: [String] = []

    /// `umask` (e.g. "000") starts it through `sh` with that umask.
    init(form: String, db: String, in directory: URL, environment: [String: String] = [:], umask: String? = nil) throws {
        let arguments = ["interview", form, "--db", db, "--surveyor", "lan", "--device", "laptop-1", "--lang", "en"]
        process = Canvass.process(arguments, in: directory, environment: environment)
        if let umask {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "umask \(umask); exec \"$0\" \"$@\"", Canvass.binary.path] + arguments
        }
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
    }

    var completed: Bool { output.contains(" completed\n") }

    /// Reads until `count` questions have been shown or the interview completed; false if the
    /// process ended first or `seconds` passed (the process is then killed, which ends the read).
    func waitForQuestions(_ count: Int, seconds: Double = 60) -> Bool {
        let pid = process.processIdentifier
        let watchdog = DispatchWorkItem { kill(pid, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: watchdog)
        defer { watchdog.cancel() }
        while questions.count < count && !completed {
            let chunk = stdout.fileHandleForReading.availableData
            if chunk.isEmpty { return false }
            output += String(decoding: chunk, as: UTF8.self)
            questions = output.split(separator: "\n").compactMap { line in
                // "3/42 procedure Ông/Bà vừa …": a counter, the question's path, its label.
                let words = line.split(separator: " ", maxSplits: 2)
                guard words.count >= 2, words[0].range(of: #"^[0-9]+/[0-9]+$"#, options: .regularExpression) != nil else { return nil }
                return String(words[1])
            }
        }
        return true
    }

    func send(_ line: String) {
        stdin.fileHandleForWriting.write(Data((line + "\n").utf8))
    }

    func killNow() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func finish() {
        try? stdin.fileHandleForWriting.close()
        _ = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
    }
}

/// What to type for each SIPAS 2017 question: choice names rather than numbers, so that every
/// stored value is exactly the typed text.
let sipasAnswers: [String: String] = {
    var answers = [
        "unit": "stp", "form_no": "15", "procedure": "Chứng thực bản sao hợp đồng", "submission": "in_person",
        "gender": "female", "age_group": "over_60", "ethnicity": "kinh", "education": "university", "occupation": "retired",
        "area": "urban", "respondent_type": "individual", "contact_consent": "yes", "respondent_name": "Nguyễn Thị Lan",
        "phone": "0912345678", "trips": "1", "on_time": "yes", "trouble": "no", "extra_payment": "no", "gave_feedback": "no",
        "comment": "Cán bộ nhiệt tình, chu đáo",
    ]
    for (element, count) in [(1, 4), (2, 5), (3, 6), (4, 3), (5, 4)] {
        for n in 1...count { answers["e\(element)_\(n)"] = String(3 + (element + n) % 3) }
    }
    return answers
}()

/// The field name of a question path (`identification/unit` → `unit`).
func fieldName(_ path: String) -> String { String(path.split(separator: "/").last ?? "") }
