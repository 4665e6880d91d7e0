--
-- PostgreSQL database dump
--

\restrict FEAozBv7IpiFqtIEQICqisol2iXtNw8s8RFkeOUHHIDK8kh9CLeTFQGTsssRV5a

-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: canvass; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA canvass;


--
-- Name: head; Type: TYPE; Schema: canvass; Owner: -
--

CREATE TYPE canvass.head AS (
	origin text,
	counter bigint,
	interview text,
	field text,
	value text,
	parents text
);


--
-- Name: apply(text, text, text, text); Type: FUNCTION; Schema: canvass; Owner: -
--

CREATE FUNCTION canvass.apply(source_id text, source_path text, source_sha256 text, at text, OUT new_interviews integer, OUT new_revisions integer, OUT changed_interviews integer) RETURNS record
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'canvass', 'pg_temp'
    AS $_$
DECLARE
    bad record;
    added integer;
    other integer := 0;  -- forms, equivalences, forks and answered files new to the server
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('canvass.apply'));
    -- What follows reads the staging tables as the owner: they must be the owner's own.
    IF (SELECT count(*) FROM pg_class c WHERE c.relnamespace = pg_my_temp_schema() AND c.relname = ANY(ARRAY['stage_revision', 'stage_interview', 'stage_form', 'stage_equivalent', 'stage_fork', 'stage_agreement', 'stage_origin', 'stage_attachment'])
        AND c.relkind = 'r' AND c.relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)) <> 8 THEN
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
$_$;


--
-- Name: attachment_names(); Type: FUNCTION; Schema: canvass; Owner: -
--

CREATE FUNCTION canvass.attachment_names() RETURNS SETOF text
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'canvass', 'pg_temp'
    AS $$ SELECT sha256 FROM attachment $$;


--
-- Name: digests(text[], bigint[]); Type: FUNCTION; Schema: canvass; Owner: -
--

CREATE FUNCTION canvass.digests(origins text[], counters bigint[]) RETURNS TABLE(origin text, counter bigint, digest bytea)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'canvass', 'pg_temp'
    AS $$
    SELECT r.origin, r.counter, r.digest FROM revision r
    JOIN unnest(origins, counters) AS wanted(origin, counter) ON r.origin = wanted.origin AND r.counter = wanted.counter
$$;


--
-- Name: heads_of(canvass.head[]); Type: FUNCTION; Schema: canvass; Owner: -
--

CREATE FUNCTION canvass.heads_of(revisions canvass.head[]) RETURNS TABLE(interview text, field text, value text, heads text, conflict boolean)
    LANGUAGE sql IMMUTABLE
    AS $$
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
$$;


--
-- Name: prepare_staging(); Type: FUNCTION; Schema: canvass; Owner: -
--

CREATE FUNCTION canvass.prepare_staging() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'canvass', 'pg_temp'
    AS $_$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_class c WHERE c.relnamespace = pg_my_temp_schema() AND c.relname = ANY(ARRAY['stage_revision', 'stage_interview', 'stage_form', 'stage_equivalent', 'stage_fork', 'stage_agreement', 'stage_origin', 'stage_attachment'])
               AND (c.relkind <> 'r' OR c.relowner <> (SELECT oid FROM pg_roles WHERE rolname = current_user))) THEN
        RAISE EXCEPTION 'a temporary relation named like a staging table exists that canvass did not make; push from a new connection';
    END IF;
    EXECUTE $sql$CREATE TEMP TABLE IF NOT EXISTS stage_revision (
    origin text COLLATE "C" NOT NULL, counter bigint NOT NULL, interview text COLLATE "C" NOT NULL,
    field text COLLATE "C" NOT NULL, value text, author text NOT NULL, device text NOT NULL, hlc bigint NOT NULL,
    time text NOT NULL, parents text COLLATE "C" NOT NULL, digest bytea NOT NULL)$sql$;
        EXECUTE $sql$CREATE TEMP TABLE IF NOT EXISTS stage_interview (
    id text COLLATE "C" NOT NULL, form text COLLATE "C" NOT NULL, surveyor text NOT NULL, device text NOT NULL,
    created text NOT NULL, mode text NOT NULL)$sql$;
        EXECUTE $sql$CREATE TEMP TABLE IF NOT EXISTS stage_form (sha256 text COLLATE "C" NOT NULL, form_id text NOT NULL, version text NOT NULL, definition text NOT NULL)$sql$;
        EXECUTE $sql$CREATE TEMP TABLE IF NOT EXISTS stage_equivalent (sha256 text COLLATE "C" NOT NULL, same_as text COLLATE "C" NOT NULL, author text NOT NULL, time text NOT NULL)$sql$;
        EXECUTE $sql$CREATE TEMP TABLE IF NOT EXISTS stage_fork (
    origin text COLLATE "C" NOT NULL, previous text COLLATE "C" NOT NULL, first bigint, last bigint, digest bytea,
    reason text NOT NULL, time text NOT NULL, path text NOT NULL, host text NOT NULL)$sql$;
        EXECUTE $sql$CREATE TEMP TABLE IF NOT EXISTS stage_agreement (origin text COLLATE "C" NOT NULL, counter bigint NOT NULL, digest bytea NOT NULL, renamed_as text COLLATE "C")$sql$;
        EXECUTE $sql$CREATE TEMP TABLE IF NOT EXISTS stage_origin (origin text COLLATE "C" NOT NULL, counter bigint NOT NULL, source text NOT NULL)$sql$;
        EXECUTE $sql$CREATE TEMP TABLE IF NOT EXISTS stage_attachment (sha256 text COLLATE "C" NOT NULL, data bytea NOT NULL)$sql$;
    EXECUTE format('GRANT INSERT, TRUNCATE ON stage_revision, stage_interview, stage_form, stage_equivalent, stage_fork, stage_agreement, stage_origin, stage_attachment TO %I', session_user);
END
$_$;


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: attachment; Type: TABLE; Schema: canvass; Owner: -
--

CREATE TABLE canvass.attachment (
    sha256 text NOT NULL COLLATE pg_catalog."C",
    data bytea NOT NULL,
    CONSTRAINT attachment_sha256_check CHECK ((length(sha256) = 64))
);


--
-- Name: attachment_use; Type: TABLE; Schema: canvass; Owner: -
--

CREATE TABLE canvass.attachment_use (
    sha256 text NOT NULL COLLATE pg_catalog."C",
    interview text NOT NULL COLLATE pg_catalog."C"
);


--
-- Name: coordinator; Type: TABLE; Schema: canvass; Owner: -
--

CREATE TABLE canvass.coordinator (
    role name NOT NULL,
    province text NOT NULL
);


--
-- Name: current; Type: TABLE; Schema: canvass; Owner: -
--

CREATE TABLE canvass.current (
    interview text NOT NULL COLLATE pg_catalog."C",
    field text NOT NULL COLLATE pg_catalog."C",
    value text,
    heads text NOT NULL COLLATE pg_catalog."C",
    conflict boolean NOT NULL
);


--
-- Name: fork; Type: TABLE; Schema: canvass; Owner: -
--

CREATE TABLE canvass.fork (
    origin text NOT NULL COLLATE pg_catalog."C",
    previous text NOT NULL COLLATE pg_catalog."C",
    first bigint,
    last bigint,
    digest bytea,
    reason text NOT NULL,
    "time" text NOT NULL,
    path text NOT NULL,
    host text NOT NULL,
    CONSTRAINT fork_digest_check CHECK (((digest IS NULL) OR (length(digest) = 32)))
);


--
-- Name: form; Type: TABLE; Schema: canvass; Owner: -
--

CREATE TABLE canvass.form (
    sha256 text NOT NULL COLLATE pg_catalog."C",
    form_id text NOT NULL,
    version text NOT NULL,
    definition text NOT NULL,
    CONSTRAINT form_sha256_check CHECK ((length(sha256) = 64))
);


--
-- Name: form_equivalent; Type: TABLE; Schema: canvass; Owner: -
--

CREATE TABLE canvass.form_equivalent (
    sha256 text NOT NULL COLLATE pg_catalog."C",
    same_as text NOT NULL COLLATE pg_catalog."C",
    author text NOT NULL,
    "time" text NOT NULL,
    CONSTRAINT form_equivalent_check CHECK ((sha256 < same_as))
);


--
-- Name: interview; Type: TABLE; Schema: canvass; Owner: -
--

CREATE TABLE canvass.interview (
    id text NOT NULL COLLATE pg_catalog."C",
    form text NOT NULL COLLATE pg_catalog."C",
    surveyor text NOT NULL,
    device text NOT NULL,
    created text NOT NULL,
    mode text NOT NULL,
    status text NOT NULL,
    updated text NOT NULL,
    province text[]
);


--
-- Name: merge_log; Type: TABLE; Schema: canvass; Owner: -
--

CREATE TABLE canvass.merge_log (
    id bigint NOT NULL,
    source_id text NOT NULL,
    path text NOT NULL,
    sha256 text NOT NULL,
    "time" text NOT NULL,
    new_interviews integer NOT NULL,
    new_revisions integer NOT NULL,
    changed_interviews integer NOT NULL,
    pushed_by text DEFAULT SESSION_USER NOT NULL
);


--
-- Name: merge_log_id_seq; Type: SEQUENCE; Schema: canvass; Owner: -
--

CREATE SEQUENCE canvass.merge_log_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: merge_log_id_seq; Type: SEQUENCE OWNED BY; Schema: canvass; Owner: -
--

ALTER SEQUENCE canvass.merge_log_id_seq OWNED BY canvass.merge_log.id;


--
-- Name: meta; Type: TABLE; Schema: canvass; Owner: -
--

CREATE TABLE canvass.meta (
    key text NOT NULL COLLATE pg_catalog."C",
    value text NOT NULL
);


--
-- Name: origin; Type: TABLE; Schema: canvass; Owner: -
--

CREATE TABLE canvass.origin (
    origin text NOT NULL COLLATE pg_catalog."C",
    counter bigint NOT NULL,
    source text NOT NULL,
    CONSTRAINT origin_counter_check CHECK ((counter >= 0))
);


--
-- Name: revision; Type: TABLE; Schema: canvass; Owner: -
--

CREATE TABLE canvass.revision (
    origin text NOT NULL COLLATE pg_catalog."C",
    counter bigint NOT NULL,
    interview text NOT NULL COLLATE pg_catalog."C",
    field text NOT NULL COLLATE pg_catalog."C",
    value text,
    author text NOT NULL,
    device text NOT NULL,
    hlc bigint NOT NULL,
    "time" text NOT NULL,
    parents text NOT NULL COLLATE pg_catalog."C",
    digest bytea NOT NULL,
    CONSTRAINT revision_counter_check CHECK ((counter > 0)),
    CONSTRAINT revision_digest_check CHECK ((length(digest) = 32))
);


--
-- Name: merge_log id; Type: DEFAULT; Schema: canvass; Owner: -
--

ALTER TABLE ONLY canvass.merge_log ALTER COLUMN id SET DEFAULT nextval('canvass.merge_log_id_seq'::regclass);


--
-- Data for Name: attachment; Type: TABLE DATA; Schema: canvass; Owner: -
--

COPY canvass.attachment (sha256, data) FROM stdin;
\.


--
-- Data for Name: attachment_use; Type: TABLE DATA; Schema: canvass; Owner: -
--

COPY canvass.attachment_use (sha256, interview) FROM stdin;
\.


--
-- Data for Name: coordinator; Type: TABLE DATA; Schema: canvass; Owner: -
--

COPY canvass.coordinator (role, province) FROM stdin;
\.


--
-- Data for Name: current; Type: TABLE DATA; Schema: canvass; Owner: -
--

