import Foundation
import Logging
import NIOCore
import NIOSSL
import PostgresNIO

/// One connection to a server, for synchronous callers: each call waits for its answer. Canvass
/// commands run one step after another, so one connection, used in turn, is all they need.
final class ServerConnection: @unchecked Sendable {
    let address: ServerAddress
    private let connection: PostgresConnection
    static let logger: Logger = {
        var logger = Logger(label: "canvass.server")
        logger.logLevel = .critical
        return logger
    }()

    /// Connects as libpq would with the address's sslmode (docs/server.md says how each maps).
    init(_ address: ServerAddress) throws(StoreError) {
        self.address = address
        let configuration: PostgresConnection.Configuration
        do {
            if address.isUnixSocket {
                configuration = .init(unixSocketPath: "\(address.host)/.s.PGSQL.\(address.port)", username: address.user,
                                      password: address.password, database: address.database)
            } else {
                configuration = .init(host: address.host, port: address.port, username: address.user, password: address.password,
                                      database: address.database, tls: try Self.tls(address))
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.server(server: address.description, reason: "TLS could not be set up: \(error)")
        }
        do {
            connection = try Self.wait {
                try await PostgresConnection.connect(configuration: configuration, id: 1, logger: Self.logger)
            }
        } catch {
            throw Self.describe(error, address, connecting: true)
        }
    }

    static func tls(_ address: ServerAddress) throws -> PostgresConnection.Configuration.TLS {
        var tls = TLSConfiguration.makeClientConfiguration()
        // libpq: require verifies the certificate against a root file only when one is given.
        var verify = address.sslMode == .verifyCA || address.sslMode == .verifyFull
            || (address.sslMode == .require && address.rootCertificate.map { FileManager.default.fileExists(atPath: $0) } == true)
        if verify, let root = address.rootCertificate {
            guard FileManager.default.fileExists(atPath: root) else {
                throw StoreError.server(server: address.description, reason: "the root certificate file \(root) does not exist; give one with sslrootcert= or PGSSLROOTCERT, or use sslmode=require")
            }
            tls.trustRoots = .file(root)
        } else {
            verify = false
        }
        tls.certificateVerification = !verify ? .none : address.sslMode == .verifyFull ? .fullVerification : .noHostnameVerification
        switch address.sslMode {
        case .disable: return .disable
        // Without libpq's "try plain first" (allow), TLS where the server offers it.
        case .allow, .prefer: return .prefer(try NIOSSLContext(configuration: tls))
        case .require, .verifyCA, .verifyFull: return .require(try NIOSSLContext(configuration: tls))
        }
    }

    /// Runs a statement whose rows, if any, are not needed.
    func execute(_ sql: String, _ binds: PostgresBindings = PostgresBindings()) throws(StoreError) {
        try run { connection in
            for try await _ in try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: Self.logger) {}
        }
    }

