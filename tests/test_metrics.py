"""Indicators and their bootstrap intervals; the engagement index and its rank intervals."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from engbench.metrics import (
    _cell,
    _poisson_weights,
    _sorted,
    _weighted_quantiles,
    _windowed_quantile,
    engagement_index,
    indicators,
)


def test_weighted_quantiles_equal_numpy_inverted_cdf():
    rng = np.random.default_rng(1)
    values = rng.lognormal(7, 1.2, 501)
    sorted_values, _, qs = _sorted(values, np.zeros(501, dtype=int), {"m": 0.5, "p": 0.9})
    found = _weighted_quantiles(sorted_values, np.ones((1, 501), np.float32), qs)
    assert found["m"][0] == np.quantile(values, 0.5, method="inverted_cdf")
    assert found["p"][0] == np.quantile(values, 0.9, method="inverted_cdf")
    # integer weights are the same as repeating values
    weights = rng.integers(0, 4, 501)
    repeated = np.repeat(values, weights)
    order = np.argsort(values, kind="stable")
    found = _weighted_quantiles(values[order], weights[order][None, :].astype(np.float32), qs)
    assert found["m"][0] == np.quantile(repeated, 0.5, method="inverted_cdf")


def test_poisson_weights_have_mean_and_variance_one():
    w = _poisson_weights(np.random.default_rng(3), 200, 5000)
    assert abs(w.mean() - 1) < 0.01 and abs(w.var() - 1) < 0.01


def test_weights_drawn_in_pieces_are_the_stream_of_one_draw(monkeypatch):
    """The weights are drawn a piece at a time into a reused block; the stream is that of
    one draw of the whole block (odd thread counts included), so the seed fixes them."""
    import engbench.metrics

    whole = _poisson_weights(np.random.default_rng(5), 6, 1001)
    monkeypatch.setattr(engbench.metrics, "DRAW_PIECE", 64)
    block = np.full((8, 1001), 99, np.uint8)
    pieces = _poisson_weights(np.random.default_rng(5), 6, 1001, out=block)
    np.testing.assert_array_equal(pieces, whole)
    assert pieces.base is block or pieces is block or np.shares_memory(pieces, block)
    assert (block[6:] == 99).all()  # rows beyond the block's resamples untouched


@pytest.mark.parametrize("half", [0, 3, 40, 10_000])
@pytest.mark.parametrize("q", [0.5, 0.9])
def test_a_quantile_searched_in_a_window_equals_the_whole_set(q, half):
    """The resampled quantile found within a window of the sorted values (the cumulative
    weight up to it given) is the one over the whole set: for a window that holds every
    resample's quantile, one that holds some (the rest search the whole set) and one of a
    single value; with ties, threads of several values and resamples with no weight."""
    rng = np.random.default_rng(int(q * 10) + half)
    n_threads, n = 300, 900
    values, thread, _ = _sorted(
        rng.integers(0, 400, n).astype(float), rng.integers(0, n_threads, n), {}
    )
    weights = _poisson_weights(rng, 40, n_threads)
    weights[3] = 0  # a resample that drew no thread
    weights[7, thread[: n // 2]] = 0  # one whose quantile moves far from its place
    place = int(np.ceil(q * n)) - 1
    lo, hi = max(0, place - half), min(n, place + half + 1)
    gathered = weights[:, thread].astype(np.float32)
    total = gathered.sum(axis=1)
    before = gathered[:, :lo].sum(axis=1)
    found = _windowed_quantile(values, thread, weights, q, (lo, hi), total, before)
    expected = _weighted_quantiles(values, gathered, {"q": q})["q"]
    np.testing.assert_array_equal(found, expected)
    assert np.isnan(found[3]) and not np.isnan(found).all()


def simulated_cell(rng, n_threads, p, within_thread_correlation=0.6):
    """Threads of 1–3 incoming messages; the organisation answers a thread's messages alike."""
    sizes = rng.integers(1, 4, n_threads)
    thread = np.repeat(np.arange(n_threads), sizes)
    thread_answers = rng.random(n_threads) < p
    own = rng.random(len(thread)) < p
    replied = np.where(
        rng.random(len(thread)) < within_thread_correlation, thread_answers[thread], own
    )
    seconds = np.where(replied, rng.lognormal(8, 1, len(thread)), np.nan)
    n = {
        "thread_key": thread.astype(str).astype(object),
        "replied": replied,
        "response_seconds": seconds,
        "response_seconds_webcare": seconds,
    }
    o = {
        "thread_key": np.array([], dtype=object),
        "kind": np.array([], dtype=object),
        "engagement": np.array([], dtype=float),
    }
    return o, n


def test_response_rate_interval_covers_the_truth_about_95_percent_of_the_time():
    """Parameter recovery: clustered answers, known rate; the thread bootstrap's coverage."""
    rng = np.random.default_rng(2018)
    p, covered, runs = 0.4, 0, 200
    for i in range(runs):
        o, n = simulated_cell(rng, 150, p)
        out, _ = _cell(o, n, [], np.nan, 400, seed=i)
        _, lower, upper, _ = out["response_rate"]
        covered += lower <= p <= upper
    assert 0.90 <= covered / runs <= 0.99


