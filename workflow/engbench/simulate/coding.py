"""Simulated hand-coding of the demo edition's coding sample.

Two coders code each sampled message: each gives the true type, except with
probability ``error`` a different type at random; disagreements are then
resolved to the true type (as a discussion between the coders would, ideally).
This lets the demo edition run the whole coding loop — reliability, gold
standard, error rates measured on the edition's own messages.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from engbench.classify import TYPES


def code_sample(
    sample: pd.DataFrame,
    truth: pd.DataFrame,
    coders: list[str],
    errors=(0.08, 0.12),
    seed: int = 2018,
) -> pd.DataFrame:
    """The sample with one column per coder and a ``resolved`` column for disagreements."""
    true = truth.drop_duplicates(["platform", "message_id"]).set_index(["platform", "message_id"])[
        "type"
    ]
    labels = true.reindex(
        list(zip(sample["platform"], sample["message_id"], strict=True))
    ).to_numpy()
    rng = np.random.default_rng(seed)
    coded = sample.copy()
    for coder, error in zip(coders, errors, strict=False):
        wrong = rng.random(len(coded)) < error
        other = np.array([rng.choice([t for t in TYPES if t != label]) for label in labels])
        coded[coder] = np.where(wrong, other, labels)
    differ = coded[coders].nunique(axis=1) > 1
    coded["resolved"] = np.where(differ, labels, "")
    return coded
