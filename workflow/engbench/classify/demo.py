"""The classifier against the simulated edition's true types (demo edition only)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from engbench.classify import TYPES
from engbench.classify.validation import report


def validate_against_truth(
    classified: pd.DataFrame, shares: pd.DataFrame, truth: pd.DataFrame
) -> dict:
    """Macro-F1 against the true types, and raw vs corrected type shares against the true shares."""
    truth = truth[truth["collected"]].drop_duplicates(["platform", "message_id", "org_id"])
    messages = classified.drop_duplicates(["platform", "message_id"]).merge(
        truth.drop_duplicates(["platform", "message_id"])[["platform", "message_id", "type"]],
        on=["platform", "message_id"],
        suffixes=("", "_true"),
    )
    scores = report(messages["type_true"].to_numpy(), messages["type"].to_numpy())
    pairs = classified[["platform", "message_id", "org_id"]].merge(
        truth[["platform", "message_id", "org_id", "type"]], on=["platform", "message_id", "org_id"]
    )
    true_shares = (
        pairs.groupby(["org_id", "platform"])["type"]
        .value_counts(normalize=True)
        .rename("true_share")
        .reset_index()
    )
    compared = shares.merge(true_shares, on=["org_id", "platform", "type"], how="left").fillna(
        {"true_share": 0.0}
    )
    compared["raw_error"] = (compared["raw_share"] - compared["true_share"]).abs()
    compared["corrected_error"] = (compared["corrected_share"] - compared["true_share"]).abs()
    per_cell = compared.groupby(["org_id", "platform"])[["raw_error", "corrected_error"]].mean()
    return {
        "messages": len(messages),
        "macro_f1": scores["macro_f1"],
        "accuracy": scores["accuracy"],
        "per_class": scores["per_class"].to_dict("records"),
        "confusion": scores["confusion"].to_dict(),
        "share_cells": len(per_cell),
        "mean_abs_error_raw_share": float(compared["raw_error"].mean()),
        "mean_abs_error_corrected_share": float(compared["corrected_error"].mean()),
        "cells_where_corrected_is_closer": int(
            (per_cell["corrected_error"] < per_cell["raw_error"]).sum()
        ),
        "types": list(TYPES),
        "note": "messages are the collected incoming messages; shares per organisation x platform",
        "mean_abs_error_by_type": {
            t: {
                "raw": float(g["raw_error"].mean()),
                "corrected": float(g["corrected_error"].mean()),
            }
            for t, g in compared.groupby("type")
        },
        "largest_raw_error": float(np.max(compared["raw_error"])) if len(compared) else None,
    }
