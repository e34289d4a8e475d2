"""Folds in the outer loop and Cs in the inner one, filling a (folds, Cs) accuracy table; the final
model is a small hand-written wrapper class instead of a Pipeline."""

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import StandardScaler


class ScaledLogReg:
    def __init__(self, C):
        self.C = C

    def fit(self, X, y):
        self.scaler_ = StandardScaler().fit(X)
        self.clf_ = LogisticRegression(C=self.C, max_iter=1000).fit(self.scaler_.transform(X), y)
        return self

    def predict(self, X):
        return self.clf_.predict(self.scaler_.transform(X))


def choose_regularization(X, y, Cs, k=5, seed=0):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y)
    splitter = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
    table = np.zeros((k, len(Cs)))
    for f, (tr, va) in enumerate(splitter.split(X, y)):
        for j, C in enumerate(Cs):
            model = ScaledLogReg(C).fit(X[tr], y[tr])
            table[f, j] = np.mean(model.predict(X[va]) == y[va])
    mean = table.mean(axis=0)
    best = int(np.flatnonzero(mean == mean.max())[0])
    return Cs[best], mean


def fit_final(X, y, C):
    return ScaledLogReg(C).fit(np.asarray(X, dtype=float), np.asarray(y))
