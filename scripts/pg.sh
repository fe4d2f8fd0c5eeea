#!/usr/bin/env bash
# A private, throw-away PostgreSQL 15 cluster on 127.0.0.1 for the store tests (and for trying
# `vigie ingest --db postgresql://...` locally). Nothing outside its temporary folder is touched.
#
#   eval "$(bash scripts/pg.sh start)"   # prints: export VIGIE_TEST_PG_URL=... VIGIE_PG_DIR=...
#   .venv/bin/python -m pytest -q tests/test_store.py tests/test_store_reads.py
#   bash scripts/pg.sh stop "$VIGIE_PG_DIR"
#
# The server binaries come from Debian's postgresql-15 (PG_BIN overrides where they are). When they are
# missing and we are root, they are installed with apt-get. As root, initdb and postgres run as the
# `postgres` user (or `nobody`), since PostgreSQL refuses to run as root.
set -euo pipefail

PG_VERSION=15
PG_BIN="${PG_BIN:-/usr/lib/postgresql/$PG_VERSION/bin}"
DB_NAME=vigie
DB_USER=vigie

log() { echo "pg.sh: $*" >&2; }

ensure_binaries() {
  if [ -x "$PG_BIN/initdb" ] && [ -x "$PG_BIN/pg_ctl" ]; then
    return
  fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "PostgreSQL $PG_VERSION server binaries not found in $PG_BIN: installing postgresql-$PG_VERSION"
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "postgresql-$PG_VERSION" >&2
  fi
  if [ ! -x "$PG_BIN/initdb" ]; then
    log "no PostgreSQL $PG_VERSION server binaries in $PG_BIN (set PG_BIN, or install postgresql-$PG_VERSION)"
    exit 1
  fi
}

# Run a server binary as an unprivileged user when we are root (from /: that user may not be allowed
# into the current folder, e.g. a clone under /root).
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    (cd / && runuser -u "$RUN_AS" -- "$@")
  else
    "$@"
  fi
}

pick_user() {
  RUN_AS=""
  if [ "$(id -u)" = 0 ]; then
    if id postgres >/dev/null 2>&1; then RUN_AS=postgres; else RUN_AS=nobody; fi
  fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
  ensure_binaries
  pick_user
  local dir port
  dir="${1:-$(mktemp -d "${TMPDIR:-/tmp}/vigie-pg.XXXXXX")}"
  mkdir -p "$dir"
  [ -n "$RUN_AS" ] && chown -R "$RUN_AS" "$dir"
  port="$(free_port)"
  # C.UTF-8: byte-order collation (the same order as SQLite) with Unicode-aware lower().
  as_owner "$PG_BIN/initdb" -D "$dir/data" -U "$DB_USER" --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  # Loopback only, socket in our folder; durability is not needed for a test cluster.
  as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >&2 || { cat "$dir/server.log" >&2; exit 1; }
  as_owner "$PG_BIN/psql" -X -q -h 127.0.0.1 -p "$port" -U "$DB_USER" -d postgres -c "CREATE DATABASE $DB_NAME" >&2
  log "PostgreSQL $PG_VERSION running on 127.0.0.1:$port (data in $dir)"
  echo "export VIGIE_PG_DIR='$dir'"
  echo "export VIGIE_TEST_PG_URL='postgresql://$DB_USER@127.0.0.1:$port/$DB_NAME'"
}

stop() {
  local dir="${1:-${VIGIE_PG_DIR:-}}"
  if [ -z "$dir" ] || [ ! -d "$dir/data" ]; then
    log "nothing to stop (give the folder printed by start)"
    return 0
  fi
  pick_user
  ensure_binaries
  as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >&2 || true
  rm -rf "$dir"
  log "stopped and removed $dir"
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) shift; stop "$@" ;;
  *) echo "usage: $0 start [DIR] | stop [DIR]" >&2; exit 2 ;;
esac
