/// The server's schema: the data file's tables in a `canvass` schema, the staging tables a push
/// copies into, and the two roles with row-level security by province. The functions that apply a
/// push are in `ServerFunctions.swift`. `canvass server init` runs it all; `canvass server sql`
/// prints it, for a database administrator who would rather read it first. Every statement may
/// run again, and a server made by an earlier version is brought up to this one.
///
/// Heads, conflicts, statuses and provinces are computed in SQL from the set of revisions, never
/// from the order pushes arrived in. Case keys are worked out by the reader, with the form
/// (`ServerStore`), so that a push never needs to read answers.
enum ServerSchema {
    static let version = 2

    static let tables: [String] = [
        "CREATE SCHEMA IF NOT EXISTS canvass",
        "CREATE TABLE IF NOT EXISTS canvass.meta (key text COLLATE \"C\" PRIMARY KEY, value text NOT NULL)",
        """
        CREATE TABLE IF NOT EXISTS canvass.form (
            sha256 text COLLATE "C" PRIMARY KEY CHECK (length(sha256) = 64),
            form_id text NOT NULL, version text NOT NULL, definition text NOT NULL)
        """,
        """
        CREATE TABLE IF NOT EXISTS canvass.form_equivalent (
            sha256 text COLLATE "C" NOT NULL REFERENCES canvass.form, same_as text COLLATE "C" NOT NULL REFERENCES canvass.form,
            author text NOT NULL, time text NOT NULL, PRIMARY KEY (sha256, same_as), CHECK (sha256 < same_as))
        """,
        """
        CREATE TABLE IF NOT EXISTS canvass.interview (
            id text COLLATE "C" PRIMARY KEY, form text COLLATE "C" NOT NULL REFERENCES canvass.form,
            surveyor text NOT NULL, device text NOT NULL, created text NOT NULL, mode text NOT NULL,
            status text NOT NULL, updated text NOT NULL,
            -- The answers to a field named province in its heads (docs/server.md): what row-level
            -- security keys on. Two while it is in conflict, so both provinces see the conflict.
            province text[])
        """,
        // Servers made before: one province, none while in conflict.
        """
        DO $$ BEGIN
            IF (SELECT data_type FROM information_schema.columns
                WHERE table_schema = 'canvass' AND table_name = 'interview' AND column_name = 'province') = 'text' THEN
                DROP POLICY IF EXISTS by_province ON canvass.interview;
                ALTER TABLE canvass.interview ALTER COLUMN province TYPE text[] USING CASE WHEN province IS NULL THEN NULL ELSE ARRAY[province] END;
            END IF;
        END $$
        """,
        // Servers made before version 2 kept the log in a plain table: it is moved aside here,
        // and its rows into the log below (`migration`).
        """
        DO $$ BEGIN
            IF (SELECT relkind FROM pg_class WHERE oid = to_regclass('canvass.revision')) = 'r' THEN
                ALTER TABLE canvass.revision RENAME TO revision_version_1;
                ALTER INDEX canvass.revision_pkey RENAME TO revision_version_1_pkey;
                ALTER INDEX canvass.revision_field RENAME TO revision_version_1_field;
            END IF;
        END $$
        """,
        // The log. Readers read this table, under row-level security; pushers write its one
        // partition, `revision_log`, with COPY, which PostgreSQL refuses on a table under
        // row-level security, and may not read it. No foreign key to interview: a key check per
        // row was a third of a push; the trigger on the log checks each interview once.
        """
        CREATE TABLE IF NOT EXISTS canvass.revision (
            origin text COLLATE "C" NOT NULL, counter bigint NOT NULL CHECK (counter > 0),
            interview text COLLATE "C" NOT NULL,
            field text COLLATE "C" NOT NULL, value text, author text NOT NULL, device text NOT NULL,
            hlc bigint NOT NULL, time text NOT NULL, parents text COLLATE "C" NOT NULL,
            digest bytea NOT NULL CHECK (length(digest) = 32),
            -- No other revision of its field names it as a parent (kept by canvass.revisions_added).
            head boolean NOT NULL DEFAULT true,
            PRIMARY KEY (origin, counter)) PARTITION BY HASH (origin)
        """,
        "CREATE TABLE IF NOT EXISTS canvass.revision_log PARTITION OF canvass.revision FOR VALUES WITH (MODULUS 1, REMAINDER 0)",
        "CREATE INDEX IF NOT EXISTS revision_field ON canvass.revision (interview, field)",
        // The fields whose history split: two heads or more, in conflict when they hold different
        // values. Every other field has one head, which `current` reads without grouping.
        """
        CREATE TABLE IF NOT EXISTS canvass.split_field (
            interview text COLLATE "C" NOT NULL, field text COLLATE "C" NOT NULL, conflict boolean NOT NULL,
            PRIMARY KEY (interview, field))
        """,
        "CREATE INDEX IF NOT EXISTS split_field_conflict ON canvass.split_field (interview) WHERE conflict",
        """
        DO $$ BEGIN
            IF to_regclass('canvass.revision_version_1') IS NOT NULL THEN
                INSERT INTO canvass.revision_log (origin, counter, interview, field, value, author, device, hlc, time, parents, digest)
                    SELECT origin, counter, interview, field, value, author, device, hlc, time, parents, digest FROM canvass.revision_version_1;
                UPDATE canvass.revision_log r SET head = false FROM (
                    SELECT DISTINCT c.interview, c.field, p FROM canvass.revision_log c, unnest(string_to_array(NULLIF(c.parents, ''), ' ')) p) s
                    WHERE r.interview = s.interview AND r.field = s.field AND r.origin || ':' || r.counter = s.p;
                DROP TABLE canvass.revision_version_1;
            END IF;
            IF (SELECT relkind FROM pg_class WHERE oid = to_regclass('canvass.current')) = 'r' THEN
                INSERT INTO canvass.split_field SELECT interview, field, conflict FROM canvass.current WHERE heads LIKE '% %' ON CONFLICT DO NOTHING;
                DROP TABLE canvass.current;
            END IF;
            DROP FUNCTION IF EXISTS canvass.heads_of(canvass.head[]);
            DROP TYPE IF EXISTS canvass.head;
        END $$
        """,
        // Each field's heads, its value (none while they disagree) and whether they disagree.
        // Read with the reader's rights, so row-level security on the log applies.
        """
        CREATE OR REPLACE VIEW canvass.current WITH (security_invoker = true) AS
            SELECT r.interview, r.field, r.value, r.origin || ':' || r.counter AS heads, false AS conflict
            FROM canvass.revision r
            WHERE r.head AND r.field <> '_note'
                AND NOT EXISTS (SELECT 1 FROM canvass.split_field s WHERE s.interview = r.interview AND s.field = r.field)
            UNION ALL
            SELECT s.interview, s.field, CASE WHEN s.conflict THEN NULL ELSE h.value END, h.heads, s.conflict
            FROM canvass.split_field s CROSS JOIN LATERAL (
                SELECT min(r.value) AS value, string_agg(r.origin || ':' || r.counter, ' ' ORDER BY r.origin, r.counter) AS heads
                FROM canvass.revision r WHERE r.interview = s.interview AND r.field = s.field AND r.head) h
            WHERE s.field <> '_note'
        """,
        """
        CREATE TABLE IF NOT EXISTS canvass.origin (
            origin text COLLATE "C" PRIMARY KEY, counter bigint NOT NULL CHECK (counter >= 0), source text NOT NULL)
        """,
        """
        CREATE TABLE IF NOT EXISTS canvass.fork (
            origin text COLLATE "C" PRIMARY KEY, previous text COLLATE "C" NOT NULL, first bigint, last bigint,
            digest bytea CHECK (digest IS NULL OR length(digest) = 32),
            reason text NOT NULL, time text NOT NULL, path text NOT NULL, host text NOT NULL)
        """,
        """
        CREATE TABLE IF NOT EXISTS canvass.merge_log (
            id bigserial PRIMARY KEY, source_id text NOT NULL, path text NOT NULL, sha256 text NOT NULL, time text NOT NULL,
            new_interviews integer NOT NULL, new_revisions integer NOT NULL, changed_interviews integer NOT NULL,
            pushed_by text NOT NULL DEFAULT session_user)
        """,
        // Answered files by the SHA-256 of their bytes, and the interviews whose answers name
        // them: a reader sees a file when it sees an interview that answered it.
        """
        CREATE TABLE IF NOT EXISTS canvass.attachment (
            sha256 text COLLATE "C" PRIMARY KEY CHECK (length(sha256) = 64), data bytea NOT NULL)
        """,
        """
        CREATE TABLE IF NOT EXISTS canvass.attachment_use (
            sha256 text COLLATE "C" NOT NULL, interview text COLLATE "C" NOT NULL, PRIMARY KEY (sha256, interview))
        """,
        "CREATE INDEX IF NOT EXISTS attachment_use_interview ON canvass.attachment_use (interview)",
        // Which provinces a reading role sees ('*': all). A role not listed sees none.
        """
        CREATE TABLE IF NOT EXISTS canvass.coordinator (
            role name NOT NULL, province text NOT NULL, PRIMARY KEY (role, province))
        """,
    ]

