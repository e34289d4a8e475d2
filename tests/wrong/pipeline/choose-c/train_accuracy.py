"""Scores each C by its accuracy on the training part of the fold."""

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


def choose_regularization(X, y, Cs, k=5, seed=0):
    """(best_C, mean validation accuracy of each C) by stratified k-fold cross-validation."""
    X, y = np.asarray(X), np.asarray(y)
    folds = list(StratifiedKFold(n_splits=k, shuffle=True, random_state=seed).split(X, y))
    scores = []
    for C in Cs:
        accuracies = []
        for train, _val in folds:  # the same folds for every C: a fair comparison
            scaler = StandardScaler().fit(X[train])  # statistics of the training part only
            model = LogisticRegression(C=C, max_iter=1000).fit(scaler.transform(X[train]), y[train])
            accuracies.append(model.score(scaler.transform(X[train]), y[train]))
        scores.append(np.mean(accuracies))
    scores = np.array(scores)
    return float(Cs[int(np.argmax(scores))]), scores  # argmax: the first of tied values


def fit_final(X, y, C):
    """The final model: scaler + LogisticRegression(C=C, max_iter=1000) fitted on all of X, y."""
    return make_pipeline(StandardScaler(), LogisticRegression(C=C, max_iter=1000)).fit(X, y)
