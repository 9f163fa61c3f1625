#!/usr/bin/env bash
# Start a throw-away PostgreSQL server for the shared-server tests and print the line that
# tells them where it is:
#
#   eval "$(bash .ci/start-postgres.sh)"    # sets CHECKIN_TEST_PG_URL (and CHECKIN_TEST_PG_DATA)
#
# Installs nothing (.ci/system-deps.sh installs Debian's `postgresql` package). The cluster lives
# in a temporary folder, listens on 127.0.0.1 only, on a free port, and runs as an unprivileged
# user: `postgres` when this script runs as root, otherwise the calling user.
# Stop it with: pg_ctl -D "$CHECKIN_TEST_PG_DATA" stop
# Everything but the export lines goes to stderr.
set -euo pipefail

bindir=""
for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
  if [ -x "$candidate/initdb" ]; then bindir=$candidate; break; fi
done
if [ -z "$bindir" ]; then
  initdb_path=$(command -v initdb || true)
  [ -n "$initdb_path" ] || { echo "start-postgres: PostgreSQL is not installed" >&2; exit 1; }
  bindir=$(dirname "$(readlink -f "$initdb_path")")
fi

if [ "$(id -u)" = 0 ]; then
  as_user() { runuser -u postgres -- "$@"; }
  owner=postgres
else
  as_user() { "$@"; }
  owner=$(id -un)
fi

base=$(mktemp -d "${TMPDIR:-/tmp}/checkin-pg.XXXXXX")
chmod 755 "$base"
data="$base/data"
mkdir -m 700 "$data"
chown "$owner" "$base" "$data"

user=checkin
password=$(python3 -c 'import secrets; print(secrets.token_hex(12))')
database=checkin
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

as_user "$bindir/initdb" -D "$data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
  --locale=C.UTF-8 --encoding=UTF8 >&2 2>/dev/null \
  || as_user "$bindir/initdb" -D "$data" -U postgres --auth-local=trust \
    --auth-host=scram-sha-256 --locale=C --encoding=UTF8 >&2

# Loopback only; the unix socket in our own folder (the system one may not be writable).
as_user "$bindir/pg_ctl" -D "$data" -l "$base/server.log" -w -t 30 \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $base -c fsync=off -c max_connections=200" \
  start >&2

for _ in $(seq 1 50); do
  as_user "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" && break
  sleep 0.1
done

as_user "$bindir/psql" -q -v ON_ERROR_STOP=1 -h "$base" -p "$port" -U postgres -d postgres >&2 <<SQL
CREATE ROLE $user LOGIN CREATEDB PASSWORD '$password';
CREATE DATABASE $database OWNER $user;
SQL

echo "export CHECKIN_TEST_PG_URL=postgresql+psycopg://$user:$password@127.0.0.1:$port/$database"
echo "export CHECKIN_TEST_PG_DATA=$data"