COPY canvass.current (interview, field, value, heads, conflict) FROM stdin;
phieu-001	_status	completed	base-0001:36	f
phieu-001	deviceid	vm	base-0001:2	f
phieu-001	e1_2	5	base-0001:4	f
phieu-001	e1_3	3	base-0001:5	f
phieu-001	e1_4	4	base-0001:6	f
phieu-001	e2_1	5	base-0001:7	f
phieu-001	e2_2	3	base-0001:8	f
phieu-001	e2_3	4	base-0001:9	f
phieu-001	e2_4	5	base-0001:10	f
phieu-001	e2_5	3	base-0001:11	f
phieu-001	e3_1	4	base-0001:12	f
phieu-001	e3_2	5	base-0001:13	f
phieu-001	e3_3	3	base-0001:14	f
phieu-001	e3_4	4	base-0001:15	f
phieu-001	e3_5	5	base-0001:16	f
phieu-001	e3_6	3	base-0001:17	f
phieu-001	e4_1	4	base-0001:18	f
phieu-001	e4_2	5	base-0001:19	f
phieu-001	e4_3	3	base-0001:20	f
phieu-001	e5_1	4	base-0001:21	f
phieu-001	e5_2	5	base-0001:22	f
phieu-001	e5_3	3	base-0001:23	f
phieu-001	e5_4	4	base-0001:24	f
phieu-001	extra_payment	no	base-0001:25	f
phieu-001	form_no	1	base-0001:26	f
phieu-001	gave_feedback	no	base-0001:27	f
phieu-001	on_time	yes	base-0001:28	f
phieu-001	procedure	Cấp bản sao trích lục hộ tịch	base-0001:29	f
phieu-001	respondent_type	individual	base-0001:30	f
phieu-001	submission	in_person	base-0001:31	f
phieu-001	trips	1	base-0001:32	f
phieu-001	trouble	no	base-0001:33	f
phieu-001	unit	stp	base-0001:34	f
phieu-001	username	lan	base-0001:35	f
phieu-002	_status	completed	base-0001:75	f
phieu-002	age_group	25_34	base-0001:38	f
phieu-002	comment	Thủ tục nhanh gọn	base-0001:39	f
phieu-002	deviceid	vm	base-0001:40	f
phieu-002	e1_1	5	base-0001:41	f
phieu-002	e1_2	3	base-0001:42	f
phieu-002	e1_3	4	base-0001:43	f
phieu-002	e1_4	5	base-0001:44	f
phieu-002	e2_1	3	base-0001:45	f
phieu-002	e2_2	4	base-0001:46	f
phieu-002	e2_3	5	base-0001:47	f
phieu-002	e2_4	3	base-0001:48	f
phieu-002	e2_5	4	base-0001:49	f
phieu-002	e3_1	5	base-0001:50	f
phieu-002	e3_2	3	base-0001:51	f
phieu-002	e3_3	4	base-0001:52	f
phieu-002	e3_4	5	base-0001:53	f
phieu-002	e3_5	3	base-0001:54	f
phieu-002	e3_6	4	base-0001:55	f
phieu-002	e4_1	5	base-0001:56	f
phieu-002	e4_2	3	base-0001:57	f
phieu-002	e4_3	4	base-0001:58	f
phieu-002	e5_1	5	base-0001:59	f
phieu-002	e5_2	3	base-0001:60	f
phieu-002	e5_3	4	base-0001:61	f
phieu-002	e5_4	5	base-0001:62	f
phieu-002	extra_payment	no	base-0001:63	f
phieu-002	form_no	2	base-0001:64	f
phieu-002	gave_feedback	no	base-0001:65	f
phieu-002	gender	female	base-0001:66	f
phieu-002	on_time	yes	base-0001:67	f
phieu-002	procedure	Cấp bản sao trích lục hộ tịch	base-0001:68	f
phieu-002	respondent_type	individual	base-0001:69	f
phieu-002	submission	in_person	base-0001:70	f
phieu-002	trouble	no	base-0001:72	f
phieu-002	unit	stp	base-0001:73	f
phieu-002	username	lan	base-0001:74	f
phieu-003	_status	draft	base-0001:76	f
phieu-003	deviceid	vm	base-0001:77	f
phieu-003	e1_1	3	base-0001:78	f
phieu-003	e1_2	4	base-0001:79	f
phieu-003	e1_3	5	base-0001:80	f
phieu-003	e1_4	3	base-0001:81	f
phieu-003	e2_1	4	base-0001:82	f
phieu-003	e2_2	5	base-0001:83	f
phieu-003	e2_3	3	base-0001:84	f
phieu-003	e2_4	4	base-0001:85	f
phieu-003	e2_5	5	base-0001:86	f
phieu-003	e3_1	3	base-0001:87	f
phieu-003	e3_3	5	base-0001:88	f
phieu-003	e3_4	3	base-0001:89	f
phieu-003	e3_5	4	base-0001:90	f
phieu-003	e3_6	5	base-0001:91	f
phieu-003	e4_1	3	base-0001:92	f
phieu-003	e4_2	4	base-0001:93	f
phieu-003	e4_3	5	base-0001:94	f
phieu-003	e5_1	3	base-0001:95	f
phieu-003	e5_2	4	base-0001:96	f
phieu-003	e5_3	5	base-0001:97	f
phieu-003	e5_4	3	base-0001:98	f
phieu-003	extra_payment	no	base-0001:99	f
phieu-003	form_no	3	base-0001:100	f
phieu-003	gave_feedback	no	base-0001:101	f
phieu-003	on_time	yes	base-0001:102	f
phieu-003	procedure	Cấp bản sao trích lục hộ tịch	base-0001:103	f
phieu-003	respondent_type	individual	base-0001:104	f
phieu-003	submission	in_person	base-0001:105	f
phieu-003	trips	1	base-0001:106	f
phieu-003	trouble	no	base-0001:107	f
phieu-003	unit	stp	base-0001:108	f
phieu-003	username	lan	base-0001:109	f
phieu-004	_status	draft	base-0001:110	f
phieu-004	deviceid	vm	base-0001:111	f
phieu-004	e1_1	4	base-0001:112	f
phieu-004	e1_2	5	base-0001:113	f
phieu-004	e1_3	3	base-0001:114	f
phieu-004	e1_4	4	base-0001:115	f
phieu-004	e2_1	5	base-0001:116	f
phieu-004	e2_2	3	base-0001:117	f
phieu-004	e2_3	4	base-0001:118	f
phieu-004	e2_4	5	base-0001:119	f
phieu-004	e2_5	3	base-0001:120	f
phieu-004	e3_1	4	base-0001:121	f
phieu-004	e3_2	5	base-0001:122	f
phieu-004	e3_3	3	base-0001:123	f
phieu-004	e3_4	4	base-0001:124	f
phieu-004	e3_5	5	base-0001:125	f
phieu-004	e3_6	3	base-0001:126	f
phieu-004	e4_1	4	base-0001:127	f
phieu-004	e4_2	5	base-0001:128	f
phieu-004	e4_3	3	base-0001:129	f
phieu-004	e5_1	4	base-0001:130	f
phieu-004	e5_2	5	base-0001:131	f
phieu-004	e5_3	3	base-0001:132	f
phieu-004	e5_4	4	base-0001:133	f
phieu-004	extra_payment	no	base-0001:134	f
phieu-004	form_no	0	base-0001:135	f
phieu-004	gave_feedback	no	base-0001:136	f
phieu-004	on_time	yes	base-0001:137	f
phieu-004	procedure	Cấp bản sao trích lục hộ tịch	base-0001:138	f
phieu-004	respondent_type	individual	base-0001:139	f
phieu-004	submission	in_person	base-0001:140	f
phieu-004	trips	1	base-0001:141	f
phieu-004	trouble	no	base-0001:142	f
phieu-004	unit	stp	base-0001:143	f
phieu-004	username	lan	base-0001:144	f
minh-001	_status	draft	s2-0001:3	f
minh-001	deviceid	vm	s2-0001:4	f
minh-001	e1_1	4	s2-0001:5	f
minh-001	e1_2	5	s2-0001:6	f
minh-001	e1_3	3	s2-0001:7	f
minh-001	e1_4	4	s2-0001:8	f
minh-001	e2_1	5	s2-0001:9	f
minh-001	e2_2	3	s2-0001:10	f
minh-001	e2_3	4	s2-0001:11	f
minh-001	e2_4	5	s2-0001:12	f
minh-001	e2_5	3	s2-0001:13	f
minh-001	e3_1	4	s2-0001:14	f
minh-001	e3_2	5	s2-0001:15	f
minh-001	e3_3	3	s2-0001:16	f
minh-001	e3_4	4	s2-0001:17	f
minh-001	e3_5	5	s2-0001:18	f
minh-001	e3_6	3	s2-0001:19	f
minh-001	e4_1	4	s2-0001:20	f
minh-001	e4_2	5	s2-0001:21	f
minh-001	e4_3	3	s2-0001:22	f
minh-001	e5_1	4	s2-0001:23	f
minh-001	e5_2	5	s2-0001:24	f
minh-001	e5_3	3	s2-0001:25	f
minh-001	e5_4	4	s2-0001:26	f
minh-001	extra_payment	no	s2-0001:27	f
minh-001	form_no	1	s2-0001:28	f
minh-001	gave_feedback	no	s2-0001:29	f
minh-001	on_time	yes	s2-0001:30	f
minh-001	procedure	Cấp bản sao trích lục hộ tịch	s2-0001:31	f
minh-001	respondent_type	individual	s2-0001:32	f
minh-001	submission	in_person	s2-0001:33	f
minh-001	trips	1	s2-0001:34	f
minh-001	trouble	no	s2-0001:35	f
minh-001	unit	stp	s2-0001:36	f
minh-001	username	minh	s2-0001:37	f
phieu-001	e1_1	\N	s1-0001:1 s2-0001:1	t
phieu-002	trips	3	s2-0001:2	f
\.


--
-- Data for Name: fork; Type: TABLE DATA; Schema: canvass; Owner: -
--

COPY canvass.fork (origin, previous, first, last, digest, reason, "time", path, host) FROM stdin;
\.


--
-- Data for Name: form; Type: TABLE DATA; Schema: canvass; Owner: -
--

