"""Writes scikit-learn's bundled tables (shipped inside Debian's python3-sklearn, no download) as CSV files with
a header row and the target in a column named `target`: class names for the classification tables."""
import csv
import sys

from sklearn import datasets

LOADERS = {
    "diabetes": datasets.load_diabetes,
    "breast_cancer": datasets.load_breast_cancer,
    "wine": datasets.load_wine,
    "digits": datasets.load_digits,
}


def write(name, out_dir):
    bunch = LOADERS[name]()
    names = [str(n).replace(" ", "_") for n in getattr(bunch, "feature_names", [])] or [
        "x%d" % i for i in range(bunch.data.shape[1])
    ]
    labels = getattr(bunch, "target_names", None)
    classification = name != "diabetes"
    with open("%s/%s.csv" % (out_dir, name), "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(names + ["target"])
        for row, y in zip(bunch.data, bunch.target):
            label = repr(float(y)) if not classification else str(labels[y])
            if classification and label.isdigit():
                label = "c" + label  # a class name, not a number
            writer.writerow([repr(float(v)) for v in row] + [label])


if __name__ == "__main__":
    for table in LOADERS:
        write(table, sys.argv[1])
