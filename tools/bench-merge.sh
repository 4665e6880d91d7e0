#!/usr/bin/env bash
# Merge benchmark: FILES surveyor files x N interviews x ~A answers merged by canvass, against the
# floor: the same revision rows unioned by the sqlite3 shell alone (one process, ATTACH +
# INSERT OR IGNORE ... SELECT per file, into the same schema with its (interview, field) index).
#
# usage: tools/bench-merge.sh [--files 200] [-n 250] [--answers 60] [--keep | --in DIR]
#
# --in DIR works in DIR and keeps it, making the surveyor files only if DIR has none yet, so a
# rerun measures the same files. Also: merging the same files again (target <= 0.1x the floor), and peak memory at a quarter,
# half and all of the files (target <= 300 MB and flat as files grow). Builds the release binary
# into .build-release unless BIN is set. No network.
set -euo pipefail
usage() { sed -n 6p "$0" | sed 's/^# //'; exit 64; }
files=200 n=250 answers=60 keep=0 work=
while [ $# -gt 0 ]; do
  case "$1" in
    --files) files=${2:?}; shift ;;
    -n) n=${2:?}; shift ;;
    --answers) answers=${2:?}; shift ;;
    --keep) keep=1 ;;
    --in) work=${2:?}; keep=1; shift ;;
    -h|--help) usage ;;
    *) echo "unknown argument: $1" >&2; usage ;;
  esac
  shift
done
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source tools/release-bin.sh
if [ -n "$work" ]; then mkdir -p "$work"; work=$(cd "$work" && pwd); else work=$(mktemp -d "${TMPDIR:-/tmp}/canvass-merge.XXXXXX"); fi
if [ "$keep" = 1 ]; then echo "== working in $work (kept)" >&2; else trap 'rm -rf "$work"' EXIT; fi
export NO_COLOR=1
form=$root/forms/sipas-2023.yaml

echo "== making $files files of $n interviews (sipas-2023, ~$answers answers each)" >&2
make_one() {
  local i=$1 id
  id=$(printf 's%03d' "$i")
  python3 "$root/tools/gen-answers.py" "$form" -n "$n" --answers "$answers" --seed "$i" --prefix "$id" -o "$work/$id.jsonl"
  "$bin" record "$form" --db "$work/$id.canvass" --surveyor "$id" --device "laptop-$id" --answers "$work/$id.jsonl" >/dev/null || true
  rm "$work/$id.jsonl"
}
export -f make_one; export root form n answers work bin
if ! ls "$work"/s*.canvass >/dev/null 2>&1; then seq 1 "$files" | xargs -P 2 -I{} bash -c 'make_one {}'; fi
rm -f "$work"/floor.canvass* "$work"/target-*.canvass*
sources=("$work"/s*.canvass)
revisions=$(for f in "${sources[@]}"; do sqlite3 "$f" "SELECT count(*) FROM revision"; done | paste -sd+ | bc)
echo "== ${#sources[@]} files, $revisions revisions in all" >&2

# The floor: an empty target with canvass's schema, then ATTACH + INSERT OR IGNORE per file.
floor_sql=$work/floor.sql
{
  echo "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
  for f in "${sources[@]}"; do
    echo "ATTACH '$f' AS src; BEGIN; INSERT OR IGNORE INTO revision SELECT * FROM src.revision; COMMIT; DETACH src;"
  done
} > "$floor_sql"
# Canvass keeps heads in `current` and no (interview, field) index on the log; the floor has the
# index, as the issue defines it.
{ sqlite3 "${sources[0]}" .schema | grep -v '^CREATE TABLE sqlite_' | grep -v 'revision_note'
  echo "CREATE INDEX IF NOT EXISTS revision_field ON revision(interview, field);"; } | sqlite3 "$work/floor.canvass"
floor=$(timed sqlite3 "$work/floor.canvass" < "$floor_sql")
floor_rows=$(sqlite3 "$work/floor.canvass" "SELECT count(*) FROM revision")

measure() {  # measure LABEL FILE...: prints "seconds peak-KB"
  local label=$1; shift
  timed "$bin" merge "$work/target-$label.canvass" "$@"
}
quarter=$(measure quarter "${sources[@]:0:$(( ${#sources[@]} / 4 ))}")
half=$(measure half "${sources[@]:0:$(( ${#sources[@]} / 2 ))}")
full=$(measure all "${sources[@]}")
again=$(timed "$bin" merge "$work/target-all.canvass" "${sources[@]}")
merged_rows=$(sqlite3 "$work/target-all.canvass" "SELECT count(*) FROM revision")

python3 - "$floor" "$full" "$again" "$quarter" "$half" "$floor_rows" "$merged_rows" "${#sources[@]}" <<'PY'
import sys
floor, full, again, quarter, half = (tuple(map(float, a.split())) for a in sys.argv[1:6])
floor_rows, merged_rows, count = int(sys.argv[6]), int(sys.argv[7]), int(sys.argv[8])
print(f"| files | {count} | revisions | {merged_rows} (floor {floor_rows}) |")
print(f"| floor: sqlite3 ATTACH + INSERT OR IGNORE | {floor[0]:.2f} s | {floor[1]/1024:.0f} MB | |")
print(f"| canvass merge | {full[0]:.2f} s | {full[1]/1024:.0f} MB | {full[0]/floor[0]:.2f}x the floor (target <= 1.5x) |")
print(f"| canvass merge again (already merged) | {again[0]:.2f} s | {again[1]/1024:.0f} MB | {again[0]/floor[0]:.3f}x the floor (target <= 0.1x) |")
print(f"| peak memory at 1/4, 1/2, all files | {quarter[1]/1024:.0f} / {half[1]/1024:.0f} / {full[1]/1024:.0f} MB | | target <= 300 MB, flat |")
PY