COPY canvass.form (sha256, form_id, version, definition) FROM stdin;
69d79a75acb2e822a5df85dfa4d82b545e651ac474c7629d355e82d5c0309861	sipas_2017	2017.1	{"case_key":"concat(${unit}, '-', ${form_no})","choices":[{"choices":[{"label":{"en":"Department of Justice","vi":"Sở Tư pháp"},"name":"stp"},{"label":{"en":"Department of Planning and Investment","vi":"Sở Kế hoạch và Đầu tư"},"name":"skhdt"},{"label":{"en":"Department of Natural Resources and Environment","vi":"Sở Tài nguyên và Môi trường"},"name":"stnmt"},{"label":{"en":"Department of Construction","vi":"Sở Xây dựng"},"name":"sxd"},{"label":{"en":"Ba Đình District People's Committee","vi":"UBND quận Ba Đình"},"name":"ubnd_ba_dinh"},{"label":{"en":"Đông Anh District People's Committee","vi":"UBND huyện Đông Anh"},"name":"ubnd_dong_anh"}],"name":"unit"},{"choices":[{"label":{"en":"In person at the one-stop shop","vi":"Nộp trực tiếp tại Bộ phận Một cửa"},"name":"in_person"},{"label":{"en":"By post","vi":"Qua dịch vụ bưu chính công ích"},"name":"post"},{"label":{"en":"Online public service","vi":"Qua dịch vụ công trực tuyến"},"name":"online"}],"name":"submission"},{"choices":[{"label":{"en":"Male","vi":"Nam"},"name":"male"},{"label":{"en":"Female","vi":"Nữ"},"name":"female"}],"name":"gender"},{"choices":[{"label":{"en":"18-24","vi":"Từ 18 đến 24 tuổi"},"name":"18_24"},{"label":{"en":"25-34","vi":"Từ 25 đến 34 tuổi"},"name":"25_34"},{"label":{"en":"35-49","vi":"Từ 35 đến 49 tuổi"},"name":"35_49"},{"label":{"en":"50-60","vi":"Từ 50 đến 60 tuổi"},"name":"50_60"},{"label":{"en":"Over 60","vi":"Trên 60 tuổi"},"name":"over_60"}],"name":"age_group"},{"choices":[{"label":{"en":"Kinh","vi":"Kinh"},"name":"kinh"},{"label":{"en":"Other ethnic group","vi":"Dân tộc khác"},"name":"other"}],"name":"ethnicity"},{"choices":[{"label":{"en":"Primary","vi":"Tiểu học"},"name":"primary"},{"label":{"en":"Lower secondary","vi":"Trung học cơ sở"},"name":"lower_secondary"},{"label":{"en":"Upper secondary","vi":"Trung học phổ thông"},"name":"upper_secondary"},{"label":{"en":"Vocational school or college","vi":"Trung cấp, cao đẳng"},"name":"vocational"},{"label":{"en":"University or above","vi":"Đại học trở lên"},"name":"university"},{"label":{"en":"Other","vi":"Khác"},"name":"other"}],"name":"education"},{"choices":[{"label":{"en":"Retired","vi":"Nghỉ hưu"},"name":"retired"},{"label":{"en":"Not working","vi":"Không có việc làm"},"name":"not_working"},{"label":{"en":"Self-employed","vi":"Tự kinh doanh, buôn bán"},"name":"self_employed"},{"label":{"en":"Student","vi":"Học sinh, sinh viên"},"name":"student"},{"label":{"en":"Private sector employee","vi":"Làm việc trong khu vực tư nhân"},"name":"private_sector"},{"label":{"en":"Public sector employee","vi":"Làm việc trong khu vực nhà nước"},"name":"public_sector"},{"label":{"en":"Other","vi":"Khác"},"name":"other"}],"name":"occupation"},{"choices":[{"label":{"en":"Urban","vi":"Thành thị"},"name":"urban"},{"label":{"en":"Rural","vi":"Nông thôn"},"name":"rural"}],"name":"area"},{"choices":[{"label":{"en":"An individual","vi":"Cá nhân"},"name":"individual"},{"label":{"en":"A representative of an organisation","vi":"Người đại diện cho tổ chức"},"name":"organisation"}],"name":"respondent_type"},{"choices":[{"label":{"en":"Yes","vi":"Có"},"name":"yes"},{"label":{"en":"No","vi":"Không"},"name":"no"}],"name":"yes_no"},{"choices":[{"label":{"en":"Very dissatisfied","vi":"Rất không hài lòng"},"name":"1"},{"label":{"en":"Dissatisfied","vi":"Không hài lòng"},"name":"2"},{"label":{"en":"Neutral","vi":"Bình thường"},"name":"3"},{"label":{"en":"Satisfied","vi":"Hài lòng"},"name":"4"},{"label":{"en":"Very satisfied","vi":"Rất hài lòng"},"name":"5"}],"name":"scale"},{"choices":[{"label":{"en":"Once","vi":"1 lần"},"name":"1"},{"label":{"en":"Twice","vi":"2 lần"},"name":"2"},{"label":{"en":"3 times","vi":"3 lần"},"name":"3"},{"label":{"en":"More than 3 times","vi":"Trên 3 lần"},"name":"4"}],"name":"trips"},{"choices":[{"label":{"en":"Yes, on time or early","vi":"Có, đúng hoặc sớm hơn hẹn"},"name":"yes"},{"label":{"en":"No, late","vi":"Không, muộn hơn hẹn"},"name":"no"},{"label":{"en":"Not yet due","vi":"Chưa đến hẹn trả kết quả"},"name":"not_yet"}],"name":"on_time"},{"choices":[{"label":{"en":"Handled, and the outcome was reported","vi":"Đã được xử lý và thông báo kết quả"},"name":"resolved"},{"label":{"en":"Still waiting","vi":"Đang chờ xử lý"},"name":"pending"},{"label":{"en":"No response","vi":"Không được phản hồi"},"name":"no_response"}],"name":"feedback_result"}],"default_language":"vi","form_id":"sipas_2017","indices":[{"elements":[{"label":{"en":"Access to the public service","vi":"Tiếp cận dịch vụ hành chính công"},"name":"e1","questions":["e1_1","e1_2","e1_3","e1_4"]},{"label":{"en":"Administrative procedure","vi":"Thủ tục hành chính"},"name":"e2","questions":["e2_1","e2_2","e2_3","e2_4","e2_5"]},{"label":{"en":"Civil servants who handled the case","vi":"Công chức trực tiếp giải quyết công việc"},"name":"e3","questions":["e3_1","e3_2","e3_3","e3_4","e3_5","e3_6"]},{"label":{"en":"Result of the public service","vi":"Kết quả cung ứng dịch vụ hành chính công"},"name":"e4","questions":["e4_1","e4_2","e4_3"]},{"label":{"en":"Handling of comments, complaints and recommendations","vi":"Tiếp nhận, xử lý góp ý, phản ánh, kiến nghị"},"name":"e5","questions":["e5_1","e5_2","e5_3","e5_4"]}],"label":{"en":"Satisfaction Index of Public Administrative Services (SIPAS)","vi":"Chỉ số hài lòng về sự phục vụ hành chính (SIPAS)"},"name":"sipas","satisfied":["4","5"]}],"instance_name":"concat(${unit}, '-', ${form_no})","survey":[{"name":"start","type":"start"},{"name":"end","type":"end"},{"name":"today","type":"today"},{"name":"deviceid","type":"deviceid"},{"name":"username","type":"username"},{"children":[{"label":{"en":"Agency or unit surveyed","vi":"Cơ quan, đơn vị được khảo sát"},"name":"unit","required":"true()","required_message":{"en":"Choose the agency or unit","vi":"Hãy chọn cơ quan, đơn vị"},"type":"select_one unit"},{"constraint":". >= 1","constraint_message":{"en":"The form number must be 1 or more","vi":"Số phiếu phải từ 1 trở lên"},"hint":{"en":"Paper forms are stamped and numbered before fieldwork; each number is used once.","vi":"Phiếu giấy được đóng dấu và đánh số trước khi khảo sát; mỗi số chỉ dùng một lần."},"label":{"en":"Form number (printed on the form)","vi":"Số phiếu (in trên phiếu)"},"name":"form_no","required":"true()","type":"integer"}],"label":{"en":"Form identification","vi":"Thông tin phiếu"},"name":"identification","type":"group"},{"children":[{"constraint":"string-length(.) <= 500","constraint_message":{"en":"No more than 500 characters","vi":"Không quá 500 ký tự"},"hint":{"en":"At most 500 characters","vi":"Tối đa 500 ký tự"},"label":{"en":"Which administrative procedure did you just complete (field, name of the procedure)?","vi":"Ông/Bà vừa thực hiện thủ tục hành chính nào (lĩnh vực, tên thủ tục)?"},"name":"procedure","required":"true()","type":"text"},{"label":{"en":"How did you submit your application?","vi":"Ông/Bà nộp hồ sơ bằng hình thức nào?"},"name":"submission","required":"true()","type":"select_one submission"}],"label":{"en":"Procedure completed","vi":"Thủ tục hành chính đã thực hiện"},"name":"procedure_info","type":"group"},{"children":[{"label":{"en":"Gender","vi":"Giới tính"},"name":"gender","type":"select_one gender"},{"label":{"en":"Age group","vi":"Độ tuổi"},"name":"age_group","type":"select_one age_group"},{"label":{"en":"Ethnicity","vi":"Dân tộc"},"name":"ethnicity","type":"select_one ethnicity"},{"label":{"en":"Education","vi":"Trình độ học vấn"},"name":"education","type":"select_one education"},{"label":{"en":"Occupation","vi":"Nghề nghiệp"},"name":"occupation","type":"select_one occupation"},{"label":{"en":"Place of residence","vi":"Nơi sinh sống"},"name":"area","type":"select_one area"},{"label":{"en":"You completed the procedure as","vi":"Ông/Bà thực hiện thủ tục với tư cách"},"name":"respondent_type","required":"true()","type":"select_one respondent_type"},{"hint":{"en":"Optional. Personal details are kept confidential.","vi":"Không bắt buộc. Thông tin cá nhân được giữ bí mật."},"label":{"en":"Would you like to leave your name and phone number?","vi":"Ông/Bà có muốn để lại họ tên và số điện thoại không?"},"name":"contact_consent","type":"select_one yes_no"},{"label":{"en":"Full name","vi":"Họ và tên"},"name":"respondent_name","relevant":"${contact_consent} = 'yes'","type":"text"},{"appearance":"numbers","constraint":"regex(., '^0[0-9]{9}$')","constraint_message":{"en":"A phone number has 10 digits and starts with 0","vi":"Số điện thoại gồm 10 chữ số, bắt đầu bằng 0"},"hint":{"en":"10 digits starting with 0","vi":"10 chữ số, bắt đầu bằng 0"},"label":{"en":"Phone number","vi":"Số điện thoại"},"name":"phone","relevant":"${contact_consent} = 'yes'","type":"text"}],"label":{"en":"About the respondent","vi":"Thông tin người trả lời"},"name":"respondent","type":"group"},{"label":{"en":"Please rate how satisfied you are with each of the following.","vi":"Ông/Bà hãy cho biết mức độ hài lòng của mình đối với từng nội dung sau."},"name":"criteria_intro","type":"note"},{"children":[{"appearance":"likert","label":{"en":"The waiting area at the one-stop shop has enough seats","vi":"Nơi ngồi chờ tại Bộ phận Một cửa có đủ chỗ ngồi"},"name":"e1_1","required":"true()","type":"select_one scale"},{"appearance":"likert","label":{"en":"The equipment serving citizens and organisations is sufficient","vi":"Trang thiết bị phục vụ người dân, tổ chức đầy đủ"},"name":"e1_2","required":"true()","type":"select_one scale"},{"appearance":"likert","label":{"en":"The equipment serving citizens and organisations is modern","vi":"Trang thiết bị phục vụ người dân, tổ chức hiện đại"},"name":"e1_3","required":"true()","type":"select_one scale"},{"appearance":"likert","label":{"en":"The equipment serving citizens and organisations is easy to use","vi":"Trang thiết bị phục vụ người dân, tổ chức dễ sử dụng"},"name":"e1_4","required":"true()","type":"select_one scale"}],"label":{"en":"Access to the public service","vi":"Tiếp cận dịch vụ hành chính công"},"name":"e1","type":"group"},{"children":[{"appearance":"likert","label":{"en":"The procedure is posted publicly in full","vi":"Thủ tục hành chính được niêm yết công khai đầy đủ"},"name":"e2_1","required":"true()","type":"select_one scale"},{"appearance":"likert","label":{"en":"The procedure is posted publicly and accurately","vi":"Thủ tục hành chính được niêm yết công khai chính xác"},"name":"e2_2","required":"true()","type":"select_one scale"},{"appearance":"likert","label":{"en":"The documents you had to submit were as prescribed","vi":"Thành phần hồ sơ mà Ông/Bà phải nộp là đúng quy định"},"name":"e2_3","required":"true()","type":"select_one scale"},{"appearance":"likert","label":{"en":"The fees and charges you paid were as prescribed","vi":"Phí, lệ phí mà Ông/Bà phải nộp là đúng quy định"},"name":"e2_4","required":"true()","type":"select_one scale"},{"appearance":"likert","label":{"en":"The processing time (from acceptance of the application to the result) was as prescribed","vi":"Thời hạn giải quyết (từ ngày tiếp nhận hồ sơ đến ngày trả kết quả) là đúng quy định"},"name":"e2_5","required":"true()","type":"select_one scale"}],"label":{"en":"Administrative procedure","vi":"Thủ tục hành chính"},"name":"e2","type":"group"},{"children":[{"appearance":"likert","label":{"en":"The civil servant communicated politely","vi":"Công chức có thái độ giao tiếp lịch sự"},"name":"e3_1","required":"true()","type":"select_one scale"},{"appearance":"likert","label":{"en":"The civil servant listened attentively to you","vi":"Công chức chú ý lắng nghe ý kiến của Ông/Bà"},"name":"e3_2","required":"true()","type":"select_one scale"},{"appearance":"likert","label":{"en":"The civil servant answered and explained your questions fully","vi":"Công chức trả lời, giải thích đầy đủ các ý kiến của Ông/Bà"},"name":"e3_3","required":"true()","type":"select_one scale"},{"appearance":"likert","label":{"en":"The civil servant guided you through the application devotedly and thoroughly","vi":"Công chức hướng dẫn kê khai hồ sơ tận tình, chu đáo"},"name":"e3_4","required":"true()","type":"select_one scale"},{"appearance":"likert","label":{"en":"The civil servant's guidance was easy to understand","vi":"Công chức hướng dẫn kê khai hồ sơ dễ hiểu"},"name":"e3_5","required":"true()","type":"select_one scale"},{"appearance":"likert","label":{"en":"The civil servant followed the rules in handling the case","vi":"Công chức tuân thủ đúng quy định trong giải quyết công việc"},"name":"e3_6","required":"true()","type":"select_one scale"}],"label":{"en":"Civil servants who handled the case","vi":"Công chức trực tiếp giải quyết công việc"},"name":"e3","type":"group"},{"children":[{"appearance":"likert","label":{"en":"The result you received was as prescribed","vi":"Kết quả mà Ông/Bà nhận được đúng quy định"},"name":"e4_1","required":"true()","type":"select_one scale"},{"appearance":"likert","label":{"en":"The result you received contained complete information","vi":"Kết quả mà Ông/Bà nhận được có thông tin đầy đủ"},"name":"e4_2","required":"true()","type":"select_one scale"},{"appearance":"likert","label":{"en":"The result you received contained accurate information","vi":"Kết quả mà Ông/Bà nhận được có thông tin chính xác"},"name":"e4_3","required":"true()","type":"select_one scale"}],"label":{"en":"Result of the public service","vi":"Kết quả cung ứng dịch vụ hành chính công"},"name":"e4","type":"group"},{"children":[{"appearance":"likert","label":{"en":"The agency has set up a channel for comments, complaints and recommendations","vi":"Cơ quan có bố trí hình thức tiếp nhận góp ý, phản ánh, kiến nghị"},"name":"e5_1","required":"true()","type":"select_one scale"},{"appearance":"likert","label":{"en":"It is easy for you to give comments, complaints and recommendations","vi":"Ông/Bà dễ dàng thực hiện góp ý, phản ánh, kiến nghị"},"name":"e5_2","required":"true()","type":"select_one scale"},{"appearance":"likert","label":{"en":"The agency receives and handles comments, complaints and recommendations actively","vi":"Cơ quan tiếp nhận, xử lý tích cực các góp ý, phản ánh, kiến nghị"},"name":"e5_3","required":"true()","type":"select_one scale"},{"appearance":"likert","label":{"en":"The agency reports the outcome of comments, complaints and recommendations promptly","vi":"Cơ quan thông báo kịp thời kết quả xử lý góp ý, phản ánh, kiến nghị"},"name":"e5_4","required":"true()","type":"select_one scale"}],"label":{"en":"Handling of comments, complaints and recommendations","vi":"Tiếp nhận, xử lý góp ý, phản ánh, kiến nghị"},"name":"e5","type":"group"},{"children":[{"label":{"en":"How many trips did you have to make to get the result?","vi":"Ông/Bà đã phải đi lại bao nhiêu lần để nhận được kết quả?"},"name":"trips","required":"true()","type":"select_one trips"},{"label":{"en":"Why did you have to make so many trips?","vi":"Vì sao Ông/Bà phải đi lại nhiều lần như vậy?"},"name":"trips_reason","relevant":"${trips} = '4'","type":"text"},{"label":{"en":"Did you receive the result on time?","vi":"Ông/Bà có nhận được kết quả đúng hẹn không?"},"name":"on_time","required":"true()","type":"select_one on_time"},{"label":{"en":"Did the agency send a written apology and a new date for the result?","vi":"Cơ quan có gửi văn bản xin lỗi và hẹn lại thời gian trả kết quả không?"},"name":"late_apology","relevant":"${on_time} = 'no'","type":"select_one yes_no"},{"label":{"en":"Did the civil servant cause you trouble or harass you while handling the case?","vi":"Công chức có gây phiền hà, sách nhiễu Ông/Bà trong khi giải quyết công việc không?"},"name":"trouble","required":"true()","type":"select_one yes_no"},{"label":{"en":"Did the civil servant hint that you should pay more than the prescribed fees?","vi":"Công chức có gợi ý Ông/Bà nộp thêm tiền ngoài phí, lệ phí theo quy định không?"},"name":"extra_payment","required":"true()","type":"select_one yes_no"},{"label":{"en":"Did you give the agency a comment, complaint or recommendation?","vi":"Ông/Bà có góp ý, phản ánh, kiến nghị với cơ quan không?"},"name":"gave_feedback","required":"true()","type":"select_one yes_no"},{"label":{"en":"What happened to your comment, complaint or recommendation?","vi":"Góp ý, phản ánh, kiến nghị của Ông/Bà đã được xử lý như thế nào?"},"name":"feedback_result","relevant":"${gave_feedback} = 'yes'","required":"true()","type":"select_one feedback_result"}],"label":{"en":"Your experience","vi":"Cảm nhận của Ông/Bà"},"name":"perception","type":"group"},{"calculation":"if(${e1_1} >= 4, 1, 0) + if(${e1_2} >= 4, 1, 0) + if(${e1_3} >= 4, 1, 0) + if(${e1_4} >= 4, 1, 0) + if(${e2_1} >= 4, 1, 0) + if(${e2_2} >= 4, 1, 0) + if(${e2_3} >= 4, 1, 0) + if(${e2_4} >= 4, 1, 0) + if(${e2_5} >= 4, 1, 0) + if(${e3_1} >= 4, 1, 0) + if(${e3_2} >= 4, 1, 0) + if(${e3_3} >= 4, 1, 0) + if(${e3_4} >= 4, 1, 0) + if(${e3_5} >= 4, 1, 0) + if(${e3_6} >= 4, 1, 0) + if(${e4_1} >= 4, 1, 0) + if(${e4_2} >= 4, 1, 0) + if(${e4_3} >= 4, 1, 0) + if(${e5_1} >= 4, 1, 0) + if(${e5_2} >= 4, 1, 0) + if(${e5_3} >= 4, 1, 0) + if(${e5_4} >= 4, 1, 0)","name":"satisfied_count","type":"calculate"},{"calculation":"round(${satisfied_count} * 100 div 22, 1)","name":"satisfied_pct","type":"calculate"},{"label":{"en":"Criteria rated satisfied or very satisfied: ${satisfied_count}/22 (${satisfied_pct}%)","vi":"Số tiêu chí hài lòng hoặc rất hài lòng: ${satisfied_count}/22 (${satisfied_pct}%)"},"name":"summary","type":"note"},{"appearance":"multiline","label":{"en":"Do you have any other comments to help the agency serve you better?","vi":"Ông/Bà có ý kiến nào khác để cơ quan phục vụ tốt hơn không?"},"name":"comment","type":"text"}],"title":{"en":"Survey of citizen and organisation satisfaction with the service of state administrative agencies (Decision 2640/QĐ-BNV)","vi":"Phiếu khảo sát sự hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính nhà nước (QĐ 2640/QĐ-BNV)"},"version":"2017.1"}
\.


