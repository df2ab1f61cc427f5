#!/usr/bin/env bash
# Benchmark: the model server (bin/caravan serve, in-process JVM) under wrk on loopback, single-row /predict,
# with micro-batching off and on, beside ONNX Runtime's bare in-process rows/s as the ceiling. Trains the bundled example first, in a throwaway
# CARAVAN_HOME. Usage: bench/serve.sh [SECONDS] [CONNECTIONS]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SECONDS_RUN="${1:-10}"
CONNECTIONS="${2:-16}"
PORT=18080
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 2; }
(cd "$ROOT" && mvn -B -q -Dstyle.color=never -DskipTests package test-compile >&2)
export CARAVAN_HOME="$(mktemp -d)"
SERVER=
trap '[ -n "$SERVER" ] && kill $SERVER 2>/dev/null; rm -rf "$CARAVAN_HOME"' EXIT

RUN_JSON=$("$ROOT/bin/caravan" run --json 2>/dev/null)
MODEL_FILE=$(printf '%s' "$RUN_JSON" | python3 -c '
import json, sys
run = json.load(sys.stdin)
kind = "onnx-" + run["onnx"]["chosen"]
print(next(a["path"] for a in run["artifacts"] if a["kind"] == kind))')

ROW='{"Seniority":9,"Home":"rent","Time":60,"Age":30,"Marital":"married","Records":"no","Job":"freelance","Expenses":73,"Income":129,"Assets":0,"Debt":0,"Amount":800,"Price":846}'
LUA="$CARAVAN_HOME/post.lua"
printf 'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = [[{"rows":[%s]}]]\n' "$ROW" > "$LUA"

# One server at a time, same load: micro-batching off, then on.
for mode in off on; do
  if [ $mode = on ]; then batching="--max-batch ${MAX_BATCH:-32} --max-delay-us ${MAX_DELAY_US:-200}"; else batching="--max-batch 1"; fi
  "$ROOT/bin/caravan" serve --model credit-scorer --port $PORT --threads "${SERVE_THREADS:-2}" $batching 2>/dev/null &
  SERVER=$!
  for _ in $(seq 1 120); do
    curl -sf "http://127.0.0.1:$PORT/v2/health/ready" >/dev/null 2>&1 && break
    sleep 0.5
  done
  wrk -t1 -c"$CONNECTIONS" -d2s -s "$LUA" "http://127.0.0.1:$PORT/predict" >/dev/null  # warm-up
  wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_RUN}s" --latency -s "$LUA" "http://127.0.0.1:$PORT/predict" > "$CARAVAN_HOME/wrk-$mode.txt"
  kill $SERVER; wait $SERVER 2>/dev/null || true
done
CP="$ROOT/target/classes:$ROOT/target/test-classes:$ROOT/target/lib/*"
ORT=$(java -cp "$CP" dev.caravan.bench.OrtRowsBench "$MODEL_FILE" "$ROW" 2>/dev/null)

summary() {
  awk -v label="$1" '
    /Requests\/sec/ { rps = $2 }
    /^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 }
    /Non-2xx/ { errors = $4 }
    END { printf "%-38s %12.0f %10s %10s %8d\n", label, rps, p50, p99, errors + 0 }' "$2"
}
printf "\n%-38s %12s %10s %10s %8s\n" "" "per second" "p50" "p99" "non-2xx"
summary "/predict, 1 row, micro-batching off" "$CARAVAN_HOME/wrk-off.txt"
summary "/predict, 1 row, micro-batching on" "$CARAVAN_HOME/wrk-on.txt"
printf "%-38s %12.0f\n" "ONNX Runtime in-process, 1 row" "$ORT"
printf "\n(wrk: 1 thread, %s connections, %ss; targets: >= 5000 req/s, p99 <= 10 ms)\n" "$CONNECTIONS" "$SECONDS_RUN"
