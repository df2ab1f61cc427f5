"""The pandas peer of PreprocessBench: the same work, idiomatically.

read_csv, coerce numeric columns (quarantining unparseable and non-finite cells), drop rows with missing cells,
drop exact duplicates, write the quarantined rows, seeded 70/15/15 split, min-max fitted on train and applied to
all rows. Prints one line: seconds rows_out peak_rss_kb.
"""
import resource
import sys
import tempfile
import time

import numpy as np
import pandas as pd


def main(path, target):
    started = time.perf_counter()
    raw = pd.read_csv(path, keep_default_na=True)
    numeric = raw.apply(pd.to_numeric, errors="coerce")
    bad = (numeric.isna() & raw.notna()) | np.isinf(numeric)
    bad_rows = bad.any(axis=1)
    missing_rows = numeric.isna().any(axis=1) & ~bad_rows
    kept = numeric[~bad_rows & ~missing_rows]
    duplicate_rows = kept.duplicated()
    clean = kept[~duplicate_rows]
    with tempfile.NamedTemporaryFile(suffix=".csv") as quarantine:
        raw[bad_rows | missing_rows].to_csv(quarantine.name)
    order = np.random.default_rng(42).permutation(len(clean))
    n_train = round(len(clean) * 0.70)
    train = clean.iloc[order[:n_train]]
    features = [c for c in clean.columns if c != target]
    low = train[features].min()
    span = (train[features].max() - low).replace(0, 1)
    scaled = ((clean[features] - low) / span).astype("float32")
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"{seconds:.4f} {len(scaled)} {peak_kb}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
