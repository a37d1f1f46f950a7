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


def coded_edition(n_per_type: int, wrong: str | None = None):
    """A classified edition whose coded messages are all classified right, except that the
    out-of-fold prediction of every coded complaint is ``wrong`` (when given)."""
    rows = [
        {"org_id": "a", "platform": "twitter", "message_id": f"{t}{i}", "type": t}
        for t in TYPES
        for i in range(n_per_type)
    ]
    classified = pd.DataFrame(rows)
    gold = classified.rename(columns={"type": "label"})[["platform", "message_id", "label"]]
    oof = classified[classified["type"] == "complaint"].assign(type=wrong) if wrong else None
    return classified, gold, oof


def test_the_error_rates_come_from_the_coded_sample_when_it_is_large_enough():
    from engbench.classify.quantify import CROSS_VALIDATION, MINIMUM_CODED, share_error_rates

    classified, gold, _ = coded_edition(MINIMUM_CODED)
    rates, basis = share_error_rates(CONFUSION, gold, classified)
    assert basis == f"this edition's coded sample ({4 * MINIMUM_CODED} messages)"
    assert (np.diag(rates) == 1).all()
    small, gold, _ = coded_edition(MINIMUM_CODED - 1)
    rates, basis = share_error_rates(CONFUSION, gold, small)
    assert basis == CROSS_VALIDATION and np.allclose(rates, misclassification_rates(CONFUSION))
    assert share_error_rates(CONFUSION, None, small)[1] == CROSS_VALIDATION


def test_coded_messages_the_model_was_trained_on_count_with_their_out_of_fold_type():
    from engbench.classify.adapt import coded_types
    from engbench.classify.quantify import corrected_type_shares, share_error_rates

    classified, gold, oof = coded_edition(20, wrong="other")
    typed = coded_types(classified, oof).set_index("message_id")["type"]
    assert (typed[typed.index.str.startswith("complaint")] == "other").all()
    assert (typed[typed.index.str.startswith("question")] == "question").all()
    rates, _ = share_error_rates(CONFUSION, gold, classified, oof)
    complaint, other = TYPES.index("complaint"), TYPES.index("other")
    assert rates[complaint, other] == 1 and rates[other, other] == 1  # out-of-fold types
    assert (np.diag(share_error_rates(CONFUSION, gold, classified)[0]) == 1).all()
    shares = corrected_type_shares(classified, CONFUSION, gold, oof)
    assert list(shares.columns[:3]) == ["org_id", "platform", "type"] and len(shares) == 4
    assert (shares["error_rates"] == "this edition's coded sample (80 messages)").all()
    pd.testing.assert_frame_equal(
        coded_types(classified, oof.iloc[:0]), classified[["platform", "message_id", "type"]]
    )
