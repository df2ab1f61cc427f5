#!/usr/bin/env bash
# Benchmark: ingest + clean + split + min-max normalize on a 1,000,000 x 20 numeric CSV with dirty rows,
# Caravan (fresh JVM per pass) against pandas (Debian python3-pandas), interleaved A/B in one run.
# Prints each pass and a table of rows/s and peak memory with the ratio. Usage: bench/preprocess.sh [ROUNDS] [ROWS]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ROUNDS="${1:-3}"
ROWS="${2:-1000000}"
OUT="$ROOT/bench/out"
DATA="$OUT/numeric_${ROWS}.csv"
PY=/usr/bin/python3
mkdir -p "$OUT"

"$PY" -c "import pandas" 2>/dev/null || {
  echo "pandas is missing: apt-get install python3-pandas" >&2; exit 2; }
(cd "$ROOT" && mvn -B -q -Dstyle.color=never -DskipTests package test-compile >&2)
[ -f "$DATA" ] || { echo "generating $DATA ..." >&2; "$PY" "$ROOT/bench/make_numeric_csv.py" "$DATA" "$ROWS"; }

CP="$ROOT/target/classes:$ROOT/target/test-classes:$ROOT/target/lib/*"
java_pass() { java ${BENCH_JAVA_OPTS:-} -cp "$CP" dev.caravan.bench.PreprocessBench "$DATA" y; }
pandas_pass() { "$PY" "$ROOT/bench/pandas_preprocess.py" "$DATA" y; }

echo "data: $DATA ($(du -h "$DATA" | cut -f1)), $ROUNDS interleaved rounds; each line: seconds rows_out peak_rss_kb" >&2
: > "$OUT/preprocess.txt"
for round in $(seq 1 "$ROUNDS"); do
  if (( round % 2 )); then order="caravan pandas"; else order="pandas caravan"; fi
  for who in $order; do
    line=$(${who/caravan/java}_pass)
    echo "round $round $who $line" | tee -a "$OUT/preprocess.txt" >&2
  done
done

awk -v rows="$ROWS" '
  { secs[$3] = secs[$3] " " $4; out[$3] = $5; if ($6 > peak[$3]) peak[$3] = $6 }
  function median(list,   a, n, i, j, t) {
    n = split(list, a, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  END {
    c = median(secs["caravan"]); p = median(secs["pandas"])
    printf "\n%-10s %12s %14s %14s %10s\n", "", "median s", "rows/s", "peak RSS MB", "rows out"
    printf "%-10s %12.3f %14.0f %14.0f %10d\n", "caravan", c, rows / c, peak["caravan"] / 1024, out["caravan"]
    printf "%-10s %12.3f %14.0f %14.0f %10d\n", "pandas", p, rows / p, peak["pandas"] / 1024, out["pandas"]
    printf "\nthroughput ratio caravan/pandas: %.2fx (target >= 2x); peak memory ratio: %.2fx\n", p / c, peak["caravan"] / peak["pandas"]
  }' "$OUT/preprocess.txt"
