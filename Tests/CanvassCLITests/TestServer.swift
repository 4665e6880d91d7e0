import Foundation
import Testing
import TestSupport

/// The throwaway PostgreSQL cluster `tools/test.sh` starts (CANVASS_TEST_POSTGRES): each test
/// gets a database of its own. A test that runs without it fails and says how to get one.
enum TestServer {
    static func root() throws -> URLComponents {
        let url = try #require(ProcessInfo.processInfo.environment["CANVASS_TEST_POSTGRES"],
                               "no PostgreSQL test server (CANVASS_TEST_POSTGRES is unset): run tools/test.sh, which starts one")
        return try #require(URLComponents(string: url))
    }

    /// A new, empty database, made a Canvass server by `canvass server init`; its URL (as the
    /// cluster's superuser, no TLS).
    static func database(initialized: Bool = true) throws -> String {
        var components = try root()
        let name = "canvass_\(UUID().uuidString.prefix(8).lowercased())"
        _ = try psql(components.string!, "CREATE DATABASE \(name)")
        components.path = "/\(name)"
        let url = components.string!
        if initialized {
            let result = try CLI.run(["server", "init", url])
            #expect(result.code == 0, "\(result.err)")
        }
        return url
    }

    /// The URL for `user` (with no password in it) on the database of `url`, with `query`.
    static func url(_ url: String, user: String, query: String = "sslmode=disable", host: String? = nil) -> String {
        var components = URLComponents(string: url)!
        components.user = user
        components.password = nil
        if let host { components.host = host }
        components.query = query
        return components.string!
    }

    /// Runs SQL with psql (as the URL's user); its output, or a failed expectation with psql's error.
    @discardableResult
    static func psql(_ url: String, _ sql: String, environment: [String: String] = [:], expectFailure: Bool = false,
                     sourceLocation: SourceLocation = #_sourceLocation) throws -> CLI.Result {
        let psql = try #require(ExternalTool.find("psql"), "\(ExternalTool.missing("psql", from: "Debian's postgresql-client"))")
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { _, new in new }
        let result = try CLI.execute(URL(fileURLWithPath: psql), ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql],
                                     in: FileManager.default.temporaryDirectory, environment: env)
        #expect((result.code != 0) == expectFailure, "psql \(sql): \(result.err)", sourceLocation: sourceLocation)
        return result
    }

    /// What a store says, in a form two stores can be compared by: the export, the conflicts
    /// (without provenance) and the duplicate groups.
    static func outcome(_ store: String, in dir: URL, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let environment = ["CANVASS_ID_PREFIX": "o", "CANVASS_MACHINE": "laptop"]
        let conflicts = try #require(try CLI.json(try CLI.run(["conflicts", store, "--json"], in: dir, environment: environment).out) as? [[String: Any]],
                                     sourceLocation: sourceLocation).map { conflict in
            "\(conflict["interview"] ?? "") \(conflict["field"] ?? "") " + ((conflict["values"] as? [[String: Any]]) ?? []).map { "\($0["revision"] ?? "")=\($0["value"] ?? "∅")" }.joined(separator: ",")
        }
        let export = try CLI.run(["export", store], in: dir, environment: environment)
        #expect(export.code == 0, "export \(store): \(export.err)", sourceLocation: sourceLocation)
        let duplicates = try CLI.run(["duplicates", store, "--json"], in: dir, environment: environment).out
        return export.out + conflicts.joined(separator: "\n") + "\n" + duplicates
    }

    /// Runs a file of SQL with psql, as a database administrator would (a dump, say).
    static func psql(_ url: String, file: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let psql = try #require(ExternalTool.find("psql"), "\(ExternalTool.missing("psql", from: "Debian's postgresql-client"))")
        let result = try CLI.execute(URL(fileURLWithPath: psql), ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-f", file],
                                     in: FileManager.default.temporaryDirectory, environment: ProcessInfo.processInfo.environment)
        #expect(result.code == 0, "psql -f \(file): \(result.err)", sourceLocation: sourceLocation)
    }

    /// SIPAS 2023 households (drafts: only the identification part answered), in two provinces.
    static func households(_ name: String, province: String, count: Int, in dir: URL, prefix: String) throws {
        let (district, commune) = province == "hn" ? ("hn_ba_dinh", "hn_phuc_xa") : ("bd_thu_dau_mot", "bd_phu_cuong")
        let lines = (1...count).map { n in
            "{\"_id\": \"\(prefix)-\(n)\", \"province\": \"\(province)\", \"district\": \"\(district)\", \"commune\": \"\(commune)\", \"household_no\": \(n), \"village\": \"Tổ \(n)\"}"
        }
        let result = try CLI.run(["record", CLI.form("sipas-2023.yaml"), "--db", name, "--surveyor", prefix, "--answers", "-"],
                                 input: lines.joined(separator: "\n"), in: dir, environment: ["CANVASS_ID_PREFIX": prefix])
        #expect(result.out.contains("recorded \(count) interviews"), "\(result.out)\(result.err)")
    }
}