    /// What a push copies in besides the revisions (which go straight into the log), and what
    /// the functions keep between the steps of applying one source: temporary tables of the
    /// pushing session (never shared, so never bloated by other pushes' rows), emptied after each
    /// source. They belong to the functions' owner (`canvass.prepare_staging` makes them), never to
    /// the pusher: the functions run as the owner, and a relation the pusher owned (a view, a
    /// policy) would run the pusher's code as it.
    static let staging: [String] = [
        """
        CREATE TEMP TABLE IF NOT EXISTS stage_interview (
            id text COLLATE "C" NOT NULL, form text COLLATE "C" NOT NULL, surveyor text NOT NULL, device text NOT NULL,
            created text NOT NULL, mode text NOT NULL)
        """,
        "CREATE TEMP TABLE IF NOT EXISTS stage_form (sha256 text COLLATE \"C\" NOT NULL, form_id text NOT NULL, version text NOT NULL, definition text NOT NULL)",
        "CREATE TEMP TABLE IF NOT EXISTS stage_equivalent (sha256 text COLLATE \"C\" NOT NULL, same_as text COLLATE \"C\" NOT NULL, author text NOT NULL, time text NOT NULL)",
        """
        CREATE TEMP TABLE IF NOT EXISTS stage_fork (
            origin text COLLATE "C" NOT NULL, previous text COLLATE "C" NOT NULL, first bigint, last bigint, digest bytea,
            reason text NOT NULL, time text NOT NULL, path text NOT NULL, host text NOT NULL)
        """,
        // The digests the source holds for names the server holds too (`Agreement`), and the
        // branches it renamed (`Rename`): `apply_begin` checks both against the server.
        "CREATE TEMP TABLE IF NOT EXISTS stage_agreement (origin text COLLATE \"C\" NOT NULL, counter bigint NOT NULL, digest bytea NOT NULL, renamed_as text COLLATE \"C\")",
        "CREATE TEMP TABLE IF NOT EXISTS stage_origin (origin text COLLATE \"C\" NOT NULL, counter bigint NOT NULL, source text NOT NULL)",
        "CREATE TEMP TABLE IF NOT EXISTS stage_attachment (sha256 text COLLATE \"C\" NOT NULL, data bytea NOT NULL)",
        // The functions' own, which the pusher may not touch: the interviews new to the server
        // (whose fields have no revision but those of this push), the interviews whose heads
        // changed, the answered files the new revisions name, and the counts for the report.
        "CREATE TEMP TABLE IF NOT EXISTS apply_fresh (id text COLLATE \"C\" PRIMARY KEY)",
        "CREATE TEMP TABLE IF NOT EXISTS apply_changed (id text COLLATE \"C\" PRIMARY KEY)",
        "CREATE TEMP TABLE IF NOT EXISTS apply_named (sha256 text COLLATE \"C\" NOT NULL, interview text COLLATE \"C\" NOT NULL, PRIMARY KEY (sha256, interview))",
        "CREATE TEMP TABLE IF NOT EXISTS apply_tally (new_interviews integer NOT NULL, new_revisions integer NOT NULL, other integer NOT NULL)",
        // What the trigger learns of each interview in one pass over the rows a statement wrote.
        """
        CREATE TEMP TABLE IF NOT EXISTS apply_touched (
            interview text COLLATE "C" PRIMARY KEY, newest text NOT NULL, written integer NOT NULL, distinct_fields integer NOT NULL,
            parented boolean NOT NULL, status text, province text[] NOT NULL, media boolean NOT NULL, fresh boolean NOT NULL DEFAULT false)
        """,
    ]

