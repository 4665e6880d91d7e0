#!/usr/bin/env bash
# Builds the libFuzzer targets in Fuzz/ and runs each for a while over a scratch copy of its seed
# corpus (Fuzz/corpus/<target>). See docs/fuzzing.md.
#
#   tools/fuzz.sh [expression|form|xlsx|all] [MINUTES]     (default: all, 10 minutes each)
#
# Exits non-zero when a target crashes, times out or runs out of memory, after printing the
# reproducer's path. Environment: FUZZ_WORK (scratch directory, default /tmp/canvass-fuzz),
# FUZZ_ARGS (extra libFuzzer flags).
set -euo pipefail

cd "$(dirname "$0")/.."
target=${1:-all}
minutes=${2:-10}
work=${FUZZ_WORK:-/tmp/canvass-fuzz}
build=.build-fuzz

case "$target" in
    all) targets=(expression form xlsx) ;;
    expression|form|xlsx) targets=("$target") ;;
    *) echo "usage: tools/fuzz.sh [expression|form|xlsx|all] [MINUTES]" >&2; exit 2 ;;
esac

product() {
    case "$1" in
        expression) echo FuzzExpression ;;
        form) echo FuzzFormLoader ;;
        xlsx) echo FuzzXLSX ;;
    esac
}

max_len() {
    case "$1" in
        expression) echo 4096 ;;
        form) echo 65536 ;;
        xlsx) echo 1048576 ;;
    esac
}

# libFuzzer's leak check after an input that leaves memory allocated. Foundation leaks on every XML
# parse error and refused regular expression (Fuzz/lsan.supp), so for those targets the check fires
# on most inputs and scans the whole heap each time, until libFuzzer gives up after 1000: off there.
detect_leaks() {
    case "$1" in
        form) echo 1 ;;
        expression|xlsx) echo 0 ;;
    esac
}

# SwiftPM's --sanitize flags instrument the C code too (libyaml in Yams) and make the executables
# link libFuzzer's main (so each fuzz product is built on its own: canvass cannot be built this way).
# The Swift 6.3 driver keeps only the last -sanitize= it is given, so the combined flag goes last;
# SwiftPM orders the sanitizers by hash, so deterministic hashing keeps one order and no rebuilds.
export SWIFT_DETERMINISTIC_HASHING=1
flags=(-c release --build-path "$build" --sanitize=fuzzer --sanitize=address -Xswiftc -sanitize=fuzzer,address)
for name in "${targets[@]}"; do
    CANVASS_FUZZ=1 swift build "${flags[@]}" --product "$(product "$name")"
done

# Foundation's own leaks are suppressed; a leak in Canvass still stops the form target.
# ASan's default quarantine (256 MB of freed memory held back) plus its allocator caches take most
# of the 600 MB limit once the xlsx target has replayed a few MB of workbooks, so it is smaller here.
export ASAN_OPTIONS="quarantine_size_mb=64:allocator_release_to_os_interval_ms=1000${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export LSAN_OPTIONS="suppressions=$PWD/Fuzz/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
bin=$(CANVASS_FUZZ=1 swift build "${flags[@]}" --show-bin-path)
status=0
for name in "${targets[@]}"; do
    corpus="$work/$name/corpus"
    artifacts="$work/$name/artifacts/"
    rm -rf "$work/$name"
    mkdir -p "$corpus" "$artifacts"
    cp Fuzz/corpus/"$name"/* "$corpus"/
    echo "== $name: $((minutes)) min, corpus $corpus, artifacts $artifacts"
    common=(-max_len="$(max_len "$name")" -rss_limit_mb=600 -timeout=20 -detect_leaks="$(detect_leaks "$name")"
            -artifact_prefix="$artifacts")
    # In rounds of at most 2 minutes, each a new process over the grown corpus: Foundation's leaks
    # would reach the memory limit after about 10 minutes in one process. Each round first runs the
    # whole corpus, so a committed reproducer that fails again stops the first one.
    : > "$work/$name/log"
    left=$((minutes * 60))
    start=$SECONDS
    code=0
    while [ "$left" -gt 0 ] && [ "$code" -eq 0 ]; do
        round=$((left < 120 ? left : 120))
        set +e
        "$bin/$(product "$name")" "$corpus" "${common[@]}" -max_total_time="$round" -print_final_stats=1 \
            ${FUZZ_ARGS:-} >> "$work/$name/log" 2>&1
        code=$?
        set -e
        left=$((left - round))
        grep -E '^#[0-9]+[[:space:]]+DONE' "$work/$name/log" | tail -1 | sed 's/^/   /'
    done
    elapsed=$((SECONDS - start))
    # libFuzzer also keeps inputs slower than 10 s (slow-unit-*): worth a look, not a failure.
    for file in "$artifacts"slow-unit-*; do [ -e "$file" ] && echo "   slow input (over 10 s): $file"; done
    found=$(ls "$artifacts" 2>/dev/null | grep -v '^slow-unit-' || true)
    if [ "$code" -ne 0 ] || [ -n "$found" ]; then
        grep -v -E '^#[0-9]+[[:space:]]+(NEW|REDUCE|pulse)|^[[:space:]]+NEW_FUNC' "$work/$name/log" | tail -60
        echo "!! $name failed (exit $code) after $elapsed s; reproducer(s):"
        for file in $found; do echo "   $artifacts$file"; done
        echo "   reproduce: $bin/$(product "$name") <reproducer>"
        echo "   minimise:  $bin/$(product "$name") -minimize_crash=1 -runs=100000 <reproducer>"
        status=1
    else
        runs=$(awk '/^stat::number_of_executed_units:/ { n += $2 } END { print n + 0 }' "$work/$name/log")
        peak=$(awk '/^stat::peak_rss_mb:/ { if ($2 > m) m = $2 } END { print m + 0 }' "$work/$name/log")
        kept=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$work/$name/log" | tail -1 | sed -E 's/.* corp: ([0-9]+)\/.*/\1/')
        echo "== $name: clean; $runs executions in $elapsed s ($((runs / (elapsed > 0 ? elapsed : 1)))/s)," \
             "peak RSS $peak MB, corpus $kept inputs ($(ls "$corpus" | wc -l) files in $corpus)"
    fi
done
if [ "$status" -eq 0 ]; then
    echo "To keep new inputs, minimise into the seeds:"
    echo "   $bin/<FuzzTarget> -merge=1 Fuzz/corpus/<target> $work/<target>/corpus"
fi
exit "$status"