def test_median_response_time_interval_covers_the_truth():
    rng = np.random.default_rng(7)
    truth, covered, runs = np.exp(8), 0, 150
    for i in range(runs):
        o, n = simulated_cell(rng, 200, 0.7)
        out, _ = _cell(o, n, [], np.nan, 400, seed=i)
        _, lower, upper, _ = out["response_time_median"]
        covered += lower <= truth <= upper
    assert 0.88 <= covered / runs <= 0.99


def tiny_edition():
    """Three organisations that differ clearly: a answers all fast, c answers none."""
    rows, pairs = [], []
    t0 = pd.Timestamp("2017-03-01 10:00", tz="UTC")
    for org, rate, delay in (("a", 1.0, 300), ("b", 0.5, 3600), ("c", 0.0, None)):
        for k in range(60):
            thread = f"{org}{k}"
            rows.append(
                dict(
                    org_id=org,
                    platform="twitter",
                    thread_id=thread,
                    kind="broadcast",
                    created_at=t0,
                    like_count=k % 7,
                    share_count=1,
                    reply_count=0,
                )
            )
            answered = k < rate * 60
            pairs.append(
                dict(
                    org_id=org,
                    platform="twitter",
                    thread_id=thread,
                    created_at=t0,
                    censored=False,
                    replied=answered,
                    response_seconds=delay if answered else np.nan,
                    response_seconds_webcare=delay if answered else np.nan,
                )
            )
            if answered:
                rows.append(
                    dict(
                        org_id=org,
                        platform="twitter",
                        thread_id=thread,
                        kind="reply",
                        created_at=t0,
                        like_count=0,
                        share_count=0,
                        reply_count=0,
                    )
                )
    followers = pd.DataFrame({"org_id": ["a", "b", "c"], "platform": "twitter", "followers": 1000})
    return pd.DataFrame(rows), pd.DataFrame(pairs), followers


def test_indicators_on_a_hand_built_edition():
    messages, incoming, followers = tiny_edition()
    table, _ = indicators(messages, incoming, followers, "Europe/Amsterdam", n_resamples=200)
    e = table[(table["period"] == "edition") & (table["platform"] == "twitter")].set_index(
        ["org_id", "indicator"]
    )
    assert e.loc[("a", "response_rate"), "estimate"] == 1.0
    assert e.loc[("b", "response_rate"), "estimate"] == 0.5
    assert e.loc[("b", "response_time_median"), "estimate"] == 3600
    assert e.loc[("b", "dialogue_share"), "estimate"] == pytest.approx(30 / 90)
    assert e.loc[("all", "n_incoming"), "estimate"] == 180
    assert e.loc[("a", "answered_within_1h"), "estimate"] == 1.0
    assert e.loc[("b", "answered_within_1h"), "estimate"] == 0.5
    assert (
        e.loc[("b", "answered_within_1h"), "lower"]
        < 0.5
        < e.loc[("b", "answered_within_1h"), "upper"]
    )
    engagement = np.quantile([k % 7 + 1 for k in range(60)], 0.5, method="inverted_cdf")
    assert e.loc[("a", "engagement_per_broadcast"), "estimate"] == engagement
    assert e.loc[("a", "engagement_per_1000_followers"), "estimate"] == engagement
    assert np.isnan(e.loc[("c", "response_time_median"), "estimate"])
    assert set(table["period"]) == {"edition", "2017-03"}


def test_the_league_table_ranks_clear_differences_with_certainty():
    messages, incoming, followers = tiny_edition()
    table, resamples = indicators(
        messages, incoming, followers, "Europe/Amsterdam", n_resamples=300
    )
    weights = dict(response_rate=0.25, response_speed=0.25, dialogue_share=0.25, engagement=0.25)
    league = engagement_index(table, resamples, weights, platform="twitter").set_index("org_id")
    assert list(league.sort_values("rank").index) == ["a", "b", "c"]
    assert league.loc["a", "rank_lower"] == league.loc["a", "rank_upper"] == 1
    assert league.loc["c", "rank_upper"] == 3
    assert (league["index_lower"] <= league["index"]).all() and (
        league["index"] <= league["index_upper"]
    ).all()
    # c answers nothing: its speed takes the worst observed value, not a missing one
    assert np.isfinite(league.loc["c", "response_speed"])


