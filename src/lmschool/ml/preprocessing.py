"""Preparing data: scaling, encoding, filling gaps, and splitting it honestly.

Every transformer here follows one rule that matters more than any formula: learn
the statistics (means, ranges, categories) from the TRAINING data only, then apply
the same numbers to validation, test and production data. Fitting a scaler on all
the data lets the test set leak into training, and the test score stops meaning
"how well will this do on data it has never seen".

    scaler = StandardScaler().fit(X_train)    # learns mean_ and scale_ from train only
    X_train_s = scaler.transform(X_train)
    X_test_s = scaler.transform(X_test)       # the TRAIN statistics, applied to test

The splitters (train_test_split, KFold, StratifiedKFold) decide which rows are which.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterator, Sequence
from numbers import Number
from typing import Any

import numpy as np

from ._validation import (
    BaseEstimator,
    TransformerMixin,
    check_array,
    check_consistent_length,
    check_is_fitted,
    check_n_features,
    check_random_state,
)

_EPS = np.finfo(np.float64).eps


# ---------------------------------------------------------------------------- scaling


class StandardScaler(TransformerMixin, BaseEstimator):
    """Standardise each column: z = (x - mean) / std.

    After the transform every column of the training data has mean 0 and standard
    deviation 1. Why bother: gradient descent takes one step size for all weights,
    and a feature measured in thousands would get gradients a thousand times larger
    than one measured in fractions, so no single learning rate suits both. Scaled
    features make the loss surface round instead of a long thin valley.

    std is the population standard deviation (ddof=0), as in scikit-learn. A constant
    column has std 0; it is left unscaled (scale 1), so it becomes 0 (up to rounding),
    not NaN.

    Learned: mean_ (D,), var_ (D,), scale_ (D,) (the divisor: std, or 1 for constant
    columns, or all ones when with_std=False), n_features_in_, n_samples_seen_.
    """

    def __init__(self, with_mean: bool = True, with_std: bool = True):
        self.with_mean = with_mean  # subtract the mean (centre the data)
        self.with_std = with_std  # divide by the standard deviation

    def fit(self, X: Any, y: Any = None) -> StandardScaler:
        X = check_array(X, "X")  # (N, D)
        self.mean_ = X.mean(axis=0)  # (D,)
        self.var_ = X.var(axis=0)  # (D,)  mean of squared deviations, ddof=0
        std = np.sqrt(self.var_)
        # "zero" up to rounding: a constant column's computed std is ~1e-17 * |mean|
        constant = std <= 10 * _EPS * np.maximum(np.abs(self.mean_), 1.0)
        self.scale_ = np.where(constant, 1.0, std) if self.with_std else np.ones_like(std)
        self.n_features_in_ = X.shape[1]
        self.n_samples_seen_ = X.shape[0]
        return self

    def transform(self, X: Any) -> np.ndarray:
        check_is_fitted(self, "scale_")
        X = check_array(X, "X")
        check_n_features(self, X)
        if self.with_mean:
            X = X - self.mean_  # (N, D) - (D,) broadcasts over rows
        return X / self.scale_

    def inverse_transform(self, Z: Any) -> np.ndarray:
        """Back to original units: x = z * scale + mean."""
        check_is_fitted(self, "scale_")
        Z = check_array(Z, "Z")
        check_n_features(self, Z)
        X = Z * self.scale_
        return X + self.mean_ if self.with_mean else X


class MinMaxScaler(TransformerMixin, BaseEstimator):
    """Rescale each column linearly so its training range maps onto feature_range.

        x' = (x - min) / (max - min) * (hi - lo) + lo  =  x * scale_ + min_

    with scale_ = (hi - lo) / (max - min) and min_ = lo - min * scale_. Data outside the
    training range maps outside feature_range: that is expected, not a bug. A column
    with max == min gets scale (hi - lo), so it maps to lo.

    Learned: data_min_, data_max_, data_range_, scale_, min_ (all (D,)), n_features_in_.
    """

    def __init__(self, feature_range: tuple[float, float] = (0, 1)):
        self.feature_range = feature_range  # (lo, hi) of the transformed training data

    def fit(self, X: Any, y: Any = None) -> MinMaxScaler:
        lo, hi = self.feature_range
        if not lo < hi:
            raise ValueError(
                f"feature_range must be (lo, hi) with lo < hi, got {self.feature_range!r}"
            )
        X = check_array(X, "X")  # (N, D)
        self.data_min_ = X.min(axis=0)  # (D,)
        self.data_max_ = X.max(axis=0)  # (D,)
        self.data_range_ = self.data_max_ - self.data_min_
        safe_range = np.where(self.data_range_ < 10 * _EPS, 1.0, self.data_range_)
        self.scale_ = (hi - lo) / safe_range
        self.min_ = lo - self.data_min_ * self.scale_
        self.n_features_in_ = X.shape[1]
        return self

    def transform(self, X: Any) -> np.ndarray:
        check_is_fitted(self, "scale_")
        X = check_array(X, "X")
        check_n_features(self, X)
        return X * self.scale_ + self.min_

    def inverse_transform(self, Z: Any) -> np.ndarray:
        check_is_fitted(self, "scale_")
        Z = check_array(Z, "Z")
        check_n_features(self, Z)
        return (Z - self.min_) / self.scale_


# --------------------------------------------------------------------------- encoding


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


class OneHotEncoder(TransformerMixin, BaseEstimator):
    """Turn each categorical column into one 0/1 column per category.

    A column colour = ["red", "green", "red"] with categories [green, red] becomes

        green red
          0    1
          1    0
          0    1

    Why not just number the categories 0, 1, 2? A linear model would then believe
    "blue (2) = 2 x green (1)": an order and a distance that do not exist. One-hot
    columns are independent, so each category gets its own weight.

    X is a 2-D array of strings, integers or objects (one column per feature); all
    columns are encoded. categories="auto" learns the sorted distinct values of each
    column in fit; or pass a list with one list of categories per column. Values not
    seen in fit raise ValueError (handle_unknown="error") or encode as all zeros
    (handle_unknown="ignore"). The output is a dense float array (scikit-learn's
    default is a sparse matrix).

    Learned: categories_ (a list of D arrays), n_features_in_.
    """

    def __init__(
        self, categories: str | Sequence[Sequence[Any]] = "auto", handle_unknown: str = "error"
    ):
        self.categories = categories  # "auto", or one list of categories per column
        self.handle_unknown = handle_unknown  # "error" or "ignore" for unseen categories

    def fit(self, X: Any, y: Any = None) -> OneHotEncoder:
        if self.handle_unknown not in ("error", "ignore"):
            raise ValueError(
                f"handle_unknown must be 'error' or 'ignore', got {self.handle_unknown!r}"
            )
        X = self._check_X(X)  # (N, D)
        auto = isinstance(self.categories, str)
        if auto and self.categories != "auto":
            raise ValueError(
                f"categories must be 'auto' or a list of lists, got {self.categories!r}"
            )
        if not auto and len(self.categories) != X.shape[1]:
            raise ValueError(
                f"categories has {len(self.categories)} lists but X has {X.shape[1]} "
                "columns; give one list of categories per column"
            )
        self.categories_ = []
        for j in range(X.shape[1]):
            try:
                seen = np.unique(X[:, j])
            except TypeError as exc:  # e.g. str and int in one column cannot be sorted
                odd = [v for v in X[:, j].tolist() if not isinstance(v, (str, Number))]
                if odd:  # not a category at all: a dict, a list, ...
                    raise TypeError(
                        f"column {j} of X holds {odd[0]!r} ({type(odd[0]).__name__}); each "
                        "value of the X argument must be a string or a number (a category)"
                    ) from None
                raise ValueError(
                    f"column {j} of X mixes types that cannot be compared ({exc}); "
                    "convert it to one type, e.g. X.astype(str)"
                ) from None
            if auto:
                self.categories_.append(seen)
                continue
            given = np.asarray(self.categories[j])
            allowed = set(given.tolist())
            unknown = [v for v in seen.tolist() if v not in allowed]
            if unknown and self.handle_unknown == "error":
                raise ValueError(
                    f"column {j} of X has values {unknown} that are not in categories[{j}]"
                )
            self.categories_.append(given)
        self.n_features_in_ = X.shape[1]
        return self

    def transform(self, X: Any) -> np.ndarray:
        check_is_fitted(self, "categories_")
        X = self._check_X(X)
        check_n_features(self, X)
        blocks = []
        for j, cats in enumerate(self.categories_):
            position = {v: i for i, v in enumerate(cats.tolist())}
            block = np.zeros((X.shape[0], len(cats)))  # (N, K_j)
            for row, value in enumerate(X[:, j].tolist()):
                i = position.get(value)
                if i is not None:
                    block[row, i] = 1.0
                elif self.handle_unknown == "error":
                    raise ValueError(
                        f"X[{row}, {j}] = {value!r} is a category not seen in fit "
                        f"(known: {cats.tolist()}); use handle_unknown='ignore' to encode "
                        "unknown values as all zeros"
                    )
            blocks.append(block)
        return np.hstack(blocks)  # (N, sum of K_j)

    def get_feature_names_out(self, input_features: Sequence[str] | None = None) -> np.ndarray:
        """Names of the output columns: "<feature>_<category>", e.g. "x0_red"."""
        check_is_fitted(self, "categories_")
        if input_features is None:
            input_features = [f"x{j}" for j in range(self.n_features_in_)]
        if len(input_features) != self.n_features_in_:
            raise ValueError(
                f"input_features should have length equal to the number of features of X "
                f"in fit ({self.n_features_in_}), got {len(input_features)}"
            )
        return np.array(
            [
                f"{f}_{c}"
                for f, cats in zip(input_features, self.categories_, strict=True)
                for c in cats.tolist()
            ],
            dtype=object,
        )

    @staticmethod
    def _check_X(X: Any) -> np.ndarray:
        X = check_array(X, "X", numeric=False)
        values = X.ravel().tolist() if X.dtype == object else []
        if X.dtype.kind == "f":
            has_missing, has_inf = bool(np.isnan(X).any()), bool(np.isinf(X).any())
        else:
            has_missing = any(_is_missing(v) for v in values)
            has_inf = any(isinstance(v, float) and math.isinf(v) for v in values)
        if has_missing:
            raise ValueError(
                "X contains missing values (NaN or None); fill them first, e.g. with "
                "a placeholder category such as 'missing'"
            )
        if has_inf:
            raise ValueError("X contains infinity, which is not a category; replace it first")
        return X

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.categorical = True  # columns of categories, not measurements
        return tags


# ------------------------------------------------------------------------- imputation


class SimpleImputer(TransformerMixin, BaseEstimator):
    """Fill missing values (NaN) column by column with one statistic from training data.

    strategy: "mean", "median", "most_frequent" (the smallest value among ties, as in
    scikit-learn), or "constant" (fill_value, default 0). Only numeric data here;
    missing means NaN. Why the training statistic also fills the test set: at
    prediction time you cannot look at other test rows, and the model learned with
    gaps filled by the training mean.

    Unlike scikit-learn, a column that is entirely missing raises ValueError rather
    than being silently dropped (which would change the number of columns).

    Learned: statistics_ (D,), the fill value of each column; n_features_in_.
    """

    _STRATEGIES = ("mean", "median", "most_frequent", "constant")

    def __init__(self, strategy: str = "mean", fill_value: float | None = None):
        self.strategy = strategy  # how each column's fill value is computed
        self.fill_value = fill_value  # used by strategy="constant" (None means 0)

    def fit(self, X: Any, y: Any = None) -> SimpleImputer:
        if self.strategy not in self._STRATEGIES:
            raise ValueError(f"strategy must be one of {self._STRATEGIES}, got {self.strategy!r}")
        X = check_array(X, "X", allow_nan=True)  # (N, D) with NaN for missing
        missing = np.isnan(X)
        if self.strategy == "constant":
            fill = 0.0 if self.fill_value is None else self.fill_value
            if not isinstance(fill, (int, float, np.number)) or isinstance(fill, bool):
                raise ValueError(f"fill_value must be a number, got {fill!r}")
            self.statistics_ = np.full(X.shape[1], float(fill))
        else:
            empty = np.flatnonzero(missing.all(axis=0))
            if empty.size:
                raise ValueError(
                    f"X columns {empty.tolist()} are entirely missing, so strategy="
                    f"{self.strategy!r} has nothing to compute; drop them or use "
                    "strategy='constant'"
                )
            self.statistics_ = np.array(
                [self._statistic(X[~missing[:, j], j]) for j in range(X.shape[1])]
            )
        self.n_features_in_ = X.shape[1]
        return self

    def _statistic(self, observed: np.ndarray) -> float:  # (n_observed,)
        if self.strategy == "mean":
            return float(observed.mean())
        if self.strategy == "median":
            return float(np.median(observed))
        values, counts = np.unique(observed, return_counts=True)  # values sorted
        return float(values[np.argmax(counts)])  # argmax takes the first, i.e. smallest

    def transform(self, X: Any) -> np.ndarray:
        check_is_fitted(self, "statistics_")
        X = check_array(X, "X", allow_nan=True)
        check_n_features(self, X)
        return np.where(np.isnan(X), self.statistics_, X)

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True  # NaN is what it fills
        return tags


# -------------------------------------------------------------------------- splitting


def _take(a: Any, idx: np.ndarray) -> Any:
    return a.iloc[idx] if hasattr(a, "iloc") else np.asarray(a)[idx]  # pandas keeps its type


def train_test_split(
    *arrays: Any,
    test_size: float | int = 0.25,
    random_state: None | int | np.random.Generator = None,
    shuffle: bool = True,
    stratify: Any = None,
) -> list[Any]:
    """Split arrays (same rows) into train and test parts: X_tr, X_te, y_tr, y_te = ....

    test_size: a fraction in (0, 1) (the test set gets ceil(fraction * n) rows, as in
    scikit-learn) or a number of rows. shuffle=False keeps the order (first rows train,
    last rows test; right for time series, where the future must not train the past).
    stratify=y keeps each class's share the same in both parts: with 5% positives,
    an unlucky plain split could put almost none in the test set.
    """
    if not arrays:
        raise ValueError("train_test_split needs at least one array")
    check_consistent_length(**{f"arrays[{i}]": a for i, a in enumerate(arrays)})
    n = len(arrays[0])
    n_test = _n_test(test_size, n)
    rng = check_random_state(random_state)
    if not shuffle:
        if stratify is not None:
            raise ValueError("stratify needs shuffle=True (a stratified split is random)")
        train, test = np.arange(n - n_test), np.arange(n - n_test, n)
    elif stratify is not None:
        train, test = _stratified_indices(np.asarray(stratify), n_test, rng)
    else:
        perm = rng.permutation(n)
        train, test = perm[n_test:], perm[:n_test]
    return [part for a in arrays for part in (_take(a, train), _take(a, test))]


def _n_test(test_size: float | int, n: int) -> int:
    if isinstance(test_size, (float, np.floating)):
        if not 0 < test_size < 1:
            raise ValueError(f"test_size as a fraction must be in (0, 1), got {test_size}")
        n_test = math.ceil(test_size * n)
    elif isinstance(test_size, (int, np.integer)) and not isinstance(test_size, bool):
        n_test = int(test_size)
    else:
        raise ValueError(f"test_size must be a float fraction or an int count, got {test_size!r}")
    if not 1 <= n_test <= n - 1:
        raise ValueError(
            f"test_size={test_size} with {n} samples leaves {n_test} test and "
            f"{n - n_test} train rows; both need at least one"
        )
    return n_test


def _stratified_indices(
    y: np.ndarray, n_test: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Per class, send about n_test * (class share) rows to test (largest remainders)."""
    classes, y_idx, counts = np.unique(y, return_inverse=True, return_counts=True)
    if counts.min() < 2:
        raise ValueError(
            f"stratify: class {classes[counts.argmin()]!r} has only 1 member; every class "
            "needs at least 2 to appear in both train and test"
        )
    ideal = n_test * counts / len(y)  # (K,) fractional test rows per class
    per_class = np.floor(ideal).astype(int)
    short = n_test - per_class.sum()  # rows still to hand out, one each to the largest remainders
    per_class[np.argsort(-(ideal - per_class), kind="stable")[:short]] += 1
    train, test = [], []
    for k in range(len(classes)):
        members = rng.permutation(np.flatnonzero(y_idx == k))
        test.append(members[: per_class[k]])
        train.append(members[per_class[k] :])
    # shuffle again so the rows are not grouped by class
    return rng.permutation(np.concatenate(train)), rng.permutation(np.concatenate(test))