--
-- Data for Name: form_equivalent; Type: TABLE DATA; Schema: canvass; Owner: -
--

COPY canvass.form_equivalent (sha256, same_as, author, "time") FROM stdin;
\.


--
-- Data for Name: interview; Type: TABLE DATA; Schema: canvass; Owner: -
--

COPY canvass.interview (id, form, surveyor, device, created, mode, status, updated, province) FROM stdin;
phieu-001	69d79a75acb2e822a5df85dfa4d82b545e651ac474c7629d355e82d5c0309861	lan	vm	2026-03-01T08:00:01.000Z	bulk	completed	2026-03-01T08:00:04.000Z	{}
phieu-002	69d79a75acb2e822a5df85dfa4d82b545e651ac474c7629d355e82d5c0309861	lan	vm	2026-03-01T08:00:05.000Z	bulk	completed	2026-03-01T08:00:08.000Z	{}
phieu-003	69d79a75acb2e822a5df85dfa4d82b545e651ac474c7629d355e82d5c0309861	lan	vm	2026-03-01T08:00:09.000Z	bulk	draft	2026-03-01T08:00:11.000Z	{}
phieu-004	69d79a75acb2e822a5df85dfa4d82b545e651ac474c7629d355e82d5c0309861	lan	vm	2026-03-01T08:00:12.000Z	bulk	draft	2026-03-01T08:00:14.000Z	{}
minh-001	69d79a75acb2e822a5df85dfa4d82b545e651ac474c7629d355e82d5c0309861	minh	vm	2026-03-01T08:00:00.000Z	bulk	draft	2026-03-01T08:00:02.000Z	{}
\.


--
-- Data for Name: merge_log; Type: TABLE DATA; Schema: canvass; Owner: -
--

COPY canvass.merge_log (id, source_id, path, sha256, "time", new_interviews, new_revisions, changed_interviews, pushed_by) FROM stdin;
1	s1-0001	s1.canvass	940c2f2d989704b28ad0a66b84bf98c0275f703d2a280835a782d780fdf96963	2026-03-01T08:00:00.000Z	4	145	0	postgres
2	s2-0001	s2.canvass	1b80b69a881392472667784a20deaf1779ca56133192fad66e627c9c8a6730c8	2026-03-01T08:00:01.000Z	1	37	2	postgres
\.


--
-- Data for Name: meta; Type: TABLE DATA; Schema: canvass; Owner: -
--

COPY canvass.meta (key, value) FROM stdin;
file_id	e8f0e474-2144-4f80-9895-15e05a58a3a2
schema	1
\.


--
-- Data for Name: origin; Type: TABLE DATA; Schema: canvass; Owner: -
--

COPY canvass.origin (origin, counter, source) FROM stdin;
s1-0001	1	s1.canvass
base-0001	144	via s1.canvass
s2-0001	37	s2.canvass
\.


--
-- Data for Name: revision; Type: TABLE DATA; Schema: canvass; Owner: -
--

