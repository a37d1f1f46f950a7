"""Type shares corrected for the classifier's errors: adjusted classify-and-count.

If ``M[i, j]`` is the probability that a message of true type i is classified
as j (from the cross-validated confusion matrix), the expected raw shares are
``raw = M.T @ true``. The corrected shares solve that system under the
constraints that shares are non-negative and sum to one (non-negative least
squares on the system with an added sum-to-one row). Forman (2008),
"Quantifying counts and costs via classification", Data Min. Knowl. Disc. 17.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from scipy.optimize import nnls

from engbench.classify import TYPES

# Error rates measured on the edition's coded sample need this many coded messages of every
# type (for the corrected type shares and the corrected per-type response rates alike).
MINIMUM_CODED = 10
CROSS_VALIDATION = "cross-validation on the coded training messages"


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
    groups = classified.groupby(by, sort=True) if by else [((), classified)]
    for key, group in groups:
        counts = group["type"].value_counts().reindex(TYPES, fill_value=0).to_numpy(float)
        raw = counts / counts.sum()
        corrected = adjusted_shares(raw, rates)
        key = key if isinstance(key, tuple) else (key,)
        for t, r, c in zip(TYPES, raw, corrected, strict=True):
            rows.append((*key, t, len(group), r, c))
    return pd.DataFrame(rows, columns=[*by, "type", "n", "raw_share", "corrected_share"])


def edition_error_rates(gold: pd.DataFrame, classified: pd.DataFrame, minimum: int = MINIMUM_CODED):
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


def share_error_rates(
    confusion: pd.DataFrame,
    gold: pd.DataFrame | None,
    classified: pd.DataFrame,
    out_of_fold: pd.DataFrame | None = None,
    log: Callable[[str], object] = lambda _: None,
) -> tuple[np.ndarray, str]:
    """The misclassification rates the corrected type shares use, and their basis (text).

    Measured on the edition's coded sample (``gold``, from ``coding.coded_sample``; None
    or empty when there is none) when it has at least ``MINIMUM_CODED`` messages of every
    type, against the predicted types of ``adapt.coded_types`` (out-of-fold for coded
    messages the model was trained on); else the classifier's cross-validated
    ``confusion`` matrix.
    """
    from engbench.classify.adapt import coded_types

    if gold is not None and len(gold):
        measured, n = edition_error_rates(gold, coded_types(classified, out_of_fold))
        if measured is not None:
            return measured, f"this edition's coded sample ({n:,} messages)"
        log(f"coded sample too small for error rates ({n} messages): using {CROSS_VALIDATION}")
    return misclassification_rates(confusion), CROSS_VALIDATION


def corrected_type_shares(
    classified: pd.DataFrame,
    confusion: pd.DataFrame,
    gold: pd.DataFrame | None = None,
    out_of_fold: pd.DataFrame | None = None,
    by: list[str] | None = None,
    log: Callable[[str], object] = lambda _: None,
) -> pd.DataFrame:
    """Raw and corrected type shares per group (``by``, default organisation × platform;
    ``[]``: all messages), with the error rates of ``share_error_rates``; their basis in
    column ``error_rates``."""
    rates, basis = share_error_rates(confusion, gold, classified, out_of_fold, log)
    log(f"error rates for the corrected shares: {basis}")
    by = ["org_id", "platform"] if by is None else by
    return type_shares(classified, rates, by).assign(error_rates=basis)
