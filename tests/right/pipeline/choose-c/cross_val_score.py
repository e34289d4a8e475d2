"""sklearn's cross_val_score over a pipeline (the scaler is refitted inside each training fold)."""

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler


def _model(C):
    return Pipeline(
        [("scale", StandardScaler()), ("logreg", LogisticRegression(C=C, max_iter=1000))]
    )


def choose_regularization(X, y, Cs, k=5, seed=0):
    cv = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
    scores = np.array(
        [cross_val_score(_model(C), X, y, cv=cv, scoring="accuracy").mean() for C in Cs]
    )
    best = 0
    for i in range(1, len(Cs)):
        if scores[i] > scores[best]:
            best = i
    return Cs[best], scores


def fit_final(X, y, C):
    return _model(C).fit(X, y)