def test_equal_indices_do_not_share_a_rank_the_first_org_id_gets_the_better_one():
    """Ties are ranked in org_id order (ordinal ranks 1..n), in the estimate and in every
    resample: zeta and alpha are the same organisation twice, listed zeta first."""
    values = {
        "response_rate": 0.8,
        "response_time_webcare_median": 600.0,
        "dialogue_share": 0.5,
        "engagement_per_1000_followers": 2.0,
    }
    rows, resamples = [], {}
    for org, worse in (("zeta", 0.0), ("alpha", 0.0), ("mid", 0.1)):
        for indicator, value in values.items():
            value = value - worse if indicator != "response_time_webcare_median" else value
            rows.append((org, "all", "edition", indicator, value, np.nan, np.nan, 10))
        resamples[(org, "all")] = {
            k: np.full(50, v - worse if k != "response_time_webcare_median" else v)
            for k, v in values.items()
        }
    table = pd.DataFrame(
        rows,
        columns=["org_id", "platform", "period", "indicator", "estimate", "lower", "upper", "n"],
    )
    weights = dict(response_rate=0.25, response_speed=0.25, dialogue_share=0.25, engagement=0.25)
    league = engagement_index(table, resamples, weights).set_index("org_id")
    assert league.loc["alpha", "index"] == league.loc["zeta", "index"]
    assert league["rank"].to_dict() == {"alpha": 1, "zeta": 2, "mid": 3}
    assert league.loc["alpha", "rank_lower"] == league.loc["alpha", "rank_upper"] == 1
    assert league.loc["zeta", "rank_lower"] == league.loc["zeta", "rank_upper"] == 2


def test_same_seed_same_intervals():
    messages, incoming, followers = tiny_edition()
    first, _ = indicators(
        messages, incoming, followers, "Europe/Amsterdam", n_resamples=200, seed=5
    )
    again, _ = indicators(
        messages, incoming, followers, "Europe/Amsterdam", n_resamples=200, seed=5
    )
    other, _ = indicators(
        messages, incoming, followers, "Europe/Amsterdam", n_resamples=200, seed=6
    )
    pd.testing.assert_frame_equal(first, again)
    assert not first["lower"].equals(other["lower"])


def test_organisations_are_dealt_into_groups_of_almost_equal_size():
    from engbench.metrics import ALL, organisation_groups

    orgs = [f"org{k:02d}" for k in range(28)]
    groups = organisation_groups([*orgs, *orgs[:3], ALL], 4)  # duplicates, "all" ignored
    assert list(groups) == ["g1", "g2", "g3", "g4"]
    assert sorted(o for g in groups.values() for o in g) == orgs
    assert {len(g) for g in groups.values()} == {7}
    assert list(organisation_groups(orgs[:2], 5)) == ["g1", "g2"]
    assert organisation_groups([], 3) == {}


@pytest.mark.parametrize("n_groups", [1, 2, 3])
def test_indicators_in_parts_equal_the_whole_edition_at_once(tmp_path, n_groups):
    """Groups of organisations and the edition-wide part, read from the stages' parquet
    files and combined, give the same table, resamples and league as one call."""
    from engbench.metrics import ALL, combine, organisation_groups, part, resamples_table

    messages, incoming, followers = tiny_edition()
    incoming["type"] = np.where(np.arange(len(incoming)) % 3 == 0, "question", "complaint")
    incoming.loc[incoming["org_id"] == "c", "type"] = "complaint"  # c has no questions
    messages.to_parquet(tmp_path / "messages.parquet")
    incoming.to_parquet(tmp_path / "incoming.parquet")
    args = ("Europe/Amsterdam",)
    whole, resampled = indicators(messages, incoming, followers, *args, n_resamples=120)
    weights = {"response_rate": 1, "response_speed": 1, "dialogue_share": 1, "engagement": 1}
    groups = [*organisation_groups(["a", "b", "c"], n_groups).values(), [ALL]]
    parts = [
        part(
            tmp_path / "messages.parquet",
            tmp_path / "incoming.parquet",
            followers,
            g,
            *args,
            n_resamples=120,
        )
        for g in groups
    ]
    table, resamples, league = combine([t for t, _ in parts], [r for _, r in parts], weights)
    pd.testing.assert_frame_equal(table, whole)
    assert "response_rate_question" in set(table.loc[table["org_id"] == "c", "indicator"])
    expected = resamples_table(resampled)
    pd.testing.assert_frame_equal(resamples, expected)
    pd.testing.assert_frame_equal(league, engagement_index(whole, resampled, weights))


def test_the_resamples_do_not_depend_on_the_block_size(monkeypatch):
    """Cells with many threads draw fewer resamples at a time (bounded memory); the draws,
    and so the intervals, are the same as in blocks of ``CHUNK``."""
    import engbench.metrics

    messages, incoming, followers = tiny_edition()
    first, draws = indicators(messages, incoming, followers, "UTC", n_resamples=150, seed=3)
    monkeypatch.setattr(engbench.metrics, "CHUNK_WEIGHTS", 61 * 6)  # 6 resamples a block
    assert engbench.metrics._chunk(61) == 6 and engbench.metrics._chunk(10**9) == 2
    again, draws_again = indicators(messages, incoming, followers, "UTC", n_resamples=150, seed=3)
    pd.testing.assert_frame_equal(first, again)
    for cell, values in draws.items():
        for name in values:
            np.testing.assert_array_equal(values[name], draws_again[cell][name])
