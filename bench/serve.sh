#!/usr/bin/env bash
# Benchmark: the model server (bin/caravan serve, in-process JVM) under wrk on loopback, single-row /predict,
# with micro-batching off and on at CONNECTIONS, then on again under overload (OVERLOAD connections, 0 skips it),
# beside ONNX Runtime's bare in-process rows/s as the ceiling. Under overload it counts the 503s and reads the
# server's own latency histogram by status (from the headers' arrival to the answer, so without the time a
# request sat in the kernel before the event loop read it): the p99 of the requests that were taken, and of the
# refused. Trains the bundled example first, in a throwaway CARAVAN_HOME.
# Usage: bench/serve.sh [SECONDS] [CONNECTIONS] [OVERLOAD]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SECONDS_RUN="${1:-10}"
CONNECTIONS="${2:-16}"
OVERLOAD="${3:-2000}"
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
cat > "$LUA" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [[{"rows":[$ROW]}]]
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) refused = 0 end
function response(status, headers, body) if status == 503 then refused = refused + 1 end end
function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("refused") end
  io.write(string.format("Refused 503: %d\n", total))
end
LUA
[ "$(ulimit -n)" -ge $((OVERLOAD + 100)) ] || ulimit -n $((OVERLOAD + 1000))

# One server at a time: micro-batching off, on, and on under overload.
run_pass() { # NAME CONNECTIONS BATCHING...
  local name=$1 connections=$2
  shift 2
  "$ROOT/bin/caravan" serve --model credit-scorer --port $PORT --threads "${SERVE_THREADS:-2}" "$@" 2>/dev/null &
  SERVER=$!
  for _ in $(seq 1 120); do
    curl -sf "http://127.0.0.1:$PORT/v2/health/ready" >/dev/null 2>&1 && break
    sleep 0.5
  done
  wrk -t1 -c"$connections" -d2s -s "$LUA" "http://127.0.0.1:$PORT/predict" >/dev/null  # warm-up
  curl -s "http://127.0.0.1:$PORT/metrics" > "$CARAVAN_HOME/metrics-$name-before.txt"
  wrk -t1 -c"$connections" -d"${SECONDS_RUN}s" --latency -s "$LUA" "http://127.0.0.1:$PORT/predict" \
    > "$CARAVAN_HOME/wrk-$name.txt"
  curl -s "http://127.0.0.1:$PORT/metrics" > "$CARAVAN_HOME/metrics-$name-after.txt"
  kill $SERVER; wait $SERVER 2>/dev/null || true
  SERVER=
}
run_pass off "$CONNECTIONS" --max-batch 1
batching=(--max-batch "${MAX_BATCH:-32}" --max-delay-us "${MAX_DELAY_US:-200}")
run_pass on "$CONNECTIONS" "${batching[@]}"
[ "$OVERLOAD" -gt 0 ] && run_pass overload "$OVERLOAD" "${batching[@]}"
CP="$ROOT/target/classes:$ROOT/target/test-classes:$ROOT/target/lib/*"
ORT=$(java -cp "$CP" dev.caravan.bench.OrtRowsBench "$MODEL_FILE" "$ROW" 2>/dev/null)

python3 - "$CARAVAN_HOME" "$CONNECTIONS" "$OVERLOAD" "$SECONDS_RUN" "$ORT" <<'PY'
import os, re, sys
home, connections, overload, seconds, ort = sys.argv[1:]

def wrk(name):
    text = open(f"{home}/wrk-{name}.txt").read()
    number = lambda pattern: re.search(pattern, text, re.M)
    requests = int(number(r"(\d+) requests in")[1])
    refused = int(number(r"Refused 503: (\d+)")[1])
    other = number(r"Non-2xx or 3xx responses: (\d+)")
    return {"rps": float(number(r"Requests/sec:\s+([\d.]+)")[1]), "requests": requests, "refused": refused,
            "failed": (int(other[1]) if other else 0) - refused,
            "p50": number(r"^\s+50%\s+(\S+)")[1], "p99": number(r"^\s+99%\s+(\S+)")[1]}

def buckets(name, stage, status):
    """The server's cumulative latency buckets (le seconds -> count) for one status."""
    found = {}
    for line in open(f"{home}/metrics-{name}-{stage}.txt"):
        match = re.match(r'caravan_request_duration_seconds_bucket\{(.*)\} (\S+)', line)
        if match and f'status="{status}"' in match[1]:
            le = re.search(r'le="([^"]+)"', match[1])[1]
            found[float(le)] = float(match[2])
    return found

def server_p99(name, status):
    """The bucket the run's 99th percentile falls in, as 'under X ms', from the histogram's change over the run."""
    before, after = buckets(name, "before", status), buckets(name, "after", status)
    counts = sorted((le, after[le] - before.get(le, 0)) for le in after)
    if not counts or counts[-1][1] == 0:
        return "-"
    for le, count in counts:
        if count >= 0.99 * counts[-1][1]:
            return "> 10 s" if le == float("inf") else f"<= {le * 1000:g} ms"

print(f"\n{'':38} {'per second':>11} {'2xx/s':>9} {'p50':>9} {'p99':>9} {'503s':>8} {'other non-2xx':>13}"
      f" {'server p99, 200':>16} {'server p99, 503':>16}")
rows = [("off", f"/predict, 1 row, batching off, {connections} c"), ("on", f"/predict, 1 row, batching on, {connections} c")]
if int(overload) > 0:
    rows.append(("overload", f"/predict, 1 row, batching on, {overload} c"))
for name, label in rows:
    run = wrk(name)
    accepted = (run["requests"] - run["refused"] - run["failed"]) / float(seconds)
    print(f"{label:38} {run['rps']:11.0f} {accepted:9.0f} {run['p50']:>9} {run['p99']:>9} {run['refused']:8d}"
          f" {run['failed']:13d} {server_p99(name, 200):>16} {server_p99(name, 503):>16}")
print(f"{'ONNX Runtime in-process, 1 row':38} {float(ort):11.0f}")
print(f"\n(wrk: 1 thread, {seconds} s; p50 and p99 are wrk's, over every answer; the server's p99 is the bucket of its"
      f" own histogram: 1, 5, 10, 25, 50, 100, 250 ms, 1 s, 10 s.\n targets: >= 5000 req/s and p99 <= 10 ms at"
      f" {connections} connections; under overload the taken requests' p99 bounded by --max-queue-wait-ms, the rest 503)")
PY
