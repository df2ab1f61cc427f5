"""Writes a ROWS x 20 numeric CSV (19 features and a target y) with a few dirty rows:
unparseable cells, NaN/Inf, empty cells and exact duplicates, about one row in 10,000 each."""
import sys

import numpy as np


def main(path, rows):
    rng = np.random.default_rng(7)
    values = rng.normal(size=(rows, 20)) * rng.uniform(1, 1000, size=20)
    text = [",".join(f"{v:.6g}" for v in row) for row in values]
    for i in rng.choice(rows, size=rows // 10_000, replace=False):
        text[i] = text[i].replace(text[i].split(",")[3], "oops", 1)
    for i in rng.choice(rows, size=rows // 10_000, replace=False):
        text[i] = "NaN," + text[i].split(",", 1)[1]
    for i in rng.choice(rows, size=rows // 10_000, replace=False):
        text[i] = "," + text[i].split(",", 1)[1]
    for i in rng.choice(rows - 1, size=rows // 10_000, replace=False):
        text[i + 1] = text[i]
    header = ",".join([f"x{j}" for j in range(19)] + ["y"])
    with open(path, "w") as out:
        out.write(header + "\n")
        out.write("\n".join(text))
        out.write("\n")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
