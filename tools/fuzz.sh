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

# SwiftPM's --sanitize flags instrument the C code too (libyaml in Yams) and make the executables
# link libFuzzer's main (so each fuzz product is built on its own: canvass cannot be built this way).
# The Swift 6.3 driver keeps only the last -sanitize= it is given, so the combined flag goes last;
# SwiftPM orders the sanitizers by hash, so deterministic hashing keeps one order and no rebuilds.
export SWIFT_DETERMINISTIC_HASHING=1
flags=(-c release --build-path "$build" --sanitize=fuzzer --sanitize=address -Xswiftc -sanitize=fuzzer,address)
for name in "${targets[@]}"; do
    CANVASS_FUZZ=1 swift build "${flags[@]}" --product "$(product "$name")"
done

# Foundation's own leaks are suppressed; a leak in Canvass still stops the run.
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
    common=(-max_len="$(max_len "$name")" -rss_limit_mb=600 -timeout=20 -artifact_prefix="$artifacts")
    set +e
    # The seeds once, in one process: a committed reproducer that fails again stops here.
    "$bin/$(product "$name")" "$corpus" -runs=0 "${common[@]}" > "$work/$name/seeds.log" 2>&1
    code=$?
    if [ "$code" -ne 0 ]; then
        tail -40 "$work/$name/seeds.log"
    else
        # Fork mode: the fuzzing runs in child processes restarted every few seconds to 5 minutes,
        # because Foundation leaks on every XML parse error and refused regex (Fuzz/lsan.supp), which
        # would reach the memory limit within 10 minutes in one process. A crash, timeout or
        # out-of-memory in a child still stops the run.
        "$bin/$(product "$name")" "$corpus" "${common[@]}" -max_total_time=$((minutes * 60)) \
            -fork=1 -ignore_crashes=0 -ignore_timeouts=0 -ignore_ooms=0 ${FUZZ_ARGS:-} 2>&1 | tee "$work/$name/log"
        code=${PIPESTATUS[0]}
    fi
    set -e
    found=$(ls "$artifacts" 2>/dev/null || true)
    if [ "$code" -ne 0 ] || [ -n "$found" ]; then
        echo "!! $name failed (exit $code); reproducer(s):"
        for file in $found; do echo "   $artifacts$file"; done
        echo "   reproduce: $bin/$(product "$name") <reproducer>"
        echo "   minimise:  $bin/$(product "$name") -minimize_crash=1 -runs=100000 <reproducer>"
        status=1
    else
        # The parent's last status line: "#<executions>: cov: … time: <seconds>s job: …".
        grep -E '^#[0-9]+: cov' "$work/$name/log" | tail -1 | awk -v name="$name" -v inputs="$(ls "$corpus" | wc -l)" \
            '{ runs = substr($1, 2) + 0; for (i = 1; i < NF; i++) if ($i == "time:") secs = $(i + 1) + 0
               printf "== %s: clean; %d executions in %d s (%d/s), %d inputs in the corpus\n", name, runs, secs, runs / secs, inputs }'
    fi
done
if [ "$status" -eq 0 ]; then
    echo "To keep new inputs, minimise into the seeds:"
    echo "   $bin/<FuzzTarget> -merge=1 Fuzz/corpus/<target> $work/<target>/corpus"
fi
exit "$status"
