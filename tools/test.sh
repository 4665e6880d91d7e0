#!/usr/bin/env bash
# The test command: sets up what the tests need, then runs every test.
#
#   tools/test.sh [ARGUMENTS FOR swift test]      e.g. tools/test.sh --filter MergeCommandTests
#
# - Debian packages: installed when run as root, otherwise named (the tests that need them then
#   fail and name them too): SQLite's library and shell, zlib headers, strace and GNU time (the
#   reliability tests), a Java runtime (pyxform's ODK Validate) and Python's venv.
# - Python packages, in .venv beside this repository (never the system's): pyxform, ODK's
#   reference XLSForm converter, and openpyxl, an XLSX reader that is not ours.
# - A throwaway PostgreSQL cluster (Debian's postgresql package) on a free local port, with TLS
#   (a certificate authority and a server certificate for localhost made here), for the server
#   tests; it is stopped and deleted when the tests end. Its URL is in CANVASS_TEST_POSTGRES.
# - Then `swift test`, which builds first. The tests look for .venv/bin before PATH.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
for package in libsqlite3-dev sqlite3 zlib1g-dev strace time python3-venv postgresql openssl; do
  dpkg -s "$package" >/dev/null 2>&1 || need+=("$package")
done
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "== installing Debian packages: ${need[*]}" >&2
    # No service starts from the package: the tests run their own cluster.
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
    rm -f /usr/sbin/policy-rc.d
  else
    echo "== missing Debian packages (install them as root): ${need[*]}; the tests that need them will fail" >&2
  fi
fi

# The venv is made once and reused; a venv that lacks a package is topped up.
python=python3
[ -x /usr/bin/python3 ] && python=/usr/bin/python3
if [ ! -x .venv/bin/python3 ]; then
  echo "== making .venv" >&2
  "$python" -m venv .venv
fi
if ! .venv/bin/python3 -c "import pyxform, openpyxl" 2>/dev/null || [ ! -x .venv/bin/xls2xform ]; then
  echo "== installing pyxform and openpyxl into .venv" >&2
  .venv/bin/python3 -m pip install -q --disable-pip-version-check pyxform==4.5.0 openpyxl==3.1.5
fi
export PATH="$PWD/.venv/bin:$PATH"

# A throwaway PostgreSQL cluster for the server tests (tools/pg-server.sh), stopped at the end.
# (Called outside an `if`, so that a failing initdb or pg_ctl stops the run.)
source tools/pg-server.sh
if ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
  start_throwaway_postgres off
else
  echo "== PostgreSQL is not installed (Debian package postgresql): the server tests will fail and say so" >&2
fi

# The kill loops run 5 rounds each; docs/reliability.md gives the full local run (50).
swift test "$@"
