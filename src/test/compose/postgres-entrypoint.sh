#!/usr/bin/env bash
# The postgres:15 stand-in's entrypoint: like the official image, initializes PGDATA on first start with
# POSTGRES_USER (default postgres), POSTGRES_PASSWORD and POSTGRES_DB (default: the user), then runs the server
# as the postgres user in the foreground, listening on every address.
set -euo pipefail
as_postgres() { setpriv --reuid=postgres --regid=postgres --init-groups "$@"; }
user="${POSTGRES_USER:-postgres}"
database="${POSTGRES_DB:-$user}"
mkdir -p "$PGDATA" /run/postgresql
chown -R postgres:postgres "$PGDATA" /run/postgresql
chmod 700 "$PGDATA"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  printf '%s' "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD must be set}" >/tmp/pwfile
  chown postgres /tmp/pwfile
  as_postgres initdb -D "$PGDATA" -U "$user" --pwfile=/tmp/pwfile -A scram-sha-256 --auth-local=trust >/dev/null
  rm -f /tmp/pwfile
  echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
  as_postgres pg_ctl -D "$PGDATA" -o "-c listen_addresses=" -w start >/dev/null
  if [ "$database" != postgres ]; then
    as_postgres psql -U "$user" -d postgres -v ON_ERROR_STOP=1 -c "create database \"$database\"" >/dev/null
  fi
  as_postgres pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
fi
# the server itself is PID 1, so that the engine's SIGTERM reaches it (a fast shutdown)
exec setpriv --reuid=postgres --regid=postgres --init-groups postgres -D "$PGDATA" -c listen_addresses='*'
