"""lmschool.ml: the teaching library, the small versions of what the lessons teach.

Everything follows the scikit-learn contract (see _validation.py): ``__init__`` stores
hyperparameters, ``fit`` returns self, learned attributes end in ``_``, and
``predict``/``transform`` before ``fit`` raise NotFittedError.

    from lmschool.ml import StandardScaler, LogisticRegression, train_test_split, f1_score

It depends on NumPy only (matplotlib and safetensors are imported inside the
functions that need them), because it is also importable inside the grading
sandbox, where learners' exercises may use what earlier lessons built.

Modules: preprocessing (scalers, encoders, imputers, splits), metrics, linear
(LinearRegression, LogisticRegression), optim (optimisers, schedules, mini-batches),
plotting, serialization, text (CharTokenizer, BPETokenizer, NGramLM), and the data
sets in datasets / generators (loaded on first use).
"""

from __future__ import annotations

import importlib
from typing import Any

from ._validation import NotFittedError
from .linear import (
    ConvergenceWarning,
    LinearRegression,
    LogisticRegression,
    log_loss_from_logits,
    sigmoid,
)
from .metrics import (
    accuracy_score,
    confusion_matrix,
    f1_score,
    log_loss,
    mean_absolute_error,
    mean_squared_error,
    precision_score,
    r2_score,
    recall_score,
    roc_auc_score,
    root_mean_squared_error,
)
from .optim import (
    SGD,
    Adagrad,
    Adam,
    AdamW,
    CosineLR,
    ExponentialLR,
    Momentum,
    RMSprop,
    StepLR,
    WarmupLR,
    clip_grad_norm,
    minibatches,
)
from .preprocessing import (
    KFold,
    MinMaxScaler,
    OneHotEncoder,
    SimpleImputer,
    StandardScaler,
    StratifiedKFold,
    train_test_split,
)
from .serialization import load_model, save_model
from .text import BPETokenizer, CharTokenizer, NGramLM

_LAZY_SUBMODULES = ("datasets", "generators", "plotting")


def __getattr__(name: str) -> Any:
    # lmschool.ml.datasets etc. are imported on first access, so `import lmschool.ml`
    # stays cheap and does not fail where an optional part is absent.
    if name in _LAZY_SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "SGD",
    "Adagrad",
    "Adam",
    "AdamW",
    "BPETokenizer",
    "CharTokenizer",
    "ConvergenceWarning",
    "CosineLR",
    "ExponentialLR",
    "KFold",
    "LinearRegression",
    "LogisticRegression",
    "MinMaxScaler",
    "Momentum",
    "NGramLM",
    "NotFittedError",
    "OneHotEncoder",
    "RMSprop",
    "SimpleImputer",
    "StandardScaler",
    "StepLR",
    "StratifiedKFold",
    "WarmupLR",
    "accuracy_score",
    "clip_grad_norm",
    "confusion_matrix",
    "f1_score",
    "load_model",
    "log_loss",
    "log_loss_from_logits",
    "mean_absolute_error",
    "mean_squared_error",
    "minibatches",
    "precision_score",
    "r2_score",
    "recall_score",
    "roc_auc_score",
    "root_mean_squared_error",
    "save_model",
    "sigmoid",
    "train_test_split",
]
