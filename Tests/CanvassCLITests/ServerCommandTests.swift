import CanvassCore
import Foundation
import GRDB
@testable import CanvassStore
import Testing

/// The built binary against the real PostgreSQL server `tools/test.sh` starts: a server holds the
/// same revision union a data file holds, and says so the same way (issue 15).
@Suite(.serialized) struct ServerCommandTests {
    let dir: URL
    init() throws { dir = try CLI.scratch() }

    @discardableResult
    func run(_ arguments: [String], as prefix: String = "t", environment: [String: String] = [:], expect code: Int32? = 0,
             stdin: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws -> CLI.Result {
        var env = ["CANVASS_ID_PREFIX": prefix, "CANVASS_MACHINE": "laptop"]
        env.merge(environment) { _, new in new }
        let result = try CLI.run(arguments, input: stdin, in: dir, environment: env)
        if let code {
            #expect(result.code == code, "\(arguments.joined(separator: " ")): \(result.out)\(result.err)", sourceLocation: sourceLocation)
        }
        return result
    }

    /// Two surveyors' files from one base: a conflict, a duplicate case key, and edits apart.
    func fleet() throws -> [String] {
        let lines = try String(contentsOfFile: CLI.fixture("batches/sipas-planted.jsonl"), encoding: .utf8).split(separator: "\n")
        _ = try CLI.run(["record", CLI.form("sipas-2017.yaml"), "--db", "base.canvass", "--surveyor", "lan", "--answers", "-", "--complete"],
                        input: lines.prefix(4).joined(separator: "\n"), in: dir, environment: ["CANVASS_ID_PREFIX": "base"])
        try run(["merge", "s1.canvass", "base.canvass"], as: "s1")
        try run(["merge", "s2.canvass", "base.canvass"], as: "s2")
        try run(["edit", "s1.canvass", "phieu-001", "--set", "e1_1=1", "--as", "lan"], as: "s1e")
        try run(["edit", "s2.canvass", "phieu-001", "--set", "e1_1=2", "--as", "minh"], as: "s2e")
        try run(["edit", "s2.canvass", "phieu-002", "--set", "trips=3", "--as", "minh"], as: "s2f")
        // The same unit and form number recorded again on another laptop: a duplicate.
        _ = try CLI.run(["record", CLI.form("sipas-2017.yaml"), "--db", "s2.canvass", "--surveyor", "minh", "--answers", "-"],
                        input: String(lines[0]).replacingOccurrences(of: "phieu-001", with: "minh-001"), in: dir, environment: ["CANVASS_ID_PREFIX": "s2r"])
        return ["s1.canvass", "s2.canvass"]
    }

    func outcome(_ store: String) throws -> String { try TestServer.outcome(store, in: dir) }

    @Test func aPushAndAPullGiveWhatAFileMergeGives() throws {
        let url = try TestServer.database()
        let sources = try fleet()
        try run(["merge", "flat.canvass"] + sources, as: "flat")
        let push = try run(["merge", url] + sources)
        #expect(push.out.contains("s1.canvass: merged:") && push.out.contains("s2.canvass: merged:"))
        #expect(push.out.hasSuffix("merged 2, already merged 0, refused 0; open conflicts 1, duplicate groups 1\n"))
        let again = try run(["merge", url] + sources.reversed() + ["--json"])
        let outcomes = ((try CLI.json(again.out) as? [String: Any])?["sources"] as? [[String: Any]])?.map { $0["outcome"] as? String }
        #expect(outcomes == ["already-merged", "already-merged"])
        #expect(try outcome(url) == outcome("flat.canvass"))
        try run(["merge", "pulled.canvass", url], as: "pull")
        #expect(try outcome("pulled.canvass") == outcome("flat.canvass"))
        #expect(try run(["merge", "pulled.canvass", url]).out.hasSuffix("already merged\nmerged 0, already merged 1, refused 0; open conflicts 1, duplicate groups 1\n"))
        // Every read takes the URL.
        for command in [["list", url], ["show", url, "phieu-001"], ["status", url], ["log", url], ["validate", url], ["report", url, "--index", "sipas"]] {
            let result = try run(command, expect: nil)
            #expect([0, 1].contains(result.code) && !result.out.isEmpty, "\(command): \(result.err)")
        }
        let log = try #require((try CLI.json(try run(["log", url, "--json"]).out) as? [String: Any])?["merges"] as? [[String: Any]])
        #expect(log.compactMap { $0["path"] as? String } == sources)
        // A file and its copy in one push: both are checked against the server as it was, so
        // the copy is sent too, and found to bring nothing: already merged, and not logged.
        let fresh = try TestServer.database()
        try FileManager.default.copyItem(at: dir.appendingPathComponent("s1.canvass"), to: dir.appendingPathComponent("s1-copy.canvass"))
        let twice = try run(["merge", fresh, "s1.canvass", "s1-copy.canvass"])
        #expect(twice.out.contains("s1.canvass: merged:") && twice.out.contains("s1-copy.canvass: already merged\n"), "\(twice.out)")
        #expect(try TestServer.psql(fresh, "SELECT count(*) FROM canvass.merge_log").out == "1\n")
    }

    /// Photos, recordings and documents go to the server with the answers that name them, once
    /// however often pushed, and come back with a pull and an export.
    @Test func answeredFilesGoToTheServerAndComeBack() throws {
        let url = try TestServer.database()
        let dir = try FieldTypeTests().recorded()
        func media(_ directory: String) throws -> [Data] {
            let path = dir.appendingPathComponent(directory).path
            return try FileManager.default.contentsOfDirectory(atPath: path).sorted().map { try Data(contentsOf: URL(fileURLWithPath: "\(path)/\($0)")) }
        }
        #expect(try CLI.run(["export", "a.canvass", "--format", "csv", "-o", "file"], in: dir).code == 0)
        let originals = try media("file/media")
        #expect(originals.count == 2)
        #expect(try CLI.run(["merge", url, "a.canvass"], in: dir).code == 0)
        #expect(try CLI.run(["merge", url, "a.canvass"], in: dir).out.contains("already merged"))
        #expect(try TestServer.psql(url, "SELECT count(*) FROM canvass.attachment").out == "2\n")
        let export = try CLI.run(["export", url, "--format", "csv", "-o", "server"], in: dir)
        #expect(export.code == 0, "\(export.err)")
        #expect(try media("server/media") == originals)
        #expect(try CLI.run(["merge", "pulled.canvass", url], in: dir, environment: ["CANVASS_ID_PREFIX": "pull"]).code == 0)
        #expect(try CLI.run(["export", "pulled.canvass", "--format", "csv", "-o", "pulled"], in: dir).code == 0)
        #expect(try media("pulled/media") == originals)
    }

    @Test func decisionsOnTheServerAreRevisionsLikeAnyOther() throws {
        let url = try TestServer.database()
        let sources = try fleet()
        try run(["merge", url] + sources)
        try run(["merge", "flat.canvass"] + sources, as: "flat")
        let conflict = try #require((try CLI.json(try run(["conflicts", url, "--json"], expect: 1).out) as? [[String: Any]])?.first)
        let keep = try #require(((conflict["values"] as? [[String: Any]])?.first { $0["value"] as? String == "2" })?["revision"] as? String)
        try run(["resolve", url, "phieu-001", "e1_1", "--keep", keep, "--as", "hoa"], as: "decide1")
        try run(["discard", url, "minh-001", "--reason", "trùng phiếu số 1", "--as", "hoa"], as: "decide2")
        try run(["review", url, "phieu-002", "approve", "--as", "hoa"], as: "decide3")
        #expect(try run(["conflicts", url]).out == "0 conflicts\n")
        #expect(try run(["duplicates", url]).out.hasPrefix("0 duplicate groups"))
        // The decisions travel: pulled into the coordinator's file, they hold there too.
        try run(["merge", "flat.canvass", url], as: "pull")
        #expect(try outcome("flat.canvass") == outcome(url))
        let status = try run(["list", "flat.canvass", "--status", "approved"]).out
        #expect(status.contains("phieu-002"))
    }

    @Test func aDivergedFileIsRefusedByTheServerByNameAndForkedAgainstIt() throws {
        let url = try TestServer.database()
        try run(["record", CLI.form("sipas-2017.yaml"), "--db", "c1.canvass", "--surveyor", "lan", "--answers", CLI.fixture("batches/sipas-planted.jsonl")],
                as: "c1", expect: nil)
        try Data(contentsOf: dir.appendingPathComponent("c1.canvass")).write(to: dir.appendingPathComponent("c2.canvass"))
        let stamp = try #require(WriterStamp.of(path: dir.appendingPathComponent("c2.canvass").path,
                                                environment: StoreEnvironment(now: { Date() }, newID: { "" }, machine: { _ in "named-laptop" })))
        try DatabaseQueue(path: dir.appendingPathComponent("c2.canvass").path).write { db in
            try db.execute(sql: "UPDATE meta SET value = ? WHERE key = 'writer'", arguments: [stamp.text])
        }
        try run(["edit", "c2.canvass", "phieu-001", "--set", "e1_1=5", "--as", "sup"], as: "c2e")
        try run(["edit", "c1.canvass", "phieu-001", "--set", "e1_1=2", "--as", "lan"], as: "c1e")
        try run(["merge", url, "c1.canvass"])
        let refused = try run(["merge", url, "c2.canvass"], expect: 1)
        #expect(refused.out.hasPrefix("c2.canvass: refused: c2.canvass diverged from \(try Stores.address(url)): revision "))
        #expect(refused.out.contains("canvass fork c2.canvass --against \(try Stores.address(url))"))
        try run(["fork", "c2.canvass", "--against", url], as: "fork")
        #expect(try run(["merge", url, "c2.canvass"]).out.hasPrefix("c2.canvass: merged: 0 new interviews, 1 new revisions"))
        #expect(try run(["conflicts", url], expect: 1).out.hasPrefix("phieu-001 e1_1"))
    }

    /// Revisions the log holds but the version vector does not count (written outside canvass)
    /// are never sent over: a push that brings them again is refused, and says why.
    @Test func revisionsTheVectorDoesNotCountAreRefusedNotOverwritten() throws {
        let url = try TestServer.database()
        let sources = try fleet()
        try run(["merge", url] + sources)
        let held = try TestServer.psql(url, "SELECT count(*) FROM canvass.revision").out
        try TestServer.psql(url, "DELETE FROM canvass.origin")
        let again = try run(["merge", url, sources[0]], expect: 1)
        #expect(again.out.contains("holds some of its revisions without counting them in its version vector"), "\(again.out)")
        #expect(try TestServer.psql(url, "SELECT count(*) FROM canvass.revision").out == held)
    }

    /// canvass_push pushes and reads version vectors, never answers; canvass_read reads the
    /// provinces granted to it and nothing else; a reader cannot push.
    @Test func rolesAndProvincesHold() throws {
        let url = try TestServer.database()
        try TestServer.households("hn.canvass", province: "hn", count: 3, in: dir, prefix: "hn")
        try TestServer.households("bd.canvass", province: "bd", count: 2, in: dir, prefix: "bd")
        for (role, password) in [("pusher", "đẩy-1"), ("hanoi", "hà-nội-2"), ("binhduong", "bình-dương-3"), ("national", "cả-nước-4")] {
            try TestServer.psql(url, "CREATE ROLE \(role) LOGIN PASSWORD '\(password)'")
        }
        try run(["server", "grant", url, "pusher", "--push"])
        try run(["server", "grant", url, "hanoi", "--province", "hn"])
        try run(["server", "grant", url, "binhduong", "--province", "bd"])
        let granted = try CLI.json(try run(["server", "grant", url, "national", "--province", "*", "--json"]).out) as? [String: Any]
        #expect(granted?["role"] as? String == "national" && granted?["push"] as? Bool == false && granted?["provinces"] as? [String] == ["*"])
        let pusher = TestServer.url(url, user: "pusher")
        try run(["merge", pusher, "hn.canvass", "bd.canvass"], environment: ["PGPASSWORD": "đẩy-1"])
        for table in ["revision", "revision_log", "current", "split_field", "interview", "merge_log", "attachment_use"] {
            let denied = try TestServer.psql(pusher, "SELECT count(*) FROM canvass.\(table)", environment: ["PGPASSWORD": "đẩy-1"], expectFailure: true)
            #expect(denied.err.contains("permission denied"), "\(table): \(denied.err)")
        }
        #expect(try TestServer.psql(pusher, "SELECT data FROM canvass.attachment", environment: ["PGPASSWORD": "đẩy-1"], expectFailure: true)
            .err.contains("permission denied"))
        #expect(try TestServer.psql(pusher, "SELECT count(*) FROM canvass.origin", environment: ["PGPASSWORD": "đẩy-1"]).out == "2\n")

        func interviews(_ user: String, _ password: String) throws -> [String] {
            let listed = try run(["list", TestServer.url(url, user: user), "--json"], environment: ["PGPASSWORD": password])
            return (try CLI.json(listed.out) as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }.sorted()
        }
        #expect(try interviews("hanoi", "hà-nội-2") == ["hn-1", "hn-2", "hn-3"])
        #expect(try interviews("binhduong", "bình-dương-3") == ["bd-1", "bd-2"])
        #expect(try interviews("national", "cả-nước-4").count == 5)
        // A province's coordinator pulls its province; its surveyors wrote nowhere else.
        try run(["merge", "hanoi.canvass", TestServer.url(url, user: "hanoi")], as: "pull", environment: ["PGPASSWORD": "hà-nội-2"])
        #expect(try run(["list", "hanoi.canvass", "--json"]).out.contains("hn-3"))
        #expect(try !run(["list", "hanoi.canvass", "--json"]).out.contains("bd-1"))
        // A reader may not push.
        let push = try run(["merge", TestServer.url(url, user: "hanoi"), "hn.canvass"], environment: ["PGPASSWORD": "hà-nội-2"], expect: 1)
        #expect(push.out.contains("permission denied"), "\(push.out)")
        // Two laptops disagree on hn-1's province: while in conflict, both provinces see it.
        try run(["merge", "moved.canvass", "hn.canvass"], as: "mv")
        try run(["edit", "moved.canvass", "hn-1", "--set", "province=bd", "--as", "lan"], as: "mv1")
        try run(["edit", "hn.canvass", "hn-1", "--set", "province=bd", "--as", "minh"], as: "hn1")
        try run(["edit", "hn.canvass", "hn-1", "--set", "province=hn", "--as", "minh"], as: "hn2")
        try run(["merge", pusher, "hn.canvass", "moved.canvass"], environment: ["PGPASSWORD": "đẩy-1"])
        #expect(try run(["conflicts", url, "--json"], expect: 1).out.contains("\"province\""))
        #expect(try interviews("hanoi", "hà-nội-2").contains("hn-1"))
        #expect(try interviews("binhduong", "bình-dương-3") == ["bd-1", "bd-2", "hn-1"])
    }

    /// Answered files are read with their interview, and only so: a coordinator who pushes and
    /// reads one province sees that province's photos, not another's, even by naming another's
    /// hash in an answer; and a pusher cannot make `apply` (which runs as the functions' owner)
    /// read a relation of its own in place of the staging tables.
    @Test func answeredFilesAndStagingHoldAgainstAPusher() throws {
        let url = try TestServer.database()
        try """
            form_id: photos
            version: "1"
            survey:
              - {type: text, name: province, label: Province}
              - {type: image, name: photo, label: Photo}
              - {type: text, name: remark, label: Remark}
            """.write(to: dir.appendingPathComponent("photos.yaml"), atomically: true, encoding: .utf8)
        let hanoi = Data("ảnh Hà Nội".utf8), saigon = Data("ảnh Sài Gòn".utf8)
        try hanoi.write(to: dir.appendingPathComponent("hn.png"))
        try saigon.write(to: dir.appendingPathComponent("hcm.png"))
        for (file, id, province, photo) in [("hn.canvass", "hn-1", "hn", "hn.png"), ("hcm.canvass", "hcm-1", "hcm", "hcm.png")] {
            try run(["record", "photos.yaml", "--db", file, "--surveyor", province, "--answers", "-"], as: province, expect: 0,
                    stdin: "{\"_id\": \"\(id)\", \"province\": \"\(province)\", \"photo\": \"\(photo)\"}\n")
        }
        try TestServer.psql(url, "CREATE ROLE hoa LOGIN PASSWORD 'hoa-mật-khẩu'")
        try run(["server", "grant", url, "hoa", "--push", "--province", "hn"])
        let hoa = TestServer.url(url, user: "hoa"), password = ["PGPASSWORD": "hoa-mật-khẩu"]
        try run(["merge", hoa, "hn.canvass", "hcm.canvass"], environment: password)
        func visible() throws -> [String] {
            try TestServer.psql(hoa, "SELECT sha256 FROM canvass.attachment ORDER BY 1", environment: password).out.split(separator: "\n").map(String.init)
        }
        #expect(try visible() == [MediaFile.sha256(of: hanoi)])
        // Naming the other province's photo in an answer does not make it this province's.
        try run(["record", "photos.yaml", "--db", "hn2.canvass", "--surveyor", "hoa", "--answers", "-"], as: "hn2", expect: 0,
                stdin: "{\"_id\": \"hn-2\", \"province\": \"hn\", \"remark\": \"\(MediaFile.sha256(of: saigon))\"}\n")
        try run(["merge", hoa, "hn2.canvass"], environment: password)
        #expect(try visible() == [MediaFile.sha256(of: hanoi)])
        // The staging tables are the owner's: a pusher's own relation in their place is refused.
        let view = "CREATE TEMP VIEW stage_agreement AS SELECT string_agg(value, ',') AS origin, 1::bigint AS counter, '\\\\x00'::bytea AS digest, NULL::text AS renamed_as FROM canvass.revision"
        let applied = try TestServer.psql(hoa, view + "; SELECT canvass.apply('x', 'x', 'x', 'x')", environment: password, expectFailure: true)
        #expect(applied.err.contains("the staging tables are not the ones canvass.prepare_staging made"), "\(applied.err)")
        let prepared = try TestServer.psql(hoa, view + "; SELECT canvass.prepare_staging()", environment: password, expectFailure: true)
        #expect(prepared.err.contains("a temporary relation named like a staging table exists that canvass did not make"), "\(prepared.err)")
        #expect(!(applied.err + prepared.err).contains(MediaFile.sha256(of: saigon)), "no answer leaks through the refusal")
        // A pusher writes the log only through its trigger, which checks the staging tables as
        // the functions do, refuses a revision of an interview the server lacks, and never lets
        // the pusher say which revisions are heads.
        let row = "('o', 1, 'nobody', 'remark', 'x', 'a', 'd', 1, 't', '', decode(repeat('00', 32), 'hex'))"
        let insert = "INSERT INTO canvass.revision_log (origin, counter, interview, field, value, author, device, hlc, time, parents, digest) VALUES " + row
        let unstaged = try TestServer.psql(hoa, view + "; " + insert, environment: password, expectFailure: true)
        #expect(unstaged.err.contains("the staging tables are not the ones canvass.prepare_staging made"), "\(unstaged.err)")
        let orphan = try TestServer.psql(hoa, "SELECT canvass.prepare_staging(); " + insert, environment: password, expectFailure: true)
        #expect(orphan.err.contains("no interview") && orphan.err.contains("nobody"), "\(orphan.err)")
        let head = try TestServer.psql(hoa, "UPDATE canvass.revision_log SET head = true", environment: password, expectFailure: true)
        #expect(head.err.contains("permission denied"), "\(head.err)")
        let heads = try TestServer.psql(hoa, "SELECT canvass.prepare_staging(); INSERT INTO canvass.revision_log (origin, counter, interview, field, value, author, device, hlc, time, parents, digest, head) VALUES ('o', 1, 'hn-1', 'remark', 'x', 'a', 'd', 1, 't', '', decode(repeat('00', 32), 'hex'), false)",
                                        environment: password, expectFailure: true)
        #expect(heads.err.contains("permission denied"), "\(heads.err)")
    }

    /// `canvass server sql` prints what `server init` runs, for an administrator who would rather
    /// read it and run it with psql: the server it makes takes pushes and reads like any other.
    @Test func theSQLAnAdministratorRunsMakesAServer() throws {
        let url = try TestServer.database(initialized: false)
        let script = dir.appendingPathComponent("canvass.sql")
        try run(["server", "sql"]).out.write(to: script, atomically: true, encoding: .utf8)
        try TestServer.psql(url, file: script.path)
        try TestServer.psql(url, file: script.path)  // and again, as init may be
        let sources = try fleet()
        try run(["merge", "flat.canvass"] + sources, as: "flat")
        try run(["merge", url] + sources)
        #expect(try outcome(url) == outcome("flat.canvass"))
    }

    /// A server made before the log was split into heads (server schema 1: a `current` table)
    /// is refused until `server init` brings it up to date, and then holds exactly what it held.
    /// The fixture is `pg_dump --schema=canvass` of such a server after pushing its two files.
    @Test func aServerOfTheFirstSchemaIsBroughtUpToDateWithNothingLost() throws {
        let url = try TestServer.database(initialized: false)
        for role in ["canvass_push", "canvass_read"] {
            try TestServer.psql(url, "DO $$ BEGIN CREATE ROLE \(role) NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$")
        }
        try TestServer.psql(url, file: CLI.fixture("server-v1/canvass-v1.sql"))
        for file in ["s1.canvass", "s2.canvass"] {
            try FileManager.default.copyItem(atPath: CLI.fixture("server-v1/\(file)"), toPath: dir.appendingPathComponent(file).path)
        }
        let refused = try run(["list", url], expect: nil)
        #expect(refused.code != 0 && refused.err.contains("server schema 1") && refused.err.contains("canvass server init"), "\(refused.err)")
        try run(["server", "init", url])
        try run(["merge", "flat.canvass", "s1.canvass", "s2.canvass"], as: "flat")
        #expect(try outcome(url) == outcome("flat.canvass"))
        #expect(try run(["merge", url, "s1.canvass", "s2.canvass"]).out.hasSuffix("merged 0, already merged 2, refused 0; open conflicts 1, duplicate groups 1\n"))
        // The heads it held are heads still: a decision on the server supersedes them.
        for store in [url, "flat.canvass"] {
            try run(["resolve", store, "phieu-001", "e1_1", "--keep", "s2-0001:1", "--as", "chi"], as: "chi")
        }
        #expect(try run(["conflicts", url]).out.hasPrefix("0 conflicts"))
        #expect(try outcome(url) == outcome("flat.canvass"))
    }

    /// libpq's conventions: the password from PGPASSWORD or ~/.pgpass, TLS verified against a
    /// root certificate, and a wrong password named as such, never shown.
    @Test func libpqConventionsAndTLSHold() throws {
        let url = try TestServer.database()
        try TestServer.psql(url, "CREATE ROLE canvass_tls LOGIN PASSWORD 'mật-khẩu-TLS'")
        try run(["server", "grant", url, "canvass_tls", "--push", "--province", "*"])
        let ca = try #require(ProcessInfo.processInfo.environment["CANVASS_TEST_POSTGRES_CA"], "no test CA: run tools/test.sh")
        try TestServer.households("hn.canvass", province: "hn", count: 2, in: dir, prefix: "hn")
        // Verified TLS, by name: this role may only connect over TLS (pg_hba).
        let verified = TestServer.url(url, user: "canvass_tls", query: "sslmode=verify-full", host: "localhost")
        try run(["merge", verified, "hn.canvass"], environment: ["PGPASSWORD": "mật-khẩu-TLS", "PGSSLROOTCERT": ca])
        let plain = try run(["status", TestServer.url(url, user: "canvass_tls")], environment: ["PGPASSWORD": "mật-khẩu-TLS"], expect: 1)
        #expect(plain.err.contains("no encryption"), "\(plain.err)")
        let unverified = try run(["status", verified], environment: ["PGPASSWORD": "mật-khẩu-TLS", "PGSSLROOTCERT": "/nonexistent/root.crt"], expect: 1)
        #expect(unverified.err.contains("the root certificate file /nonexistent/root.crt does not exist"))
        // The password from ~/.pgpass (mode 0600), as libpq finds it.
        let home = dir.appendingPathComponent("home")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        try "localhost:*:*:canvass_tls:mật-khẩu-TLS\n".write(to: home.appendingPathComponent(".pgpass"), atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: home.appendingPathComponent(".pgpass").path)
        let status = try run(["status", verified, "--json"], environment: ["HOME": home.path, "PGSSLROOTCERT": ca], expect: nil)
        #expect((try CLI.json(status.out) as? [String: Any])?["interviews"] as? Int == 2, "\(status.err)")
        // A wrong password: named, never shown; nor is the right one, given in the URL.
        let wrong = try run(["status", verified.replacingOccurrences(of: "canvass_tls@", with: "canvass_tls:sai-BÍ-MẬT@")],
                            environment: ["PGSSLROOTCERT": ca], expect: 1)
        #expect(wrong.err.contains("password authentication failed for user \"canvass_tls\""), "\(wrong.err)")
        #expect(!wrong.err.contains("sai-BÍ-MẬT") && !wrong.out.contains("sai-BÍ-MẬT"))
        let given = verified.replacingOccurrences(of: "canvass_tls@", with: "canvass_tls:m%E1%BA%ADt-kh%E1%BA%A9u-TLS@")
        let pushed = try run(["merge", given, "hn.canvass"], environment: ["PGSSLROOTCERT": ca])
        try run(["merge", "pulled.canvass", given], as: "pull", environment: ["PGSSLROOTCERT": ca])
        let log = try run(["log", "pulled.canvass"]).out + pushed.out + pushed.err
        #expect(!log.contains("mật-khẩu") && !log.contains("m%E1%BA%ADt"), "\(log)")
        // No server there: one line saying where and what to check, with no password in it.
        let closed = try run(["status", "postgres://hoa:b%C3%AD-m%E1%BA%ADt@127.0.0.1:1/sipas"], expect: 1)
        #expect(closed.err == "Error: postgres://hoa@127.0.0.1:1/sipas: cannot connect to 127.0.0.1 port 1: nothing takes connections there; "
                + "check that PostgreSQL runs there and the host and port (in the URL, or PGHOST and PGPORT)\n", "\(closed.err)")
        let socket = try run(["conflicts", "postgres:///sipas?host=\(dir.path)"], expect: 1)
        #expect(socket.err.contains("cannot connect to the socket \(dir.path)/.s.PGSQL.5432: there is no server socket there"), "\(socket.err)")
    }

    @Test func twoCoordinatorsPushingAtOnceLoseNothing() throws {
        let url = try TestServer.database()
        let sources = try fleet()
        try TestServer.households("hn.canvass", province: "hn", count: 4, in: dir, prefix: "hn")
        try run(["merge", "flat.canvass"] + sources + ["hn.canvass"], as: "flat")
        let pushes = [sources + ["hn.canvass"], ["hn.canvass"] + sources.reversed()].map { CLI.background(["merge", url] + $0, in: dir) }
        for push in pushes { try push.run() }
        for push in pushes { push.waitUntilExit() }
        #expect(pushes.map(\.terminationStatus) == [0, 0])
        #expect(try outcome(url) == outcome("flat.canvass"))
    }
}
