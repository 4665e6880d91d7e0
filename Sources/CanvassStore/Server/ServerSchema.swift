/// The server's schema: the data file's tables in a `canvass` schema, the staging tables a push
/// copies into, the functions that apply a push and tell digests, and the two roles with row-level
/// security by province. `canvass server init` runs it; `canvass server sql` prints it, for a
/// database administrator who would rather read it first. Every statement may run again.
///
/// Heads, conflicts, statuses and provinces are computed in SQL from the set of revisions
/// (`apply`), never from the order pushes arrived in. Case keys are worked out by the reader, with
/// the form (`ServerStore`), so that a push never needs to read answers.
enum ServerSchema {
    static let version = 1

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
        // No foreign keys from revision and current to interview: `apply` inserts a source's
        // interviews before their revisions, and the check refuses a revision naming an interview
        // its file lacks, as a merge into a file does. A key check per row was a third of a push.
        """
        CREATE TABLE IF NOT EXISTS canvass.revision (
            origin text COLLATE "C" NOT NULL, counter bigint NOT NULL CHECK (counter > 0),
            interview text COLLATE "C" NOT NULL,
            field text COLLATE "C" NOT NULL, value text, author text NOT NULL, device text NOT NULL,
            hlc bigint NOT NULL, time text NOT NULL, parents text COLLATE "C" NOT NULL,
            digest bytea NOT NULL CHECK (length(digest) = 32),
            PRIMARY KEY (origin, counter))
        """,
        "CREATE INDEX IF NOT EXISTS revision_field ON canvass.revision (interview, field)",
        """
        CREATE TABLE IF NOT EXISTS canvass.current (
            interview text COLLATE "C" NOT NULL, field text COLLATE "C" NOT NULL,
            value text, heads text COLLATE "C" NOT NULL, conflict boolean NOT NULL, PRIMARY KEY (interview, field))
        """,
        "CREATE INDEX IF NOT EXISTS current_conflict ON canvass.current (interview) WHERE conflict",
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

    /// What a push copies in: temporary tables of the pushing session (never shared, so never
    /// bloated by other pushes' rows), emptied after each source. They belong to the functions'
    /// owner (`canvass.prepare_staging` makes them), never to the pusher: `apply` runs as the
    /// owner, and a relation the pusher owned (a view, a policy) would run the pusher's code as it.
    static let staging: [String] = [
        """
        CREATE TEMP TABLE IF NOT EXISTS stage_revision (
            origin text COLLATE "C" NOT NULL, counter bigint NOT NULL, interview text COLLATE "C" NOT NULL,
            field text COLLATE "C" NOT NULL, value text, author text NOT NULL, device text NOT NULL, hlc bigint NOT NULL,
            time text NOT NULL, parents text COLLATE "C" NOT NULL, digest bytea NOT NULL)
        """,
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
        // branches it renamed (`Rename`): `apply` checks both against the server.
        "CREATE TEMP TABLE IF NOT EXISTS stage_agreement (origin text COLLATE \"C\" NOT NULL, counter bigint NOT NULL, digest bytea NOT NULL, renamed_as text COLLATE \"C\")",
        "CREATE TEMP TABLE IF NOT EXISTS stage_origin (origin text COLLATE \"C\" NOT NULL, counter bigint NOT NULL, source text NOT NULL)",
        "CREATE TEMP TABLE IF NOT EXISTS stage_attachment (sha256 text COLLATE \"C\" NOT NULL, data bytea NOT NULL)",
    ]

    static let stagingNames = ["stage_revision", "stage_interview", "stage_form", "stage_equivalent", "stage_fork", "stage_agreement", "stage_origin", "stage_attachment"]

