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


def validate_response_rates(
    rates: pd.DataFrame, incoming: pd.DataFrame, truth: pd.DataFrame
) -> tuple[pd.DataFrame, dict]:
    """Raw and corrected per-type response rates against the true per-type rates.

    Returns the per organisation × type comparison and a summary: mean absolute
    error of raw and corrected rates per organisation and edition-wide, how
    often the corrected rate is the closer one, and interval coverage.
    """
    from engbench.classify.response import compare_to_truth, true_response_rates

    true_types = truth[truth["collected"]][["platform", "message_id", "type"]]
    compared = compare_to_truth(rates, true_response_rates(incoming, true_types))
    compared = compared.dropna(subset=["true_rate"])
    per_org = compared[compared["org_id"] != "all"]
    edition = compared[compared["org_id"] == "all"]
    usable = per_org.dropna(subset=["raw_rate", "corrected_rate"])

    def summary_of(frame):
        return {
            "cells": len(frame),
            "mean_abs_error_raw": float(frame["raw_error"].mean()),
            "mean_abs_error_corrected": float(frame["corrected_error"].mean()),
            "corrected_closer": int((frame["corrected_error"] < frame["raw_error"]).sum()),
            "raw_interval_covers": float(frame["raw_covers"].mean()),
            "corrected_interval_covers": float(frame["corrected_covers"].mean()),
        }

    summary = {
        "edition": summary_of(edition),
        "per_organisation": summary_of(usable),
        "edition_by_type": {
            row["type"]: {
                "true": float(row["true_rate"]),
                "raw": float(row["raw_rate"]),
                "corrected": float(row["corrected_rate"]),
                "corrected_interval": [
                    float(row["corrected_lower"]),
                    float(row["corrected_upper"]),
                ],
            }
            for _, row in edition.iterrows()
        },
        "per_organisation_by_type": {
            t: {
                "mean_abs_error_raw": float(g["raw_error"].mean()),
                "mean_abs_error_corrected": float(g["corrected_error"].mean()),
            }
            for t, g in usable.groupby("type")
        },
        "note": "true rates: the simulator's true types of the same uncensored incoming messages",
    }
    return compared, summary