class KFold(BaseEstimator):
    """K-fold cross-validation: every row is in the test fold exactly once.

    The rows (shuffled if shuffle=True) are cut into n_splits consecutive folds; the
    first n % n_splits folds get one extra row, as in scikit-learn. Each round trains
    on k-1 folds and tests on the remaining one, so the k scores use all the data
    for testing while never testing on a row the model trained on.

        for train_idx, test_idx in KFold(5, shuffle=True, random_state=0).split(X):
            model.fit(X[train_idx], y[train_idx]); model.score(X[test_idx], y[test_idx])
    """

    def __init__(
        self,
        n_splits: int = 5,
        shuffle: bool = False,
        random_state: None | int | np.random.Generator = None,
    ):
        self.n_splits = n_splits  # number of folds, k >= 2
        self.shuffle = shuffle  # shuffle rows before cutting folds
        self.random_state = random_state  # seed for the shuffle

    # groups is ignored, as in scikit-learn's KFold: its tools (cross_val_score,
    # GridSearchCV(cv=KFold(...))) pass it to every splitter.
    def get_n_splits(self, X: Any = None, y: Any = None, groups: Any = None) -> int:
        return self.n_splits

    def split(
        self, X: Any, y: Any = None, groups: Any = None
    ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Yield (train_idx, test_idx), each sorted ascending."""
        n = self._check(len(X))
        for test_mask in self._test_masks(n, y):
            yield np.flatnonzero(~test_mask), np.flatnonzero(test_mask)

    def _check(self, n: int) -> int:
        if not isinstance(self.n_splits, (int, np.integer)) or self.n_splits < 2:
            raise ValueError(f"n_splits must be an int >= 2, got {self.n_splits!r}")
        if self.n_splits > n:
            raise ValueError(f"n_splits={self.n_splits} is more than the {n} samples")
        if not self.shuffle and self.random_state is not None:
            raise ValueError(
                "random_state has no effect with shuffle=False; pass shuffle=True "
                "or leave random_state as None"
            )
        return n

    def _test_masks(self, n: int, y: Any) -> Iterator[np.ndarray]:
        order = np.arange(n)
        if self.shuffle:
            check_random_state(self.random_state).shuffle(order)
        sizes = np.full(self.n_splits, n // self.n_splits)
        sizes[: n % self.n_splits] += 1  # the first folds take the remainder
        start = 0
        for size in sizes:
            mask = np.zeros(n, dtype=bool)
            mask[order[start : start + size]] = True
            start += size
            yield mask


class StratifiedKFold(KFold):
    """K-fold where every fold keeps the class proportions of y.

    How: sort the labels, deal them out round-robin to the folds like cards (so each
    fold gets about count/k of every class), then within each class assign the
    fold numbers to that class's rows in order (or shuffled, with shuffle=True). With
    shuffle=False the folds are identical to scikit-learn's.
    """

    def split(
        self, X: Any, y: Any = None, groups: Any = None
    ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        if y is None:
            raise ValueError("StratifiedKFold.split needs y: split(X, y)")
        y = np.asarray(y)
        if y.ndim != 1:
            raise ValueError(f"y must be 1-D (n_samples,), got shape {y.shape}")
        check_consistent_length(X=np.asarray(X), y=y)
        yield from super().split(X, y)

    def _test_masks(self, n: int, y: Any) -> Iterator[np.ndarray]:
        k = self.n_splits
        # class ids numbered by first appearance in y, as scikit-learn does
        _, first, inverse = np.unique(y, return_index=True, return_inverse=True)
        encoded = np.argsort(np.argsort(first))[inverse]  # (N,) class id per row
        counts = np.bincount(encoded)  # (K,)
        if np.all(counts < k):
            raise ValueError(
                f"n_splits={k} is more than the number of members of every class "
                f"(largest has {counts.max()}); use fewer splits"
            )
        if counts.min() < k:
            warnings.warn(
                f"the least populated class in y has only {counts.min()} members, fewer "
                f"than n_splits={k}; some test folds will lack it",
                UserWarning,
                stacklevel=3,
            )
        dealt = np.sort(encoded)
        # allocation[i, c]: how many rows of class c go to fold i (round-robin deal)
        allocation = np.array([np.bincount(dealt[i::k], minlength=len(counts)) for i in range(k)])
        rng = check_random_state(self.random_state) if self.shuffle else None
        fold_of = np.empty(n, dtype=int)
        for c in range(len(counts)):
            folds = np.repeat(np.arange(k), allocation[:, c])
            if rng is not None:
                rng.shuffle(folds)
            fold_of[encoded == c] = folds
        for i in range(k):
            yield fold_of == i
