import CanvassCore
import Foundation
import GRDB
import Synchronization

/// The data file's schema, as append-only migrations: never edit one once shipped; add another.
/// `user_version` is the number applied, so a file from a newer Canvass is recognised and refused.
enum Schema {
    /// 'CNVS': marks a SQLite file as ours (PRAGMA application_id).
    static let applicationID: Int32 = 0x434E_5653

    static let migrations: [String] = [
        """
        CREATE TABLE meta (
            key TEXT PRIMARY KEY NOT NULL,
            value TEXT NOT NULL
        ) WITHOUT ROWID;

        -- Every form definition the file's interviews use, as canonical JSON.
        CREATE TABLE form (
            sha256 TEXT PRIMARY KEY NOT NULL CHECK (length(sha256) = 64),
            form_id TEXT NOT NULL,
            version TEXT NOT NULL,
            definition TEXT NOT NULL,
            UNIQUE (form_id, version)
        ) WITHOUT ROWID;

        -- Facts fixed at creation; key, status and updated are derived from the revisions.
        CREATE TABLE interview (
            id TEXT PRIMARY KEY NOT NULL CHECK (length(id) BETWEEN 1 AND 100),
            form TEXT NOT NULL REFERENCES form(sha256),
            surveyor TEXT NOT NULL,
            device TEXT NOT NULL,
            created TEXT NOT NULL,
            -- 'prompt' (canvass interview) or 'bulk' (canvass record): the speed check needs it.
            mode TEXT NOT NULL CHECK (mode IN ('prompt', 'bulk')),
            key TEXT,
            status TEXT NOT NULL DEFAULT 'draft',
            updated TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX interview_key ON interview(key) WHERE key IS NOT NULL;

        -- The append-only log. Named by (origin, counter): see design.md §3.
        CREATE TABLE revision (
            origin TEXT NOT NULL,
            counter INTEGER NOT NULL CHECK (counter > 0),
            interview TEXT NOT NULL REFERENCES interview(id),
            field TEXT NOT NULL,
            value TEXT,
            author TEXT NOT NULL,
            device TEXT NOT NULL,
            hlc INTEGER NOT NULL,
            time TEXT NOT NULL,
            parents TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (origin, counter)
        ) WITHOUT ROWID;
        CREATE INDEX revision_field ON revision(interview, field);

        -- Derived from the log (rebuildable): each field's heads and, unless they disagree, its value.
        CREATE TABLE current (
            interview TEXT NOT NULL REFERENCES interview(id),
            field TEXT NOT NULL,
            value TEXT,
            heads TEXT NOT NULL,
            conflict INTEGER NOT NULL DEFAULT 0 CHECK (conflict IN (0, 1)),
            PRIMARY KEY (interview, field)
        ) WITHOUT ROWID;
        CREATE INDEX current_conflict ON current(interview) WHERE conflict = 1;
        """,
        """
        -- Provenance: every source merged into this file.
        CREATE TABLE merge_log (
            id INTEGER PRIMARY KEY,
            source_id TEXT NOT NULL,
            path TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            time TEXT NOT NULL,
            new_interviews INTEGER NOT NULL,
            new_revisions INTEGER NOT NULL,
            changed_interviews INTEGER NOT NULL
        );

        -- The version vector: the highest counter held from each origin, and the file it first came from
        -- (to show the source of a conflicting value). A merge skips, unread, everything at or below it.
        CREATE TABLE origin (
            origin TEXT PRIMARY KEY NOT NULL,
            counter INTEGER NOT NULL CHECK (counter >= 0),
            source TEXT NOT NULL
        ) WITHOUT ROWID;
        """,
        """
        -- `current` holds every field's heads, so the log needs no (interview, field) index: an
        -- interview's history is found by following parents back from its heads. Notes have no
        -- heads (none supersedes another); this finds them. Merging without the index writes a
        -- third fewer pages.
        DROP INDEX revision_field;
        CREATE INDEX revision_note ON revision(interview) WHERE field = '_note';
        """,
        """
        -- Each revision's link in its origin's hash chain (RevisionDigest): SHA-256 over the digest
        -- of the revision before it and its own content. A merge compares digests before it trusts
        -- a name. Filled for older rows by `Schema.fillDigests`.
        ALTER TABLE revision ADD COLUMN digest BLOB CHECK (digest IS NULL OR length(digest) = 32);

        -- Every new origin a file took, and why: it was copied, restored or cloned (nothing
        -- renamed), or a diverged copy's revisions previous:first...last were renamed origin:1...,
        -- digest being previous:first's before the rename (a file holding it holds the branch
        -- unrenamed). Merged, so a coordinator sees the forks of every file.
        CREATE TABLE fork (
            origin TEXT PRIMARY KEY NOT NULL,
            previous TEXT NOT NULL,
            first INTEGER,
            last INTEGER,
            digest BLOB CHECK (digest IS NULL OR length(digest) = 32),
            reason TEXT NOT NULL,
            time TEXT NOT NULL,
            path TEXT NOT NULL,
            host TEXT NOT NULL
        ) WITHOUT ROWID;

        -- Two definitions under one form id and version are both kept (FormLabels names them).
        CREATE TABLE form_v4 (
            sha256 TEXT PRIMARY KEY NOT NULL CHECK (length(sha256) = 64),
            form_id TEXT NOT NULL,
            version TEXT NOT NULL,
            definition TEXT NOT NULL
        ) WITHOUT ROWID;
        INSERT INTO form_v4 SELECT sha256, form_id, version, definition FROM form;
        DROP TABLE form;
        ALTER TABLE form_v4 RENAME TO form;
        CREATE INDEX form_version ON form(form_id, version);

        -- Definitions someone marked as differing in wording only: shown under one label.
        CREATE TABLE form_equivalent (
            sha256 TEXT NOT NULL REFERENCES form(sha256),
            same_as TEXT NOT NULL REFERENCES form(sha256),
            author TEXT NOT NULL,
            time TEXT NOT NULL,
            PRIMARY KEY (sha256, same_as),
            CHECK (sha256 < same_as)
        ) WITHOUT ROWID;
        """,
        """
        -- Two more ways in: 'key' (paper forms keyed by a clerk, canvass key) and 'kiosk'
        -- (respondents filling the form themselves, canvass interview --kiosk). A CHECK cannot be
        -- altered, so the table is made again.
        CREATE TABLE interview_v5 (
            id TEXT PRIMARY KEY NOT NULL CHECK (length(id) BETWEEN 1 AND 100),
            form TEXT NOT NULL REFERENCES form(sha256),
            surveyor TEXT NOT NULL,
            device TEXT NOT NULL,
            created TEXT NOT NULL,
            mode TEXT NOT NULL CHECK (mode IN ('prompt', 'bulk', 'key', 'kiosk')),
            key TEXT,
            status TEXT NOT NULL DEFAULT 'draft',
            updated TEXT NOT NULL
        ) WITHOUT ROWID;
        INSERT INTO interview_v5 SELECT id, form, surveyor, device, created, mode, key, status, updated FROM interview;
        DROP TABLE interview;
        ALTER TABLE interview_v5 RENAME TO interview;
        CREATE INDEX interview_key ON interview(key) WHERE key IS NOT NULL;
        """,
        """
        -- The files answered to image, audio, video and file questions, named by the SHA-256 of their
        -- bytes: an answer holds `<sha256>.<extension>`. A row never changes; merge unions them.
        -- (A rowid table: its rows are large.)
        CREATE TABLE attachment (
            sha256 TEXT PRIMARY KEY NOT NULL CHECK (length(sha256) = 64),
            data BLOB NOT NULL
        );
        """,
    ]

