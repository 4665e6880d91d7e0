/// The functions that apply a push, run as their owner (`SECURITY DEFINER`) so that a pushing role
/// needs no right to read answers. A source is applied in three steps, in one savepoint
/// (`ServerStore+Push.swift`):
///
/// 1. `apply_begin`, after the small staging tables are filled: the checks that need the server,
///    then the forms, forks, equivalences and interviews new to it;
/// 2. the new revisions, copied straight into the log, where `revisions_added` settles heads,
///    split fields and each interview's derived columns, once for the whole statement;
/// 3. `apply`, after the answered files are staged: the files, the version vector and the log.
///
/// One push at a time (an advisory lock, taken by each step and held to the commit): heads depend
/// on every revision of a field, and two pushes settling them apart would each miss the other's.
enum ServerFunctions {
    static var all: [String] { [checkStaging, prepareStaging, applyBegin, revisionsAdded, trigger, apply, digests, attachmentNames] }

    static var temporaryArray: String { "ARRAY[" + ServerSchema.temporaryNames.map { "'\($0)'" }.joined(separator: ", ") + "]" }

    static let lock = "PERFORM pg_advisory_xact_lock(hashtext('canvass.apply'));"

    /// The functions read the session's temporary tables as their owner: each must be the owner's
    /// own ordinary table, never a relation of that name the pusher made.
    static var checkStaging: String { """
        CREATE OR REPLACE FUNCTION canvass.check_staging() RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = canvass, pg_temp AS $body$
        BEGIN
            IF (SELECT count(*) FROM pg_class c WHERE c.relnamespace = pg_my_temp_schema() AND c.relname = ANY(\(temporaryArray))
                AND c.relkind = 'r' AND c.relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)) <> \(ServerSchema.temporaryNames.count) THEN
                RAISE EXCEPTION 'the staging tables are not the ones canvass.prepare_staging made';
            END IF;
        END
        $body$
        """ }

    /// Makes this session's temporary tables as the functions' owner, and lets the session's user
    /// fill the staging ones (`apply` empties them). A relation of such a name the user made first is refused.
    static var prepareStaging: String {
        let creates = ServerSchema.staging.map { "EXECUTE $sql$\($0)$sql$;" }.joined(separator: "\n        ")
        return """
            CREATE OR REPLACE FUNCTION canvass.prepare_staging() RETURNS void
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = canvass, pg_temp AS $body$
            BEGIN
                IF EXISTS (SELECT 1 FROM pg_class c WHERE c.relnamespace = pg_my_temp_schema() AND c.relname = ANY(\(temporaryArray))
                           AND (c.relkind <> 'r' OR c.relowner <> (SELECT oid FROM pg_roles WHERE rolname = current_user))) THEN
                    RAISE EXCEPTION 'a temporary relation named like a staging table exists that canvass did not make; push from a new connection';
                END IF;
                \(creates)
                INSERT INTO apply_tally SELECT 0, 0, 0 WHERE NOT EXISTS (SELECT 1 FROM apply_tally);
                EXECUTE format('GRANT INSERT ON \(ServerSchema.stagingNames.joined(separator: ", ")) TO %I', session_user);
            END
            $body$
            """
    }

    /// The checks that need the server, then what the source brings besides revisions and
    /// interviews, which go in with their revisions.
    static var applyBegin: String { """
        CREATE OR REPLACE FUNCTION canvass.apply_begin() RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = canvass, pg_temp AS $body$
        DECLARE
            bad record;
            added integer;
            fresh integer;
            extra integer := 0;  -- forms, equivalences and forks new to the server
        BEGIN
            \(lock)
            PERFORM canvass.check_staging();
            -- A name the server holds must mean the same revision in the source (digests are
            -- chained, so one per origin, where the source meets the server's vector, says so).
            SELECT a.origin, a.counter INTO bad FROM stage_agreement a JOIN revision r USING (origin, counter)
                WHERE a.renamed_as IS NULL AND r.digest <> a.digest LIMIT 1;
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

            DELETE FROM apply_fresh;
            DELETE FROM apply_changed;
            DELETE FROM apply_named;
            INSERT INTO apply_fresh SELECT DISTINCT id FROM stage_interview s WHERE NOT EXISTS (SELECT 1 FROM interview i WHERE i.id = s.id);
            GET DIAGNOSTICS fresh = ROW_COUNT;
            INSERT INTO form SELECT sha256, form_id, version, definition FROM stage_form ON CONFLICT DO NOTHING;
            GET DIAGNOSTICS added = ROW_COUNT; extra := extra + added;
            INSERT INTO form_equivalent SELECT sha256, same_as, author, time FROM stage_equivalent ON CONFLICT DO NOTHING;
            GET DIAGNOSTICS added = ROW_COUNT; extra := extra + added;
            INSERT INTO fork SELECT origin, previous, first, last, digest, reason, time, path, host FROM stage_fork ON CONFLICT DO NOTHING;
            GET DIAGNOSTICS added = ROW_COUNT; extra := extra + added;
            -- The new interviews go in with their first revisions (the trigger), or in `apply`.
            UPDATE apply_tally SET new_interviews = fresh, new_revisions = 0, other = extra;
        END
        $body$
        """ }

