import CanvassCore
import Foundation
import NIOCore
import PostgresNIO
import Synchronization

/// A PostgreSQL server as a store: the revision union of many coordinators' pushes, with the same
/// semantics as a data file (docs/server.md). Reads here; pushes in `ServerStore+Push.swift`;
/// pulls into a data file in `ServerPull.swift`.
public final class ServerStore: Store, MergeTarget, @unchecked Sendable {
    public let address: ServerAddress
    let connection: ServerConnection
    let environment: StoreEnvironment
    let formEngines = FormEngines()

    public var location: String { address.description }
    public var openWarning: String? { nil }

    public init(address: ServerAddress, environment: StoreEnvironment) throws(StoreError) {
        self.address = address
        self.environment = environment
        connection = try ServerConnection(address)
        try connection.execute("SET search_path = canvass, pg_temp")
        // Reads here are many small index lookups, which PostgreSQL's estimate of a large table
        // makes it compile (JIT) at a cost of tens of milliseconds each.
        try connection.execute("SET jit = off")
        guard try !connection.rows("SELECT 1 FROM pg_namespace WHERE nspname = 'canvass'").isEmpty else {
            throw StoreError.server(server: address.description, reason: "it holds no Canvass data yet; its owner makes it ready with: canvass server init \(address.description)")
        }
        let schema = try connection.rows("SELECT value FROM canvass.meta WHERE key = 'schema'").first.flatMap { try? $0[0].decode(String.self) }
        guard schema.flatMap(Int.init) == ServerSchema.version else {
            throw StoreError.server(server: address.description, reason: "its tables are of server schema \(schema ?? "none"), and this canvass uses schema \(ServerSchema.version); its owner brings it up to date, keeping everything, with: canvass server init \(address.description)")
        }
    }

    deinit { connection.close() }

    /// Creates or completes the schema, functions and roles (`ServerSchema`): run by the database's owner.
    public static func install(_ address: ServerAddress) throws(StoreError) {
        let connection = try ServerConnection(address)
        defer { connection.close() }
        for statement in ServerSchema.all { try connection.execute(statement) }
    }

    /// The server schema this version makes and reads.
    public static var schemaVersion: Int { ServerSchema.version }

    /// The statements `install` runs, for a database administrator to read.
    public static var script: String { ServerSchema.script }

    /// Lets `role` push (`push`), or read the provinces named (`*`: all of them).
    public static func grant(_ address: ServerAddress, role: String, push: Bool, provinces: [String]) throws {
        let connection = try ServerConnection(address)
        defer { connection.close() }
        let quoted = "\"" + role.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        if push { try connection.execute("GRANT canvass_push TO \(quoted)") }
        if !provinces.isEmpty {
            try connection.execute("GRANT canvass_read TO \(quoted)")
            for province in provinces {
                try connection.execute("INSERT INTO canvass.coordinator (role, province) VALUES ($1, $2) ON CONFLICT DO NOTHING", try binds(role, province))
            }
        }
    }

    // MARK: - Reads

    public func canRead() throws -> Bool {
        try connection.rows("SELECT has_table_privilege('canvass.current', 'SELECT')")[0][0].decode(Bool.self)
    }

    public func interviewCount() throws -> Int {
        try connection.rows("SELECT count(*) FROM interview")[0][0].decode(Int.self)
    }

    public func forms() throws -> [Form] {
        try connection.rows("SELECT definition FROM form").map { row in
            guard let form = try? Form(canonicalJSON: Data(try row[0].decode(String.self).utf8)) else {
                throw StoreError.server(server: location, reason: "an embedded form is unreadable")
            }
            return form
        }.sorted { a, b in a.formId != b.formId ? a.formId < b.formId : a.version.compare(b.version, options: .numeric) == .orderedAscending }
    }

    func engines() throws -> [String: FormEngine] {
        Dictionary(uniqueKeysWithValues: try forms().map { ($0.sha256, try formEngines.engine(for: $0)) })
    }