    /// Every row of a query (for small answers: a vector, the forms, one interview).
    func rows(_ sql: String, _ binds: PostgresBindings = PostgresBindings()) throws(StoreError) -> [PostgresRandomAccessRow] {
        try run { connection in
            var rows: [PostgresRandomAccessRow] = []
            for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: Self.logger) {
                rows.append(row.makeRandomAccess())
            }
            return rows
        }
    }

    /// `COPY table (columns) FROM STDIN` in text format, from the chunks `next` gives until nil:
    /// one chunk in memory at a time, however much is copied.
    func copy(into table: String, columns: [String], next: @escaping () throws -> ByteBuffer?) throws(StoreError) {
        let next = Unchecked(next)
        try run { connection in
            try await connection.copyFrom(table: table, columns: columns, logger: Self.logger) { writer in
                while let chunk = try next.value() { try await writer.write(chunk) }
            }
        }
    }

    func close() {
        try? Self.wait { try await self.connection.close() }
    }

    /// Runs `work` on the connection, waiting for it, and names the server in any error.
    private func run<T>(_ work: @escaping (PostgresConnection) async throws -> T) throws(StoreError) -> T {
        let connection = Unchecked(connection)
        do {
            return try Self.wait { try await work(connection.value) }
        } catch {
            throw Self.describe(error, address)
        }
    }

    /// Waits for async work from synchronous code. The work runs as a detached task; the caller's
    /// thread waits on a semaphore.
    static func wait<T>(_ work: @escaping () async throws -> T) throws -> T {
        let box = Unchecked<Result<T, Error>?>(nil), work = Unchecked(work)
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            do { box.value = .success(try await work.value()) } catch { box.value = .failure(error) }
            done.signal()
        }
        done.wait()
        return try box.value!.get()
    }

    /// A server's refusal in its own words (never the password, which it never repeats).
    static func describe(_ error: Error, _ address: ServerAddress, connecting: Bool = false) -> StoreError {
        if let error = error as? StoreError { return error }
        let psql = (error as? PSQLError) ?? ((error as? PostgresTransactionError)?.closureError as? PSQLError)
        // Canvass's own checks (CV…), and a name the log holds already (a unique key), which
        // the push tells in its own words.
        if let psql, let state = psql.serverInfo?[.sqlState], state.hasPrefix("CV") || state == "23505" {
            return .serverRule(server: address.description, code: state, detail: psql.serverInfo?[.detail] ?? "")
        }
        if let psql, let message = psql.serverInfo?[.message] {
            var reason = message
            if let detail = psql.serverInfo?[.detail] { reason += " (\(detail))" }
            if let state = psql.serverInfo?[.sqlState] { reason += " [SQLSTATE \(state)]" }
            return .server(server: address.description, reason: reason)
        }
        if connecting { return .server(server: address.description, reason: unreachable(error, address)) }
        if let psql {
            let underlying = psql.underlying.map { "\($0)" } ?? "\(psql.code)"
            return .server(server: address.description, reason: "cannot connect or talk to the server: \(underlying)")
        }
        return .server(server: address.description, reason: "\(error)")
    }
}

extension ServerConnection {
    /// Why no connection was made, in a line people can act on. NIO's errors nest the reason
    /// several types deep, so it is found in their description.
    static func unreachable(_ error: Error, _ address: ServerAddress) -> String {
        let psql = error as? PSQLError
        let text = psql.map { $0.underlying.map { String(describing: $0) } ?? String(describing: $0.code) } ?? String(describing: error)
        let place = address.isUnixSocket ? "the socket \(address.host)/.s.PGSQL.\(address.port)" : "\(address.host) port \(address.port)"
        let why: String
        if text.contains("Connection refused") {
            why = "nothing takes connections there"
        } else if text.contains("No such file or directory") {
            why = "there is no server socket there"
        } else if text.localizedCaseInsensitiveContains("timed out") || text.localizedCaseInsensitiveContains("timeout") {
            why = "the connection timed out"
        } else if text.contains("serverClosedConnection") {
            why = "the connection closed before the server answered"
        } else if text.contains("resolve") || text.contains("Name or service not known") || text.contains("nodename nor servname") {
            why = "the host name is not known"
        } else if text.localizedCaseInsensitiveContains("ssl") || text.localizedCaseInsensitiveContains("tls") || text.localizedCaseInsensitiveContains("certificate") {
            return "cannot connect to \(place) with TLS (sslmode=\(address.sslMode.rawValue)): \(text)"
        } else {
            return "cannot connect to \(place): \(text)"
        }
        return "cannot connect to \(place): \(why); check that PostgreSQL runs there and the host and port (in the URL, or PGHOST and PGPORT)"
    }
}

/// A value carried across the wait in `ServerConnection`: the caller is blocked while the task
/// uses it, so it is never used from two threads at once.
final class Unchecked<T>: @unchecked Sendable {
    var value: T
    init(_ value: T) { self.value = value }
}