    /// Runs once per statement that writes the log (a push's COPY, or any other insert), with the
    /// statement's rows as `added`: a revision's parents of its own field stop being heads (in
    /// either order of arrival), which fields touched have split (and conflict) is worked out
    /// again, and so are the status, last change and provinces of the interviews touched. A
    /// revision naming an interview the server lacks is refused.
    ///
    /// One pass over `added` learns what each interview needs. The rest reads `added` again only
    /// when it must: for revisions with parents, fields with two revisions in the statement,
    /// interviews the server held before (`known`) and answered files. An interview new in this
    /// push (`apply_fresh`) has no other revisions, so when none of its rows names a parent, every
    /// row is a head and its status and provinces come from that pass.
    static var revisionsAdded: String { #"""
        CREATE OR REPLACE FUNCTION canvass.revisions_added() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = canvass, pg_temp AS $body$
        DECLARE
            touched integer;
            known text[];       -- interviews the server held revisions of before this statement
            multiple text[];    -- interviews with a field written twice here, or known
            names text[];       -- revisions named as parents, with their interview and field
            interviews text[];
            fields text[];
            inserted integer;
            settled integer;
        BEGIN
            \#(lock)
            PERFORM canvass.check_staging();
            INSERT INTO apply_touched (interview, newest, written, distinct_fields, parented, status, province, media)
                SELECT interview, max(time), count(*), count(DISTINCT field), bool_or(parents <> ''),
                    (array_agg(value ORDER BY hlc DESC, origin DESC, counter DESC) FILTER (WHERE field = '_status'))[1],
                    coalesce(array_agg(DISTINCT value ORDER BY value) FILTER (WHERE field = 'province' AND value IS NOT NULL), '{}'),
                    coalesce(bool_or(octet_length(value) BETWEEN 64 AND 81), false)
                FROM added GROUP BY interview;
            GET DIAGNOSTICS touched = ROW_COUNT;
            UPDATE apply_touched t SET fresh = true FROM apply_fresh f WHERE f.id = t.interview;
            DELETE FROM apply_fresh f USING apply_touched t WHERE f.id = t.interview;
            SELECT coalesce(array_agg(interview) FILTER (WHERE NOT fresh), '{}'),
                    coalesce(array_agg(interview) FILTER (WHERE written > distinct_fields OR NOT fresh), '{}')
                INTO known, multiple FROM apply_touched;

            IF cardinality(known) > 0 OR EXISTS (SELECT 1 FROM apply_touched WHERE parented) THEN
                SELECT array_agg(n.p), array_agg(n.interview), array_agg(n.field) INTO names, interviews, fields FROM (
                    SELECT DISTINCT x.interview, x.field, p FROM (
                        SELECT a.interview, a.field, a.parents FROM added a WHERE a.parents <> ''
                        UNION ALL
                        SELECT r.interview, r.field, r.parents
                        FROM (SELECT DISTINCT a.interview, a.field FROM added a WHERE a.interview = ANY(known)) t
                        CROSS JOIN LATERAL (SELECT r.interview, r.field, r.parents FROM revision r
                            WHERE r.interview = t.interview AND r.field = t.field AND r.parents <> '' OFFSET 0) r
                    ) x, unnest(string_to_array(x.parents, ' ')) p) n;
                WITH superseded AS (
                    UPDATE revision r SET head = false FROM unnest(names, interviews, fields) AS s(name, interview, field)
                    WHERE r.interview = s.interview AND r.field = s.field AND r.origin || ':' || r.counter = s.name AND r.head
                    RETURNING r.origin, r.counter, r.interview, r.field)
                -- An interview the server had changes when a head of one of its fields goes.
                INSERT INTO apply_changed SELECT DISTINCT s.interview FROM superseded s
                    WHERE s.interview = ANY(known) AND s.field <> '_note'
                        AND NOT EXISTS (SELECT 1 FROM added a WHERE a.origin = s.origin AND a.counter = s.counter)
                    ON CONFLICT DO NOTHING;
            END IF;
            IF cardinality(known) > 0 THEN
                -- ... or comes.
                INSERT INTO apply_changed SELECT DISTINCT a.interview FROM added a JOIN revision r ON r.origin = a.origin AND r.counter = a.counter
                    WHERE a.interview = ANY(known) AND a.field <> '_note' AND r.head
                    ON CONFLICT DO NOTHING;
            END IF;

            -- A field's history can split only if it has two revisions or more: two in this
            -- statement, or one here and others the server held.
            IF cardinality(multiple) > 0 THEN
                SELECT array_agg(c.interview), array_agg(c.field) INTO interviews, fields FROM (
                    SELECT interview, field FROM added WHERE interview = ANY(multiple) GROUP BY interview, field
                    HAVING count(*) > 1 OR interview = ANY(known)) c;
                DELETE FROM split_field x USING unnest(interviews, fields) AS t(interview, field)
                    WHERE x.interview = t.interview AND x.field = t.field;
                INSERT INTO split_field SELECT t.interview, t.field, h.distinct_values > 1
                    FROM unnest(interviews, fields) AS t(interview, field)
                    CROSS JOIN LATERAL (SELECT count(*) AS heads, count(DISTINCT coalesce('v' || r.value, 'n')) AS distinct_values FROM revision r
                                        WHERE r.interview = t.interview AND r.field = t.field AND r.head) h
                    WHERE h.heads > 1;
            END IF;

            -- Derived from the heads: the latest status, the newest change, every province. An
            -- interview new in this push goes in now, with its facts as staged.
            INSERT INTO interview (id, form, surveyor, device, created, mode, status, updated, province)
                SELECT DISTINCT ON (s.id) s.id, s.form, s.surveyor, s.device, s.created, s.mode, \#(derivedStatus),
                    greatest(s.created, t.newest), \#(derivedProvince)
                FROM apply_touched t JOIN stage_interview s ON s.id = t.interview WHERE t.fresh;
            GET DIAGNOSTICS inserted = ROW_COUNT;
            UPDATE interview i SET updated = greatest(i.updated, t.newest), status = \#(derivedStatus), province = \#(derivedProvince)
                FROM apply_touched t WHERE i.id = t.interview AND NOT t.fresh;
            GET DIAGNOSTICS settled = ROW_COUNT;
            IF inserted + settled < touched THEN
                RAISE EXCEPTION USING ERRCODE = 'CV005', MESSAGE = 'no interview',
                    DETAIL = (SELECT t.interview FROM apply_touched t WHERE NOT EXISTS (SELECT 1 FROM interview i WHERE i.id = t.interview) LIMIT 1);
            END IF;

            -- Answered files the revisions name: a use, if their bytes come with this push.
            IF EXISTS (SELECT 1 FROM apply_touched WHERE media) THEN
                INSERT INTO apply_named SELECT DISTINCT left(a.value, 64), a.interview FROM added a
                    WHERE octet_length(a.value) BETWEEN 64 AND 81 AND a.value ~ '^[0-9a-f]{64}(\.[0-9a-z]{1,16})?$'
                    ON CONFLICT DO NOTHING;
            END IF;
            UPDATE apply_tally SET new_revisions = new_revisions + coalesce((SELECT sum(written) FROM apply_touched), 0);
            DELETE FROM apply_touched;
            RETURN NULL;
        END
        $body$
        """# }

    /// An interview's latest status head: from the one pass when every row of it is a head (new
    /// here, no parents), else from the log.
    static let derivedStatus = """
        CASE WHEN t.fresh AND NOT t.parented THEN coalesce(t.status, 'draft') ELSE
                    coalesce((SELECT r.value FROM revision r WHERE r.interview = t.interview AND r.field = '_status' AND r.head
                              ORDER BY r.hlc DESC, r.origin DESC, r.counter DESC LIMIT 1), 'draft') END
        """

    /// Every province among its heads, likewise.
    static let derivedProvince = """
        CASE WHEN t.fresh AND NOT t.parented THEN t.province ELSE
                    ARRAY(SELECT DISTINCT r.value FROM revision r
                          WHERE r.interview = t.interview AND r.field = 'province' AND r.head AND r.value IS NOT NULL ORDER BY 1) END
        """

    static let trigger = """
        CREATE OR REPLACE TRIGGER revisions_added AFTER INSERT ON canvass.revision_log
            REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION canvass.revisions_added()
        """

    /// The last step of a source: its answered files, the version vector and the merge log.
    static var apply: String { #"""
        CREATE OR REPLACE FUNCTION canvass.apply(source_id text, source_path text, source_sha256 text, at text,
                                                 OUT new_interviews integer, OUT new_revisions integer, OUT changed_interviews integer)
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = canvass, pg_temp AS $body$
        DECLARE
            bad record;
            added integer;
            extra integer;
        BEGIN
            \#(lock)
            PERFORM canvass.check_staging();
            -- Answered files must be the bytes their names say.
            SELECT a.sha256 INTO bad FROM stage_attachment a WHERE encode(sha256(a.data), 'hex') <> a.sha256 LIMIT 1;
            IF FOUND THEN
                RAISE EXCEPTION USING ERRCODE = 'CV004', MESSAGE = 'attachment', DETAIL = bad.sha256;
            END IF;
            INSERT INTO attachment SELECT sha256, data FROM stage_attachment ON CONFLICT DO NOTHING;
            GET DIAGNOSTICS added = ROW_COUNT;
            -- New interviews this source brought no revision of.
            INSERT INTO interview (id, form, surveyor, device, created, mode, status, updated, province)
                SELECT DISTINCT ON (s.id) s.id, s.form, s.surveyor, s.device, s.created, s.mode, 'draft', s.created, '{}'
                FROM stage_interview s JOIN apply_fresh USING (id);
            -- Only for files whose bytes came with this push: naming a file's hash is not holding it.
            INSERT INTO attachment_use SELECT n.sha256, n.interview FROM apply_named n
                WHERE EXISTS (SELECT 1 FROM stage_attachment a WHERE a.sha256 = n.sha256)
                ON CONFLICT DO NOTHING;

            -- The version vector; the source of an origin is the file that wrote it, once merged itself.
            INSERT INTO origin SELECT origin, counter, source FROM stage_origin
                ON CONFLICT (origin) DO UPDATE SET counter = greatest(origin.counter, excluded.counter),
                    source = CASE WHEN excluded.source NOT LIKE 'via %' THEN excluded.source ELSE origin.source END;
            SELECT t.new_interviews, t.new_revisions, t.other + added INTO new_interviews, new_revisions, extra FROM apply_tally t;
            SELECT count(*) INTO changed_interviews FROM apply_changed;
            -- A source that brought nothing new (a replay checked against an older vector) is not a merge.
            IF new_interviews + new_revisions + changed_interviews + extra > 0 THEN
                INSERT INTO merge_log (source_id, path, sha256, time, new_interviews, new_revisions, changed_interviews)
                    VALUES (source_id, source_path, source_sha256, at, new_interviews, new_revisions, changed_interviews);
            END IF;
            -- Emptied for the next source (a refused one is emptied by its savepoint's rollback):
            -- deleted, which is cheaper than truncating small tables, but answered files truncated,
            -- so that their bytes do not stay in the session's temporary space.
            UPDATE apply_tally SET new_interviews = 0, new_revisions = 0, other = 0;
            \#(ServerSchema.temporaryNames.filter { !["apply_tally", "stage_attachment"].contains($0) }.map { "DELETE FROM \($0);" }.joined(separator: "\n            "))
            IF EXISTS (SELECT 1 FROM stage_attachment) THEN
                TRUNCATE stage_attachment;
            END IF;
        END
        $body$
        """# }

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
}