    func labels() throws -> [String: String] {
        let definitions = try connection.rows("SELECT sha256, form_id, version FROM form").map {
            FormLabels.Definition(sha256: try $0[0].decode(String.self), formId: try $0[1].decode(String.self), version: try $0[2].decode(String.self))
        }
        let equivalent = try connection.rows("SELECT sha256, same_as FROM form_equivalent").map { (try $0[0].decode(String.self), try $0[1].decode(String.self)) }
        return FormLabels.labels(definitions, equivalent: equivalent)
    }

    public func definitions() throws -> [FormDefinition] {
        let labels = try labels()
        return try connection.rows("SELECT f.sha256, f.form_id, f.version, (SELECT count(*) FROM interview i WHERE i.form = f.sha256) FROM form f").map { row in
            let sha = try row[0].decode(String.self), version = try row[2].decode(String.self)
            return FormDefinition(sha256: sha, formId: try row[1].decode(String.self), version: version, label: labels[sha] ?? version,
                                  interviews: try row[3].decode(Int.self))
        }.sorted { ($0.formId, $0.label) < ($1.formId, $1.label) }
    }

    static let summaryColumns = "i.id, i.form, i.status, i.surveyor, i.device, i.mode, i.created, i.updated, f.form_id, f.version"

    func summary(_ row: PostgresRandomAccessRow, labels: [String: String]) throws -> InterviewSummary {
        let form = try row[1].decode(String.self)
        return InterviewSummary(id: try row[0].decode(String.self), key: nil, formId: try row[8].decode(String.self),
                                formVersion: try labels[form] ?? row[9].decode(String.self), form: form, status: try row[2].decode(String.self),
                                surveyor: try row[3].decode(String.self), device: try row[4].decode(String.self), mode: try row[5].decode(String.self),
                                created: try row[6].decode(String.self), updated: try row[7].decode(String.self))
    }

    /// Case keys are worked out here, from the current answers and the form, so that a push
    /// never needs to read answers (docs/server.md).
    func withKeys(_ summaries: [InterviewSummary]) throws -> [InterviewSummary] {
        var keyed: [String: String] = [:]
        try forEachInterview(status: nil, fields: try keyFields()) { summary, _ in if let key = summary.key { keyed[summary.id] = key } }
        return summaries.map { var summary = $0; summary.key = keyed[$0.id]; return summary }
    }

    public func interviews(status: String?) throws -> [InterviewSummary] {
        let labels = try labels()
        let rows = try connection.rows("""
            SELECT \(Self.summaryColumns) FROM interview i JOIN form f ON f.sha256 = i.form
            WHERE $1::text IS NULL OR i.status = $1 ORDER BY i.created, i.id
            """, try binds(status))
        return try withKeys(try rows.map { try summary($0, labels: labels) })
    }

    public func interview(_ id: String) throws -> InterviewSummary {
        let rows = try connection.rows("""
            SELECT \(Self.summaryColumns) FROM interview i JOIN form f ON f.sha256 = i.form
            WHERE i.id = $1 OR i.id LIKE $2 ESCAPE '\\' ORDER BY i.id = $1 DESC LIMIT 2
            """, try binds(id, DataFile.likePrefix(id)))
        let labels = try labels()
        let found = try rows.map { try summary($0, labels: labels) }
        if let exact = found.first(where: { $0.id == id }) ?? (found.count == 1 ? found.first : nil) {
            return try withKeys([exact])[0]
        }
        if found.isEmpty { throw StoreError.unknownInterview(path: location, id: id) }
        throw StoreError.ambiguousInterview(path: location, id: id, matches: found.count)
    }

    public func state(_ interview: String) throws -> InterviewState {
        var state = InterviewState()
        for row in try connection.rows("SELECT field, value, conflict FROM current WHERE interview = $1 ORDER BY field", try binds(interview)) {
            state.take(field: try row[0].decode(String.self), value: try row[1].decode(String?.self), conflict: try row[2].decode(Bool.self))
        }
        return state
    }

