# Sourced by tools/test.sh and tools/bench-push.sh: a throwaway PostgreSQL cluster on a free local
# port, with TLS (a certificate authority and a server certificate for localhost made here).
#
#   start_throwaway_postgres off|on   # fsync off for tests, on for benchmarks; returns 1 without PostgreSQL
#
# It exports CANVASS_TEST_POSTGRES (the superuser's URL, no TLS), CANVASS_TEST_POSTGRES_CA and
# PGBIN, and stops and deletes the cluster when the shell exits. The superuser needs no password on
# 127.0.0.1; everyone else gives one (scram); the role canvass_tls may only connect over TLS.
# initdb refuses to run as root: as root, the cluster belongs to the postgres user.
start_throwaway_postgres() {
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -n "$PGBIN" ] || { echo "PostgreSQL is not installed (Debian package postgresql)" >&2; return 1; }
  export PGBIN
  pgdir=$(mktemp -d "${TMPDIR:-/tmp}/canvass-pg.XXXXXX")
  as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
  [ "$(id -u)" = 0 ] && chown postgres "$pgdir"
  local port
  port=$(python3 -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
  as_owner "$PGBIN/initdb" -D "$pgdir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Canvass test CA" -keyout "$pgdir/ca.key" -out "$pgdir/ca.crt" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -keyout "$pgdir/server.key" -out "$pgdir/server.csr" 2>/dev/null
  openssl x509 -req -in "$pgdir/server.csr" -CA "$pgdir/ca.crt" -CAkey "$pgdir/ca.key" -CAcreateserial -days 2 \
    -copy_extensions copy -out "$pgdir/server.crt" 2>/dev/null
  cp "$pgdir/server.crt" "$pgdir/server.key" "$pgdir/data/"
  chmod 600 "$pgdir/data/server.key"
  [ "$(id -u)" = 0 ] && chown postgres "$pgdir/data/server.crt" "$pgdir/data/server.key"
  sed -i '1i host all postgres 127.0.0.1/32 trust\nhostnossl all canvass_tls 127.0.0.1/32 reject\nhostnossl all canvass_tls ::1/128 reject' "$pgdir/data/pg_hba.conf"
  as_owner "$PGBIN/pg_ctl" -D "$pgdir/data" -l "$pgdir/data/log" -w start \
    -o "-p $port -k $pgdir/data -c listen_addresses=localhost -c ssl=on -c fsync=$1" >/dev/null
  export CANVASS_TEST_POSTGRES="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
  export CANVASS_TEST_POSTGRES_CA="$pgdir/ca.crt"
  # throwaway_database NAME: a new database of the cluster made a Canvass server by "$bin"; its URL.
  throwaway_database() {
    local url="${CANVASS_TEST_POSTGRES%%/postgres\?*}/$1?sslmode=disable"
    psql -X -q -d "$CANVASS_TEST_POSTGRES" -c "CREATE DATABASE $1" && "$bin" server init "$url" >/dev/null && echo "$url"
  }
  stop_throwaway_postgres() { as_owner "$PGBIN/pg_ctl" -D "$pgdir/data" -m fast -w stop >/dev/null 2>&1 || true; rm -rf "$pgdir"; }
  trap stop_throwaway_postgres EXIT
  echo "== PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (TLS on, fsync $1), for this run" >&2
}
