"""Type shares corrected for the classifier's errors: adjusted classify-and-count.

If ``M[i, j]`` is the probability that a message of true type i is classified
as j (from the cross-validated confusion matrix), the expected raw shares are
``raw = M.T @ true``. The corrected shares solve that system under the
constraints that shares are non-negative and sum to one (non-negative least
squares on the system with an added sum-to-one row). Forman (2008),
"Quantifying counts and costs via classification", Data Min. Knowl. Disc. 17.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import nnls

from engbench.classify import TYPES


def misclassification_rates(confusion: pd.DataFrame) -> np.ndarray:
    """Row-normalised confusion matrix: P(predicted j | true i), in TYPES order."""
    matrix = confusion.reindex(index=list(TYPES), columns=list(TYPES)).to_numpy(float)
    return matrix / matrix.sum(axis=1, keepdims=True)


def adjusted_shares(raw: np.ndarray, rates: np.ndarray) -> np.ndarray:
    """Corrected shares for raw (classified) shares, given misclassification rates."""
    system = np.vstack([rates.T, np.ones(len(raw)) * 10.0])
    target = np.concatenate([raw, [10.0]])
    shares, _ = nnls(system, target)
    total = shares.sum()
    return shares / total if total > 0 else np.asarray(raw, float)


def type_shares(classified: pd.DataFrame, rates: np.ndarray, by: list[str]) -> pd.DataFrame:
    """Raw and corrected share of each type per group (e.g. org_id, platform).

    ``classified`` has the group columns and ``type``; returns group columns,
    type, n, raw_share, corrected_share.
    """
    rows = []
    for key, group in classified.groupby(by, sort=True):
        counts = group["type"].value_counts().reindex(TYPES, fill_value=0).to_numpy(float)
        raw = counts / counts.sum()
        corrected = adjusted_shares(raw, rates)
        key = key if isinstance(key, tuple) else (key,)
        for t, r, c in zip(TYPES, raw, corrected, strict=True):
            rows.append((*key, t, len(group), r, c))
    return pd.DataFrame(rows, columns=[*by, "type", "n", "raw_share", "corrected_share"])


def edition_error_rates(gold: pd.DataFrame, classified: pd.DataFrame, minimum: int = 10):
    """Misclassification rates measured on a coded sample of the edition itself.

    ``gold``: platform, message_id, label (the resolved codes); ``classified``:
    platform, message_id, type. Returns (rates, n coded) or (None, n) when a
    type has fewer than ``minimum`` coded messages.
    """
    predicted = classified.drop_duplicates(["platform", "message_id"])[
        ["platform", "message_id", "type"]
    ]
    matched = gold.merge(predicted, on=["platform", "message_id"])
    counts = matched["label"].value_counts().reindex(TYPES, fill_value=0)
    if (counts < minimum).any():
        return None, len(matched)
    confusion = pd.crosstab(matched["label"], matched["type"]).reindex(
        index=list(TYPES), columns=list(TYPES), fill_value=0
    )
    return misclassification_rates(confusion), len(matched)
