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

# The throwaway PostgreSQL cluster: trust for the superuser on the socket and on 127.0.0.1,
# passwords (scram) for everyone else, TLS on. initdb refuses to run as root: as root, the
# cluster belongs to the postgres user.
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -n "$pgbin" ]; then
  pgdir=$(mktemp -d "${TMPDIR:-/tmp}/canvass-pg.XXXXXX")
  as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
  [ "$(id -u)" = 0 ] && chown postgres "$pgdir"
  port=$(python3 -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
  as_owner "$pgbin/initdb" -D "$pgdir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Canvass test CA" -keyout "$pgdir/ca.key" -out "$pgdir/ca.crt" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -keyout "$pgdir/server.key" -out "$pgdir/server.csr" 2>/dev/null
  openssl x509 -req -in "$pgdir/server.csr" -CA "$pgdir/ca.crt" -CAkey "$pgdir/ca.key" -CAcreateserial -days 2 \
    -copy_extensions copy -out "$pgdir/server.crt" 2>/dev/null
  cp "$pgdir/server.crt" "$pgdir/server.key" "$pgdir/data/"
  chmod 600 "$pgdir/data/server.key"
  [ "$(id -u)" = 0 ] && chown postgres "$pgdir/data/server.crt" "$pgdir/data/server.key"
  # The superuser without a password on 127.0.0.1; the role canvass_tls only over TLS (the TLS test).
  sed -i '1i host all postgres 127.0.0.1/32 trust\nhostnossl all canvass_tls 127.0.0.1/32 reject\nhostnossl all canvass_tls ::1/128 reject' "$pgdir/data/pg_hba.conf"
  as_owner "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/data/log" -w start \
    -o "-p $port -k $pgdir/data -c listen_addresses=localhost -c ssl=on -c fsync=off" >/dev/null
  export CANVASS_TEST_POSTGRES="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
  export CANVASS_TEST_POSTGRES_CA="$pgdir/ca.crt"
  stop_server() { as_owner "$pgbin/pg_ctl" -D "$pgdir/data" -m fast -w stop >/dev/null 2>&1 || true; rm -rf "$pgdir"; }
  trap stop_server EXIT
  echo "== PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (TLS on), for this run" >&2
else
  echo "== PostgreSQL is not installed (Debian package postgresql): the server tests will fail and say so" >&2
fi

# The kill loops run 5 rounds each; docs/reliability.md gives the full local run (50).
swift test "$@"