    static var version: Int { migrations.count }

    /// The schema objects (type, name → SQL) that `version` migrations create, read off an in-memory
    /// database: an untrusted file must have exactly these, so no hidden trigger or view runs.
    static func objects(version: Int) throws -> [String: String] {
        if let known = expectedObjects.withLock({ $0[version] }) { return known }
        let objects = try makeObjects(version: version)
        expectedObjects.withLock { $0[version] = objects }
        return objects
    }

    private static let expectedObjects = Mutex<[Int: [String: String]]>([:])

    private static func makeObjects(version: Int) throws -> [String: String] {
        let queue = try DatabaseQueue()
        return try queue.write { db in
            for sql in migrations.prefix(version) { try db.execute(sql: sql) }
            return try objects(db)
        }
    }

    static func objects(_ db: Database) throws -> [String: String] {
        var result: [String: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT type, name, sql FROM sqlite_master") {
            let sql: String? = row["sql"]
            result["\(row["type"] as String) \(row["name"] as String)"] = sql.map(normalize) ?? ""
        }
        return result
    }

    static func normalize(_ sql: String) -> String {
        sql.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// Applies the migrations a file lacks. Foreign keys must be off (schema 4 rebuilds `form`,
    /// which interviews refer to); they are checked before the caller commits.
    static func migrate(_ db: Database) throws {
        let current = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
        for (index, sql) in migrations.enumerated() where index >= current {
            try db.execute(sql: sql)
            if index == 3 { try fillDigests(db) }
            try db.execute(sql: "PRAGMA user_version = \(index + 1)")
        }
        try db.execute(sql: "PRAGMA application_id = \(applicationID)")
        if let problem = try Row.fetchOne(db, sql: "PRAGMA foreign_key_check") {
            throw StoreError.corrupt(path: db.description, detail: "a row of \(problem[0] as String) names a row that is missing")
        }
    }

    /// Schema 4: each origin's chain over the revisions a file already holds, in counter order,
    /// a chunk at a time (rows are not updated under a running read of their own table).
    static func fillDigests(_ db: Database) throws {
        let update = try db.makeStatement(sql: "UPDATE revision SET digest = ? WHERE origin = ? AND counter = ?")
        for origin in try DataFile.origins(db) {
            var previous = RevisionDigest.start, last: Int64 = 0
            while true {
                let chunk = try Row.fetchAll(db, sql: "SELECT * FROM revision WHERE origin = ? AND counter > ? ORDER BY counter LIMIT 10000",
                                             arguments: [origin, last]).map(DataFile.revision)
                guard !chunk.isEmpty else { break }
                for revision in chunk {
                    previous = RevisionDigest.of(revision, after: previous)
                    try update.execute(arguments: [Data(previous), origin, revision.id.counter])
                }
                last = chunk[chunk.count - 1].id.counter
            }
        }
    }
}
