#!/usr/bin/env bash
# Where the ingest time goes, step by step, with the shared client (issue 15):
#   git apply docs/ingest-steps.patch && swift build -c release --product shopify-whatsapp
#   scripts/ingest-steps.sh [SECONDS] [ROUNDS]        then: git checkout -- Sources
# (env BIN: the patched server, default .build/release/shopify-whatsapp; HB_LIMIT: a prebuilt hb-limit)
# For each round: the stack's limit (hb-limit, `scan`), then the patched server answering 200 after
# each step (INGEST_STOP_AFTER=body|auth|parse|nowait, then everything, then everything without
# fdatasync), each on a fresh data directory, loaded by hookload (32 connections, distinct signed
# ~7.9 KB orders/create, one tenant). Prints orders/s, p99, server CPU per order and the ratio to
# the limit of the same round. A measurement build only: never for real data.
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${1:-8}; ROUNDS=${2:-2}
TOOLS=${TOOLS:-$(cd ../shared/tools && pwd)}
BIN=${BIN:-$(pwd)/.build/release/shopify-whatsapp}
W=$(mktemp -d); trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$W"' EXIT
cc -O2 -o "$W/hookload" "$TOOLS/hookload.c" -lcrypto -lpthread
# HB_LIMIT: a hb-limit binary built before (its build takes minutes); else it is built here.
if [ -z "${HB_LIMIT:-}" ]; then
  cp -r "$TOOLS/hb-limit" "$W/hb-limit-src"
  (cd "$W/hb-limit-src" && swift build -c release >"$W/limit-build.log" 2>&1) || { tail -20 "$W/limit-build.log"; exit 1; }
  HB_LIMIT="$W/hb-limit-src/.build/release/hb-limit"
fi
port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
wait_up() { for _ in $(seq 150); do curl -sf "http://127.0.0.1:$1/healthz" >/dev/null && return 0; sleep 0.2; done; echo "no /healthz on $1"; exit 1; }
cpu() { awk '{print $14+$15}' "/proc/$1/stat"; }
row() { # name json cpu-ticks limit-rps
  python3 - "$@" <<'PY'
import json, os, sys
name, run, ticks, limit = sys.argv[1], json.loads(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
hz = os.sysconf("SC_CLK_TCK")
print(f"| {name} | {run['rps']:,.0f} | {run['p99_ms']} ms | {ticks / hz / max(run['ok'], 1) * 1e6:.0f} µs | {run['rps'] / limit:.2f} |")
PY
}
echo "| the server answers 200 after | orders/s | p99 | server CPU per order | ratio to the limit |"
echo "|---|---|---|---|---|"
for r in $(seq "$ROUNDS"); do
  P=$(port); rm -rf "$W/limit"; mkdir "$W/limit"
  REF_PARSE=scan "$HB_LIMIT" "$P" "$W/limit" >"$W/limit.log" 2>&1 & LP=$!
  wait_up "$P"; c0=$(cpu $LP)
  LIM=$("$W/hookload" 127.0.0.1 "$P" /api/v1/webhooks/1/orders/create perf-secret 32 "$SECS" "$TOOLS/order-template.json")
  c1=$(cpu $LP); kill $LP; wait $LP 2>/dev/null || true
  LRPS=$(python3 -c 'import json,sys;print(json.loads(sys.argv[1])["rps"])' "$LIM")
  row "hb-limit (round $r)" "$LIM" $((c1 - c0)) "$LRPS"
  for step in body auth parse nowait all nofsync; do
    P=$(port); rm -rf "$W/data" "$W/chrome"
    env_step=$step; nofsync=""
    [ "$step" = all ] && env_step=""
    [ "$step" = nofsync ] && { env_step=""; nofsync=1; }
    env INGEST_STOP_AFTER="$env_step" ${nofsync:+INGEST_NO_FSYNC=1} SIGNUP=open SIGNUP_LIMIT=1000000 "$BIN" serve --data-dir "$W/data" \
      --chrome-data-dir "$W/chrome" --host 127.0.0.1 --port "$P" --public-url "http://127.0.0.1:$P" >"$W/serve.log" 2>&1 & SP=$!
    wait_up "$P"
    tok=$(curl -s -X POST "http://127.0.0.1:$P/api/v1/auth/signup" -H 'content-type: application/json' \
          -d '{"email":"steps@example.com","password":"steps-password-123"}' | python3 -c 'import json,sys;print(json.load(sys.stdin)["access_token"])')
    curl -sf -X PUT "http://127.0.0.1:$P/api/v1/admin/settings" -H "authorization: Bearer $tok" \
         -H 'content-type: application/json' -d '{"shopify_webhook_secret":"perf-secret"}' >/dev/null
    c0=$(cpu $SP)
    APP=$("$W/hookload" 127.0.0.1 "$P" /api/v1/webhooks/1/orders/create perf-secret 32 "$SECS" "$TOOLS/order-template.json")
    c1=$(cpu $SP); kill $SP; wait $SP 2>/dev/null || true
    row "$step" "$APP" $((c1 - c0)) "$LRPS"
  done
done
