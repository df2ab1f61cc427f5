#!/usr/bin/env bash
# Benchmark: the same MLP (20-64-32-1, batch 256, Adam) on the same rows, DJL in the JVM against PyTorch in
# Python (Debian python3-torch), interleaved A/B, same thread count; plus the pipeline's overhead: the train
# stage's recorded wall time against a bare DJL loop doing the same work.
# Usage: bench/train.sh [ROUNDS] [ROWS] [EPOCHS] [THREADS]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ROUNDS="${1:-3}"
ROWS="${2:-200000}"
EPOCHS="${3:-10}"
THREADS="${4:-1}"
OUT="$ROOT/bench/out"
DATA="$OUT/train_${ROWS}x20.csv"
PY=/usr/bin/python3
mkdir -p "$OUT"

"$PY" -c "import torch" 2>/dev/null || { echo "PyTorch is missing: apt-get install python3-torch" >&2; exit 2; }
(cd "$ROOT" && mvn -B -q -Dstyle.color=never -DskipTests package test-compile >&2)
[ -f "$DATA" ] || { echo "generating $DATA ..." >&2; "$PY" "$ROOT/bench/make_numeric_csv.py" "$DATA" "$ROWS" 20; }

CP="$ROOT/target/classes:$ROOT/target/test-classes:$ROOT/target/lib/*"
export CARAVAN_TORCH_THREADS="$THREADS" OMP_NUM_THREADS="$THREADS"
echo "data: $DATA, $EPOCHS epochs, $THREADS thread(s), $ROUNDS interleaved rounds; lines: name seconds samples/s" >&2
: > "$OUT/train.txt"
java_side() { java -cp "$CP" dev.caravan.bench.TrainBench "$1" "$DATA" "$EPOCHS" "$OUT" 2>/dev/null; }
torch_side() { "$PY" "$ROOT/bench/torch_train.py" "$OUT/train_rows.f32" "$EPOCHS" "$THREADS"; }
java_side prepare
sides=(bare torch trainer pipeline)
for round in $(seq 1 "$ROUNDS"); do
  for k in 0 1 2 3; do   # rotate the order each round, so no side always runs first
    side=${sides[$(( (k + round) % 4 ))]}
    if [ "$side" = torch ]; then torch_side; else java_side "$side"; fi | tee -a "$OUT/train.txt" >&2
  done
done

awk '
  { secs[$1] = secs[$1] " " $2; rate[$1] = rate[$1] " " $3 }
  function median(list,   a, n, i, j, t) {
    n = split(list, a, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  END {
    printf "\n%-22s %12s %16s\n", "", "median s", "samples/s"
    split("djl_bare torch caravan_trainer pipeline_train_stage", names, " ")
    for (k = 1; k <= 4; k++) printf "%-22s %12.3f %16.0f\n", names[k], median(secs[names[k]]), median(rate[names[k]])
    printf "\nDJL / PyTorch samples/s: bare loop %.2fx, Caravan trainer %.2fx (target >= 0.9x)\n", median(rate["djl_bare"]) / median(rate["torch"]), median(rate["caravan_trainer"]) / median(rate["torch"])
    printf "pipeline overhead (train stage vs bare loop): %+.1f%% (target <= 5%%)\n", (median(secs["pipeline_train_stage"]) / median(secs["djl_bare"]) - 1) * 100
  }' "$OUT/train.txt"
