#!/usr/bin/env bash
# First start: initdb with POSTGRES_USER / POSTGRES_PASSWORD, password (scram) auth for every
# host and for replication (Debezium), listening on all interfaces. Then runs postgres.
set -euo pipefail
[ "${1:-}" = postgres ] && shift
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  : "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD is required on first start}"
  pwfile=$(mktemp)
  printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
  initdb -D "$PGDATA" -U "${POSTGRES_USER:-postgres}" --pwfile="$pwfile" --auth-local=scram-sha-256 \
    --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 --no-instructions >/dev/null
  rm -f "$pwfile"
  printf '%s\n' 'host all all all scram-sha-256' 'host replication all all scram-sha-256' >>"$PGDATA/pg_hba.conf"
  echo "listen_addresses = '*'" >>"$PGDATA/postgresql.conf"
fi
exec postgres -D "$PGDATA" "$@"
