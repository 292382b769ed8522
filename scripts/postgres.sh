#!/usr/bin/env bash
# A private PostgreSQL cluster for the tests, on loopback port 54329, data in $OASIS_PG_DATA.
# Usage: scripts/postgres.sh start|stop
set -euo pipefail

DATA="${OASIS_PG_DATA:-/tmp/oasis-pg}"
PORT="${OASIS_PG_PORT:-54329}"
PGBIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
if [ ! -x "$PGBIN/initdb" ]; then
  echo "PostgreSQL est absent : lancez scripts/ensure_system_deps.sh" >&2
  exit 1
fi

# PostgreSQL refuses to run as root: run it as the postgres account in that case.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-start}" in
  start)
    if [ ! -f "$DATA/PG_VERSION" ]; then
      mkdir -p "$DATA"
      [ "$(id -u)" -eq 0 ] && chown postgres: "$DATA"
      as_owner "$PGBIN/initdb" -D "$DATA" -U oasis --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    if ! as_owner "$PGBIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
      as_owner "$PGBIN/pg_ctl" -D "$DATA" -w -l "$DATA/server.log" \
        -o "-p $PORT -k $DATA -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" start >/dev/null
    fi
    echo "PostgreSQL prêt sur 127.0.0.1:$PORT"
    ;;
  stop)
    as_owner "$PGBIN/pg_ctl" -D "$DATA" -w stop >/dev/null || true
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