    static let revisionColumns = "origin, counter, interview, field, value, author, device, hlc, time, parents"

    static func revision(_ row: PostgresRandomAccessRow) throws -> Revision {
        Revision(id: RevisionID(origin: try row[0].decode(String.self), counter: try row[1].decode(Int64.self)),
                 interview: try row[2].decode(String.self), field: try row[3].decode(String.self), value: try row[4].decode(String?.self),
                 author: try row[5].decode(String.self), device: try row[6].decode(String.self), hlc: try row[7].decode(Int64.self),
                 time: try row[8].decode(String.self), parents: Writer.parseParents(try row[9].decode(String.self)))
    }

    /// The server keeps an (interview, field) index: an interview's history is one query.
    public func revisions(_ interview: String) throws -> [Revision] {
        try connection.rows("SELECT \(Self.revisionColumns) FROM revision WHERE interview = $1", try binds(interview))
            .map(Self.revision).sorted { ($0.hlc, $0.id) < ($1.hlc, $1.id) }
    }

    /// A page of interviews at a time, in id order, each with its current answers: memory stays
    /// flat however many the server holds.
    public func forEachInterview(status: String?, _ body: (InterviewSummary, InterviewState) throws -> Void) throws {
        try forEachInterview(status: status, fields: nil, body)
    }

    /// The fields every form's case key reads, or nil when one reads a calculation (which needs
    /// every answer): what keying interviews needs, a few rows of each instead of all.
    func keyFields() throws -> [String]? {
        var fields: Set<String> = []
        for engine in try engines().values {
            guard let read = engine.caseKeyFields else { return nil }
            fields.formUnion(read)
        }
        return fields.sorted()
    }

    /// The same, with only `fields` of the answers (all when nil).
    func forEachInterview(status: String?, fields: [String]?, _ body: (InterviewSummary, InterviewState) throws -> Void) throws {
        let labels = try labels(), engines = try engines()
        var after = ""
        while true {
            let page = try connection.rows("""
                SELECT \(Self.summaryColumns) FROM interview i JOIN form f ON f.sha256 = i.form
                WHERE i.id > $1 AND ($2::text IS NULL OR i.status = $2) ORDER BY i.id LIMIT 2000
                """, try binds(after, status)).map { try summary($0, labels: labels) }
            guard let last = page.last else { return }
            var states: [String: InterviewState] = [:]
            // An index lookup per interview: asked for a page at once, PostgreSQL reads the whole
            // log once it holds millions of revisions.
            for row in try connection.rows("""
                SELECT w.id, c.field, c.value, c.conflict FROM unnest($1::text[]) AS w(id)
                CROSS JOIN LATERAL (SELECT field, value, conflict FROM current c
                                    WHERE c.interview = w.id AND ($2::text[] IS NULL OR c.field = ANY($2::text[])) OFFSET 0) c
                """, try binds(page.map(\.id), fields)) {
                states[try row[0].decode(String.self), default: InterviewState()]
                    .take(field: try row[1].decode(String.self), value: try row[2].decode(String?.self), conflict: try row[3].decode(Bool.self))
            }
            for var summary in page {
                var state = states[summary.id] ?? InterviewState()
                state.conflicts.sort()
                summary.key = engines[summary.form]?.caseKey(state.answers)
                try body(summary, state)
            }
            after = last.id
        }
    }

