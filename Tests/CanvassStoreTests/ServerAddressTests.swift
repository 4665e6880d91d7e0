import CanvassStore
import Foundation
import Testing

/// Server URLs, the environment and the password file read as libpq reads them.
struct ServerAddressTests {
    func parse(_ text: String, _ environment: [String: String] = [:], home: String? = nil) throws -> ServerAddress {
        try ServerAddress.parse(text, environment: environment, home: home, user: "lan")
    }

    @Test func aURLGivesEveryPartAndTheRestComesFromTheEnvironment() throws {
        let full = try parse("postgres://hoa:bí%20mật@db.tinh.vn:6543/sipas?sslmode=verify-full&sslrootcert=/etc/ca.crt&where=province=hn,form=sipas_2023")
        #expect(full.host == "db.tinh.vn" && full.port == 6543 && full.user == "hoa" && full.database == "sipas")
        #expect(full.password == "bí mật" && full.sslMode == .verifyFull && full.rootCertificate == "/etc/ca.crt")
        #expect(full.slice == ["province": "hn", "form": "sipas_2023"])
        #expect(full.description == "postgres://hoa@db.tinh.vn:6543/sipas?sslmode=verify-full&where=form=sipas_2023,province=hn")

        let bare = try parse("postgres:///", ["PGHOST": "10.0.0.5", "PGPORT": "5433", "PGUSER": "minh", "PGPASSWORD": "x", "PGDATABASE": "d", "PGSSLMODE": "require"])
        #expect(bare.host == "10.0.0.5" && bare.port == 5433 && bare.user == "minh" && bare.database == "d" && bare.password == "x" && bare.sslMode == .require)
        let defaults = try parse("postgresql://")
        #expect(defaults.host == "/var/run/postgresql" && defaults.port == 5432 && defaults.user == "lan" && defaults.database == "lan")
        #expect(defaults.sslMode == .prefer && defaults.password == nil)
        #expect(defaults.description == "postgres://lan@/lan?host=/var/run/postgresql")
    }

    @Test func thePasswordFileIsReadAsLibpqReadsIt() throws {
        let home = try StoreFixtures.scratch()
        let file = home.appendingPathComponent(".pgpass").path
        try """
            # comments and other servers first
            other:5432:*:hoa:wrong
            db.tinh.vn:5432:sipas:hoa:p\\:a\\\\ss
            *:*:*:minh:every-where
            localhost:5432:lan:lan:by-socket
            """.write(toFile: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
        #expect(try parse("postgres://hoa@db.tinh.vn/sipas", home: home.path).password == "p:a\\ss")
        #expect(try parse("postgres://minh@anywhere:7/x", home: home.path).password == "every-where")
        #expect(try parse("postgres:///lan", home: home.path).password == "by-socket")
        #expect(try parse("postgres://hoa:given@db.tinh.vn/sipas", home: home.path).password == "given")
        #expect(try parse("postgres://hoa@db.tinh.vn/sipas", ["PGPASSWORD": "env"], home: home.path).password == "env")
        #expect(try parse("postgres://hoa@db.tinh.vn/sipas", ["PGPASSFILE": "/nonexistent"], home: home.path).password == nil)
        // Readable by others: ignored, as libpq does.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file)
        #expect(try parse("postgres://hoa@db.tinh.vn/sipas", home: home.path).password == nil)
    }

    @Test func whatLibpqWouldNotUnderstandIsRefusedByNameWithoutThePassword() {
        let cases: [(String, String)] = [
            ("postgres://hoa:secret@h/d?sslmode=sometimes", "postgres://hoa:***@h/d?sslmode=sometimes: sslmode 'sometimes' is not one of disable, allow, prefer, require, verify-ca, verify-full"),
            ("postgres://h/d?colour=red", "postgres://h/d?colour=red: unknown parameter 'colour'; known: host, port, user, password, dbname, sslmode, sslrootcert, where, application_name, connect_timeout"),
            ("postgres://h:0/d", "postgres://h:0/d: the port '0' is not a number from 1 to 65535"),
            ("postgres://h/d?where=district=x", "postgres://h/d?where=district=x: where= takes KEY=VALUE[,KEY=VALUE], KEY one of form, province, unit; not 'district=x'"),
            ("mysql://h/d", "mysql://h/d: not a postgres:// or postgresql:// URL"),
        ]
        for (text, message) in cases {
            #expect(throws: StoreError.self) { try parse(text) }
            do { _ = try parse(text) } catch { #expect((error as? StoreError)?.errorDescription == message) }
        }
    }
}
