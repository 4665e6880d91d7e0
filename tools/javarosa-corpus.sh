#!/usr/bin/env bash
# Regenerates Tests/Fixtures/javarosa/corpus.jsonl: the expressions of tools/javarosa/cases.py with
# JavaRosa's answers, evaluated by the JavaRosa inside the ODK Validate jar that pyxform ships
# (tools/test.sh installs pyxform into .venv). Needs Java 17 (javac). Dates are read in Vietnam's
# zone (UTC+7), as a laptop there would; ExpressionCorpusTests evaluates them in the same zone.
#
#   tools/javarosa-corpus.sh            writes the corpus and prints how many cases it holds
set -euo pipefail
cd "$(dirname "$0")/.."

jar=$(ls .venv/lib/python3*/site-packages/pyxform/validators/odk_validate/bin/ODK_Validate.jar 2>/dev/null | head -1 || true)
if [ -z "$jar" ]; then
  echo "error: ODK_Validate.jar not found under .venv; run tools/test.sh once (it installs pyxform)" >&2
  exit 1
fi
command -v javac >/dev/null || { echo "error: javac not found; install a JDK (Debian: default-jdk-headless)" >&2; exit 1; }

build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT
javac -nowarn -cp "$jar" -d "$build" tools/javarosa/JavaRosaCorpus.java
python3 tools/javarosa/cases.py \
  | TZ=Asia/Ho_Chi_Minh java -Duser.timezone=Asia/Ho_Chi_Minh -cp "$jar:$build" JavaRosaCorpus Tests/Fixtures/javarosa/instance.json \
  > Tests/Fixtures/javarosa/corpus.jsonl.new 2> "$build/stderr" || { cat "$build/stderr" >&2; exit 1; }
mv Tests/Fixtures/javarosa/corpus.jsonl.new Tests/Fixtures/javarosa/corpus.jsonl
echo "$(wc -l < Tests/Fixtures/javarosa/corpus.jsonl) cases written to Tests/Fixtures/javarosa/corpus.jsonl (JavaRosa $(unzip -p "$jar" META-INF/maven/org.getodk/javarosa/pom.properties | sed -n 's/^version=//p'))"
