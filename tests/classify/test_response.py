"""Per-type response rates corrected for misclassification: recovery of known rates."""

import numpy as np
import pandas as pd
import pytest

from engbench.classify import TYPES
from engbench.classify.response import (
    compare_to_truth,
    response_rates_by_type,
    true_response_rates,
)
from engbench.simulate.typed import misclassified_incoming


@pytest.fixture(scope="module")
def world():
    incoming, gold, truth = misclassified_incoming(n_orgs=6, messages_per_org=1500, seed=3)
    table = response_rates_by_type(incoming, gold, n_resamples=300, seed=7)
    return incoming, gold, truth, compare_to_truth(table, true_response_rates(incoming, truth))


def test_corrected_interval_covers_the_true_edition_rates(world):
    *_, compared = world
    edition = compared[compared["org_id"] == "all"].set_index("type")
    assert edition["corrected_covers"].all(), edition[
        ["true_rate", "corrected_rate", "corrected_lower", "corrected_upper"]
    ]


def test_corrected_is_closer_to_the_truth_than_raw(world):
    *_, compared = world
    edition = compared[compared["org_id"] == "all"].set_index("type")
    # the raw rates are biased by the errors (an ignored message looks like `other`)
    assert edition.loc["other", "raw_error"] > 0.03
    assert not edition["raw_covers"].all()
    assert edition["corrected_error"].sum() < 0.75 * edition["raw_error"].sum()


def test_raw_rates_are_the_plain_predicted_type_rates(world):
    incoming, _, _, compared = world
    expected = incoming.groupby("type")["replied"].mean()
    edition = compared[compared["org_id"] == "all"].set_index("type")
    np.testing.assert_allclose(edition.loc[list(TYPES), "raw_rate"], expected[list(TYPES)])


def test_a_perfect_classifier_needs_no_correction():
    incoming, gold, truth = misclassified_incoming(n_orgs=2, messages_per_org=400, seed=5)
    exact = incoming.drop(columns="type").merge(truth, on=["platform", "message_id"])
    table = response_rates_by_type(exact, gold, n_resamples=0)
    np.testing.assert_allclose(table["corrected_rate"], table["raw_rate"])


def test_coded_messages_count_as_their_true_type():
    incoming, _, truth = misclassified_incoming(n_orgs=1, messages_per_org=200, seed=2)
    everything = truth.rename(columns={"type": "label"})  # every message coded
    table = response_rates_by_type(incoming, everything, n_resamples=0)
    true = true_response_rates(incoming, truth)
    merged = table.merge(true, on=["org_id", "type"])
    np.testing.assert_allclose(merged["corrected_rate"], merged["true_rate"])


def test_censored_messages_are_left_out():
    incoming, gold, _ = misclassified_incoming(n_orgs=1, messages_per_org=300, seed=4)
    censored = incoming.assign(censored=np.arange(len(incoming)) % 3 == 0)
    table = response_rates_by_type(censored, gold, n_resamples=0)
    assert table["n_incoming"].iloc[0] == int((~censored["censored"]).sum())


def test_unknown_labels_are_refused():
    incoming, gold, _ = misclassified_incoming(n_orgs=1, messages_per_org=100, seed=4)
    with pytest.raises(ValueError, match="not one of"):
        response_rates_by_type(incoming, gold.assign(label="praise"), n_resamples=0)
    assert isinstance(incoming, pd.DataFrame)


@pytest.mark.parametrize("method", ["posterior", "em"])
def test_the_intervals_do_not_depend_on_the_block_size(world, monkeypatch, method):
    """Editions with many threads draw fewer resamples at a time (bounded memory); the
    Poisson draws, and so every interval, are those of blocks of ``CHUNK``."""
    import engbench.classify.response

    incoming, gold, _, _ = world
    first = response_rates_by_type(incoming, gold, n_resamples=60, seed=7, method=method)
    n_threads = incoming["thread_id"].nunique()
    monkeypatch.setattr(engbench.classify.response, "CHUNK_WEIGHTS", 7 * n_threads)
    again = response_rates_by_type(incoming, gold, n_resamples=60, seed=7, method=method)
    pd.testing.assert_frame_equal(first, again, check_exact=True)
    assert np.isfinite(first["corrected_lower"]).any()
