#!/usr/bin/env bash
# PostgreSQL 15 from Debian on 127.0.0.1 for the tests and benchmarks.
#   scripts/pg.sh        install if missing, start, create role/database `hub`, print the connection string
#   scripts/pg.sh stop
# Progress goes to stderr; stdout is the Npgsql connection string only.
set -euo pipefail
VERSION=${PG_VERSION:-15}
PORT=${PG_PORT:-5432}
BIN=/usr/lib/postgresql/$VERSION/bin
log() { printf '[pg] %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if [ "${1:-start}" = stop ]; then
  as_root pg_ctlcluster "$VERSION" main stop 2>/dev/null || true
  exit 0
fi

if [ ! -x "$BIN/postgres" ]; then
  log "installing postgresql-$VERSION from Debian"
  as_root apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q --no-install-recommends "postgresql-$VERSION" "postgresql-client-$VERSION" >/dev/null
fi
pg_lsclusters --no-header 2>/dev/null | awk -v v="$VERSION" '$1 == v && $2 == "main" { f = 1 } END { exit !f }' \
  || as_root pg_createcluster "$VERSION" main --port "$PORT" >/dev/null
conf=/etc/postgresql/$VERSION/main/conf.d/90-integrationhub.conf
want=$(printf "listen_addresses = '127.0.0.1'\nport = %s\nmax_connections = 300\n" "$PORT")
if [ "$(cat "$conf" 2>/dev/null)" != "$want" ]; then
  as_root install -d -o postgres -g postgres "$(dirname "$conf")"
  printf '%s\n' "$want" | as_root tee "$conf" >/dev/null
  as_root pg_ctlcluster "$VERSION" main restart >&2 || true
fi
# stdout is only for the connection string (callers capture it), so pg_ctlcluster's own messages,
# such as "Removed stale pid file.", go to stderr.
# A server killed a moment ago can still look alive to `status`, so keep starting until it answers.
for _ in $(seq 1 100); do
  "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" && break
  as_root pg_ctlcluster "$VERSION" main status >/dev/null 2>&1 || as_root pg_ctlcluster "$VERSION" main start >&2 || true
  sleep 0.2
done
"$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" || { log "PostgreSQL did not start (see /var/log/postgresql/)"; exit 1; }
as_root runuser -u postgres -- "$BIN/psql" -X -q -p "$PORT" -d postgres <<'SQL' >/dev/null
SELECT 'CREATE ROLE hub LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'hub') \gexec
ALTER ROLE hub LOGIN CREATEDB PASSWORD 'hub';
SELECT 'CREATE DATABASE hub OWNER hub' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'hub') \gexec
SQL
log "ready on 127.0.0.1:$PORT"
echo "Host=127.0.0.1;Port=$PORT;Username=hub;Password=hub;Database=hub"
