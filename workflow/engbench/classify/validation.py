"""Cross-validation of the classifier on the gold standard, for the methods appendix."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from engbench.classify import TYPES


def cross_validate(
    model, labels: pd.DataFrame, folds: int = 5, seed: int = 2018, n_jobs: int = 1
) -> dict:
    """Stratified k-fold predictions of a model with fixed hyperparameters.

    Returns per-class precision/recall/F1/support, macro-F1, accuracy, the
    confusion matrix (rows: true type, columns: predicted type) and the
    per-message out-of-fold predictions.
    """
    predicted = cross_val_predict(
        clone(model),
        labels["text"].tolist(),
        labels["label"].to_numpy(),
        cv=StratifiedKFold(folds, shuffle=True, random_state=seed),
        n_jobs=n_jobs,
    )
    return report(labels["label"].to_numpy(), predicted)


def report(true, predicted) -> dict:
    precision, recall, f1, support = precision_recall_fscore_support(
        true, predicted, labels=list(TYPES), zero_division=0
    )
    per_class = pd.DataFrame(
        {"type": TYPES, "precision": precision, "recall": recall, "f1": f1, "support": support}
    )
    matrix = pd.DataFrame(
        confusion_matrix(true, predicted, labels=list(TYPES)),
        index=list(TYPES),
        columns=list(TYPES),
    )
    matrix.index.name, matrix.columns.name = "true", "predicted"
    return {
        "per_class": per_class,
        "macro_f1": float(f1_score(true, predicted, labels=list(TYPES), average="macro")),
        "accuracy": float(np.mean(np.asarray(true) == np.asarray(predicted))),
        "confusion": matrix,
        "predicted": np.asarray(predicted),
    }