COPY canvass.revision (origin, counter, interview, field, value, author, device, hlc, "time", parents, digest) FROM stdin;
base-0001	1	phieu-001	_status	draft	lan	vm	116152860803072000	2026-03-01T08:00:02.000Z		\\xc7bf67de7ea238f331aa6bc68c3b21a6db1281b8fe68a196b676fd1849575fff
base-0001	2	phieu-001	deviceid	vm	lan	vm	116152860868608000	2026-03-01T08:00:03.000Z		\\xe139ed7e5d2501fe2b30f2dd4a1b2229ca580998d24b56f535ae89bd8ecf3c35
base-0001	3	phieu-001	e1_1	4	lan	vm	116152860868608001	2026-03-01T08:00:03.000Z		\\x9bcdf32d19a9bc609200b6784a225b91cb2b65784933321d05b6be321c854666
base-0001	4	phieu-001	e1_2	5	lan	vm	116152860868608002	2026-03-01T08:00:03.000Z		\\x928f5cc5ec19cbcdeca210218a2167c5d7bf51cb3de0a901b6bb8a175a89c7eb
base-0001	5	phieu-001	e1_3	3	lan	vm	116152860868608003	2026-03-01T08:00:03.000Z		\\x322bee606cc3905196e57d643eea92ed261d4667b8fc085270e282b411bcb378
base-0001	6	phieu-001	e1_4	4	lan	vm	116152860868608004	2026-03-01T08:00:03.000Z		\\xe9aacbdcdb84e5ec658613ed933634c0bc87e13094a413fdce5704793ad9714c
base-0001	7	phieu-001	e2_1	5	lan	vm	116152860868608005	2026-03-01T08:00:03.000Z		\\xf50629c89f6b5046ee61ef692eef980d61841383334497da060fdd1f3bcd98f7
base-0001	8	phieu-001	e2_2	3	lan	vm	116152860868608006	2026-03-01T08:00:03.000Z		\\x3ccdeae9314e893b6169592033e4e06e4ddf78209e6a27c5511903dc0d1156df
base-0001	9	phieu-001	e2_3	4	lan	vm	116152860868608007	2026-03-01T08:00:03.000Z		\\xc874d0280a3003a6e872ad937feb5300e5ffb126bc629d9508572eb76058d91e
base-0001	10	phieu-001	e2_4	5	lan	vm	116152860868608008	2026-03-01T08:00:03.000Z		\\x57667397abfb101ebf8e48adc461666a621daeef06745bea971882ec42a18666
base-0001	11	phieu-001	e2_5	3	lan	vm	116152860868608009	2026-03-01T08:00:03.000Z		\\xcec2dd419831b786a7328867a44f37145edd0fce85a2334f86f5c510cd6a8285
base-0001	12	phieu-001	e3_1	4	lan	vm	116152860868608010	2026-03-01T08:00:03.000Z		\\x93a58b64c1836f5eb3c67a31e837ebbabc9b099b7d9bc720d57aeed7427be1d3
base-0001	13	phieu-001	e3_2	5	lan	vm	116152860868608011	2026-03-01T08:00:03.000Z		\\x236475158152326ffeec1eb3414186da29df9ac0ebc9828215b8d7aecb18d3e4
base-0001	14	phieu-001	e3_3	3	lan	vm	116152860868608012	2026-03-01T08:00:03.000Z		\\x47d9f181d84fab39dc28ae4bb4696f64e3e5833884d472eb7eefdd8394559acd
base-0001	15	phieu-001	e3_4	4	lan	vm	116152860868608013	2026-03-01T08:00:03.000Z		\\x1f90284f9a93fd283f8d1d1cd7d80d51876cd49c6518631019c4192473cb79ab
base-0001	16	phieu-001	e3_5	5	lan	vm	116152860868608014	2026-03-01T08:00:03.000Z		\\xe06857b21437219e9982499fca8e287abea1ebaf39b421dcbfa5a3f453502417
base-0001	17	phieu-001	e3_6	3	lan	vm	116152860868608015	2026-03-01T08:00:03.000Z		\\x69206aa0f1b24e76e182c20bb7d615002f834b01e946c6b105ed2923d12cc72c
base-0001	18	phieu-001	e4_1	4	lan	vm	116152860868608016	2026-03-01T08:00:03.000Z		\\x880d0b698e174fa108daf8954208bb4cd3e99e278bddd784280f65f81b505481
base-0001	19	phieu-001	e4_2	5	lan	vm	116152860868608017	2026-03-01T08:00:03.000Z		\\x7912958f242696aee86f1db7b1d0109b4a92d2ee4b53338ab3a7e4ff74c2470b
base-0001	20	phieu-001	e4_3	3	lan	vm	116152860868608018	2026-03-01T08:00:03.000Z		\\x45bebb7719484a06b580baf23f07a762ea3697b77c97501bbd86c0199b630d33
base-0001	21	phieu-001	e5_1	4	lan	vm	116152860868608019	2026-03-01T08:00:03.000Z		\\xf4470191b0f8fb8cf1a66fb85a29206e2e4f833940488714716a194be13d691f
base-0001	22	phieu-001	e5_2	5	lan	vm	116152860868608020	2026-03-01T08:00:03.000Z		\\xd842b29c4b2167bf025864fe6d3da135eebe4e2f66bcd498277451b72849c924
base-0001	23	phieu-001	e5_3	3	lan	vm	116152860868608021	2026-03-01T08:00:03.000Z		\\xf2e8ecbcaa00f4943719fce430bd355b338486d358ac20b8611a3205e44f7268
base-0001	24	phieu-001	e5_4	4	lan	vm	116152860868608022	2026-03-01T08:00:03.000Z		\\xbe67db0a518546e1560acb8f5ced089894cab2bbe8000659740e3a271e07f70f
base-0001	25	phieu-001	extra_payment	no	lan	vm	116152860868608023	2026-03-01T08:00:03.000Z		\\x4592ca0978f9cdf0b17ec60bcb809e2dfd0f6f482bbc88cca60518725e1ac396
base-0001	26	phieu-001	form_no	1	lan	vm	116152860868608024	2026-03-01T08:00:03.000Z		\\x69da66ff909dd31cd47136cbd1cbb3b8eff0e438730f60982a380b3ad88ad282
base-0001	27	phieu-001	gave_feedback	no	lan	vm	116152860868608025	2026-03-01T08:00:03.000Z		\\x106cc9e51b6128ab5ebb5b97904627aee2aba23b04e678d3903451adbdcaf60f
base-0001	28	phieu-001	on_time	yes	lan	vm	116152860868608026	2026-03-01T08:00:03.000Z		\\x1b8db80419dbea5b55cd8a4f99b76006f91facea2d94afed4ee5cc4824db8914
base-0001	29	phieu-001	procedure	Cấp bản sao trích lục hộ tịch	lan	vm	116152860868608027	2026-03-01T08:00:03.000Z		\\x43163dbfc7aa9983197a09ffdec7929fe30f150a6d812d850c41bba27c0c31dc
base-0001	30	phieu-001	respondent_type	individual	lan	vm	116152860868608028	2026-03-01T08:00:03.000Z		\\x0ad236fc261d2084f62eff127f8caae051e5b7c958bff570b1625db85a62f379
base-0001	31	phieu-001	submission	in_person	lan	vm	116152860868608029	2026-03-01T08:00:03.000Z		\\xa0128661785ae267bddd826646e8fe1a4af6c4c17da112ab97d3ab5a210e9d20
base-0001	32	phieu-001	trips	1	lan	vm	116152860868608030	2026-03-01T08:00:03.000Z		\\x74d9a7d407bc594f129865316cbfa906fc94d60eb497bfc8b9ffec234b99d649
base-0001	33	phieu-001	trouble	no	lan	vm	116152860868608031	2026-03-01T08:00:03.000Z		\\xeb0ac93dd9d0a1a39ac910eadddff5d09f7f28e7c7a1c429ed8c10aa7788c7ce
base-0001	34	phieu-001	unit	stp	lan	vm	116152860868608032	2026-03-01T08:00:03.000Z		\\xf71cadbbce46361a526240ef514c3d9b3e3d4feb14cc45786a63547ff1aea970
base-0001	35	phieu-001	username	lan	lan	vm	116152860868608033	2026-03-01T08:00:03.000Z		\\x987ea5b8f4cf1d8d7659f65bebd8538d62e75dee3db0a9bb890eb2071849b353
base-0001	36	phieu-001	_status	completed	lan	vm	116152860934144000	2026-03-01T08:00:04.000Z	base-0001:1	\\x028c6f04c3f2dd16df563d456898c679cb7095222d770d902f79d4a6ea920d16
base-0001	37	phieu-002	_status	draft	lan	vm	116152861065216000	2026-03-01T08:00:06.000Z		\\xc9c68fab5db39444071985ce8c99844801985deaff972c625b9fe4858247dee1
base-0001	38	phieu-002	age_group	25_34	lan	vm	116152861130752000	2026-03-01T08:00:07.000Z		\\x4ed93f963235522ec136395066b36270148da520f4bc9b80dcc7f440b6510c91
base-0001	39	phieu-002	comment	Thủ tục nhanh gọn	lan	vm	116152861130752001	2026-03-01T08:00:07.000Z		\\xa6a58be3de1dbffb3f3232ecc4f5600060cac3719e1841891b207c185ac863c5
base-0001	40	phieu-002	deviceid	vm	lan	vm	116152861130752002	2026-03-01T08:00:07.000Z		\\xf2e00e6397928a70cefd3ccdeb1d69a146d8a06ea70319b8b2e8064489320271
base-0001	41	phieu-002	e1_1	5	lan	vm	116152861130752003	2026-03-01T08:00:07.000Z		\\x27be0a9d830f3c35856d165a72b1522e0cb89a8448b7d1b428d098ff324819ed
base-0001	42	phieu-002	e1_2	3	lan	vm	116152861130752004	2026-03-01T08:00:07.000Z		\\x7366520958ce882507128924f4853bb25243dc0ab656c324304785b294625ea3
base-0001	43	phieu-002	e1_3	4	lan	vm	116152861130752005	2026-03-01T08:00:07.000Z		\\xe5a047369dc3d4cb04fbc4131eb375eb007a010002f74137699e7ea5dac24738
base-0001	44	phieu-002	e1_4	5	lan	vm	116152861130752006	2026-03-01T08:00:07.000Z		\\xea7801c15818e906a07e337ff9d2c1abb679f3e137c60422b4cb29071d77c0a3
base-0001	45	phieu-002	e2_1	3	lan	vm	116152861130752007	2026-03-01T08:00:07.000Z		\\xc95419811f4ef0b5647611ab2f095eda856aaa799a663bdbde93d6eec861f697
base-0001	46	phieu-002	e2_2	4	lan	vm	116152861130752008	2026-03-01T08:00:07.000Z		\\xc16e037cc704ca813555c9c20465623a82973eb5b526af76b4faa8242eb14dc8
base-0001	47	phieu-002	e2_3	5	lan	vm	116152861130752009	2026-03-01T08:00:07.000Z		\\xedff97c96c5af7d224f6cae5c078fb35a9b7d3dbbbc1173cbdbf63dd5b308dab
base-0001	48	phieu-002	e2_4	3	lan	vm	116152861130752010	2026-03-01T08:00:07.000Z		\\x195f375d087ef76f024ba2671428c42020cab3be1a911f2e2d920b6e580332a4
base-0001	49	phieu-002	e2_5	4	lan	vm	116152861130752011	2026-03-01T08:00:07.000Z		\\xa42ca72cebf59937ca7286ad12e0797b3e4d1d67705ef3a55ab940bf2448c61b
base-0001	50	phieu-002	e3_1	5	lan	vm	116152861130752012	2026-03-01T08:00:07.000Z		\\x77fcac4edd299a7f88c568e15e63960441bf819c0bd345b6bf5f2a29b77a40ea
base-0001	51	phieu-002	e3_2	3	lan	vm	116152861130752013	2026-03-01T08:00:07.000Z		\\xfe3c377ae551cc488f666bf93d8fe2d2ba604aa262d3c1eb2f7fde6d211f9fbc
base-0001	52	phieu-002	e3_3	4	lan	vm	116152861130752014	2026-03-01T08:00:07.000Z		\\x52b03e50be69a4dc1565f84a7e3ce8eb1738974d7732aa18606c8141cf9dbc55
base-0001	53	phieu-002	e3_4	5	lan	vm	116152861130752015	2026-03-01T08:00:07.000Z		\\x8d310d0a384a67768a99ba3007a587589e426946e4451a0e49e9f8ae6ab5b4da
base-0001	54	phieu-002	e3_5	3	lan	vm	116152861130752016	2026-03-01T08:00:07.000Z		\\x9a708b2e06f7e703424423b378653b82545c0929fa616231ff2219bca0e2584e
base-0001	55	phieu-002	e3_6	4	lan	vm	116152861130752017	2026-03-01T08:00:07.000Z		\\x08504de4c6afd99f2b024c916c40ba9028a823d71c7998b3ab4930e37e698f3e
base-0001	56	phieu-002	e4_1	5	lan	vm	116152861130752018	2026-03-01T08:00:07.000Z		\\xb1b55dae3752262773810af58c67a90d884624ff8b33acb4b878e988a2c11dd0
base-0001	57	phieu-002	e4_2	3	lan	vm	116152861130752019	2026-03-01T08:00:07.000Z		\\x6aa646d5db60c3dfbb2f76137664ac261468ec88f6fd3b86e52bdb75a499164f
base-0001	58	phieu-002	e4_3	4	lan	vm	116152861130752020	2026-03-01T08:00:07.000Z		\\xbe4b27a9cf2e0efed2341e577bceef9a06ec5138a4234bdaf9d1767de85548f6
base-0001	59	phieu-002	e5_1	5	lan	vm	116152861130752021	2026-03-01T08:00:07.000Z		\\x01373b5378af75d98c2a5cf63d05f691ab1f430e1754bc541906444ad52f2b82
base-0001	60	phieu-002	e5_2	3	lan	vm	116152861130752022	2026-03-01T08:00:07.000Z		\\x3cdd1c950e20edfb3c2d210fa4676ccde37cead18684c7c00204a193ae15e083
base-0001	61	phieu-002	e5_3	4	lan	vm	116152861130752023	2026-03-01T08:00:07.000Z		\\x3823a55a9630c8ee8bf31fb302fc0a841852faabdfc719d0e506a4f385a8117a
base-0001	62	phieu-002	e5_4	5	lan	vm	116152861130752024	2026-03-01T08:00:07.000Z		\\xdc9fb312764ab749f3cad586c5ff97a4520ec4835a72fb30a4080f700c1efd7f
base-0001	63	phieu-002	extra_payment	no	lan	vm	116152861130752025	2026-03-01T08:00:07.000Z		\\xc9cc727bffdb8bffb69626d8f15a205172d322f8533321fd44df576ebcad0806
base-0001	64	phieu-002	form_no	2	lan	vm	116152861130752026	2026-03-01T08:00:07.000Z		\\x60f71f20133ff5d26e13333286cd600542209a77b747d30fd83c85ceb26f9d02
base-0001	65	phieu-002	gave_feedback	no	lan	vm	116152861130752027	2026-03-01T08:00:07.000Z		\\x6b6bd3a7fb1e8474e3af5297646fe1a8d1bcc35839662d4ca5501fabca310cbb
base-0001	66	phieu-002	gender	female	lan	vm	116152861130752028	2026-03-01T08:00:07.000Z		\\x2d176e05e744ce11553ff3d92a6ea5dbbcb754706f4eb43824b00136303de0ef
base-0001	67	phieu-002	on_time	yes	lan	vm	116152861130752029	2026-03-01T08:00:07.000Z		\\x494374f9ffa6cbbcf085b6d1831bcdf7e594047c7148e985f2798801eab8d335
base-0001	68	phieu-002	procedure	Cấp bản sao trích lục hộ tịch	lan	vm	116152861130752030	2026-03-01T08:00:07.000Z		\\xd9ea2ba0acbdcc37a7088ae1a1df990669a0cff2f51b63d99afef44592bda790
base-0001	69	phieu-002	respondent_type	individual	lan	vm	116152861130752031	2026-03-01T08:00:07.000Z		\\xea78d3a5127f93ca012b2e6914da8682c4b2e95b24bd5476e6fc87db0e58a2d2
base-0001	70	phieu-002	submission	in_person	lan	vm	116152861130752032	2026-03-01T08:00:07.000Z		\\xa0b4f295494100fcea28174cafd8e3ee880e5945836e2480e3c277676f363bf6
base-0001	71	phieu-002	trips	1	lan	vm	116152861130752033	2026-03-01T08:00:07.000Z		\\x43fd7a786abad19806073158b78a993bb8fa31180fa4a84d6ba44a8015cc5677
base-0001	72	phieu-002	trouble	no	lan	vm	116152861130752034	2026-03-01T08:00:07.000Z		\\x4cb2fbef227a632dd2a7de76481c71e2f701b303f1a2f20c40f0008f44e92889
base-0001	73	phieu-002	unit	stp	lan	vm	116152861130752035	2026-03-01T08:00:07.000Z		\\x5704b6306caefc51a6b73045c5a5429b32bd43367b7f1529b3a1b6c7776c8806
base-0001	74	phieu-002	username	lan	lan	vm	116152861130752036	2026-03-01T08:00:07.000Z		\\xa27e45eb581e36583ecbe7a66a2c3546b2569c694e4f4db18b569175775d89a3
base-0001	75	phieu-002	_status	completed	lan	vm	116152861196288000	2026-03-01T08:00:08.000Z	base-0001:37	\\x0af9541b05e1973bbad3ed811dc98c98762052c9ea40d1cb444f9aa69da97d63
base-0001	76	phieu-003	_status	draft	lan	vm	116152861327360000	2026-03-01T08:00:10.000Z		\\x486e307242f067d0e450f5f3d08b7080af0e4c5e55db70363cd24e99cad03b7f
base-0001	77	phieu-003	deviceid	vm	lan	vm	116152861392896000	2026-03-01T08:00:11.000Z		\\x0529181fae155b95836c20740c853dea4b55f697736daf1d6de235b9141d42f5
base-0001	78	phieu-003	e1_1	3	lan	vm	116152861392896001	2026-03-01T08:00:11.000Z		\\x73d96d9bfccd8e89c923a3fb992ba78c9ae5340f835243d8e33c4ef1972b93a3
base-0001	79	phieu-003	e1_2	4	lan	vm	116152861392896002	2026-03-01T08:00:11.000Z		\\xf352281f27eca5c68f2cc7ceedd93fd5da1676334b59e32fb385e0f96eb02502
base-0001	80	phieu-003	e1_3	5	lan	vm	116152861392896003	2026-03-01T08:00:11.000Z		\\x65a80185808a24f028bb9a9bfbb4137429ddb53025be37bc0fff366c489c0daf
base-0001	81	phieu-003	e1_4	3	lan	vm	116152861392896004	2026-03-01T08:00:11.000Z		\\xc2baa0b69aac8ce802035b0fef8a440e701ed4b28454e7840ac0b5fabb3d9a78
base-0001	82	phieu-003	e2_1	4	lan	vm	116152861392896005	2026-03-01T08:00:11.000Z		\\xd9f75a4d66a97bac618fdbb661af7fe3b05f85892a5cb897fd5af0e2779ca96b
base-0001	83	phieu-003	e2_2	5	lan	vm	116152861392896006	2026-03-01T08:00:11.000Z		\\x2139b9a8e58c5bb7788692ae8b5a251e3f8ef2abb87d966448bc409c5f68528a
base-0001	84	phieu-003	e2_3	3	lan	vm	116152861392896007	2026-03-01T08:00:11.000Z		\\x0e62193c3c1a193c72bebe838bcb69ad1c79279a9716e6847f5603abe30e80b6
base-0001	85	phieu-003	e2_4	4	lan	vm	116152861392896008	2026-03-01T08:00:11.000Z		\\xa9d6defa9ab06a5ad0535f6b07159f8eba08d25cc4df0edd88b92adb5f6759e9
base-0001	86	phieu-003	e2_5	5	lan	vm	116152861392896009	2026-03-01T08:00:11.000Z		\\x063d67b2ce19b3e0ae73cccb009e4f14bc49ee82d014cef830385a7e4bddebe4
base-0001	87	phieu-003	e3_1	3	lan	vm	116152861392896010	2026-03-01T08:00:11.000Z		\\x0070f9478de0161d30a34aa0fd40b17c1c08fe5739e9622ff5847fcaefd771be
base-0001	88	phieu-003	e3_3	5	lan	vm	116152861392896011	2026-03-01T08:00:11.000Z		\\xc22cde3e7fd91793877bc99627220be7852bedf7c3a44ed48dfde0d5c617626f
base-0001	89	phieu-003	e3_4	3	lan	vm	116152861392896012	2026-03-01T08:00:11.000Z		\\x1647db1342ba74ae38e307487219b01283de30fd0f0d6fdbd05e76b0510254ca
base-0001	90	phieu-003	e3_5	4	lan	vm	116152861392896013	2026-03-01T08:00:11.000Z		\\xc9e75b6b563cfa42ee33c2588c5a99ef91fbc42861ab4b48872d2ea3e04545f2
base-0001	91	phieu-003	e3_6	5	lan	vm	116152861392896014	2026-03-01T08:00:11.000Z		\\x0381522ec4b79ef5200b1df4c3c8a77fceac79b13e8077185170d9271a189f57
base-0001	92	phieu-003	e4_1	3	lan	vm	116152861392896015	2026-03-01T08:00:11.000Z		\\xeabc692e496d70cfcc31d84452b60fa0da95c1bb1702faeef53b4627881df630
base-0001	93	phieu-003	e4_2	4	lan	vm	116152861392896016	2026-03-01T08:00:11.000Z		\\x91ecaa403d5cd5e72bdb5d3dcb0e5d7ba992cedde7301d6561099ab3dbf76165
base-0001	94	phieu-003	e4_3	5	lan	vm	116152861392896017	2026-03-01T08:00:11.000Z		\\x404c58960ea90f18f60ccfffff3690b24495d200961a32d965b16a776c626ffe
base-0001	95	phieu-003	e5_1	3	lan	vm	116152861392896018	2026-03-01T08:00:11.000Z		\\xfc22789655cc6fdeeeddce153f5cba16dbfbc70cb7d224daf4fe20b5ccd414bc
base-0001	96	phieu-003	e5_2	4	lan	vm	116152861392896019	2026-03-01T08:00:11.000Z		\\xece063f2ec825cfcc244bb3aafec8be6681354971098e19cd236b7c4cb46c76a
base-0001	97	phieu-003	e5_3	5	lan	vm	116152861392896020	2026-03-01T08:00:11.000Z		\\xe0867af73c52612b2d69c1576a2407f75f5270f3fa7c5798a96c67f3c9663b2b
base-0001	98	phieu-003	e5_4	3	lan	vm	116152861392896021	2026-03-01T08:00:11.000Z		\\x5b58c4d907bd913ae2d484614775aa279fa15ee684a49f34096184448c9405d2
base-0001	99	phieu-003	extra_payment	no	lan	vm	116152861392896022	2026-03-01T08:00:11.000Z		\\xb01a783ed9c1d2a71a138105874067b2a99dfa9f0e1880718232eafc661bc10e
base-0001	100	phieu-003	form_no	3	lan	vm	116152861392896023	2026-03-01T08:00:11.000Z		\\xaa4dfeff755b0b548f3fdfebd2eb55805aa659b8dbc35074e92c819cc01d4911
base-0001	101	phieu-003	gave_feedback	no	lan	vm	116152861392896024	2026-03-01T08:00:11.000Z		\\x782ba26f42d28131c8da2d8880ef1c9e88564663b276946412363826b3ca5068
base-0001	102	phieu-003	on_time	yes	lan	vm	116152861392896025	2026-03-01T08:00:11.000Z		\\xa2ff6b4e871907c706e6f091d3e27ca7475428ab4ff2859dd10becd44d957187
base-0001	103	phieu-003	procedure	Cấp bản sao trích lục hộ tịch	lan	vm	116152861392896026	2026-03-01T08:00:11.000Z		\\x73d13793301482089c439849b93a214badea93022c867c6a90f316d53712b2b1
base-0001	104	phieu-003	respondent_type	individual	lan	vm	116152861392896027	2026-03-01T08:00:11.000Z		\\x10d4641369174abb892e403d2b368d12ab7d4af19dc706a55a1321f34e02f9c7
base-0001	105	phieu-003	submission	in_person	lan	vm	116152861392896028	2026-03-01T08:00:11.000Z		\\x3c6502ddb5d13b02bc07992781c4adf61eabd4ce8d21e7b6c28f5a2c3c5415f9
base-0001	106	phieu-003	trips	1	lan	vm	116152861392896029	2026-03-01T08:00:11.000Z		\\x41b3781aa92dd2356ae342db42aec506f3f4dd9c44a86891e4e80eb954d693f8
base-0001	107	phieu-003	trouble	no	lan	vm	116152861392896030	2026-03-01T08:00:11.000Z		\\x1627951504532344caa2536241025c5f51a9d3b08947b2088b4a999e55ee95bd
base-0001	108	phieu-003	unit	stp	lan	vm	116152861392896031	2026-03-01T08:00:11.000Z		\\x5cabf1f100cdec0d62d6966e099a2fd95283230e69e064cf417e3f56af09ca93
base-0001	109	phieu-003	username	lan	lan	vm	116152861392896032	2026-03-01T08:00:11.000Z		\\x6240b4f2bba87d5c1e27f2a81f24cfdafb8361ba9028829c781cc810f1414acb
base-0001	110	phieu-004	_status	draft	lan	vm	116152861523968000	2026-03-01T08:00:13.000Z		\\x080fb28ad7f390f7b769524587336ff662605fa6c93a37d5fbd262d93b552df5
base-0001	111	phieu-004	deviceid	vm	lan	vm	116152861589504000	2026-03-01T08:00:14.000Z		\\x872a64814190fb9f542b4bb0c517e218b33d8685f9f7203f0d7e2c3cf991a626
base-0001	112	phieu-004	e1_1	4	lan	vm	116152861589504001	2026-03-01T08:00:14.000Z		\\xeda618dcccb5c7f841c12981194895e7ae2fb7485b14c962afb03252052c89a4
base-0001	113	phieu-004	e1_2	5	lan	vm	116152861589504002	2026-03-01T08:00:14.000Z		\\x2c3d992c5675cfc89030d1aa1abf049c3d181ec165dcc3fcf73098733867dba2
base-0001	114	phieu-004	e1_3	3	lan	vm	116152861589504003	2026-03-01T08:00:14.000Z		\\x733fed20b19628160f8c1dc7250e562e623edc7425bb9eab3011bfdab4dde1d4
base-0001	115	phieu-004	e1_4	4	lan	vm	116152861589504004	2026-03-01T08:00:14.000Z		\\xd41eee41e3c2f5287ef1dca47b2d45236be8bb75ba9ec32ada97fe1d2311ae09
base-0001	116	phieu-004	e2_1	5	lan	vm	116152861589504005	2026-03-01T08:00:14.000Z		\\x084dead99bcbd89349a0d29e2aad8ba7533fd476b1a87a997d921380132bfe62
base-0001	117	phieu-004	e2_2	3	lan	vm	116152861589504006	2026-03-01T08:00:14.000Z		\\x78f817c20d5ebb04278d4ba646623a5467d62846fe98aca7b23344452090446d
base-0001	118	phieu-004	e2_3	4	lan	vm	116152861589504007	2026-03-01T08:00:14.000Z		\\x59ed0886d1b517adce0d6412bea14f9aa15d9e3059c47c5fbd3b6a5a70122221
base-0001	119	phieu-004	e2_4	5	lan	vm	116152861589504008	2026-03-01T08:00:14.000Z		\\xfa40f6ce9aeef244a63aff04c95202280447255a2308c898f534406ea2c1450a
base-0001	120	phieu-004	e2_5	3	lan	vm	116152861589504009	2026-03-01T08:00:14.000Z		\\x98d2d128e74d2947f3d62c21715e12465042444a3d0aebba09402c6b3d50edb2
base-0001	121	phieu-004	e3_1	4	lan	vm	116152861589504010	2026-03-01T08:00:14.000Z		\\x5cec525ca960dc1d5d3cf8869a0519e49766e3505c2a693eaa8dafc7df3fe051
base-0001	122	phieu-004	e3_2	5	lan	vm	116152861589504011	2026-03-01T08:00:14.000Z		\\x38d6cf37cb560585f7c13d70d4d8aa70d685de3e753cffc894f8d480dc9098ff
base-0001	123	phieu-004	e3_3	3	lan	vm	116152861589504012	2026-03-01T08:00:14.000Z		\\x83383e0edd7da217cc4bac8d01b969a4b4c4b22be20786e1448273d087d92dd9
base-0001	124	phieu-004	e3_4	4	lan	vm	116152861589504013	2026-03-01T08:00:14.000Z		\\x03bca86809b575060ffc4db13bde26af81f1c888929cdc3cddcef39ec93257b9
base-0001	125	phieu-004	e3_5	5	lan	vm	116152861589504014	2026-03-01T08:00:14.000Z		\\x39f7bd0284053d2e067ae2aed5dc742ad10a768a647be3c57d277ec327dd1858
base-0001	126	phieu-004	e3_6	3	lan	vm	116152861589504015	2026-03-01T08:00:14.000Z		\\xf0003ad6d2eb6aed6bdb5e47b8d8131aadd79b69b74430ba56373dbb1a4fc363
base-0001	127	phieu-004	e4_1	4	lan	vm	116152861589504016	2026-03-01T08:00:14.000Z		\\xced554afd20ccbe1dec82d0f68131086b55e0aaa0204484767ffcbb3e9081586
base-0001	128	phieu-004	e4_2	5	lan	vm	116152861589504017	2026-03-01T08:00:14.000Z		\\x29487ca7a6fa4fc8c8fcdfcf0f2719500006eaa324c212c38a45eebbe5b2f26c
base-0001	129	phieu-004	e4_3	3	lan	vm	116152861589504018	2026-03-01T08:00:14.000Z		\\x6e36a60cfdef5a32005eb3205eefb275291ceecbe59c16fd8ad127e25619279a
base-0001	130	phieu-004	e5_1	4	lan	vm	116152861589504019	2026-03-01T08:00:14.000Z		\\xfae1b1503bf1974d38056d168204991353c62f6e55c6aeec6c7c0bcfc05f7df0
base-0001	131	phieu-004	e5_2	5	lan	vm	116152861589504020	2026-03-01T08:00:14.000Z		\\xd2871543f93bd15e0858232774c3493ce5b26452e890e297423f9e34cadf8b88
base-0001	132	phieu-004	e5_3	3	lan	vm	116152861589504021	2026-03-01T08:00:14.000Z		\\x726fcd8d8f6bd76766b40da5f4c9283984e84c298e6529c5fb9b041a056c50c0
base-0001	133	phieu-004	e5_4	4	lan	vm	116152861589504022	2026-03-01T08:00:14.000Z		\\xcbb199cf411e600aceab64e48f993faf9e3571e4ecd15ca704ffc8afc27ecb10
base-0001	134	phieu-004	extra_payment	no	lan	vm	116152861589504023	2026-03-01T08:00:14.000Z		\\x9332db68638321571a16f27cb09067db997795a55e3b2b276684020acccb79b0
base-0001	135	phieu-004	form_no	0	lan	vm	116152861589504024	2026-03-01T08:00:14.000Z		\\x3d43da0454daf6de8689b3c6a59fc8246150f6f4fd2be839e86a708f104deaec
base-0001	136	phieu-004	gave_feedback	no	lan	vm	116152861589504025	2026-03-01T08:00:14.000Z		\\xf98e6cd6e717fc7bbad223cd3abeca2fed8291ac79ecbe46d6c4f6a17cda3887
base-0001	137	phieu-004	on_time	yes	lan	vm	116152861589504026	2026-03-01T08:00:14.000Z		\\x5bb424e4906da9a644919f7dc72fc23d1b2283b7810bb757c14ef8c86bb01da4
base-0001	138	phieu-004	procedure	Cấp bản sao trích lục hộ tịch	lan	vm	116152861589504027	2026-03-01T08:00:14.000Z		\\xa871c258f6907f9d62d4ceddc2f8e23e9f635dfbbd58b9f5f5d005faa71234b6
base-0001	139	phieu-004	respondent_type	individual	lan	vm	116152861589504028	2026-03-01T08:00:14.000Z		\\x9f858f2aedbcecd4c2e4fca03278ba98b9ec1147310ce5b713fe504b99a1545f
base-0001	140	phieu-004	submission	in_person	lan	vm	116152861589504029	2026-03-01T08:00:14.000Z		\\x19bd6a817e9e26f8a47052696a32939f2c6ed892a1bed8ec4f08c613d8df89b8
base-0001	141	phieu-004	trips	1	lan	vm	116152861589504030	2026-03-01T08:00:14.000Z		\\xb68afa12042c2d4aa17d081e044b40fe918271cd4675d10623b537b417d286c8
base-0001	142	phieu-004	trouble	no	lan	vm	116152861589504031	2026-03-01T08:00:14.000Z		\\xb7d6d50f30798d39d38f48f81861220166a60012e7efa25997f501059dd068bb
base-0001	143	phieu-004	unit	stp	lan	vm	116152861589504032	2026-03-01T08:00:14.000Z		\\xaa6194e1cfef70ebe154f0030c03dcd2f8b73115d044af622c3524220bc422ae
base-0001	144	phieu-004	username	lan	lan	vm	116152861589504033	2026-03-01T08:00:14.000Z		\\xc7ee725397c4542b894e13fb491db76c244e3cb87b347dac339f8cff8342acc7
s1-0001	1	phieu-001	e1_1	1	lan	vm	116152861589504034	2026-03-01T08:00:00.000Z	base-0001:3	\\xf3a565e8962ea902e17714ac6198c3927b7200c2c8e13cb08f0f68f9e6b8795c
s2-0001	1	phieu-001	e1_1	2	minh	vm	116152861589504034	2026-03-01T08:00:00.000Z	base-0001:3	\\x31ef06bf3361e301639144ad210e448ad5bbac9ae703a802b5c9d496141c95a4
s2-0001	2	phieu-002	trips	3	minh	vm	116152861589504035	2026-03-01T08:00:00.000Z	base-0001:71	\\x1affa316187f84042fd4a57c32dee14ad9993422eff4e9bb552421979ebb2367
s2-0001	3	minh-001	_status	draft	minh	vm	116152861589504036	2026-03-01T08:00:01.000Z		\\x6107cf5a2dec99eacf23a5ef6f5c807be677276e046cf2b681ad033901985713
s2-0001	4	minh-001	deviceid	vm	minh	vm	116152861589504037	2026-03-01T08:00:02.000Z		\\x3df8f91dcb457b53cefe75fea1c85cb57fd68931d2eb4b3a03660d0b0617fb89
s2-0001	5	minh-001	e1_1	4	minh	vm	116152861589504038	2026-03-01T08:00:02.000Z		\\x68d74b5fe8aaec62a7122052a02926367cf5628aa4117f740f7ca645fe5e742e
s2-0001	6	minh-001	e1_2	5	minh	vm	116152861589504039	2026-03-01T08:00:02.000Z		\\xbfad98a82d8660c8af1f7a6074d3324ea672b071b6651de2cee3472d108799f7
s2-0001	7	minh-001	e1_3	3	minh	vm	116152861589504040	2026-03-01T08:00:02.000Z		\\x7ee01a40a1cecb9f274c7d04665e07d6e8a062c07c533131cf39ad755a948bf8
s2-0001	8	minh-001	e1_4	4	minh	vm	116152861589504041	2026-03-01T08:00:02.000Z		\\x051fbd1f0655c9058bebbbf8d1f870f1355243ddfc6fefb098f6082a49f9a429
s2-0001	9	minh-001	e2_1	5	minh	vm	116152861589504042	2026-03-01T08:00:02.000Z		\\x1b790e75e4216699c169e4fc255e57ec094cca01da3f291e12ed10521983721e
s2-0001	10	minh-001	e2_2	3	minh	vm	116152861589504043	2026-03-01T08:00:02.000Z		\\xb6ca0db11aeb2291fae3e85a230103b145be80a9211bff16e261f3c6b0ea538c
s2-0001	11	minh-001	e2_3	4	minh	vm	116152861589504044	2026-03-01T08:00:02.000Z		\\xd91fbb15042d815117356dbbf35cbfca74ac68233b31b4f4c1f708592092d2c4
s2-0001	12	minh-001	e2_4	5	minh	vm	116152861589504045	2026-03-01T08:00:02.000Z		\\xc55c04b21bdc3be860e9a10fa561123d5c1be8105b4cb13e9bdf8022ca4a7410
s2-0001	13	minh-001	e2_5	3	minh	vm	116152861589504046	2026-03-01T08:00:02.000Z		\\xc837684cc61edf639c23ba6a5da00c1ee24f0652550bf0490d9113430f06c889
s2-0001	14	minh-001	e3_1	4	minh	vm	116152861589504047	2026-03-01T08:00:02.000Z		\\xbcd84831cf914c8e69b702210339880da7dde88e35fb926bde4d1539dcc416c2
s2-0001	15	minh-001	e3_2	5	minh	vm	116152861589504048	2026-03-01T08:00:02.000Z		\\x1e5ddf9c2b2ceb4df1744d9d07a07f812810ff8a3f6a2e40f0006c293c8b3724
s2-0001	16	minh-001	e3_3	3	minh	vm	116152861589504049	2026-03-01T08:00:02.000Z		\\x1853bdf0c6916f4a9e13b98c27f7fab3e0af5aa70a57035be55b57a8945f6c3c
s2-0001	17	minh-001	e3_4	4	minh	vm	116152861589504050	2026-03-01T08:00:02.000Z		\\x5edc0d80bf08293947b718d2154ddb1848cd1baa6953121d308c6e9ea41491fe
s2-0001	18	minh-001	e3_5	5	minh	vm	116152861589504051	2026-03-01T08:00:02.000Z		\\xf9e1898d2bb2e78028509060809aa86bd9fdee4997d64b4cd9ee3dd1911f476b
s2-0001	19	minh-001	e3_6	3	minh	vm	116152861589504052	2026-03-01T08:00:02.000Z		\\x11d608eb39a41fa94da6414ef28d43e193a5ff75338a1c6e065da69128253a20
s2-0001	20	minh-001	e4_1	4	minh	vm	116152861589504053	2026-03-01T08:00:02.000Z		\\xaf5e4b7a4d9ddf3c747d3f617f6a76bacda88d71a1138c41721d0236ec0956e3
s2-0001	21	minh-001	e4_2	5	minh	vm	116152861589504054	2026-03-01T08:00:02.000Z		\\x044f5c32f281a5d88e064746adf31a27c7c469dad73952f2e97e975d0f002991
s2-0001	22	minh-001	e4_3	3	minh	vm	116152861589504055	2026-03-01T08:00:02.000Z		\\x97ca0cf19a76e4bab596321604f8e5bd444956b641ffc7d811f457f24488201a
s2-0001	23	minh-001	e5_1	4	minh	vm	116152861589504056	2026-03-01T08:00:02.000Z		\\xca3f83471cf3bbc79b5649141eb68da0993a09037e4357745261e770083e323c
s2-0001	24	minh-001	e5_2	5	minh	vm	116152861589504057	2026-03-01T08:00:02.000Z		\\xe5363475f3b0fcadced36e3591d4358eb71740cbeca25219a96f6179a396371c
s2-0001	25	minh-001	e5_3	3	minh	vm	116152861589504058	2026-03-01T08:00:02.000Z		\\xd06582705cd80a67f85144b05eff89d9925ac0a6e5456f8a0367521cae249463
s2-0001	26	minh-001	e5_4	4	minh	vm	116152861589504059	2026-03-01T08:00:02.000Z		\\xe495216e2025669e88edadb5c37c11df87125a553531b1e047206b54e80c53ce
s2-0001	27	minh-001	extra_payment	no	minh	vm	116152861589504060	2026-03-01T08:00:02.000Z		\\xbbd51fb30d7c9aa8ab7bf5ee9361f374ab99862758e6ca83b96dfa73a3b5a5e3
s2-0001	28	minh-001	form_no	1	minh	vm	116152861589504061	2026-03-01T08:00:02.000Z		\\x5325ca0922d9af85c777a15d03887f3a552516cf0f688edf9e5727b74d0a5c97
s2-0001	29	minh-001	gave_feedback	no	minh	vm	116152861589504062	2026-03-01T08:00:02.000Z		\\xe887f88581afa1f60bdb5a0143e358320da255af9fa153140ca4cf9b57bc35f3
s2-0001	30	minh-001	on_time	yes	minh	vm	116152861589504063	2026-03-01T08:00:02.000Z		\\x722f67bcaa213b2511347e9a77b01116eba0eb31e336e2622db03f9ef85fa9a5
s2-0001	31	minh-001	procedure	Cấp bản sao trích lục hộ tịch	minh	vm	116152861589504064	2026-03-01T08:00:02.000Z		\\xbb0d4524f87ad4cf354f86bc68812b6d15917d2624fa8310cb153f50d3a30590
s2-0001	32	minh-001	respondent_type	individual	minh	vm	116152861589504065	2026-03-01T08:00:02.000Z		\\x2509ccd6fd1e0e3fa15220288a0af06e1c8deb2cd77a311521f55de673159dac
s2-0001	33	minh-001	submission	in_person	minh	vm	116152861589504066	2026-03-01T08:00:02.000Z		\\xc59bc7d64dbba272868358436440b24144e2632e6eadfa80808a8a1897393e46
s2-0001	34	minh-001	trips	1	minh	vm	116152861589504067	2026-03-01T08:00:02.000Z		\\x17e8e7297d39f547a283267581ef04085f8e20b229a9aa479dee7958cd6c79a6
s2-0001	35	minh-001	trouble	no	minh	vm	116152861589504068	2026-03-01T08:00:02.000Z		\\x4f8af07b7845e1a9ec746e019cbaecea4d800bb417ba02b58225a42d1f04c1f6
s2-0001	36	minh-001	unit	stp	minh	vm	116152861589504069	2026-03-01T08:00:02.000Z		\\xef3bc5537b22cb5f1e5a1fcd57d18e6f0bf000fc2ff8989900ee36fd078e05c3
s2-0001	37	minh-001	username	minh	minh	vm	116152861589504070	2026-03-01T08:00:02.000Z		\\x79e4e4eea5551ef794ac2e3286006aa074a5f77889c90557782aaa4f9266aa00
\.


