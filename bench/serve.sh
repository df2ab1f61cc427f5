#!/usr/bin/env bash
# Benchmark: the model server (bin/caravan serve, in-process JVM) under wrk on loopback, single-row /predict,
# beside ONNX Runtime's bare in-process rows/s as the ceiling. Trains the bundled example first, in a throwaway
# CARAVAN_HOME. Usage: bench/serve.sh [SECONDS] [CONNECTIONS]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SECONDS_RUN="${1:-10}"
CONNECTIONS="${2:-16}"
PORT=18080
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 2; }
(cd "$ROOT" && mvn -B -q -Dstyle.color=never -DskipTests package test-compile >&2)
export CARAVAN_HOME="$(mktemp -d)"
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$CARAVAN_HOME"' EXIT

RUN_JSON=$("$ROOT/bin/caravan" run --json 2>/dev/null)
MODEL_FILE=$(printf '%s' "$RUN_JSON" | python3 -c '
import json, sys
run = json.load(sys.stdin)
kind = "onnx-" + run["onnx"]["chosen"]
print(next(a["path"] for a in run["artifacts"] if a["kind"] == kind))')

"$ROOT/bin/caravan" serve --model credit-scorer --port $PORT --threads "${SERVE_THREADS:-8}" 2>/dev/null &
SERVER=$!
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$PORT/v2/health/ready" >/dev/null 2>&1 && break
  sleep 0.5
done

ROW='{"Seniority":9,"Home":"rent","Time":60,"Age":30,"Marital":"married","Records":"no","Job":"freelance","Expenses":73,"Income":129,"Assets":0,"Debt":0,"Amount":800,"Price":846}'
LUA="$CARAVAN_HOME/post.lua"
printf 'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = [[{"rows":[%s]}]]\n' "$ROW" > "$LUA"
wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_RUN}s" --latency -s "$LUA" "http://127.0.0.1:$PORT/predict" > "$CARAVAN_HOME/wrk.txt"
CP="$ROOT/target/classes:$ROOT/target/test-classes:$ROOT/target/lib/*"
ORT=$(java -cp "$CP" dev.caravan.bench.OrtRowsBench "$MODEL_FILE" "$ROW" 2>/dev/null)

awk -v ort="$ORT" '
  /Requests\/sec/ { rps = $2 }
  /^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 }
  /Non-2xx/ { errors = $4 }
  END {
    printf "\n%-34s %12s %10s %10s\n", "", "per second", "p50", "p99"
    printf "%-34s %12.0f %10s %10s\n", "server /predict, 1 row (wrk)", rps, p50, p99
    printf "%-34s %12.0f\n", "ONNX Runtime in-process, 1 row", ort
    printf "\nserver / ORT ceiling: %.2fx; non-2xx responses: %d (targets: >= 5000 req/s, p99 <= 10 ms)\n", rps / ort, errors + 0
  }' "$CARAVAN_HOME/wrk.txt"
