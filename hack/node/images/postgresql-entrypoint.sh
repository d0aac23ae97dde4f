#!/bin/sh
# PostgreSQL for the chart's bundled database, honouring what the chart sets (as the Docker "postgres" image
# does): POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB and PGDATA. The first start initialises PGDATA; every
# start then runs the server in the foreground, as the container's only process.
set -eu
: "${PGDATA:?PGDATA must name the data directory}"
: "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD must be set}"
POSTGRES_USER=${POSTGRES_USER:-postgres}
POSTGRES_DB=${POSTGRES_DB:-$POSTGRES_USER}
case "$POSTGRES_USER:$POSTGRES_DB" in
  *[!A-Za-z0-9_:-]*) echo "postgresql-entrypoint: POSTGRES_USER and POSTGRES_DB may hold letters, digits, '_' and '-' only" >&2; exit 1 ;;
esac
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  mkdir -p "$PGDATA"
  chmod 700 "$PGDATA"
  pwfile=$(mktemp)
  printf '%s\n' "$POSTGRES_PASSWORD" > "$pwfile"
  initdb -D "$PGDATA" -U "$POSTGRES_USER" --pwfile="$pwfile" -E UTF8 --no-locale \
    --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  rm -f "$pwfile"
  echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
  if [ "$POSTGRES_DB" != postgres ]; then
    echo "CREATE DATABASE \"$POSTGRES_DB\" OWNER \"$POSTGRES_USER\";" | postgres --single -D "$PGDATA" -j postgres >/dev/null
  fi
  echo "postgresql-entrypoint: initialised $PGDATA (database $POSTGRES_DB, user $POSTGRES_USER)"
fi
exec postgres -D "$PGDATA" -c listen_addresses='*' -c jit=off "$@"
