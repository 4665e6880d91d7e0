# Sourced by the benchmarks, from the repository's root: sets `bin` to $BIN when given, or else
# builds the release binary into .build-release (incremental: minutes the first time on 2
# cores, seconds after) and sets `bin` to it.
if [ -n "${BIN:-}" ]; then
  bin=$BIN
else
  echo "== swift build -c release --scratch-path .build-release" >&2
  swift build -c release --product canvass --scratch-path .build-release >&2
  bin=$PWD/.build-release/release/canvass
fi

# timed COMMAND...: runs COMMAND, its output discarded and its errors shown; prints "seconds
# peak-KB", or fails as COMMAND failed (so a broken run never passes for a fast one).
timed() {
  local out status=0
  out=$(mktemp)
  /usr/bin/time -o "$out" -f "%e %M" "$@" >/dev/null || status=$?
  [ "$status" = 0 ] && tail -1 "$out"
  rm -f "$out"
  return "$status"
}
