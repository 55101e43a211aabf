#!/usr/bin/env bash
# A whole warm shower from a shell, in reveal mode: three people each write to the other two while
# everyone listens; nothing arrives until the host reveals; then each person has exactly two
# messages, thanks one of them, and the thanks reach their writers before the host ends it.
#   WARMSHOWER   how to run the CLI (default: this repo's build; e.g. WARMSHOWER="npx warmshower")
#   PORT         port of the `serve` this script starts (default 3100)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
WARMSHOWER="${WARMSHOWER:-node $here/../../packages/cli/dist/bin.js}"
PORT="${PORT:-3100}"
export WARMSHOWER_URL="http://127.0.0.1:$PORT"
ws() { $WARMSHOWER "$@"; }
# Reads one field of the JSON document on stdin (node is there: the CLI runs on it).
field() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s)[process.argv[1]]))' "$1"; }
# Retries a condition for up to 10 s.
wait_for() { for _ in $(seq 100); do if eval "$1"; then return 0; fi; sleep 0.1; done; echo "Timed out waiting for $2." >&2; return 1; }

work="$(mktemp -d)"
pids=()
# Each background job gets its own process group (set -m), so stopping one stops what it started.
set -m
cleanup() {
  for pid in "${pids[@]}"; do { kill -TERM -- "-$pid" && wait "$pid"; } 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

ws serve --port "$PORT" --host 127.0.0.1 >"$work/serve.log" 2>&1 &
pids+=($!)
wait_for "node -e \"fetch('$WARMSHOWER_URL/healthz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))\"" "serve on port $PORT"

session="$(ws create --reveal --json)"
code="$(field code <<<"$session")"
host_token="$(field hostToken <<<"$session")"
echo "Session $code is open."

people=(Ada Bob Cy)
declare -A token
for name in "${people[@]}"; do
  token[$name]="$(ws join "$code" --name "$name" --json | field token)"
  echo "$name joined."
done

listeners=()
for name in "${people[@]}"; do
  ws listen "$code" --json --token "${token[$name]}" >"$work/$name.ndjson" &
  listeners+=($!)
  pids+=($!)
done
for name in "${people[@]}"; do wait_for "grep -q '\"event\":\"ready\"' '$work/$name.ndjson'" "$name to listen"; done

for from in "${people[@]}"; do
  for to in "${people[@]}"; do
    [ "$from" = "$to" ] && continue
    ws send "$code" --token "${token[$from]}" --to "$to" --text "Dear $to, working with you makes my week." >/dev/null
  done
done
ws status "$code" --token "$host_token"
for name in "${people[@]}"; do
  if grep -q '"event":"message"' "$work/$name.ndjson"; then echo "$name heard a warm shower before the reveal." >&2; exit 1; fi
done
ws reveal "$code" --token "$host_token"

for name in "${people[@]}"; do
  wait_for "[ \$(grep -c '\"event\":\"message\"' '$work/$name.ndjson') -ge 2 ]" "$name's messages"
done
# Each thanks the first warm shower they received; its writer's listen gets `thanked`.
for name in "${people[@]}"; do
  id="$(grep -m1 '"event":"message"' "$work/$name.ndjson" | field id)"
  ws thank "$code" "$id" --token "${token[$name]}" >/dev/null
done
wait_for "[ \$(cat '$work'/*.ndjson | grep -c '\"event\":\"thanked\"') -ge 3 ]" "the thanks"
echo "3 thanks reached their writers."
ws end "$code" --token "$host_token"
# Each listener exits 0 on session-ended; `wait` fails the script otherwise.
for pid in "${listeners[@]}"; do wait "$pid"; done

failed=0
for name in "${people[@]}"; do
  received="$(grep -c '"event":"message"' "$work/$name.ndjson" || true)"
  if [ "$received" -eq 2 ]; then
    echo "$name received 2 warm showers."
  else
    echo "$name received $received warm showers, not 2." >&2
    failed=1
  fi
done
exit "$failed"
