"""scikit-learn's peers on one table: HistGradientBoosting and MLP (with the usual scaling, imputation and
one-hot encoding), fit on the train and validation shares (85%) and scored on a 15% test share drawn with the
given seed (stratified for classification), as Caravan splits. Prints one line per peer: name, metric, seconds.
Usage: quality_peer.py CSV TARGET regression|classification SEED"""
import csv
import datetime
import math
import sys
import time

import numpy as np
from sklearn.compose import ColumnTransformer, TransformedTargetRegressor
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.impute import SimpleImputer
from sklearn.metrics import accuracy_score, r2_score
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler


def number(text):
    if text == "":
        return math.nan
    try:
        return float(text)
    except ValueError:
        return datetime.date.fromisoformat(text).toordinal()  # a date column


def read(path, target):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header, rows = rows[0], rows[1:]
    t = header.index(target)
    columns = [i for i in range(len(header)) if i != t]
    numeric, categorical = [], []
    for i in columns:
        try:
            [number(r[i]) for r in rows]
            numeric.append(i)
        except ValueError:
            categorical.append(i)
    x_num = np.array([[number(r[i]) for i in numeric] for r in rows], dtype=float)
    x_cat = np.array([[r[i] or "missing" for i in categorical] for r in rows], dtype=object)
    y = [r[t] for r in rows]
    return x_num, x_cat, y


def main(path, target, task, seed):
    x_num, x_cat, y = read(path, target)
    classification = task == "classification"
    y = np.array(y if classification else [float(v) for v in y])
    x = np.concatenate([x_num, x_cat], axis=1) if x_cat.shape[1] else x_num
    n_num, n_cat = x_num.shape[1], x_cat.shape[1]
    num_cols, cat_cols = list(range(n_num)), list(range(n_num, n_num + n_cat))
    x_fit, x_test, y_fit, y_test = train_test_split(
        x, y, test_size=0.15, random_state=seed, stratify=y if classification else None)

    ordinal = ColumnTransformer([("num", "passthrough", num_cols),
                                 ("cat", OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1), cat_cols)])
    hgb = (HistGradientBoostingClassifier if classification else HistGradientBoostingRegressor)(
        random_state=seed, categorical_features=[False] * n_num + [True] * n_cat if n_cat else None)
    scaled = ColumnTransformer([("num", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), num_cols),
                                ("cat", OneHotEncoder(handle_unknown="ignore"), cat_cols)])
    if classification:
        mlp = MLPClassifier(max_iter=1000, random_state=seed)
    else:
        mlp = TransformedTargetRegressor(MLPRegressor(max_iter=1000, random_state=seed), transformer=StandardScaler())
    for name, model in (("hgb", make_pipeline(ordinal, hgb)), ("mlp", make_pipeline(scaled, mlp))):
        started = time.perf_counter()
        model.fit(x_fit, y_fit)
        predicted = model.predict(x_test)
        seconds = time.perf_counter() - started
        metric = accuracy_score(y_test, predicted) if classification else r2_score(y_test, predicted)
        print("%s %.6f %.3f" % (name, metric, seconds))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]))
