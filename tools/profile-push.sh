#!/usr/bin/env bash
# Where a push's time goes: 10 files pushed to warm up, then 16 more under auto_explain (analyze,
# nested statements, no per-node timing), and the server's time summed per statement.
#
# usage: tools/profile-push.sh --in DIR [--top]   (DIR holds s*.canvass, as tools/bench-merge.sh --in DIR makes them)
#
# --top: the statements the client sends (COPY, apply_begin, apply, COMMIT), timed by the server's
# log_min_duration_statement instead (their parse, bind and execute each count).
#
# Builds the release binary into .build-release unless BIN is set. Prints milliseconds per
# statement over the 16 files, the slowest first.
set -euo pipefail
usage() { sed -n 5p "$0" | sed 's/^# //'; exit 64; }
work= top=0
while [ $# -gt 0 ]; do
  case "$1" in
    --in) work=${2:?}; shift ;;
    --top) top=1 ;;
    -h|--help) usage ;;
    *) echo "unknown argument: $1" >&2; usage ;;
  esac
  shift
done
[ -n "$work" ] || usage
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source tools/release-bin.sh
sources=("$work"/s*.canvass)
[ "${#sources[@]}" -ge 26 ] || { echo "need 26 s*.canvass in $work: make them with tools/bench-merge.sh --in $work" >&2; exit 1; }
export NO_COLOR=1
source tools/pg-server.sh
start_throwaway_postgres on
url=$(throwaway_database profile)
"$bin" merge "$url" "${sources[@]:0:10}" >/dev/null
settings=("session_preload_libraries = 'auto_explain'" "auto_explain.log_min_duration = 0"
  "auto_explain.log_nested_statements = on" "auto_explain.log_analyze = on" "auto_explain.log_timing = off")
[ "$top" = 1 ] && settings=("log_min_duration_statement = 0")
for setting in "${settings[@]}"; do
  psql -X -q -d "$CANVASS_TEST_POSTGRES" -c "ALTER DATABASE profile SET $setting"
done
log=$pgdir/data/log
start=$(wc -c < "$log")
{ /usr/bin/time -f "%e" "$bin" merge "$url" "${sources[@]:10:16}" >/dev/null; } 2>&1 | awk '{ printf "== 16 files pushed in %s s\n", $1 }'
tail -c +$((start + 1)) "$log" | python3 -c '
import collections, re, sys
total = collections.defaultdict(lambda: [0, 0.0])
for entry in re.split(r"\n(?=\S.*LOG:  duration: )", sys.stdin.read()):
    m = re.search(r"duration: ([\d.]+) ms\s+(?:plan:\s*\n\s*Query Text|statement|execute [^:]*|parse [^:]*|bind [^:]*): (.*)", entry)
    if m:
        statement = m.group(2).strip()[:100] or "(inside a SQL function)"
        total[statement][0] += 1
        total[statement][1] += float(m.group(1))
for statement, (n, ms) in sorted(total.items(), key=lambda kv: -kv[1][1])[:15]:
    print(f"{ms:8.0f} ms {n:5d}x  {statement}")
'