    /// Makes this session's staging tables as the functions' owner, and lets the session's user
    /// fill and empty them. A relation of that name the user made first is refused.
    static var prepareStaging: String {
        let creates = staging.map { "EXECUTE $sql$\($0)$sql$;" }.joined(separator: "\n        ")
        return """
            CREATE OR REPLACE FUNCTION canvass.prepare_staging() RETURNS void
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = canvass, pg_temp AS $body$
            BEGIN
                IF EXISTS (SELECT 1 FROM pg_class c WHERE c.relnamespace = pg_my_temp_schema() AND c.relname = ANY(\(stagingArray))
                           AND (c.relkind <> 'r' OR c.relowner <> (SELECT oid FROM pg_roles WHERE rolname = current_user))) THEN
                    RAISE EXCEPTION 'a temporary relation named like a staging table exists that canvass did not make; push from a new connection';
                END IF;
                \(creates)
                EXECUTE format('GRANT INSERT, TRUNCATE ON \(stagingNames.joined(separator: ", ")) TO %I', session_user);
            END
            $body$
            """
    }

    static var stagingArray: String { "ARRAY[" + stagingNames.map { "'\($0)'" }.joined(separator: ", ") + "]" }

    /// Applies one staged source. Runs as its owner, so a pushing role needs no right to read
    /// answers. One push at a time (an advisory lock): heads depend on every revision of a field,
    /// and two pushes computing them apart would each miss the other's.
    static var apply: String { #"""
        CREATE OR REPLACE FUNCTION canvass.apply(source_id text, source_path text, source_sha256 text, at text,
                                                 OUT new_interviews integer, OUT new_revisions integer, OUT changed_interviews integer)
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = canvass, pg_temp AS $body$
        DECLARE
            bad record;
            added integer;
            other integer := 0;  -- forms, equivalences, forks and answered files new to the server
        BEGIN
            PERFORM pg_advisory_xact_lock(hashtext('canvass.apply'));
            -- What follows reads the staging tables as the owner: they must be the owner's own.
            IF (SELECT count(*) FROM pg_class c WHERE c.relnamespace = pg_my_temp_schema() AND c.relname = ANY(\#(stagingArray))
                AND c.relkind = 'r' AND c.relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)) <> \#(stagingNames.count) THEN
                RAISE EXCEPTION 'the staging tables are not the ones canvass.prepare_staging made';
            END IF;
            -- A name the server holds must mean the same revision in the source.
            SELECT a.origin, a.counter INTO bad FROM stage_agreement a JOIN revision r USING (origin, counter)
                WHERE a.renamed_as IS NULL AND r.digest <> a.digest LIMIT 1;
            IF NOT FOUND THEN
                SELECT s.origin, s.counter INTO bad FROM stage_revision s JOIN revision r USING (origin, counter)
                    WHERE r.digest <> s.digest LIMIT 1;
            END IF;
            IF FOUND THEN
                RAISE EXCEPTION USING ERRCODE = 'CV001', MESSAGE = 'diverged', DETAIL = bad.origin || ':' || bad.counter;
            END IF;
            -- A branch the source renamed must not be here under its old names.
            SELECT a.origin, a.counter, a.renamed_as INTO bad FROM stage_agreement a JOIN revision r USING (origin, counter)
                WHERE a.renamed_as IS NOT NULL AND r.digest = a.digest LIMIT 1;
            IF FOUND THEN
                RAISE EXCEPTION USING ERRCODE = 'CV002', MESSAGE = 'renamed', DETAIL = bad.origin || ':' || bad.counter || ' ' || bad.renamed_as;
            END IF;
            -- Interview facts never change: the same id with other facts is two files that disagree.
            SELECT s.id INTO bad FROM stage_interview s JOIN interview i USING (id)
                WHERE (i.form, i.surveyor, i.device, i.mode, i.created) IS DISTINCT FROM (s.form, s.surveyor, s.device, s.mode, s.created) LIMIT 1;
            IF FOUND THEN
                RAISE EXCEPTION USING ERRCODE = 'CV003', MESSAGE = 'facts', DETAIL = bad.id;
            END IF;

            -- Interviews new to the server: all their revisions are staged, so their heads come
            -- from the staged rows alone, and go in without looking for rows to update.
            DROP TABLE IF EXISTS apply_fresh;
            CREATE TEMP TABLE apply_fresh AS
                SELECT id FROM stage_interview s WHERE NOT EXISTS (SELECT 1 FROM interview i WHERE i.id = s.id);
            ALTER TABLE apply_fresh ADD PRIMARY KEY (id);
            -- The fields of interviews the server had, which the source touches.
            DROP TABLE IF EXISTS apply_touched;
            CREATE TEMP TABLE apply_touched AS
                SELECT DISTINCT interview, field FROM stage_revision s
                WHERE field <> '_note' AND NOT EXISTS (SELECT 1 FROM apply_fresh f WHERE f.id = s.interview);
            ANALYZE apply_fresh, apply_touched;

            INSERT INTO form SELECT sha256, form_id, version, definition FROM stage_form ON CONFLICT DO NOTHING;
            GET DIAGNOSTICS added = ROW_COUNT; other := other + added;
            INSERT INTO form_equivalent SELECT sha256, same_as, author, time FROM stage_equivalent ON CONFLICT DO NOTHING;
            GET DIAGNOSTICS added = ROW_COUNT; other := other + added;
            INSERT INTO fork SELECT origin, previous, first, last, digest, reason, time, path, host FROM stage_fork
                ON CONFLICT DO NOTHING;
            GET DIAGNOSTICS added = ROW_COUNT; other := other + added;
            INSERT INTO interview (id, form, surveyor, device, created, mode, status, updated)
                SELECT s.id, s.form, s.surveyor, s.device, s.created, s.mode, 'draft', s.created FROM stage_interview s JOIN apply_fresh USING (id);
            GET DIAGNOSTICS new_interviews = ROW_COUNT;
            -- Rows the server holds already were checked above to be the same: they are skipped.
            -- The anti-join skips them cheaply; ON CONFLICT keeps a second push of a name a no-op
            -- even if pushes ever stop applying one at a time.
            INSERT INTO revision SELECT s.origin, s.counter, s.interview, s.field, s.value, s.author, s.device, s.hlc, s.time, s.parents, s.digest
                FROM stage_revision s WHERE NOT EXISTS (SELECT 1 FROM revision r WHERE r.origin = s.origin AND r.counter = s.counter)
                ON CONFLICT DO NOTHING;
            GET DIAGNOSTICS new_revisions = ROW_COUNT;

            -- Answered files must be the bytes their names say; an answer naming one is a use of it.
            SELECT a.sha256 INTO bad FROM stage_attachment a WHERE encode(sha256(a.data), 'hex') <> a.sha256 LIMIT 1;
            IF FOUND THEN
                RAISE EXCEPTION USING ERRCODE = 'CV004', MESSAGE = 'attachment', DETAIL = bad.sha256;
            END IF;
            INSERT INTO attachment SELECT sha256, data FROM stage_attachment ON CONFLICT DO NOTHING;
            GET DIAGNOSTICS added = ROW_COUNT; other := other + added;
            -- Only for files whose bytes came with this push: naming a file's hash is not holding it.
            INSERT INTO attachment_use SELECT DISTINCT left(s.value, 64), s.interview FROM stage_revision s
                WHERE length(s.value) BETWEEN 64 AND 81 AND s.value ~ '^[0-9a-f]{64}(\.[0-9a-z]{1,16})?$'
                    AND EXISTS (SELECT 1 FROM stage_attachment a WHERE a.sha256 = left(s.value, 64))
                ON CONFLICT DO NOTHING;

            -- Heads of every field touched, from all of its revisions: those no other revision of
            -- the field names as a parent. Equal values are one value.
            INSERT INTO current (interview, field, value, heads, conflict)
                WITH revisions AS (SELECT s.origin, s.counter, s.interview, s.field, s.value, s.parents
                    FROM stage_revision s JOIN apply_fresh f ON f.id = s.interview WHERE s.field <> '_note')
                SELECT * FROM canvass.heads_of(ARRAY(SELECT row(origin, counter, interview, field, value, parents)::canvass.head FROM revisions));
            -- An interview the server had is changed when the heads of a field of it are.
            WITH revisions AS (SELECT r.origin, r.counter, r.interview, r.field, r.value, r.parents
                    FROM apply_touched t JOIN revision r ON r.interview = t.interview AND r.field = t.field),
                changed AS (INSERT INTO current (interview, field, value, heads, conflict)
                    SELECT * FROM canvass.heads_of(ARRAY(SELECT row(origin, counter, interview, field, value, parents)::canvass.head FROM revisions))
                    ON CONFLICT (interview, field) DO UPDATE SET value = excluded.value, heads = excluded.heads, conflict = excluded.conflict
                    WHERE current.heads IS DISTINCT FROM excluded.heads
                    RETURNING current.interview)
            SELECT count(DISTINCT interview) INTO changed_interviews FROM changed;

            -- Derived from the current state: the latest status head, the newest change, the province.
            UPDATE interview i SET
                status = coalesce(derived.status, 'draft'),
                updated = greatest(i.updated, derived.newest),
                province = derived.province
            FROM (
                SELECT t.interview, t.newest,
                    (SELECT r.value FROM current c CROSS JOIN LATERAL unnest(string_to_array(c.heads, ' ')) h
                        JOIN revision r ON r.origin = split_part(h, ':', 1) AND r.counter = split_part(h, ':', 2)::bigint
                        WHERE c.interview = t.interview AND c.field = '_status'
                        ORDER BY r.hlc DESC, r.origin DESC, r.counter DESC LIMIT 1) AS status,
                    ARRAY(SELECT DISTINCT r.value FROM current c CROSS JOIN LATERAL unnest(string_to_array(c.heads, ' ')) h
                        JOIN revision r ON r.origin = split_part(h, ':', 1) AND r.counter = split_part(h, ':', 2)::bigint
                        WHERE c.interview = t.interview AND c.field = 'province' AND r.value IS NOT NULL ORDER BY 1) AS province
                FROM (SELECT interview, max(time) AS newest FROM stage_revision GROUP BY interview) t) derived
            WHERE i.id = derived.interview;
            DROP TABLE apply_touched, apply_fresh;

            -- The version vector; the source of an origin is the file that wrote it, once merged itself.
            INSERT INTO origin SELECT origin, counter, source FROM stage_origin
                ON CONFLICT (origin) DO UPDATE SET counter = greatest(origin.counter, excluded.counter),
                    source = CASE WHEN excluded.source NOT LIKE 'via %' THEN excluded.source ELSE origin.source END;
            -- A source that brought nothing new (a replay checked against an older vector) is not a merge.
            IF new_interviews + new_revisions + changed_interviews + other > 0 THEN
                INSERT INTO merge_log (source_id, path, sha256, time, new_interviews, new_revisions, changed_interviews)
                    VALUES (source_id, source_path, source_sha256, at, new_interviews, new_revisions, changed_interviews);
            END IF;

        END
        $body$
        """# }

    /// The heads of each field among the revisions given (all of a field's): those no other of
    /// the field names as a parent; equal values are one value, else a conflict.
    static let heads: [String] = [
        "DO $$ BEGIN CREATE TYPE canvass.head AS (origin text, counter bigint, interview text, field text, value text, parents text); EXCEPTION WHEN duplicate_object THEN NULL; END $$",
        #"""
        CREATE OR REPLACE FUNCTION canvass.heads_of(revisions canvass.head[])
        RETURNS TABLE (interview text, field text, value text, heads text, conflict boolean)
        LANGUAGE sql IMMUTABLE AS $body$
            WITH revisions AS MATERIALIZED (SELECT * FROM unnest(revisions)),
            superseded AS MATERIALIZED (
                SELECT DISTINCT r.interview, r.field, p FROM revisions r, unnest(string_to_array(NULLIF(r.parents, ''), ' ')) p),
            heads AS (SELECT r.* FROM revisions r
                WHERE NOT EXISTS (SELECT 1 FROM superseded x WHERE x.interview = r.interview AND x.field = r.field AND x.p = r.origin || ':' || r.counter))
            SELECT interview, field,
                CASE WHEN count(DISTINCT CASE WHEN value IS NULL THEN 'n' ELSE 'v' || value END) > 1 THEN NULL ELSE min(value) END,
                string_agg(origin || ':' || counter, ' ' ORDER BY origin COLLATE "C", counter),
                count(DISTINCT CASE WHEN value IS NULL THEN 'n' ELSE 'v' || value END) > 1
            FROM heads GROUP BY interview, field
        $body$
        """#,
    ]

    /// Which answered files the server holds, by name, for a pushing role that may read no file.
    static let attachmentNames = """
        CREATE OR REPLACE FUNCTION canvass.attachment_names() RETURNS SETOF text
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = canvass, pg_temp AS $body$ SELECT sha256 FROM attachment $body$
        """

    /// The digests of named revisions, for a pushing role to find where a source diverged
    /// without reading any answer.
    static let digests = #"""
        CREATE OR REPLACE FUNCTION canvass.digests(origins text[], counters bigint[])
        RETURNS TABLE (origin text, counter bigint, digest bytea)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = canvass, pg_temp AS $body$
            SELECT r.origin, r.counter, r.digest FROM revision r
            JOIN unnest(origins, counters) AS wanted(origin, counter) ON r.origin = wanted.origin AND r.counter = wanted.counter
        $body$
        """#

    /// The two roles, and row-level security by province for readers.
    static let roles: [String] = [
        "DO $$ BEGIN CREATE ROLE canvass_push NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$",
        "DO $$ BEGIN CREATE ROLE canvass_read NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$",
        "REVOKE ALL ON ALL TABLES IN SCHEMA canvass FROM PUBLIC",
        "REVOKE ALL ON FUNCTION canvass.apply(text, text, text, text), canvass.digests(text[], bigint[]), canvass.prepare_staging(), canvass.attachment_names() FROM PUBLIC",
        "GRANT USAGE ON SCHEMA canvass TO canvass_push, canvass_read",
        // A push reads the version vector and what it must know to check a source (forms,
        // forks, equivalences) and which answered files the server holds (by name only), copies
        // into the staging tables the owner makes for it, and applies.
        "GRANT SELECT ON canvass.origin, canvass.form, canvass.fork, canvass.form_equivalent, canvass.meta TO canvass_push",
        """
        GRANT EXECUTE ON FUNCTION canvass.apply(text, text, text, text), canvass.digests(text[], bigint[]), canvass.prepare_staging(),
            canvass.attachment_names() TO canvass_push
        """,
        // Earlier servers let pushers read the names column under a policy that, for a role that
        // also reads, showed every file's bytes.
        "REVOKE ALL ON canvass.attachment FROM canvass_push",
        """
        GRANT SELECT ON canvass.meta, canvass.form, canvass.form_equivalent, canvass.interview, canvass.revision, canvass.current,
            canvass.origin, canvass.fork, canvass.merge_log, canvass.coordinator, canvass.attachment, canvass.attachment_use TO canvass_read
        """,
        "ALTER TABLE canvass.interview ENABLE ROW LEVEL SECURITY",
        "ALTER TABLE canvass.revision ENABLE ROW LEVEL SECURITY",
        "ALTER TABLE canvass.current ENABLE ROW LEVEL SECURITY",
        "DROP POLICY IF EXISTS by_province ON canvass.interview",
        """
        CREATE POLICY by_province ON canvass.interview FOR SELECT TO canvass_read USING (EXISTS (
            SELECT 1 FROM canvass.coordinator c WHERE c.role = current_user AND (c.province = '*' OR c.province = ANY(interview.province))))
        """,
        "DROP POLICY IF EXISTS by_interview ON canvass.revision",
        "CREATE POLICY by_interview ON canvass.revision FOR SELECT TO canvass_read USING (EXISTS (SELECT 1 FROM canvass.interview i WHERE i.id = revision.interview))",
        "DROP POLICY IF EXISTS by_interview ON canvass.current",
        "CREATE POLICY by_interview ON canvass.current FOR SELECT TO canvass_read USING (EXISTS (SELECT 1 FROM canvass.interview i WHERE i.id = current.interview))",
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
    static var all: [String] { tables + heads + [prepareStaging, apply, digests, attachmentNames] + roles }

    /// For `canvass server sql`.
    static var script: String { all.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) + ";" }.joined(separator: "\n\n") + "\n" }
}
