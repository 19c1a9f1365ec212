#!/usr/bin/env bash
# A throwaway PostgreSQL from Debian's packages, for the shared journal's tests and for trying workers locally:
# a new cluster in a temporary folder, listening on 127.0.0.1 only, on a free port, with a random password.
#   bash scripts/postgres.sh start        start one; prints its URL (postgresql://phasewise:…@127.0.0.1:PORT/phasewise)
#   bash scripts/postgres.sh stop URL     stop the one at that URL (or PORT) and delete its folder
#   bash scripts/postgres.sh stop --all   stop every one this script started on this machine
#   bash scripts/postgres.sh restart URL  stop it and start it again on the same port, data kept (fault tests)
# The server binaries come from Debian's `postgresql` package (PG_BIN overrides where they are). As root, the
# server runs as the `postgres` user the package creates (PostgreSQL refuses to run as root).
set -euo pipefail

state_root="${TMPDIR:-/tmp}"
prefix=phasewise-postgres-

die() { echo "postgres.sh: $*" >&2; exit "${2:-1}"; }

pg_bin() {
  if [ -n "${PG_BIN:-}" ]; then echo "$PG_BIN"; return; fi
  local found
  found="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
  [ -n "$found" ] || die "PostgreSQL's server programs were not found (Debian: apt-get install postgresql; or set PG_BIN to the folder holding initdb and pg_ctl)"
  echo "$found"
}

# Runs a command as the server's user: ourselves, or `postgres` when we are root.
as_server() {
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || die "running as root needs the 'postgres' user (Debian's postgresql package creates it)"
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 40000))
    # Nothing answers on it, and no cluster of ours claims it.
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && [ ! -e "$state_root/$prefix$port" ]; then
      echo "$port"
      return
    fi
  done
  die "no free port found on 127.0.0.1"
}

port_of() {
  case "$1" in
    *://*) local rest="${1##*@}"; rest="${rest#*://}"; rest="${rest%%/*}"; echo "${rest##*:}" ;;
    *) echo "$1" ;;
  esac
}

start_server() {
  local dir="$1" port="$2" bin
  bin="$(pg_bin)"
  as_server "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=200" start >/dev/null \
    || die "the server did not start; its log: $dir/server.log"$'\n'"$(tail -5 "$dir/server.log" 2>/dev/null)"
}

start() {
  local bin port dir password
  bin="$(pg_bin)"
  port="$(free_port)"
  dir="$state_root/$prefix$port"
  mkdir -m 700 "$dir"
  password="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
  printf '%s\n' "$password" >"$dir/password"
  [ "$(id -u)" = 0 ] && chown -R postgres: "$dir"
  as_server "$bin/initdb" -D "$dir/data" -U phasewise --pwfile="$dir/password" --auth=scram-sha-256 \
    -E UTF8 --no-instructions >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; rm -rf "$dir"; die "initdb failed"; }
  start_server "$dir" "$port"
  PGPASSWORD="$password" "$bin/psql" -h 127.0.0.1 -p "$port" -U phasewise -d postgres -qAt \
    -c 'CREATE DATABASE phasewise' >/dev/null || die "could not create the database"
  local url="postgresql://phasewise:$password@127.0.0.1:$port/phasewise"
  printf '%s\n' "$url" >"$dir/url"
  echo "$url"
}

stop_one() {
  local dir="$1" bin
  bin="$(pg_bin)"
  [ -d "$dir/data" ] && as_server "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

command="${1:-}"
case "$command" in
  start) start ;;
  stop)
    target="${2:-}"
    [ -n "$target" ] || die "stop needs the URL or port start printed, or --all" 2
    if [ "$target" = --all ]; then
      for dir in "$state_root/$prefix"*; do [ -d "$dir" ] && stop_one "$dir"; done
    else
      dir="$state_root/$prefix$(port_of "$target")"
      [ -d "$dir" ] || die "no PostgreSQL started by this script at $(port_of "$target")" 2
      stop_one "$dir"
    fi
    ;;
  restart)
    target="${2:-}"
    [ -n "$target" ] || die "restart needs the URL or port start printed" 2
    port="$(port_of "$target")"
    dir="$state_root/$prefix$port"
    [ -d "$dir/data" ] || die "no PostgreSQL started by this script at $port" 2
    as_server "$(pg_bin)/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    start_server "$dir" "$port"
    ;;
  -h | --help | '') sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' ;;
  *) die "unknown command $command (start, stop, restart; see --help)" 2 ;;
esac
