#!/usr/bin/env bash
# Benchmark: FP32 against static INT8 ONNX for a small (20-64-32-1) and a wide (20-512-512-1) MLP, in one run:
# size ratio, test RMSE, ONNX Runtime latency at batch 1 and 256 (one thread, FP32 and INT8 interleaved, medians
# over ROUNDS), and rows/s at batch 256. Usage: bench/quantize.sh [ROUNDS]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ROUNDS="${1:-5}"
(cd "$ROOT" && mvn -B -q -Dstyle.color=never -DskipTests package test-compile >&2)
CP="$ROOT/target/classes:$ROOT/target/test-classes:$ROOT/target/lib/*"
java -cp "$CP" dev.caravan.bench.QuantizeBench "$ROUNDS" 2>/dev/null