--
-- Name: merge_log_id_seq; Type: SEQUENCE SET; Schema: canvass; Owner: -
--

SELECT pg_catalog.setval('canvass.merge_log_id_seq', 2, true);


--
-- Name: attachment attachment_pkey; Type: CONSTRAINT; Schema: canvass; Owner: -
--

ALTER TABLE ONLY canvass.attachment
    ADD CONSTRAINT attachment_pkey PRIMARY KEY (sha256);


--
-- Name: attachment_use attachment_use_pkey; Type: CONSTRAINT; Schema: canvass; Owner: -
--

ALTER TABLE ONLY canvass.attachment_use
    ADD CONSTRAINT attachment_use_pkey PRIMARY KEY (sha256, interview);


--
-- Name: coordinator coordinator_pkey; Type: CONSTRAINT; Schema: canvass; Owner: -
--

ALTER TABLE ONLY canvass.coordinator
    ADD CONSTRAINT coordinator_pkey PRIMARY KEY (role, province);


--
-- Name: current current_pkey; Type: CONSTRAINT; Schema: canvass; Owner: -
--

ALTER TABLE ONLY canvass.current
    ADD CONSTRAINT current_pkey PRIMARY KEY (interview, field);


--
-- Name: fork fork_pkey; Type: CONSTRAINT; Schema: canvass; Owner: -
--

