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
