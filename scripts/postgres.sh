#!/usr/bin/env bash
# Start (or stop) a throw-away PostgreSQL server for the test suite, installing it if needed.
#   scripts/postgres.sh start   -> prints the server URL on its last line
#   scripts/postgres.sh stop
# The cluster lives in $PGDATA_DIR (default /tmp/corridor-pg) and listens on 127.0.0.1:$PGPORT.
set -euo pipefail
PGPORT="${PGPORT:-55432}"
PGDATA_DIR="${PGDATA_DIR:-/tmp/corridor-pg}"
URL="postgresql://corridor:corridor@127.0.0.1:${PGPORT}/corridor_test"

find_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1
}

as_pg() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

cmd="${1:-start}"
if [ "$cmd" = "stop" ]; then
  BIN="$(find_bin)"
  [ -n "$BIN" ] && [ -f "$PGDATA_DIR/postmaster.pid" ] && as_pg "$BIN/pg_ctl" -D "$PGDATA_DIR" -m fast stop >/dev/null || true
  exit 0
fi

BIN="$(find_bin)"
if [ -z "$BIN" ]; then
  echo "installing PostgreSQL server (apt)..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
  BIN="$(find_bin)"
fi
if [ "$(id -u)" = "0" ] && ! id postgres >/dev/null 2>&1; then
  useradd --system --home /var/lib/postgresql postgres
fi
if [ -f "$PGDATA_DIR/postmaster.pid" ] && as_pg "$BIN/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1; then
  echo "$URL"; exit 0
fi
rm -rf "$PGDATA_DIR"
mkdir -p "$PGDATA_DIR"
[ "$(id -u)" = "0" ] && chown postgres "$PGDATA_DIR"
as_pg "$BIN/initdb" -D "$PGDATA_DIR" -U postgres --auth=trust -E UTF8 >/dev/null
as_pg "$BIN/pg_ctl" -D "$PGDATA_DIR" -l "$PGDATA_DIR/server.log" -w \
  -o "-p $PGPORT -k $PGDATA_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
as_pg "$BIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -q -c "CREATE ROLE corridor LOGIN SUPERUSER PASSWORD 'corridor'" >/dev/null
as_pg "$BIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -q -c "CREATE DATABASE corridor_test OWNER corridor" >/dev/null
echo "$URL"
