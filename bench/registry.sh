#!/usr/bin/env bash
# Benchmark: registry queries (RunQueries, ModelQueries) on RUNS runs with 3 metrics, 3 params and a tag each, and one model with
# RUNS versions, in a throwaway embedded PostgreSQL (or CARAVAN_DB_URL's database, which must hold no "bench" runs):
# the best version by a metric, a filtered search with OR, an aggregate; medians of REPS calls after warm-up
# against the 50 ms target, then the executed plans (EXPLAIN ANALYZE, BUFFERS) showing the indexes used.
# Usage: bench/registry.sh [RUNS] [REPS]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
RUNS="${1:-10000}"
REPS="${2:-31}"
OUT="$ROOT/bench/out"
mkdir -p "$OUT"
(cd "$ROOT" && mvn -B -q -Dstyle.color=never -DskipTests package test-compile >&2)
CP="$ROOT/target/classes:$ROOT/target/test-classes:$ROOT/target/lib/*"
java -cp "$CP" dev.caravan.bench.RegistryBench "$RUNS" "$REPS" 2> "$OUT/registry.log" || {
  tail -20 "$OUT/registry.log" >&2; exit 1; }
grep '^seeded' "$OUT/registry.log" >&2 || true
