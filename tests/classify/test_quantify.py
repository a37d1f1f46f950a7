"""Adjusted classify-and-count recovers true shares from raw shares and error rates."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from engbench.classify import TYPES
from engbench.classify.quantify import adjusted_shares, misclassification_rates, type_shares

CONFUSION = pd.DataFrame(
    [[90, 4, 3, 3], [5, 85, 2, 8], [8, 1, 86, 5], [10, 6, 4, 80]],
    index=list(TYPES),
    columns=list(TYPES),
)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(0.01, 1), min_size=4, max_size=4))
def test_exact_raw_shares_give_back_the_true_shares(weights):
    true = np.array(weights) / sum(weights)
    rates = misclassification_rates(CONFUSION)
    raw = rates.T @ true
    assert np.allclose(adjusted_shares(raw, rates), true, atol=1e-6)


def test_corrected_shares_are_valid_and_closer_on_a_simulated_sample():
    rng = np.random.default_rng(1)
    rates = misclassification_rates(CONFUSION)
    true = np.array([0.5, 0.2, 0.1, 0.2])
    errors_raw, errors_corrected = [], []
    for _ in range(200):
        labels = rng.choice(4, size=2000, p=true)
        predicted = np.array([rng.choice(4, p=rates[label]) for label in labels])
        frame = pd.DataFrame({"org_id": "a", "type": np.array(TYPES)[predicted]})
        shares = type_shares(frame, rates, ["org_id"]).set_index("type")
        assert (
            np.isclose(shares["corrected_share"].sum(), 1)
            and (shares["corrected_share"] >= 0).all()
        )
        errors_raw.append(np.abs(shares["raw_share"].to_numpy() - true).mean())
        errors_corrected.append(np.abs(shares["corrected_share"].to_numpy() - true).mean())
    assert np.mean(errors_corrected) < np.mean(errors_raw)
