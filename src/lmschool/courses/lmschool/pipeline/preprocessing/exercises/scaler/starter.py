import numpy as np


class StandardScaler:
    """Standardise features with statistics learned from training data.

    - __init__ takes no arguments and learns nothing (no mean_ before fit);
    - fit(X) learns mean_ and scale_ (one value per column) and returns self;
    - transform(X) returns (X - mean_) / scale_; RuntimeError before fit,
      ValueError when X does not have the fitted number of columns;
    - fit_transform(X) is fit(X) followed by transform(X).
    """

    def __init__(self):
        pass

    def fit(self, X: np.ndarray) -> "StandardScaler":
        # TODO: mean_, scale_ (population std, 0 -> 1), n_features_in_; return self
        raise NotImplementedError("StandardScaler.fit: write your code here")

    def transform(self, X: np.ndarray) -> np.ndarray:
        # TODO: refuse before fit; use the statistics learned in fit
        raise NotImplementedError("StandardScaler.transform: write your code here")

    def fit_transform(self, X: np.ndarray) -> np.ndarray:
        raise NotImplementedError("StandardScaler.fit_transform: write your code here")
