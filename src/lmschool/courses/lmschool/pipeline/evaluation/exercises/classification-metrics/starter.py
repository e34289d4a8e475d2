import numpy as np  # noqa: F401  (you will need it)


def confusion_matrix(y_true, y_pred):
    """(K, K) counts: row = true class, column = predicted class, classes = sorted union of labels."""
    raise NotImplementedError("confusion_matrix: write your code here")


def accuracy_score(y_true, y_pred):
    """Fraction of correct predictions."""
    raise NotImplementedError("accuracy_score: write your code here")


def precision_score(y_true, y_pred, average="binary", zero_division=0.0):
    """TP / (TP + FP), for class 1 ("binary") or averaged over classes ("macro", "micro")."""
    raise NotImplementedError("precision_score: write your code here")


def recall_score(y_true, y_pred, average="binary", zero_division=0.0):
    """TP / (TP + FN), for class 1 ("binary") or averaged over classes ("macro", "micro")."""
    raise NotImplementedError("recall_score: write your code here")


def f1_score(y_true, y_pred, average="binary", zero_division=0.0):
    """2TP / (2TP + FP + FN), for class 1 ("binary") or averaged over classes ("macro", "micro")."""
    raise NotImplementedError("f1_score: write your code here")
