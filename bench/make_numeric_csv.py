"""Writes a numeric CSV of ROWS rows: FEATURES columns (default 19) and a target y, with a few dirty rows:
unparseable cells, NaN/Inf, empty cells and exact duplicates, about one row in 10,000 each.
Usage: make_numeric_csv.py PATH ROWS [FEATURES]"""
import sys

import numpy as np


def main(path, rows, features):
    rng = np.random.default_rng(7)
    values = rng.normal(size=(rows, features + 1)) * rng.uniform(1, 1000, size=features + 1)
    weights = rng.normal(size=features)
    values[:, -1] = np.tanh(values[:, :-1] / 500) @ weights  # a learnable target
    text = [",".join(f"{v:.6g}" for v in row) for row in values]
    for i in rng.choice(rows, size=rows // 10_000, replace=False):
        text[i] = text[i].replace(text[i].split(",")[3], "oops", 1)
    for i in rng.choice(rows, size=rows // 10_000, replace=False):
        text[i] = "NaN," + text[i].split(",", 1)[1]
    for i in rng.choice(rows, size=rows // 10_000, replace=False):
        text[i] = "," + text[i].split(",", 1)[1]
    for i in rng.choice(rows - 1, size=rows // 10_000, replace=False):
        text[i + 1] = text[i]
    header = ",".join([f"x{j}" for j in range(features)] + ["y"])
    with open(path, "w") as out:
        out.write(header + "\n")
        out.write("\n".join(text))
        out.write("\n")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 19)
