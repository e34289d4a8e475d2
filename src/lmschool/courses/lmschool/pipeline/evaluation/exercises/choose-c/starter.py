# What you will need (unused until you write your code):
import numpy as np  # noqa: F401
from sklearn.linear_model import LogisticRegression  # noqa: F401
from sklearn.model_selection import StratifiedKFold  # noqa: F401
from sklearn.pipeline import make_pipeline  # noqa: F401
from sklearn.preprocessing import StandardScaler  # noqa: F401


def choose_regularization(X, y, Cs, k=5, seed=0):
    """(best_C, mean validation accuracy of each C) by stratified k-fold cross-validation."""
    # TODO: StratifiedKFold(n_splits=k, shuffle=True, random_state=seed); scaler fitted per fold
    raise NotImplementedError("choose_regularization: write your code here")


def fit_final(X, y, C):
    """The final model: scaler + LogisticRegression(C=C, max_iter=1000) fitted on all of X, y."""
    raise NotImplementedError("fit_final: write your code here")
