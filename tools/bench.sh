#!/usr/bin/env bash
# Canvass benchmarks against the targets of the performance issue (see BENCHMARKS.md).
#
# usage: tools/bench.sh [record|validate|latency|export|all] [-n INTERVIEWS] [--runs R] [--keep]
#
#   record    canvass record of N generated SIPAS 2017 interviews (one batch, --complete), and the
#             floor: the same final rows inserted by the sqlite3 shell in one transaction, same
#             schema and pragmas (WAL, synchronous=FULL). Target: record <= 3x floor.
#   validate  canvass validate of that file. Target: >= 20,000 interviews/s.
#   latency   answer-to-next-question latency of canvass interview (tools/bench-latency.py).
#             Target: median and p95 <= 10 ms.
#   all       all three (the default).
#   export    canvass export --format csv of N interviews (use -n 250000), against the floor:
#             sqlite3 -csv of the current values. Target: <= 2x floor. Peak memory at N/5 and N
#             shows whether it is flat. Not part of `all` (recording 250,000 takes minutes).
#
# Builds the working tree's release binary into .build-release (incremental; BIN=path/to/canvass
# measures that binary instead), works in a temporary directory under ${TMPDIR:-/tmp} (kept with
# --keep), uses hyperfine when installed (HYPERFINE=no: a plain timing loop), and /usr/bin/time -v
# for peak memory. No network.
set -euo pipefail

usage() { sed -n 4p "$0" | sed 's/^# //'; exit 64; }

what=all n=10000 runs=3 keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    record|validate|latency|export|all) what=$1 ;;
    -n) n=${2:?}; shift ;;
    --runs) runs=${2:?}; shift ;;
    --keep) keep=1 ;;
    -h|--help) usage ;;
    *) echo "unknown argument: $1" >&2; usage ;;
  esac
  shift
done

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
form=$root/forms/sipas-2017.yaml
source tools/release-bin.sh
command -v sqlite3 >/dev/null || { echo "sqlite3 is needed (apt-get install sqlite3)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time is needed for peak memory (apt-get install time)" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/canvass-bench.XXXXXX")
if [ "$keep" = 1 ]; then echo "== working in $work (kept)" >&2; else trap 'rm -rf "$work"' EXIT; fi
export NO_COLOR=1
results=$work/results.tsv   # name <tab> median s <tab> min s <tab> max s
: > "$results"

# timeit NAME PREPARE COMMAND: runs COMMAND $runs times (after PREPARE each time, untimed).
timeit() {
  local name=$1 prepare=$2 command=$3
  if [ "${HYPERFINE:-yes}" != no ] && command -v hyperfine >/dev/null; then
    hyperfine --style basic --runs "$runs" --prepare "$prepare" --export-json "$work/$name.json" "$command" >&2
    python3 - "$work/$name.json" "$name" >> "$results" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print(f"{sys.argv[2]}\t{r['median']:.4f}\t{r['min']:.4f}\t{r['max']:.4f}")
EOF
  else
    local times=() i start end
    for ((i = 0; i < runs; i++)); do
      bash -c "$prepare"
      start=$(date +%s%N); bash -c "$command" > /dev/null; end=$(date +%s%N)
      times+=("$((end - start))")
    done
    printf '%s\n' "${times[@]}" | sort -n | awk -v name="$name" '
      { t[NR] = $1 / 1e9 } END { printf "%s\t%.4f\t%.4f\t%.4f\n", name, (NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2), t[1], t[NR] }' >> "$results"
  fi
}

# peak NAME PREPARE COMMAND: peak resident memory (MB) of one more run.
peak() {
  local name=$1 prepare=$2 command=$3
  bash -c "$prepare"
  /usr/bin/time -v -o "$work/$name.time" bash -c "exec $command" > /dev/null
  awk -v name="$name" '/Maximum resident set size/ { printf "%s\t%.1f\n", name, $NF / 1024 }' "$work/$name.time" >> "$work/peak.tsv"
}
: > "$work/peak.tsv"

echo "== machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(df -T "$work" | awk 'NR == 2 { print $2 }') at $work" >&2
if [ -n "${BIN:-}" ]; then
  echo "== canvass: $bin (built $(date -r "$bin" '+%F %T')); sqlite3 $(sqlite3 --version | cut -d' ' -f1)" >&2
else
  echo "== canvass at $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet -- Sources Package.swift || echo ' + uncommitted changes'); sqlite3 $(sqlite3 --version | cut -d' ' -f1)" >&2
fi

db=$work/record.canvass
record="$bin record $form --db $db --surveyor lan --device laptop-07 --answers $work/sipas.jsonl --complete"
need_file=0
case $what in record|validate|all) need_file=1 ;; esac
if [ "$need_file" = 1 ]; then
  python3 "$root/tools/gen-sipas.py" -n "$n" --seed 2017 -o "$work/sipas.jsonl"
fi

