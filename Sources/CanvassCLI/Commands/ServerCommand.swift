import ArgumentParser
import CanvassCore
import CanvassStore

struct ServerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "server",
        abstract: "Make a PostgreSQL database a Canvass server, and say who may push and read.",
        discussion: """
            A server holds the same revision union as a data file, for coordinators who push
            (canvass merge URL FILE...) and pull (canvass merge FILE URL) when they have a
            connection. Commands that read or review take its URL wherever they take a file.
            URLs, passwords and TLS follow libpq: postgres://USER@HOST:PORT/DB?sslmode=verify-full,
            PGHOST, PGUSER, PGPASSWORD, ~/.pgpass. docs/server.md has the setup, step by step.

            Examples:
              canvass server init postgres://postgres@db.tinh.vn/sipas
              canvass server grant postgres://postgres@db.tinh.vn/sipas hoa --push --province hn
              canvass server sql > canvass-server.sql
            """,
        subcommands: [ServerInit.self, ServerGrant.self, ServerSQL.self]
    )
}

struct ServerInit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create or complete the schema, functions and roles on a database (as its owner). Safe to run again.",
        discussion: """
            Creates schema canvass (tables, staging tables, the functions that apply a push), the
            roles canvass_push (may push and read version vectors, never answers) and canvass_read
            (reads, only the provinces granted to it: row-level security). A server made by an
            earlier version of canvass is brought up to date, keeping everything it holds.

            Examples:
              canvass server init postgres://postgres@localhost/sipas
              canvass server init postgres://postgres@localhost/sipas --json
            """
    )

    @Argument(help: "The database's URL, as its owner.")
    var url: String

    @Flag(help: "Print the result as JSON.")
    var json = false

    func run() throws {
        let address = try Stores.address(url)
        try ServerStore.install(address)
        Output.result("\(address): ready (schema canvass, roles canvass_push and canvass_read)", json: json,
                      ["server": .string(address.description), "schema": .number(Double(ServerStore.schemaVersion))])
    }
}

struct ServerGrant: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grant",
        abstract: "Let a database role push, and read the provinces named.",
        discussion: """
            --push makes ROLE a member of canvass_push. --province P (again for several, '*' for
            all) makes it a member of canvass_read that sees the interviews whose answer to the
            field province is P, and their revisions; other provinces' stay hidden from it.

            Examples:
              canvass server grant postgres://postgres@localhost/sipas hoa --push --province hn
              canvass server grant postgres://postgres@localhost/sipas tong_cuc --province '*' --json
            """
    )

    @Argument(help: "The database's URL, as its owner.")
    var url: String

    @Argument(help: "The role (a PostgreSQL login) to grant to.")
    var role: String

    @Flag(help: "Let the role push.")
    var push = false

    @Option(help: "A province the role may read ('*': all).")
    var province: [String] = []

    @Flag(help: "Print the result as JSON.")
    var json = false

    func validate() throws {
        if !push && province.isEmpty { throw ValidationError("give --push, --province P, or both") }
    }

    func run() throws {
        try ServerStore.grant(try Stores.address(url), role: role, push: push, provinces: province)
        Output.result("\(role): " + [push ? "may push" : nil, province.isEmpty ? nil : "reads \(province.joined(separator: ", "))"].compactMap { $0 }.joined(separator: "; "),
                      json: json, ["role": .string(role), "push": .bool(push), "provinces": .array(province.map(JSONValue.string))])
    }
}

struct ServerSQL: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sql",
        abstract: "Print the SQL that server init runs, for a database administrator to read or run by hand.",
        discussion: """
            Examples:
              canvass server sql > canvass-server.sql
              psql -d sipas -f canvass-server.sql
            """
    )

    func run() throws {
        Output.print(ServerStore.script)
    }
}
