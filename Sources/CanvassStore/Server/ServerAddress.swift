import Foundation

/// A PostgreSQL server as libpq names one, so that what works with `psql` works here: a URL
/// (`postgres://USER@HOST:PORT/DB?sslmode=...`), completed from PGHOST, PGPORT, PGUSER,
/// PGPASSWORD, PGDATABASE, PGSSLMODE and PGSSLROOTCERT, with the password looked up in
/// `~/.pgpass` (or PGPASSFILE) when neither the URL nor PGPASSWORD gives one. Its description
/// never holds the password: messages, `log` and merge provenance use it.
public struct ServerAddress: Sendable, Equatable, CustomStringConvertible {
    /// libpq's sslmode, and what each means here (docs/server.md).
    public enum SSLMode: String, Sendable, CaseIterable {
        case disable, allow, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    /// A name or address, or the folder holding the server's Unix socket (it starts with `/`).
    public var host: String
    public var port: Int
    public var user: String
    public var database: String
    public var password: String?
    public var sslMode: SSLMode
    /// The certificates to trust (sslrootcert); for verify-ca and verify-full, `~/.postgresql/root.crt` by default.
    public var rootCertificate: String?
    /// `where=`: which part a pull takes (`province=hn`, `form=sipas_2023`, `unit=stp`).
    public var slice: [String: String]

    public var isUnixSocket: Bool { host.hasPrefix("/") }

    public var description: String {
        var text = "postgres://\(user)@\(isUnixSocket ? "" : host)\(isUnixSocket ? "" : ":\(port)")/\(database)"
        var query: [String] = []
        if isUnixSocket { query.append("host=\(host)") }
        if sslMode != .prefer { query.append("sslmode=\(sslMode.rawValue)") }
        if !slice.isEmpty { query.append("where=" + slice.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")) }
        if !query.isEmpty { text += "?" + query.joined(separator: "&") }
        return text
    }

    static let parameters = ["host", "port", "user", "password", "dbname", "sslmode", "sslrootcert", "where", "application_name", "connect_timeout"]
    static let sliceKeys = ["form", "province", "unit"]

    /// Reads a URL as libpq does, filling what it leaves out from `environment` and the password
    /// file under `home`. Refuses, naming the part, what libpq would not understand.
    public static func parse(_ text: String, environment: [String: String], home: String?, user systemUser: String) throws(StoreError) -> ServerAddress {
        func refuse(_ reason: String) -> StoreError { .badServer(text: redacted(text), reason: reason) }
        guard let components = components(text), ["postgres", "postgresql"].contains(components.scheme ?? "") else {
            throw refuse("not a postgres:// or postgresql:// URL")
        }
        var query: [String: String] = [:]
        for item in components.queryItems ?? [] {
            guard parameters.contains(item.name) else {
                throw refuse("unknown parameter '\(item.name)'; known: \(parameters.joined(separator: ", "))")
            }
            query[item.name] = item.value ?? ""
        }
        func pick(_ values: String?...) -> String? { values.first { $0 != nil && !$0!.isEmpty } ?? nil }
        let host = pick(query["host"], components.host, environment["PGHOST"]) ?? "/var/run/postgresql"
        let portText = pick(query["port"], components.port.map(String.init), environment["PGPORT"]) ?? "5432"
        guard let port = Int(portText), (1...65535).contains(port) else { throw refuse("the port '\(portText)' is not a number from 1 to 65535") }
        let user = pick(query["user"], components.user, environment["PGUSER"]) ?? systemUser
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        let database = pick(query["dbname"], path, environment["PGDATABASE"]) ?? user
        let modeText = pick(query["sslmode"], environment["PGSSLMODE"]) ?? "prefer"
        guard let sslMode = SSLMode(rawValue: modeText) else {
            throw refuse("sslmode '\(modeText)' is not one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var slice: [String: String] = [:]
        for part in (query["where"] ?? "").split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2, sliceKeys.contains(pair[0]), !pair[1].isEmpty else {
                throw refuse("where= takes KEY=VALUE[,KEY=VALUE], KEY one of \(sliceKeys.joined(separator: ", ")); not '\(part)'")
            }
            slice[pair[0]] = pair[1]
        }
        var address = ServerAddress(host: host, port: port, user: user, database: database, password: nil, sslMode: sslMode,
                                    rootCertificate: pick(query["sslrootcert"], environment["PGSSLROOTCERT"]), slice: slice)
        address.password = pick(query["password"], components.password, environment["PGPASSWORD"])
        if address.password == nil {
            let file = environment["PGPASSFILE"] ?? home.map { "\($0)/.pgpass" }
            if let file, let contents = PasswordFile.read(file) { address.password = PasswordFile.lookup(contents, for: address) }
        }
        if address.rootCertificate == nil, sslMode == .verifyCA || sslMode == .verifyFull, let home {
            address.rootCertificate = "\(home)/.postgresql/root.crt"
        }
        return address
    }

    /// Parsed as libpq reads a URI, as bytes: text typed outside ASCII (a Vietnamese password)
    /// is percent-encoded first, which Foundation would otherwise encode twice with the rest.
    static func components(_ text: String) -> URLComponents? {
        let ascii = CharacterSet(charactersIn: Unicode.Scalar(0x21)...Unicode.Scalar(0x7E))
        return text.addingPercentEncoding(withAllowedCharacters: ascii).flatMap(URLComponents.init(string:))
    }

    /// The URL with any password replaced, for messages about a URL that could not be read.
    static func redacted(_ text: String) -> String {
        guard var components = components(text) else { return "the server URL" }
        if components.password != nil { components.password = "***" }
        if components.queryItems?.contains(where: { $0.name == "password" }) == true {
            components.queryItems = components.queryItems?.map { $0.name == "password" ? URLQueryItem(name: "password", value: "***") : $0 }
        }
        return components.string ?? "the server URL"
    }
}

/// libpq's password file: `host:port:database:user:password` lines, `*` matching anything, `\`
/// escaping `:` and `\`. Like libpq, a file others can read is ignored.
enum PasswordFile {
    static func read(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & 0o077 == 0 else { return nil }
        return try? String(contentsOfFile: path, encoding: .utf8)
    }

    static func lookup(_ contents: String, for address: ServerAddress) -> String? {
        let host = address.isUnixSocket ? "localhost" : address.host
        let wanted = [host, String(address.port), address.database, address.user]
        for line in contents.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            let fields = split(String(line))
            guard fields.count == 5 else { continue }
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    /// Splits at unescaped colons, unescaping `\:` and `\\`.
    static func split(_ line: String) -> [String] {
        var fields: [String] = [], field = "", escaped = false
        for character in line {
            if escaped { field.append(character); escaped = false }
            else if character == "\\" { escaped = true }
            else if character == ":" { fields.append(field); field = "" }
            else { field.append(character) }
        }
        fields.append(field)
        return fields
    }
}