if [ "$what" = record ] || [ "$what" = all ]; then
  echo "== record: $n interviews" >&2
  timeit record "rm -f $db $db-wal $db-shm" "$record"
  peak record "rm -f $db $db-wal $db-shm" "$record"
  # The last run leaves the file: take its final rows, in the order canvass first wrote them
  # (interview by interview; each revision followed by its field's current row).
  floor=$work/floor.sql
  {
    echo "PRAGMA journal_mode = WAL;"
    echo "PRAGMA synchronous = FULL;"
    echo "BEGIN IMMEDIATE;"
    sqlite3 "$db" .schema
    echo "PRAGMA user_version = $(sqlite3 "$db" 'PRAGMA user_version');"
    echo "PRAGMA application_id = $(sqlite3 "$db" 'PRAGMA application_id');"
    echo "COMMIT;"
    echo "BEGIN IMMEDIATE;"
    # Small tables first (meta, form, origin, ...), then interviews, revisions and current rows.
    for table in $(sqlite3 "$db" "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT IN ('interview', 'revision', 'current')
        AND name NOT LIKE 'sqlite_%' ORDER BY rootpage"); do
      sqlite3 -cmd ".mode insert $table" "$db" "SELECT * FROM $table"
    done
    sqlite3 "$db" <<'EOF'
WITH first AS (SELECT interview, min(counter) AS c FROM revision GROUP BY interview),
     firstfield AS (SELECT interview, field, min(counter) AS c FROM revision GROUP BY interview, field)
SELECT sql FROM (
  SELECT f.c AS a, 0 AS d, 0 AS b, 'INSERT INTO interview (id, form, surveyor, device, created, mode, key, status, updated) VALUES (' || quote(i.id) || ', '
    || quote(i.form) || ', ' || quote(i.surveyor) || ', ' || quote(i.device) || ', ' || quote(i.created) || ', ' || quote(i.mode) || ', '
    || quote(i.key) || ', ' || quote(i.status) || ', ' || quote(i.updated) || ');' AS sql FROM interview i JOIN first f ON f.interview = i.id
  UNION ALL
  SELECT f.c, r.counter, 1, 'INSERT INTO revision (origin, counter, interview, field, value, author, device, hlc, time, parents, digest) VALUES ('
    || quote(r.origin) || ', ' || r.counter || ', ' || quote(r.interview) || ', ' || quote(r.field) || ', ' || quote(r.value) || ', '
    || quote(r.author) || ', ' || quote(r.device) || ', ' || r.hlc || ', ' || quote(r.time) || ', ' || quote(r.parents) || ', '
    || quote(r.digest) || ');'
    FROM revision r JOIN first f USING (interview)
  UNION ALL
  SELECT f.c, ff.c, 2, 'INSERT INTO current (interview, field, value, heads, conflict) VALUES (' || quote(c.interview) || ', '
    || quote(c.field) || ', ' || quote(c.value) || ', ' || quote(c.heads) || ', ' || c.conflict || ');'
    FROM current c JOIN first f USING (interview) JOIN firstfield ff USING (interview, field)
) ORDER BY a, d, b;
EOF
    echo "COMMIT;"
  } > "$floor"
  fdb=$work/floor.db
  timeit floor "rm -f $fdb $fdb-wal $fdb-shm" "sqlite3 $fdb < $floor > /dev/null"
  peak floor "rm -f $fdb $fdb-wal $fdb-shm" "sqlite3 $fdb < $floor"
  # For context, not the target: the same rows copied by SQLite itself (INSERT ... SELECT from the
  # recorded file, same order), without parsing one SQL statement per row as the shell floor does.
  copy=$work/copy.sql
  {
    echo "PRAGMA journal_mode = WAL;"
    echo "PRAGMA synchronous = FULL;"
    echo "BEGIN IMMEDIATE;"
    sqlite3 "$db" .schema
    echo "COMMIT;"
    echo "ATTACH '$db' AS src;"
    echo "BEGIN IMMEDIATE;"
    for table in $(sqlite3 "$db" "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT IN ('interview', 'revision', 'current')
        AND name NOT LIKE 'sqlite_%' ORDER BY rootpage"); do
      echo "INSERT INTO main.$table SELECT * FROM src.$table;"
    done
    cat <<'EOF'
CREATE TEMP TABLE first AS SELECT interview, min(counter) AS c FROM src.revision GROUP BY interview;
INSERT INTO main.interview SELECT i.* FROM src.interview i JOIN first f ON f.interview = i.id ORDER BY f.c;
INSERT INTO main.revision SELECT * FROM src.revision ORDER BY origin, counter;
INSERT INTO main.current SELECT c.* FROM src.current c
  JOIN (SELECT interview, field, min(counter) AS m FROM src.revision GROUP BY interview, field) r USING (interview, field) ORDER BY r.m;
COMMIT;
EOF
  } > "$copy"
  cdb=$work/copy.db
  timeit copy "rm -f $cdb $cdb-wal $cdb-shm" "sqlite3 $cdb < $copy > /dev/null"
  # The floor (and the copy) must hold exactly the rows canvass wrote.
  for table in $(sqlite3 "$db" "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"); do
    a=$(sqlite3 "$db" "SELECT * FROM $table ORDER BY 1, 2" | md5sum)
    for other in "$fdb" "$cdb"; do
      b=$(sqlite3 "$other" "SELECT * FROM $table ORDER BY 1, 2" | md5sum)
      [ "$a" = "$b" ] || { echo "$other differs from canvass in table $table" >&2; exit 1; }
    done
  done
  sqlite3 "$db" "SELECT 'rows: ' || (SELECT count(*) FROM interview) || ' interviews, ' || (SELECT count(*) FROM revision)
    || ' revisions, ' || (SELECT count(*) FROM current) || ' current; statuses: ' || (SELECT group_concat(status || ' ' || n, ', ')
    FROM (SELECT status, count(*) AS n FROM interview GROUP BY status)) || '; file ' || (page_count * page_size / 1048576) || ' MB'
    FROM pragma_page_count, pragma_page_size" >&2
  echo "floor: $(wc -l < "$floor") lines of SQL, $(($(wc -c < "$floor") / 1048576)) MB; identical rows in every table" >&2
fi

if [ "$what" = validate ] || [ "$what" = all ]; then
  if [ ! -f "$db" ]; then
    rm -f "$db" "$db-wal" "$db-shm"
    $record > /dev/null
  fi
  echo "== validate: $n interviews" >&2
  timeit validate "true" "$bin validate $db"
  peak validate "true" "$bin validate $db"
fi

if [ "$what" = export ]; then
  for size in $((n / 5)) "$n"; do
    file=$work/export-$size.canvass
    echo "== export: recording $size interviews" >&2
    python3 "$root/tools/gen-sipas.py" -n "$size" --seed 2017 -o "$work/export.jsonl"
    $bin record "$form" --db "$file" --surveyor lan --device laptop-07 --answers "$work/export.jsonl" --complete > /dev/null
    peak "export-$size" "rm -rf $work/out" "$bin export $file --format csv -o $work/out"
    rows=$(($(python3 -c "import csv, sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], newline=''))))" "$work/out/sipas_2017.csv") - 1))
    [ "$rows" = "$size" ] || { echo "export wrote $rows rows for $size interviews" >&2; exit 1; }
  done
  db=$work/export-$n.canvass
  echo "== export: $n interviews, $(sqlite3 "$db" 'SELECT count(*) FROM current') current values" >&2
  timeit export "rm -rf $work/out" "$bin export $db --format csv -o $work/out"
  timeit csvfloor "rm -f $work/floor.csv" "sqlite3 -csv $db 'SELECT interview, field, value FROM current' > $work/floor.csv"
  echo "export: $(($(wc -c < "$work/out/sipas_2017.csv") / 1048576)) MB wide CSV; floor: $(($(wc -c < "$work/floor.csv") / 1048576)) MB long CSV" >&2
fi

if [ -s "$results" ]; then
  echo
  printf '%-10s %10s %10s %10s %14s  %s\n' bench "median s" "min s" "max s" "interviews/s" "target"
  python3 - "$results" "$work/peak.tsv" "$n" <<'EOF'
import sys
rows = {l.split("\t")[0]: [float(x) for x in l.split("\t")[1:]] for l in open(sys.argv[1]) if l.strip()}
peaks = {l.split("\t")[0]: l.split("\t")[1].strip() for l in open(sys.argv[2]) if l.strip()}
n = int(sys.argv[3])
for name, (median, low, high) in rows.items():
    target = ""
    if name == "record" and "floor" in rows:
        ratio = median / rows["floor"][0]
        target = f"{ratio:.2f}x floor (target <= 3x: {'met' if ratio <= 3 else 'MISSED'})"
    if name == "copy":
        target = "(context only: SQLite copying the same rows, no per-row SQL parsing)"
    if name == "export" and "csvfloor" in rows:
        ratio = median / rows["csvfloor"][0]
        target = f"{ratio:.2f}x floor (target <= 2x: {'met' if ratio <= 2 else 'MISSED'})"
    if name == "validate":
        rate = n / median
        target = f"{rate / 20000:.2f}x of 20,000/s (target: {'met' if rate >= 20000 else 'MISSED'})"
    print(f"{name:<10} {median:10.3f} {low:10.3f} {high:10.3f} {n / median:14,.0f}  {target}")
print()
for name, mb in peaks.items():
    print(f"peak RSS {name:<10} {mb} MB")
EOF
fi

if [ "$what" = latency ] || [ "$what" = all ]; then
  echo
  python3 "$root/tools/bench-latency.py" --binary "$bin" --form "$form" --dir "$work" --runs "$runs"
fi
