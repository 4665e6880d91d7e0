import Foundation

/// Runs the built `canvass` binary, as a user would, and captures what it prints.
enum CLI {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var binary: URL {
        let beside = Bundle.main.bundleURL.appendingPathComponent("canvass")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return root.appendingPathComponent(".build/debug/canvass")
    }

    struct Result {
        var out: String
        var err: String
        var code: Int32
    }

    /// Runs with a fixed clock (so ids and times repeat) and no colour.
    @discardableResult
    static func run(_ arguments: [String], input: String? = nil, in directory: URL? = nil,
                    environment: [String: String] = [:]) throws -> Result {
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        env["CANVASS_NOW"] = "2026-03-01T08:00:00Z"
        // Dates are local days (TZ); a test that needs a zone gives one, the others run in UTC.
        env["TZ"] = nil
        env.merge(environment) { _, new in new }
        return try execute(binary, arguments, input: input, in: directory ?? root, environment: env)
    }

    /// The binary set up to run in the background (beside another, or to be killed), its output
    /// discarded and no colour; the caller starts it.
    static func background(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) -> Process {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        env.merge(environment) { _, new in new }
        process.environment = env
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        return process
    }

    /// Runs any program with exactly `environment`, and captures what it prints.
    static func execute(_ program: URL, _ arguments: [String], input: String? = nil, in directory: URL,
                        environment: [String: String]) throws -> Result {
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = environment
        let stdout = Pipe(), stderr = Pipe(), stdin = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let err = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(out: String(decoding: out, as: UTF8.self), err: String(decoding: err, as: UTF8.self), code: process.terminationStatus)
    }

    static func fixture(_ path: String) -> String { root.appendingPathComponent("Tests/Fixtures/\(path)").path }
    static func form(_ name: String) -> String { root.appendingPathComponent("forms/\(name)").path }

    /// A fresh directory for one test's data files.
    static func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("canvass-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func json(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8))
    }
}
