#!/usr/bin/env bash
# The README's sizing figures: a fresh release `lanyard serve` node on DATABASE_URL (a SQLite
# URL, or an empty PostgreSQL database), an instance with one employee and the Alibaba Cloud
# application, then `lanyard bench` against it, IdP- and SP-initiated, 2 and 8 workers, 20 s each.
#   cargo build --release --bin lanyard && scripts/sizing.sh DATABASE_URL
set -euo pipefail
BIN="${LANYARD_BIN:-${CARGO_TARGET_DIR:-target}/release/lanyard}"
DB_URL="${1:?usage: scripts/sizing.sh DATABASE_URL}"
DIR=$(mktemp -d)
PORT=18080
BASE=http://127.0.0.1:$PORT
LANYARD_BOOTSTRAP_ADMIN_PASSWORD=sizing-admin-password LANYARD_LOG__LEVEL=error \
  $BIN serve --listen 127.0.0.1:$PORT --public-url $BASE --database-url "$DB_URL" --data-dir "$DIR" >/dev/null 2>&1 &
PID=$!
trap 'kill $PID; rm -rf "$DIR"' EXIT
for _ in $(seq 1 100); do curl -sf $BASE/readyz >/dev/null && break; sleep 0.2; done
curl -s -c "$DIR/jar" -H 'content-type: application/json' -d '{"username":"admin","password":"sizing-admin-password"}' $BASE/auth/admin/login
gql() { curl -s -b "$DIR/jar" -H 'content-type: application/json' -d "$1" $BASE/graphql; }
INSTANCE=$(gql '{"query":"mutation { createInstance(input: {name: \"Acme\"}) { instance { id } } }"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["createInstance"]["instance"]["id"])')
gql "{\"query\":\"mutation(\$i: ID!) { createUser(input: {instanceId: \$i, username: \\\"alice\\\", displayName: \\\"Alice\\\", password: \\\"alice-sizing-password\\\"}) { user { id } } }\",\"variables\":{\"i\":\"$INSTANCE\"}}" >/dev/null
APP=$(gql "{\"query\":\"mutation(\$i: ID!) { addApplication(input: {instanceId: \$i, templateId: \\\"alibaba-cloud-user-sso-intl\\\", name: \\\"Alibaba Cloud\\\", params: {accountId: \\\"5123456789012345\\\"}}) { application { id spEntityId } } }\",\"variables\":{\"i\":\"$INSTANCE\"}}")
APP_ID=$(echo "$APP" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["addApplication"]["application"]["id"])')
SP=$(echo "$APP" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["addApplication"]["application"]["spEntityId"])')
gql "{\"query\":\"mutation(\$a: ID!) { setAuthorizationScope(input: {applicationId: \$a, scope: ALL_MEMBERS}) { changed } }\",\"variables\":{\"a\":\"$APP_ID\"}}" >/dev/null
for c in 2 8; do
  echo "== idp, concurrency $c"
  LANYARD_BENCH_PASSWORD=alice-sizing-password $BIN bench --url $BASE --instance "$INSTANCE" --application "$APP_ID" --username alice --concurrency $c --seconds 20
  echo "== sp, concurrency $c"
  LANYARD_BENCH_PASSWORD=alice-sizing-password $BIN bench --url $BASE --instance "$INSTANCE" --application "$APP_ID" --username alice --concurrency $c --seconds 20 --sp-entity-id "$SP"
done
echo "RSS of the node: $(grep VmRSS /proc/$PID/status)"
