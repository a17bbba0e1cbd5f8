#!/usr/bin/env bash
# Heap allocations per ingested order in the release server (issue 15's "allocations per order"):
#   scripts/allocations-per-order.sh [ORDERS] [TENANTS]
# Builds scripts/malloc-count.c as an LD_PRELOAD library, serves a fresh data directory with it,
# warms up with 5,000 orders, then sends ORDERS (default 20,000) distinct signed ~7.9 KB
# orders/create with hookload (../shared/tools, 32 connections) and prints allocations, frees and
# bytes per acknowledged order, everything the process did meanwhile included (the journal's
# flusher, the scheduler). Needs the release binary: swift build -c release --product shopify-whatsapp
set -euo pipefail
cd "$(dirname "$0")/.."
ORDERS=${1:-20000}; TENANTS=${2:-1}
TOOLS=${TOOLS:-../shared/tools}
BIN=${BIN:-.build/release/shopify-whatsapp}
W=$(mktemp -d); trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$W"' EXIT
cc -O2 -shared -fPIC -o "$W/malloc-count.so" scripts/malloc-count.c
cc -O2 -o "$W/hookload" "$TOOLS/hookload.c" -lcrypto -lpthread
P=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
MALLOC_COUNT_OUT="$W/counts" LD_PRELOAD="$W/malloc-count.so" SIGNUP=open SIGNUP_LIMIT=1000000 \
  "$BIN" serve --data-dir "$W/data" --chrome-data-dir "$W/chrome" --host 127.0.0.1 --port "$P" --public-url "http://127.0.0.1:$P" \
  >"$W/serve.log" 2>&1 & SP=$!
for _ in $(seq 150); do curl -sf "http://127.0.0.1:$P/healthz" >/dev/null && break; sleep 0.2; done
for i in $(seq 1 "$TENANTS"); do
  tok=$(curl -s -X POST "http://127.0.0.1:$P/api/v1/auth/signup" -H 'content-type: application/json' \
        -d "{\"email\":\"alloc$i@example.com\",\"password\":\"alloc-password-123\"}" | python3 -c 'import json,sys;print(json.load(sys.stdin)["access_token"])')
  curl -sf -X PUT "http://127.0.0.1:$P/api/v1/admin/settings" -H "authorization: Bearer $tok" \
       -H 'content-type: application/json' -d '{"shopify_webhook_secret":"perf-secret"}' >/dev/null
done
load() { HOOKLOAD_MAX=$1 HOOKLOAD_TENANTS="1-$TENANTS" "$W/hookload" 127.0.0.1 "$P" '/api/v1/webhooks/@T@/orders/create' perf-secret 32 60 "$TOOLS/order-template.json"; }
load 5000 >/dev/null
sleep 1
kill -USR2 "$SP"; sleep 0.5
OUT=$(load "$ORDERS")
sleep 1
kill -USR2 "$SP"; sleep 0.5
python3 - "$W/counts" "$OUT" <<'PY'
import json, sys
a, b = [list(map(int, l.split())) for l in open(sys.argv[1]).read().split("\n") if l][:2]
run = json.loads(sys.argv[2]); n = run["ok"]
print(f"{n} orders acknowledged ({run['non2xx']} non-2xx): per order {(b[0]-a[0])/n:.1f} allocations, "
      f"{(b[1]-a[1])/n:.1f} frees, {(b[2]-a[2])/n/1024:.1f} KiB allocated")
PY
