#!/usr/bin/env bash
# Private Redis and PostgreSQL for the test suites, on loopback ports that
# no system service uses, with all their state in one temp dir.
#
#   bash scripts/services.sh start    # starts both, prints `export` lines
#   bash scripts/services.sh stop     # stops exactly what `start` started
#   bash scripts/services.sh status   # exit 0 when both are up
#
# `eval "$(bash scripts/services.sh start)"` sets PORTCULLIS_REDIS_URL and
# PORTCULLIS_PG_URL in the calling shell. Both commands are idempotent, and
# `stop` only ever signals the pids recorded by `start`. Progress goes to
# stderr so that stdout holds only the export lines.
set -euo pipefail

DIR=${PORTCULLIS_SERVICES_DIR:-/tmp/portcullis-services}
REDIS_PORT=6390
PG_PORT=5440
PG_BIN=${PORTCULLIS_PG_BIN:-/usr/lib/postgresql/15/bin}
PG_DB=portcullis_test
REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
PG_URL="postgres://postgres@127.0.0.1:$PG_PORT/$PG_DB"

log() { echo "services: $*" >&2; }

# PostgreSQL refuses to run as root: run its tools as `postgres` then.
as_pg() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

ensure_redis_binary() {
  command -v redis-server >/dev/null && return 0
  if [ "$(id -u)" != 0 ]; then
    log "redis-server is missing; install it (apt-get install -y redis-server)"
    exit 1
  fi

  log "installing redis-server"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y redis-server >/dev/null 2>&1; then
    apt-get update >/dev/null
    apt-get install -y redis-server >/dev/null
  fi
}

redis_alive() {
  local pid
  [ -f "$DIR/redis.pid" ] || return 1
  pid=$(cat "$DIR/redis.pid")
  kill -0 "$pid" 2>/dev/null || return 1
  redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG
}

pg_alive() {
  [ -f "$DIR/pg/postmaster.pid" ] || return 1
  "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -d "$PG_DB" -U postgres
}

start_redis() {
  if redis_alive; then
    log "redis already running on $REDIS_PORT"
    return 0
  fi

  ensure_redis_binary
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' \
    --appendonly no --daemonize yes --pidfile "$DIR/redis.pid" \
    --dir "$DIR" --logfile "$DIR/redis.log" >/dev/null
  for _ in $(seq 1 100); do
    redis_alive && return 0
    sleep 0.1
  done
  log "redis did not answer on $REDIS_PORT; see $DIR/redis.log"
  exit 1
}

start_pg() {
  if pg_alive; then
    log "postgresql already running on $PG_PORT"
    return 0
  fi

  if [ ! -x "$PG_BIN/initdb" ]; then
    log "PostgreSQL 15 binaries not found in $PG_BIN (set PORTCULLIS_PG_BIN)"
    exit 1
  fi

  if [ ! -f "$DIR/pg/PG_VERSION" ]; then
    mkdir -p "$DIR/pg"
    [ "$(id -u)" = 0 ] && chown postgres: "$DIR/pg"
    chmod 700 "$DIR/pg"
    as_pg "$PG_BIN/initdb" -D "$DIR/pg" -A trust -U postgres \
      >"$DIR/initdb.log" 2>&1
  fi

  as_pg "$PG_BIN/pg_ctl" -D "$DIR/pg" -l "$DIR/pg/server.log" -w -t 30 \
    -o "-p $PG_PORT -k $DIR/pg -c listen_addresses=127.0.0.1 -c fsync=off" \
    start >/dev/null
  if ! "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres \
    -tAc "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'" | grep -q 1; then
    "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres "$PG_DB"
  fi

  for _ in $(seq 1 100); do
    pg_alive && return 0
    sleep 0.1
  done
  log "postgresql did not answer on $PG_PORT; see $DIR/pg/server.log"
  exit 1
}

stop_redis() {
  local pid
  [ -f "$DIR/redis.pid" ] || return 0
  pid=$(cat "$DIR/redis.pid")
  # Only a redis-server whose pid we recorded is signalled.
  if kill -0 "$pid" 2>/dev/null &&
    grep -q redis-server "/proc/$pid/cmdline" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
  fi
  rm -f "$DIR/redis.pid"
}

stop_pg() {
  [ -f "$DIR/pg/postmaster.pid" ] || return 0
  as_pg "$PG_BIN/pg_ctl" -D "$DIR/pg" -m fast -w stop >/dev/null || true
}

case "${1:-}" in
  start)
    mkdir -p "$DIR"
    chmod 755 "$DIR"
    start_redis
    start_pg
    log "redis at $REDIS_URL, postgresql at $PG_URL"
    echo "export PORTCULLIS_REDIS_URL=$REDIS_URL"
    echo "export PORTCULLIS_PG_URL=$PG_URL"
    ;;
  stop)
    if [ -d "$DIR" ]; then
      stop_redis
      stop_pg
      rm -rf "$DIR"
      log "stopped"
    fi
    ;;
  status)
    redis_alive && pg_alive
    ;;
  *)
    echo "usage: bash scripts/services.sh start|stop|status" >&2
    exit 2
    ;;
esac