ALTER TABLE ONLY canvass.fork
    ADD CONSTRAINT fork_pkey PRIMARY KEY (origin);


--
-- Name: form_equivalent form_equivalent_pkey; Type: CONSTRAINT; Schema: canvass; Owner: -
--

ALTER TABLE ONLY canvass.form_equivalent
    ADD CONSTRAINT form_equivalent_pkey PRIMARY KEY (sha256, same_as);


--
-- Name: form form_pkey; Type: CONSTRAINT; Schema: canvass; Owner: -
--

ALTER TABLE ONLY canvass.form
    ADD CONSTRAINT form_pkey PRIMARY KEY (sha256);


--
-- Name: interview interview_pkey; Type: CONSTRAINT; Schema: canvass; Owner: -
--

ALTER TABLE ONLY canvass.interview
    ADD CONSTRAINT interview_pkey PRIMARY KEY (id);


--
-- Name: merge_log merge_log_pkey; Type: CONSTRAINT; Schema: canvass; Owner: -
--

ALTER TABLE ONLY canvass.merge_log
    ADD CONSTRAINT merge_log_pkey PRIMARY KEY (id);


--
-- Name: meta meta_pkey; Type: CONSTRAINT; Schema: canvass; Owner: -
--

ALTER TABLE ONLY canvass.meta
    ADD CONSTRAINT meta_pkey PRIMARY KEY (key);


