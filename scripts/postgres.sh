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

# As root, the server's user owns its folder.
server_owns() {
  if [ "$(id -u)" = 0 ]; then chown -R postgres: "$1"; fi
}

# Ports below the kernel's ephemeral range, which outgoing connections (and servers asking for port 0) take from,
# so a port found free here is not handed to a client socket before the server binds it.
port_range() {
  local low=32768
  read -r low _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || true
  if [ "$low" -gt 12000 ]; then echo "10000 $((low - 1))"; else echo "20000 60999"; fi
}

# Claims a free port: nothing answers on it, and making its folder (atomic) succeeds, so two starts never share one.
claim_port() {
  local port first last
  read -r first last <<<"$(port_range)"
  for _ in $(seq 1 100); do
    port=$((first + (RANDOM * 32768 + RANDOM) % (last - first + 1)))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && mkdir -m 700 "$state_root/$prefix$port" 2>/dev/null; then
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
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=200" start >/dev/null 2>"$dir/pg_ctl.log"
}

start_failed() {
  die "the server did not start ($(head -1 "$1/pg_ctl.log" 2>/dev/null)); its log: $1/server.log"$'\n'"$(tail -5 "$1/server.log" 2>/dev/null)"
}

# True when the server's last start failed only because something took its port first.
port_taken() {
  tail -20 "$1/server.log" 2>/dev/null | grep -q 'Address already in use'
}

start() {
  local bin port dir password next
  bin="$(pg_bin)"
  port="$(claim_port)"
  dir="$state_root/$prefix$port"
  password="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
  printf '%s\n' "$password" >"$dir/password"
  server_owns "$dir"
  as_server "$bin/initdb" -D "$dir/data" -U phasewise --pwfile="$dir/password" --auth=scram-sha-256 \
    -E UTF8 --no-instructions >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; rm -rf "$dir"; die "initdb failed"; }
  # Another process may bind the port between the probe and the server's start: move to another and try again.
  for attempt in 1 2 3 4 5; do
    start_server "$dir" "$port" && break
    port_taken "$dir" && [ "$attempt" -lt 5 ] || start_failed "$dir"
    next="$(claim_port)"
    server_owns "$state_root/$prefix$next"
    mv "$dir"/* "$state_root/$prefix$next"/ && rmdir "$dir"
    port="$next"
    dir="$state_root/$prefix$port"
  done
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
    start_server "$dir" "$port" || start_failed "$dir"
    ;;
  -h | --help | '') sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' ;;
  *) die "unknown command $command (start, stop, restart; see --help)" 2 ;;
esac
