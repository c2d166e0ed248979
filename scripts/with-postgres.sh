#!/usr/bin/env bash
# Runs a command with LANYARD_TEST_POSTGRES pointing at a PostgreSQL server, starting the local
# cluster when nothing answers. The tests create their databases there (lanyard_test_*); the
# ones of this run are dropped afterwards, as are leftovers of runs that were killed.
set -euo pipefail

url="${TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432}"
hostport="${url#*@}"
host="${hostport%%:*}"
port="${hostport##*:}"; port="${port%%/*}"

if ! pg_isready -q -h "$host" -p "$port"; then
  echo "PostgreSQL is not answering at $host:$port; starting the local cluster"
  version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n1)
  if [[ -z "$version" ]]; then
    echo "no PostgreSQL cluster is installed (make deps installs one)" >&2
    exit 1
  fi
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
  for _ in $(seq 1 30); do pg_isready -q -h "$host" -p "$port" && break; sleep 1; done
fi

drop_test_databases() {
  psql "$url/postgres" -Atqc "SELECT datname FROM pg_database WHERE datname LIKE 'lanyard_test_%'" |
    while read -r db; do psql "$url/postgres" -qc "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null; done
}
drop_test_databases
trap drop_test_databases EXIT
LANYARD_TEST_POSTGRES="$url" "$@"