--
-- Name: origin origin_pkey; Type: CONSTRAINT; Schema: canvass; Owner: -
--

ALTER TABLE ONLY canvass.origin
    ADD CONSTRAINT origin_pkey PRIMARY KEY (origin);


--
-- Name: revision revision_pkey; Type: CONSTRAINT; Schema: canvass; Owner: -
--

ALTER TABLE ONLY canvass.revision
    ADD CONSTRAINT revision_pkey PRIMARY KEY (origin, counter);


--
-- Name: attachment_use_interview; Type: INDEX; Schema: canvass; Owner: -
--

CREATE INDEX attachment_use_interview ON canvass.attachment_use USING btree (interview);


--
-- Name: current_conflict; Type: INDEX; Schema: canvass; Owner: -
--

CREATE INDEX current_conflict ON canvass.current USING btree (interview) WHERE conflict;


--
-- Name: revision_field; Type: INDEX; Schema: canvass; Owner: -
--

CREATE INDEX revision_field ON canvass.revision USING btree (interview, field);


--
-- Name: form_equivalent form_equivalent_same_as_fkey; Type: FK CONSTRAINT; Schema: canvass; Owner: -
--

ALTER TABLE ONLY canvass.form_equivalent
    ADD CONSTRAINT form_equivalent_same_as_fkey FOREIGN KEY (same_as) REFERENCES canvass.form(sha256);


--
-- Name: form_equivalent form_equivalent_sha256_fkey; Type: FK CONSTRAINT; Schema: canvass; Owner: -
--

ALTER TABLE ONLY canvass.form_equivalent
    ADD CONSTRAINT form_equivalent_sha256_fkey FOREIGN KEY (sha256) REFERENCES canvass.form(sha256);


--
-- Name: interview interview_form_fkey; Type: FK CONSTRAINT; Schema: canvass; Owner: -
--

ALTER TABLE ONLY canvass.interview
    ADD CONSTRAINT interview_form_fkey FOREIGN KEY (form) REFERENCES canvass.form(sha256);


--
-- Name: attachment; Type: ROW SECURITY; Schema: canvass; Owner: -
--

ALTER TABLE canvass.attachment ENABLE ROW LEVEL SECURITY;

--
-- Name: attachment_use; Type: ROW SECURITY; Schema: canvass; Owner: -
--

ALTER TABLE canvass.attachment_use ENABLE ROW LEVEL SECURITY;

--
-- Name: attachment by_interview; Type: POLICY; Schema: canvass; Owner: -
--

CREATE POLICY by_interview ON canvass.attachment FOR SELECT TO canvass_read USING ((EXISTS ( SELECT 1
   FROM (canvass.attachment_use u
     JOIN canvass.interview i ON ((i.id = u.interview)))
  WHERE (u.sha256 = attachment.sha256))));


--
-- Name: attachment_use by_interview; Type: POLICY; Schema: canvass; Owner: -
--

CREATE POLICY by_interview ON canvass.attachment_use FOR SELECT TO canvass_read USING ((EXISTS ( SELECT 1
   FROM canvass.interview i
  WHERE (i.id = attachment_use.interview))));


--
-- Name: current by_interview; Type: POLICY; Schema: canvass; Owner: -
--

CREATE POLICY by_interview ON canvass.current FOR SELECT TO canvass_read USING ((EXISTS ( SELECT 1
   FROM canvass.interview i
  WHERE (i.id = current.interview))));


--
-- Name: revision by_interview; Type: POLICY; Schema: canvass; Owner: -
--

CREATE POLICY by_interview ON canvass.revision FOR SELECT TO canvass_read USING ((EXISTS ( SELECT 1
   FROM canvass.interview i
  WHERE (i.id = revision.interview))));


--
-- Name: interview by_province; Type: POLICY; Schema: canvass; Owner: -
--

CREATE POLICY by_province ON canvass.interview FOR SELECT TO canvass_read USING ((EXISTS ( SELECT 1
   FROM canvass.coordinator c
  WHERE ((c.role = CURRENT_USER) AND ((c.province = '*'::text) OR (c.province = ANY (interview.province)))))));


--
-- Name: current; Type: ROW SECURITY; Schema: canvass; Owner: -
--

ALTER TABLE canvass.current ENABLE ROW LEVEL SECURITY;

--
-- Name: interview; Type: ROW SECURITY; Schema: canvass; Owner: -
--

ALTER TABLE canvass.interview ENABLE ROW LEVEL SECURITY;

--
-- Name: revision; Type: ROW SECURITY; Schema: canvass; Owner: -
--

ALTER TABLE canvass.revision ENABLE ROW LEVEL SECURITY;

--
-- PostgreSQL database dump complete
--

\unrestrict FEAozBv7IpiFqtIEQICqisol2iXtNw8s8RFkeOUHHIDK8kh9CLeTFQGTsssRV5a