    public func conflicts() throws -> [Conflict] {
        let sources = Dictionary(uniqueKeysWithValues: try connection.rows("SELECT origin, source FROM origin").map { (try $0[0].decode(String.self), try $0[1].decode(String.self)) })
        func side(_ revision: Revision) -> Conflict.Side {
            Conflict.Side(value: revision.value, revision: revision.id.description, author: revision.author, device: revision.device,
                          time: revision.time, source: sources[revision.id.origin] ?? "unknown")
        }
        var result: [Conflict] = []
        for row in try connection.rows("""
            SELECT s.interview, s.field, string_agg(r.origin || ':' || r.counter, ' ')
            FROM split_field s JOIN revision r ON r.interview = s.interview AND r.field = s.field AND r.head
            WHERE s.conflict AND s.field <> '_note' GROUP BY s.interview, s.field ORDER BY s.interview, s.field
            """) {
            let heads = Writer.parseParents(try row[2].decode(String.self))
            let revisions = try connection.rows("SELECT \(Self.revisionColumns) FROM revision WHERE (origin, counter) IN (SELECT * FROM unnest($1::text[], $2::bigint[]))",
                                                try binds(heads.map(\.origin), heads.map(\.counter))).map(Self.revision)
            result.append(Conflict(interview: try row[0].decode(String.self), field: try row[1].decode(String.self),
                                   values: revisions.sorted { ($0.hlc, $0.id) < ($1.hlc, $1.id) }.map(side)))
        }
        // Approved, then edited without the approver seeing the edit: flagged on _status (as DataFile does).
        for row in try connection.rows("SELECT id FROM interview WHERE status = 'approved' ORDER BY id") {
            let interview = try row[0].decode(String.self)
            let current = try connection.rows("SELECT field, heads, value FROM current WHERE interview = $1", try binds(interview))
            let approval = try current.first { try $0[0].decode(String.self) == ReservedField.approved }.flatMap { try $0[2].decode(String?.self) }
            let heads = try current.map { (field: try $0[0].decode(String.self), heads: try $0[1].decode(String.self)) }
            guard let approval, approval != Approval.digest(heads) else { continue }
            result.append(Approval.editedSince(interview, history: try revisions(interview), side: side))
        }
        return result
    }

    public func duplicates() throws -> [DuplicateGroup] {
        var byKey: [String: [String]] = [:]
        try forEachInterview(status: nil, fields: try keyFields()) { summary, _ in
            guard let key = summary.key, summary.status != InterviewStatus.discarded.rawValue else { return }
            byKey[key, default: []].append(summary.id)
        }
        return byKey.filter { $0.value.count > 1 }.map { DuplicateGroup(key: $0.key, interviews: $0.value.sorted()) }.sorted { $0.key < $1.key }
    }

    public func mergeLog() throws -> [MergeLogEntry] {
        try connection.rows("SELECT source_id, path, sha256, time, new_interviews, new_revisions, changed_interviews FROM merge_log ORDER BY id").map { row in
            MergeLogEntry(sourceID: try row[0].decode(String.self), path: try row[1].decode(String.self), sha256: try row[2].decode(String.self),
                          time: try row[3].decode(String.self), newInterviews: try row[4].decode(Int.self), newRevisions: try row[5].decode(Int.self),
                          changedInterviews: try row[6].decode(Int.self))
        }
    }

    public func attachment(_ sha256: String) throws -> Data? {
        try connection.rows("SELECT data FROM attachment WHERE sha256 = $1", try binds(sha256)).first
            .map { Data(try Self.bytes($0[0])) }
    }

    public func forks() throws -> [Fork] {
        try connection.rows("SELECT origin, previous, first, last, reason, time, path, host FROM fork ORDER BY time, origin").map { row in
            Fork(origin: try row[0].decode(String.self), previous: try row[1].decode(String.self), first: try row[2].decode(Int64?.self),
                 last: try row[3].decode(Int64?.self), reason: try row[4].decode(String.self), time: try row[5].decode(String.self),
                 path: try row[6].decode(String.self), host: try row[7].decode(String.self))
        }
    }
}

/// Binds for a statement, each value as PostgreSQL takes it (nil as NULL).
func binds(_ values: (any PostgresThrowingDynamicTypeEncodable)?...) throws -> PostgresBindings {
    var bindings = PostgresBindings()
    for value in values {
        if let value { try bindings.append(value) } else { bindings.appendNull() }
    }
    return bindings
}
