"""Cross-validation of the classifier on the gold standard, for the methods appendix."""

from __future__ import annotations

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
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
    params = (
        {"calibrated__sample_weight": labels["weight"].to_numpy(float)}
        if "weight" in labels
        else {}
    )
    predicted = cross_val_predict(
        clone(model),
        labels["text"].tolist(),
        labels["label"].to_numpy(),
        cv=StratifiedKFold(folds, shuffle=True, random_state=seed),
        n_jobs=n_jobs,
        params=params,
    )
    return report(labels["label"].to_numpy(), predicted)


def cross_validate_in_domain(
    model, labels: pd.DataFrame, domain: str, folds: int = 5, seed: int = 2018, n_jobs: int = 1
) -> dict:
    """Out-of-fold predictions for one source (the edition's own coded messages) only.

    The in-domain messages are split into stratified folds; each fold is
    predicted by the model trained on every other source plus the other folds,
    with the weights as given. This is the figure for the edition's own
    messages; the all-sources cross-validation mostly measures the written set.
    Returns ``report`` of the in-domain messages, plus their ``index`` in ``labels``.
    """
    inside = np.flatnonzero((labels["source"] == domain).to_numpy())
    outside = np.flatnonzero((labels["source"] != domain).to_numpy())
    y = labels["label"].to_numpy()
    k = int(min(folds, pd.Series(y[inside]).value_counts().min()))
    if k < 2:
        raise ValueError(
            f"{domain}: too few coded messages of some type for {folds}-fold validation"
        )
    splits = StratifiedKFold(k, shuffle=True, random_state=seed).split(inside, y[inside])
    texts = labels["text"].tolist()
    weight = labels["weight"].to_numpy(float) if "weight" in labels else np.ones(len(labels))

    def fold(train_part, test_part):
        rows = np.concatenate([outside, inside[train_part]])
        fitted = clone(model).fit(
            [texts[i] for i in rows], y[rows], calibrated__sample_weight=weight[rows]
        )
        return inside[test_part], fitted.predict([texts[i] for i in inside[test_part]])

    parts = Parallel(n_jobs=n_jobs)(delayed(fold)(a, b) for a, b in splits)
    predicted = np.empty(len(inside), dtype=object)
    position = {row: i for i, row in enumerate(inside)}
    for rows, guess in parts:
        predicted[[position[r] for r in rows]] = guess
    out = report(y[inside], predicted.astype(str))
    out["index"] = inside
    out["folds"] = k
    return out


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