    /// The tables the pusher fills and empties.
    static let stagingNames = ["stage_interview", "stage_form", "stage_equivalent", "stage_fork", "stage_agreement", "stage_origin", "stage_attachment"]

    /// Every temporary table `prepare_staging` makes.
    static let temporaryNames = stagingNames + ["apply_fresh", "apply_changed", "apply_named", "apply_tally", "apply_touched"]

    /// The log's columns a pusher writes (never `head`, which the trigger keeps).
    static let revisionColumns = ["origin", "counter", "interview", "field", "value", "author", "device", "hlc", "time", "parents", "digest"]

    /// The two roles, and row-level security by province for readers.
    static let roles: [String] = [
        "DO $$ BEGIN CREATE ROLE canvass_push NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$",
        "DO $$ BEGIN CREATE ROLE canvass_read NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$",
        "REVOKE ALL ON ALL TABLES IN SCHEMA canvass FROM PUBLIC",
        """
        REVOKE ALL ON FUNCTION canvass.apply_begin(), canvass.apply(text, text, text, text), canvass.digests(text[], bigint[]),
            canvass.prepare_staging(), canvass.attachment_names(), canvass.check_staging(), canvass.revisions_added() FROM PUBLIC
        """,
        "GRANT USAGE ON SCHEMA canvass TO canvass_push, canvass_read",
        // A push reads the version vector and what it must know to check a source (forms,
        // forks, equivalences) and which answered files the server holds (by name only), copies
        // into the staging tables the owner makes for it and into the log, and applies.
        "GRANT SELECT ON canvass.origin, canvass.form, canvass.fork, canvass.form_equivalent, canvass.meta TO canvass_push",
        "GRANT INSERT (\(revisionColumns.joined(separator: ", "))) ON canvass.revision_log TO canvass_push",
        """
        GRANT EXECUTE ON FUNCTION canvass.apply_begin(), canvass.apply(text, text, text, text), canvass.digests(text[], bigint[]),
            canvass.prepare_staging(), canvass.attachment_names() TO canvass_push
        """,
        // Earlier servers let pushers read the names column under a policy that, for a role that
        // also reads, showed every file's bytes.
        "REVOKE ALL ON canvass.attachment FROM canvass_push",
        """
        GRANT SELECT ON canvass.meta, canvass.form, canvass.form_equivalent, canvass.interview, canvass.revision, canvass.current,
            canvass.split_field, canvass.origin, canvass.fork, canvass.merge_log, canvass.coordinator, canvass.attachment, canvass.attachment_use
            TO canvass_read
        """,
        "ALTER TABLE canvass.interview ENABLE ROW LEVEL SECURITY",
        "ALTER TABLE canvass.revision ENABLE ROW LEVEL SECURITY",
        "ALTER TABLE canvass.split_field ENABLE ROW LEVEL SECURITY",
        "DROP POLICY IF EXISTS by_province ON canvass.interview",
        """
        CREATE POLICY by_province ON canvass.interview FOR SELECT TO canvass_read USING (EXISTS (
            SELECT 1 FROM canvass.coordinator c WHERE c.role = current_user AND (c.province = '*' OR c.province = ANY(interview.province))))
        """,
        "DROP POLICY IF EXISTS by_interview ON canvass.revision",
        "CREATE POLICY by_interview ON canvass.revision FOR SELECT TO canvass_read USING (EXISTS (SELECT 1 FROM canvass.interview i WHERE i.id = revision.interview))",
        "DROP POLICY IF EXISTS by_interview ON canvass.split_field",
        "CREATE POLICY by_interview ON canvass.split_field FOR SELECT TO canvass_read USING (EXISTS (SELECT 1 FROM canvass.interview i WHERE i.id = split_field.interview))",
        "ALTER TABLE canvass.attachment ENABLE ROW LEVEL SECURITY",
        "ALTER TABLE canvass.attachment_use ENABLE ROW LEVEL SECURITY",
        "DROP POLICY IF EXISTS by_name ON canvass.attachment",
        "DROP POLICY IF EXISTS by_interview ON canvass.attachment",
        """
        CREATE POLICY by_interview ON canvass.attachment FOR SELECT TO canvass_read USING (EXISTS (
            SELECT 1 FROM canvass.attachment_use u JOIN canvass.interview i ON i.id = u.interview WHERE u.sha256 = attachment.sha256))
        """,
        "DROP POLICY IF EXISTS by_interview ON canvass.attachment_use",
        "CREATE POLICY by_interview ON canvass.attachment_use FOR SELECT TO canvass_read USING (EXISTS (SELECT 1 FROM canvass.interview i WHERE i.id = attachment_use.interview))",
    ]

    /// Every statement, in order.
    static var all: [String] { tables + ServerFunctions.all + roles + meta }

    /// The server's identity, made once, and the schema it now has.
    static var meta: [String] {
        ["INSERT INTO canvass.meta (key, value) VALUES ('file_id', gen_random_uuid()::text) ON CONFLICT DO NOTHING",
         "INSERT INTO canvass.meta (key, value) VALUES ('schema', '\(version)') ON CONFLICT (key) DO UPDATE SET value = excluded.value"]
    }

    /// For `canvass server sql`.
    static var script: String { all.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) + ";" }.joined(separator: "\n\n") + "\n" }
}
