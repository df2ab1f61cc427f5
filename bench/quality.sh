#!/usr/bin/env bash
# Benchmark: the quality of Caravan's default (no spec: bin/caravan run --data FILE --target COL) against
# scikit-learn's HistGradientBoosting and MLP (Debian python3-sklearn), on the two tables of examples/ and the four
# bundled with scikit-learn, over SEEDS seeds. Same split shares (70/15/15; the peers fit on the 85% that is not
# test), the seed given to both. Prints, per table, the mean test metric (R² or accuracy), the ratios and the
# median seconds (Caravan: the whole recorded run; peers: fit and predict).
# Usage: bench/quality.sh [SEEDS]   (tables of up to 100k rows; target: each Caravan run <= 60 s)
# CARAVAN_BENCH_SPEC=FILE.yaml runs Caravan with that spec under the flags instead (to measure a default, e.g.
# training: {ensemble: {size: 1}}).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SEEDS="${1:-3}"
PY=/usr/bin/python3
OUT="$ROOT/bench/out/quality"
mkdir -p "$OUT"
"$PY" -c "import sklearn" 2>/dev/null || { echo "scikit-learn is missing: apt-get install python3-sklearn" >&2; exit 2; }
"$PY" "$ROOT/bench/quality_data.py" "$OUT"
export CARAVAN_HOME="$OUT/home"   # a registry of the bench's own

# table file, target, task
TABLES=(
  "$ROOT/examples/credit_data.csv Status classification"
  "$ROOT/examples/chicago_ridership.csv ridership regression"
  "$OUT/diabetes.csv target regression"
  "$OUT/breast_cancer.csv target classification"
  "$OUT/wine.csv target classification"
  "$OUT/digits.csv target classification"
)
: > "$OUT/results.txt"
for seed in $(seq 1 "$SEEDS"); do
  for table in "${TABLES[@]}"; do
    read -r file target task <<< "$table"
    name=$(basename "$file" .csv)
    "$ROOT/bin/caravan" run ${CARAVAN_BENCH_SPEC:+--pipeline "$CARAVAN_BENCH_SPEC"} --data "$file" --target "$target" --task "$task" --seed "$seed" --no-cache --json \
        --name "quality-$name" 2> "$OUT/$name-$seed.log" > "$OUT/$name-$seed.json" || {
      echo "caravan failed on $name (seed $seed): see $OUT/$name-$seed.log" >&2; exit 1; }
    "$PY" - "$OUT/$name-$seed.json" "$name" "$task" >> "$OUT/results.txt" <<'PY'
import json, sys, datetime
run = json.load(open(sys.argv[1]))
metric = run["metrics"]["accuracy" if sys.argv[3] == "classification" else "r2"]
t = lambda s: datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))
print(sys.argv[2], "caravan", metric, (t(run["finishedAt"]) - t(run["startedAt"])).total_seconds())
PY
    "$PY" -W ignore "$ROOT/bench/quality_peer.py" "$file" "$target" "$task" "$seed" | sed "s/^/$name /" >> "$OUT/results.txt"
    tail -n 3 "$OUT/results.txt" >&2
  done
done

"$PY" - "$OUT/results.txt" <<'PY'
import collections, statistics, sys
metric, seconds = collections.defaultdict(list), collections.defaultdict(list)
for line in open(sys.argv[1]):
    table, side, value, secs = line.split()
    metric[table, side].append(float(value))
    seconds[table, side].append(float(secs))
tables = list(dict.fromkeys(t for t, _ in metric))
mean = lambda t, s: statistics.mean(metric[t, s])
med = lambda t, s: statistics.median(seconds[t, s])
print("\n%-18s %9s %9s %9s %11s %11s %10s %8s %8s" % ("table", "caravan", "hgb", "mlp", "caravan/hgb",
      "caravan/mlp", "caravan s", "hgb s", "mlp s"))
for t in tables:
    print("%-18s %9.4f %9.4f %9.4f %11.3f %11.3f %10.1f %8.2f %8.2f" % (t, mean(t, "caravan"), mean(t, "hgb"),
          mean(t, "mlp"), mean(t, "caravan") / mean(t, "hgb"), mean(t, "caravan") / mean(t, "mlp"),
          med(t, "caravan"), med(t, "hgb"), med(t, "mlp")))
beats = sum(mean(t, "caravan") > mean(t, "mlp") for t in tables)
close = sum(mean(t, "caravan") >= 0.99 * mean(t, "hgb") for t in tables)
slowest = max(max(seconds[t, "caravan"]) for t in tables)
print("\nbeats the MLP on %d of %d tables (target: all); within 1%% of HistGradientBoosting on %d (target: >= 4);"
      " slowest Caravan run %.1f s (target: <= 60)" % (beats, len(tables), close, slowest))
PY
