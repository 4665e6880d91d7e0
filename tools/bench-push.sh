#!/usr/bin/env bash
# Push benchmark: the surveyor files in DIR pushed to a throwaway PostgreSQL server (fsync on) by
# canvass, against the floor: the same rows (forms, interviews, revisions) loaded into the same
# tables, with the same keys and indexes, by psql \copy in one transaction.
#
# usage: tools/bench-push.sh --in DIR     (DIR holds s*.canvass, as tools/bench-merge.sh --in DIR makes them)
#
# Also: the floor's rows through a staging table, as a push must stage them; pushing the same
# files again (already merged); and peak memory at a quarter, half and all of the files (flat as
# files grow). Builds the release binary into .build-release unless BIN is set.
set -euo pipefail
usage() { sed -n 6p "$0" | sed 's/^# //'; exit 64; }
work=
while [ $# -gt 0 ]; do
  case "$1" in
    --in) work=${2:?}; shift ;;
    -h|--help) usage ;;
    *) echo "unknown argument: $1" >&2; usage ;;
  esac
  shift
done
[ -n "$work" ] || usage
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source tools/release-bin.sh
work=$(cd "$work" && pwd)
sources=("$work"/s*.canvass)
[ -f "${sources[0]}" ] || { echo "no s*.canvass in $work: make them with tools/bench-merge.sh --in $work" >&2; exit 1; }
export NO_COLOR=1
source tools/pg-server.sh
start_throwaway_postgres on
server=${CANVASS_TEST_POSTGRES%%/postgres\?*}
database() { throwaway_database "$1"; }

# The floor's input, made once: every form, interview and revision of the files, in COPY's text format.
if [ ! -f "$work/push-floor/revision.tsv" ]; then
  mkdir -p "$work/push-floor"
  python3 - "$work/push-floor" "${sources[@]}" <<'PY'
import sqlite3, sys
out, files = sys.argv[1], sys.argv[2:]
def text(v):
    if v is None: return "\\N"
    if isinstance(v, bytes): return "\\\\x" + v.hex()
    return str(v).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
forms = {}
with open(f"{out}/interview.tsv", "w") as interviews, open(f"{out}/revision.tsv", "w") as revisions:
    for path in files:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        for row in db.execute("SELECT sha256, form_id, version, definition FROM form"): forms[row[0]] = row
        for row in db.execute("SELECT id, form, surveyor, device, created, mode, status, updated FROM interview"):
            interviews.write("\t".join(map(text, row + (None,))) + "\n")
        for row in db.execute("SELECT origin, counter, interview, field, value, author, device, hlc, time, parents, digest FROM revision"):
            revisions.write("\t".join(map(text, row)) + "\n")
with open(f"{out}/form.tsv", "w") as f:
    for row in forms.values(): f.write("\t".join(map(text, row)) + "\n")
PY
fi
revisions=$(wc -l < "$work/push-floor/revision.tsv")
echo "== ${#sources[@]} files, $revisions revisions" >&2

# The floor writes the table a push writes (the log's partition), with its keys and indexes, but
# without the trigger that keeps heads, which is part of a push's work.
columns="origin, counter, interview, field, value, author, device, hlc, time, parents, digest"
load() {  # load NAME SQL: the forms, the interviews, then SQL for the revisions, in one transaction
  local url
  url=$(database "$1") || return
  psql -X -q -d "$url" -c "ALTER TABLE canvass.revision_log DISABLE TRIGGER revisions_added" || return
  timed psql -X -q -d "$url" -v ON_ERROR_STOP=1 <<SQL
BEGIN;
\copy canvass.form FROM '$work/push-floor/form.tsv'
\copy canvass.interview FROM '$work/push-floor/interview.tsv'
$2
COMMIT;
SQL
}
floor=$(load floor "\\copy canvass.revision_log ($columns) FROM '$work/push-floor/revision.tsv'")
# What staging alone would cost: the same rows through a temporary table and INSERT ... SELECT,
# with no check and no heads (a push copies straight into the log; this is kept for comparison).
staged=$(load staged "CREATE TEMP TABLE stage AS SELECT $columns FROM canvass.revision_log WITH NO DATA;
\\copy stage FROM '$work/push-floor/revision.tsv'
INSERT INTO canvass.revision_log ($columns) SELECT * FROM stage;")
measure() {  # measure N: pushes the first N files into a new database; prints "seconds peak-KB"
  local url
  url=$(database "push_$1") || return
  timed "$bin" merge "$url" "${sources[@]:0:$1}"
}
quarter=$(measure $(( ${#sources[@]} / 4 )))
half=$(measure $(( ${#sources[@]} / 2 )))
full=$(measure ${#sources[@]})
again=$(timed "$bin" merge "$server/push_${#sources[@]}?sslmode=disable" "${sources[@]}")
pushed=$(psql -X -q -A -t -d "$server/push_${#sources[@]}?sslmode=disable" -c "SELECT count(*) FROM canvass.revision")

python3 - "$floor" "$full" "$again" "$quarter" "$half" "$revisions" "$pushed" "${#sources[@]}" "$staged" <<'PY'
import sys
floor, full, again, quarter, half = (tuple(map(float, a.split())) for a in sys.argv[1:6])
rows, pushed, count = int(sys.argv[6]), int(sys.argv[7]), int(sys.argv[8])
staged = tuple(map(float, sys.argv[9].split()))
print(f"| files | {count} | revisions | {pushed} (floor {rows}) |")
print(f"| floor: psql \\copy of forms, interviews, revisions | {floor[0]:.2f} s | {floor[1]/1024:.0f} MB (psql) | |")
print(f"| the same through a staging table (no check, no heads) | {staged[0]:.2f} s | | {staged[0]/floor[0]:.2f}x the floor |")
print(f"| canvass merge URL (push) | {full[0]:.2f} s | {full[1]/1024:.0f} MB | {full[0]/floor[0]:.2f}x the floor (target <= 2x) |")
print(f"| pushing the same files again | {again[0]:.2f} s | {again[1]/1024:.0f} MB | {again[0]/floor[0]:.3f}x the floor |")
print(f"| peak memory at 1/4, 1/2, all files | {quarter[1]/1024:.0f} / {half[1]/1024:.0f} / {full[1]/1024:.0f} MB | | flat |")
PY
