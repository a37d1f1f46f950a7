"""A series of editions: definitions, comparability, changes with intervals (recovered from
simulated pairs of editions with a known change), ranks, edition-wide change, entrants."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engbench import metrics, series
from engbench.classify.adapt import label_sources
from engbench.organisations import read_organisations
from engbench.simulate import simulate_and_write, simulation_settings
from tests.conftest import ROOT, load_config

T0 = pd.Timestamp("2017-03-01 10:00", tz="UTC")


def simulated_edition(rng, orgs: dict, n_threads: int = 120, platform: str = "twitter"):
    """messages, incoming, followers of an edition whose organisations answer with known
    rates and lognormal response times: ``orgs`` = {org_id: (rate, log median seconds)}.
    Threads of 1–3 incoming messages; answers within a thread are correlated."""
    messages, incoming = [], []
    for org, (p, mu) in orgs.items():
        sizes = rng.integers(1, 4, n_threads)
        thread = np.repeat(np.arange(n_threads), sizes)
        thread_answers = rng.random(n_threads) < p
        own = rng.random(len(thread)) < p
        replied = np.where(rng.random(len(thread)) < 0.6, thread_answers[thread], own)
        seconds = np.where(replied, rng.lognormal(mu, 1.0, len(thread)), np.nan)
        ids = np.char.add(f"{org}-", thread.astype(str))
        incoming.append(
            pd.DataFrame(
                {
                    "org_id": org,
                    "platform": platform,
                    "thread_id": ids,
                    "created_at": T0,
                    "censored": False,
                    "replied": replied,
                    "response_seconds": seconds,
                    "response_seconds_webcare": seconds,
                }
            )
        )
        broadcasts = rng.integers(0, n_threads, 40)
        messages.append(
            pd.DataFrame(
                {
                    "org_id": org,
                    "platform": platform,
                    "thread_id": [f"{org}-{k}" for k in broadcasts],
                    "kind": np.where(np.arange(40) % 4 == 0, "reply", "broadcast"),
                    "created_at": T0,
                    "like_count": rng.integers(0, 30, 40),
                    "share_count": rng.integers(0, 5, 40),
                    "reply_count": 0,
                }
            )
        )
    followers = pd.DataFrame({"org_id": list(orgs), "platform": platform, "followers": 5000})
    return pd.concat(messages), pd.concat(incoming), followers


def computed(rng, orgs, seed, n_threads=120, n_resamples=400):
    """An edition's indicator table and its resamples table (metrics, as the workflow runs)."""
    messages, incoming, followers = simulated_edition(rng, orgs, n_threads)
    table, resamples = metrics.indicators(
        messages,
        incoming,
        followers,
        "Europe/Amsterdam",
        n_resamples=n_resamples,
        seed=seed,
        monthly=False,
    )
    return table, metrics.resamples_table(resamples)


# --- the resamples table ---------------------------------------------------------------


def test_resamples_table_is_long_and_holds_every_draw():
    _, resamples = metrics.indicators(
        *simulated_edition(np.random.default_rng(1), {"a": (0.5, 8), "b": (0.8, 7)}, 30),
        "Europe/Amsterdam",
        n_resamples=50,
        monthly=False,
    )
    long = metrics.resamples_table(resamples)
    assert list(long.columns) == ["org_id", "platform", "indicator", "resample", "value"]
    assert long["value"].dtype == np.float64 and long["resample"].dtype == np.int64
    draws = resamples[("a", "twitter")]["response_rate"]
    chosen = long[
        (long["org_id"] == "a")
        & (long["platform"] == "twitter")
        & (long["indicator"] == "response_rate")
    ]
    assert chosen["resample"].tolist() == list(range(50))
    np.testing.assert_array_equal(chosen["value"].to_numpy(), draws)
    assert len(long) == sum(len(v) for d in resamples.values() for v in d.values())
    assert metrics.resamples_table({}).empty


# --- definitions and comparability ------------------------------------------------------


def test_definitions_of_the_test_edition():
    config = load_config()
    codebook = (ROOT / "data/labels/CODEBOOK.md").read_text(encoding="utf-8")
    labels = [(ROOT / p, w) for p, w in label_sources(config["classify"]["labels"])]
    found = series.definitions(config, codebook, labels, {"loy1": "Ik blijf klant"})
    d = found["definitions"]
    assert found["edition"] == "test-2017"
    assert d["answer_window_days"] == 7 and d["timezone"] == "Europe/Amsterdam"
    assert d["webcare_hours"]["sunday"] == "closed"
    assert d["codebook_version"] == "1.1"
    assert d["classifier_training_data"].startswith("sha256:")
    assert d["panel_items"]["loyalty_scale"] == "1–7"
    assert d["panel_items"]["wording"] == {"loy1": "Ik blijf klant"}
    assert sum(d["index_weights"].values()) == pytest.approx(1.0)
    # a config without a panel records none
    assert (
        series.definitions({**config, "panel": None}, codebook, labels)["definitions"][
            "panel_items"
        ]
        is None
    )


def test_training_data_hash_follows_the_bytes_and_weights(tmp_path):
    path = tmp_path / "coded.csv"
    path.write_text("text,label\nhoi,other\n", encoding="utf-8")
    first = series.training_data_hash([(path, 1.0)])
    assert series.training_data_hash([(path, 1.0)]) == first
    assert series.training_data_hash([(path, 2.0)]) != first
    path.write_text("text,label\nhoi,question\n", encoding="utf-8")
    assert series.training_data_hash([(path, 1.0)]) != first


def test_codebook_without_a_version_is_an_error():
    with pytest.raises(series.SeriesError, match="no version"):
        series.codebook_version("# Codebook\n")


def two_definitions(window_to=3):
    config = load_config()
    codebook = (ROOT / "data/labels/CODEBOOK.md").read_text(encoding="utf-8")
    labels = [(ROOT / p, w) for p, w in label_sources(config["classify"]["labels"])]
    a = series.definitions(config, codebook, labels)
    later = {**config, "edition": {**config["edition"], "name": "test-2018"}}
    later["answer_window_days"] = window_to
    return a, series.definitions(later, codebook, labels)


def test_a_changed_definition_is_refused_naming_it_and_both_values():
    a, b = two_definitions()
    with pytest.raises(series.SeriesError) as error:
        series.check_comparable(a, b, accepted={})
    message = str(error.value)
    assert "answer_window_days: 7 in test-2017, 3 in test-2018" in message
    assert "series.accept" in message


def test_an_accepted_difference_marks_the_affected_changes_not_comparable():
    a, b = two_definitions()
    notes = series.check_comparable(a, b, accepted={"answer_window_days": "new platform rules"})
    assert list(notes) == ["answer_window_days"]
    assert (
        "7 in test-2017, 3 in test-2018 (accepted: new platform rules)"
        in notes["answer_window_days"]
    )
    rng = np.random.default_rng(3)
    ind_a, res_a = computed(rng, {"a": (0.5, 8)}, 1, 40, 50)
    ind_b, res_b = computed(rng, {"a": (0.6, 8)}, 2, 40, 50)
    found = series.changes(ind_a, ind_b, res_a, res_b, "x", "y", notes).set_index(
        ["org_id", "platform", "indicator"]
    )
    assert not found.loc[("a", "twitter", "response_rate"), "comparable"]
    assert not found.loc[("a", "twitter", "response_time_median"), "comparable"]
    assert found.loc[("a", "twitter", "dialogue_share"), "comparable"]
    # same definitions: nothing to accept, every change comparable
    assert series.check_comparable(a, a, accepted={}) == {}
    assert series.changes(ind_a, ind_b, res_a, res_b, "x", "y")["comparable"].all()


def test_which_indicators_a_definition_moves():
    assert series.affects("webcare_hours", "response_time_webcare_median")
    assert not series.affects("webcare_hours", "response_time_median")
    assert series.affects("codebook_version", "response_rate_complaint")
    assert not series.affects("codebook_version", "response_rate")
    assert series.affects("index_weights", "rank")
    assert not series.affects("index_weights", "dialogue_share")


# --- changes with intervals --------------------------------------------------------------


def test_change_intervals_cover_the_true_change_in_simulated_pairs_of_editions():
    """Parameter recovery: 300 pairs of small editions, known change of the response rate
    (0.55 → 0.65) and of the median response time (e^8 → e^7.8 s); 95% intervals.
    Measured: 97.7% (rate) and 96.3% (median) of the 300 intervals hold the true change."""
    rng = np.random.default_rng(2018)
    truth = {"response_rate": 0.65 - 0.55, "response_time_median": np.exp(7.8) - np.exp(8)}
    covered = dict.fromkeys(truth, 0)
    runs = 300
    for i in range(runs):
        ind_a, res_a = computed(rng, {"o": (0.55, 8.0)}, 2 * i, 120, 400)
        ind_b, res_b = computed(rng, {"o": (0.65, 7.8)}, 2 * i + 1, 120, 400)
        found = series.changes(ind_a, ind_b, res_a, res_b, "a", "b").set_index(
            ["org_id", "platform", "indicator"]
        )
        for name, change in truth.items():
            row = found.loc[("o", "twitter", name)]
            covered[name] += row["lower"] <= change <= row["upper"]
    for name in truth:
        assert 0.92 <= covered[name] / runs <= 0.98, (name, covered[name] / runs)


def test_changes_table_columns_and_counts():
    rng = np.random.default_rng(5)
    ind_a, res_a = computed(rng, {"a": (0.5, 8), "b": (0.7, 7)}, 1, 60, 100)
    ind_b, res_b = computed(rng, {"a": (0.6, 8), "c": (0.7, 7)}, 2, 60, 100)
    found = series.changes(ind_a, ind_b, res_a, res_b, "2017", "2018")
    assert list(found.columns) == series.CHANGE_COLUMNS
    assert set(found["org_id"]) == {"a", "all"}  # b left, c entered: no change for them
    assert not found["indicator"].str.startswith("n_").any()
    row = found.set_index(["org_id", "platform", "indicator"]).loc[
        ("a", "twitter", "response_rate")
    ]
    a = ind_a.set_index(["org_id", "platform", "period", "indicator"]).loc[
        ("a", "twitter", "edition", "response_rate")
    ]
    assert row["estimate_from"] == a["estimate"] and row["n_from"] == a["n"]
    assert row["change"] == pytest.approx(row["estimate_to"] - row["estimate_from"])
    assert row["lower"] <= row["change"] <= row["upper"]


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10_000), p=st.floats(0.1, 0.9))
def test_swapping_the_editions_negates_the_change_and_its_interval(seed, p):
    rng = np.random.default_rng(seed)
    ind_a, res_a = computed(rng, {"a": (p, 8)}, seed, 30, 60)
    ind_b, res_b = computed(rng, {"a": (0.5, 7)}, seed + 1, 30, 60)
    forward = series.changes(ind_a, ind_b, res_a, res_b, "x", "y")
    backward = series.changes(ind_b, ind_a, res_b, res_a, "y", "x")
    np.testing.assert_allclose(forward["change"], -backward["change"])
    np.testing.assert_allclose(forward["lower"], -backward["upper"], equal_nan=True)
    np.testing.assert_allclose(forward["upper"], -backward["lower"], equal_nan=True)


def test_verdict_reads_the_direction_of_each_indicator():
    frame = pd.DataFrame(
        {
            "indicator": ["response_rate", "response_rate", "response_time_median", "rank"],
            "lower": [0.01, -0.1, -500.0, -3.0],
            "upper": [0.2, 0.1, -100.0, -1.0],
        }
    )
    assert series.verdict(frame).tolist() == [
        "improved",
        "no clear change",
        "improved",
        "improved",
    ]


# --- league, edition-wide, entrants and leavers -------------------------------------------


def test_league_draws_reproduce_the_editions_league():
    rng = np.random.default_rng(11)
    messages, incoming, followers = simulated_edition(
        rng, {"a": (0.3, 9), "b": (0.6, 8), "c": (0.9, 7)}, 60
    )
    table, resamples = metrics.indicators(
        messages, incoming, followers, "Europe/Amsterdam", n_resamples=100, monthly=False
    )
    weights = {c: 0.25 for c in metrics.INDEX_COMPONENTS}
    expected = metrics.engagement_index(table, resamples, weights).set_index("org_id")
    league, _, rank_draws = series.league_draws(table, metrics.resamples_table(resamples), weights)
    league = league.set_index("org_id")
    np.testing.assert_allclose(league["index"], expected.loc[league.index, "index"])
    assert (league["rank"] == expected.loc[league.index, "rank"]).all()
    assert rank_draws.shape == (100, 3)
    lower = np.percentile(rank_draws, 2.5, axis=0, method="inverted_cdf")
    assert (lower == expected.loc[league.index, "rank_lower"].to_numpy()).all()


def test_league_changes_of_an_edition_with_itself_are_zero():
    rng = np.random.default_rng(12)
    table, res = computed(rng, {"a": (0.3, 9), "b": (0.6, 8), "c": (0.9, 7)}, 3, 60, 100)
    weights = {c: 0.25 for c in metrics.INDEX_COMPONENTS}
    found = series.league_changes(table, res, weights, table, res, weights, "x", "x")
    assert set(found["indicator"]) == {"engagement_index", "rank"}
    assert len(found) == 6 and (found["change"] == 0).all()
    assert (found["lower"] == 0).all() and (found["upper"] == 0).all()


def test_edition_wide_change_on_like_for_like_and_full_editions():
    rng = np.random.default_rng(13)
    ind_a, res_a = computed(rng, {"a": (0.4, 8), "b": (0.4, 8), "gone": (0.9, 8)}, 1, 150, 200)
    ind_b, res_b = computed(rng, {"a": (0.6, 8), "b": (0.6, 8), "new": (0.1, 8)}, 2, 150, 200)
    wide = series.edition_wide(ind_a, ind_b, res_a, res_b, "x", "y").set_index(
        ["set", "platform", "indicator"]
    )
    like = wide.loc[("like_for_like", "twitter", "response_rate")]
    full = wide.loc[("full", "twitter", "response_rate")]
    assert like["orgs_from"] == 2 and like["orgs_to"] == 2
    assert full["orgs_from"] == 3 and full["orgs_to"] == 3
    assert like["lower"] <= 0.2 <= like["upper"]
    assert full["change"] < 0 < like["change"]  # the leaver answered most, the entrant least
    changes = series.changes(ind_a, ind_b, res_a, res_b, "x", "y")
    per_org = changes[(changes["indicator"] == "response_rate") & (changes["org_id"] != "all")]
    per_org = per_org[per_org["platform"] == "twitter"]
    assert like["change"] == pytest.approx(per_org["change"].mean())


def test_entrants_and_leavers_are_named():
    rng = np.random.default_rng(14)
    ind_a, _ = computed(rng, {"a": (0.4, 8), "gone": (0.9, 8)}, 1, 20, 20)
    ind_b, _ = computed(rng, {"a": (0.6, 8), "new": (0.1, 8)}, 2, 20, 20)
    found = series.entrants_leavers(ind_a, ind_b)
    assert set(map(tuple, found.to_numpy())) == {
        ("gone", "all", "leaver"),
        ("new", "all", "entrant"),
    }


def test_trends_stack_the_editions():
    rng = np.random.default_rng(15)
    ind_a, _ = computed(rng, {"a": (0.4, 8)}, 1, 20, 20)
    ind_b, _ = computed(rng, {"a": (0.6, 8)}, 2, 20, 20)
    found = series.trends({"2017": ind_a, "2018": ind_b})
    assert list(found["edition"].unique()) == ["2017", "2018"]
    assert len(found) == (ind_a["period"] == "edition").sum() + (ind_b["period"] == "edition").sum()


# --- a whole series: tables, report, figures, the loader -----------------------------------


def three_editions():
    rng = np.random.default_rng(21)
    weights = {c: 0.25 for c in metrics.INDEX_COMPONENTS}
    config = load_config()
    codebook = (ROOT / "data/labels/CODEBOOK.md").read_text(encoding="utf-8")
    labels = [(ROOT / p, w) for p, w in label_sources(config["classify"]["labels"])]
    editions = []
    for k, orgs in enumerate(
        (
            {"a": (0.3, 9), "b": (0.5, 8), "gone": (0.7, 8)},
            {"a": (0.8, 7), "b": (0.5, 8), "gone": (0.7, 8)},
            {"a": (0.8, 7), "b": (0.5, 8), "new": (0.6, 8)},
        )
    ):
        name = f"ed-{k}"
        table, res = computed(rng, orgs, k, 150, 200)
        defs = series.definitions(
            {**config, "edition": {**config["edition"], "name": name}}, codebook, labels
        )
        editions.append(
            {
                "name": name,
                "definitions": defs,
                "indicators": table,
                "resamples": res,
                "weights": weights,
            }
        )
    return editions


def test_a_series_compared_written_and_read_back(tmp_path):
    from engbench.results import open_series

    result = series.compare_editions(three_editions(), accept={})
    changes = result["changes"]
    assert list(changes.columns) == series.CHANGE_COLUMNS
    assert set(zip(changes["edition_from"], changes["edition_to"], strict=True)) == {
        ("ed-0", "ed-1"),
        ("ed-1", "ed-2"),
    }
    a = changes[(changes["org_id"] == "a") & (changes["platform"] == "all")].set_index(
        ["edition_from", "indicator"]
    )
    assert series.verdict(a.reset_index()).tolist().count("improved") >= 2
    assert a.loc[("ed-0", "response_rate"), "lower"] > 0  # a truly improved: 0.3 → 0.8
    moves = result["entrants_leavers"]
    assert set(zip(moves["org_id"], moves["status"], moves["edition_to"], strict=True)) == {
        ("gone", "leaver", "ed-2"),
        ("new", "entrant", "ed-2"),
    }
    text = series.report_text("Test series", result, {"a": "Org A"})
    assert "## ed-0 → ed-1" in text and "Entered: new" in text and "Left: gone" in text
    assert "Org A" in text and "same definitions" in text
    for figure in (
        series.slope_chart(changes, "ed-1", "ed-2"),
        series.trend_chart(result["trends"], result["edition_wide"]),
        series.organisation_chart(result["trends"]),
    ):
        assert figure.axes
    # the files the series stage writes, read back by the loader
    write_series(result, tmp_path / "results/series/test")
    loaded = open_series("test", tmp_path / "results")
    assert loaded.editions == ["ed-0", "ed-1", "ed-2"]
    assert len(loaded.changes) == len(changes)
    path = loaded.trajectory("a").loc["response_rate"]
    assert list(path.index) == ["ed-0", "ed-1", "ed-2"]
    with pytest.raises(FileNotFoundError, match="series in"):
        open_series("other", tmp_path / "results")


def test_the_report_says_when_a_difference_was_accepted():
    editions = three_editions()
    editions[1]["definitions"]["definitions"]["answer_window_days"] = 3
    editions[2]["definitions"]["definitions"]["answer_window_days"] = 3
    with pytest.raises(series.SeriesError, match="answer_window_days: 7 in ed-0, 3 in ed-1"):
        series.compare_editions(editions, accept={})
    result = series.compare_editions(editions, accept={"answer_window_days": "new rule"})
    text = series.report_text("Test series", result)
    assert "Not comparable in every indicator" in text
    assert "answer_window_days: 7 in ed-0, 3 in ed-1 (accepted: new rule)" in text
    assert "response rate: not comparable between these editions" in text
    first = result["changes"][result["changes"]["edition_from"] == "ed-0"]
    assert not first[first["indicator"] == "response_rate"]["comparable"].any()
    assert first[first["indicator"] == "dialogue_share"]["comparable"].all()


def test_a_series_config_is_validated(tmp_path):
    with pytest.raises(series.SeriesError, match=r"series\.editions"):
        series.read_series({"series": {"name": "x", "editions": ["config/test/config.yaml"]}})
    with pytest.raises(series.SeriesError, match="not found"):
        series.read_series({"series": {"name": "x", "editions": ["a.yaml", "b.yaml"]}})
    same = str(ROOT / "config/test/config.yaml")
    with pytest.raises(series.SeriesError, match="both edition 'test-2017'"):
        series.read_series({"series": {"name": "x", "editions": [same, same]}})
    found = series.read_series(
        {"series": {"name": "x", "editions": [same, str(ROOT / "config/test/config-2018.yaml")]}}
    )
    assert list(found["editions"]) == ["test-2017", "test-2018"] and found["accept"] == {}


def write_series(result, folder):
    """The files rule series_changes writes, from compare_editions' result."""
    folder.mkdir(parents=True)
    result["changes"].to_csv(folder / "changes.csv", index=False)
    result["trends"].to_parquet(folder / "trends.parquet", index=False)
    result["edition_wide"].to_csv(folder / "edition_wide.csv", index=False)
    result["entrants_leavers"].to_csv(folder / "entrants_leavers.csv", index=False)
    record = {key: result[key] for key in ("differences", "panels", "same_seed", "warnings")}
    record["accepted"] = result["notes"]
    (folder / "comparability.json").write_text(json.dumps(record), encoding="utf-8")


def test_the_series_notebook_runs_through_a_kernel(tmp_path, monkeypatch):
    from tests.test_workflow import execute_notebook, shown

    results = tmp_path / "results"
    write_series(series.compare_editions(three_editions(), accept={}), results / "series/demo")
    monkeypatch.setenv("ENGBENCH_SERIES", "demo")
    outputs = execute_notebook("04_series.py", results, tmp_path)
    markdown = "\n".join(shown(outputs, "text/markdown"))
    assert "editions ed-0, ed-1, ed-2" in markdown and "same definitions" in markdown
    html = "\n".join(shown(outputs, "text/html"))
    assert "entrant" in html and "like_for_like" in html
    assert len(shown(outputs, "image/png")) == 1


def test_editions_bootstrapped_with_one_seed_are_named_in_the_report():
    editions = three_editions()  # their definitions state the test config's metrics.seed
    result = series.compare_editions(editions, accept={})
    assert len(result["warnings"]) == 2 and "metrics.seed 2018" in result["warnings"][0]
    assert "give each edition its own metrics.seed" in series.report_text("T", result)
    editions[1]["definitions"]["bootstrap"]["seed"] = 7
    assert series.compare_editions(editions, accept={})["warnings"] == []


def coefficients(follows, se, n=150):
    return pd.DataFrame(
        {
            "model": ["ols_fe", "ols_fe"],
            "term": ["follows", "customer"],
            "estimate": [follows, 0.7],
            "std_error": [se, 0.1],
            "ci_low": [follows - 1.96 * se, 0.5],
            "ci_high": [follows + 1.96 * se, 0.9],
            "p_value": [0.0, 0.0],
            "n_respondents": [n, n],
            "n_pairs": [2 * n, 2 * n],
        }
    )


def test_follower_effect_change_of_two_separate_waves():
    found = series.follower_effect_changes(
        coefficients(0.6, 0.08), coefficients(0.3, 0.06, 200), "w1", "w2"
    )
    assert list(found.columns) == series.CHANGE_COLUMNS and len(found) == 1
    row = found.iloc[0]
    assert row["indicator"] == "follower_effect_ols_fe"
    assert row["change"] == pytest.approx(-0.3)
    assert row["upper"] - row["change"] == pytest.approx(1.959964 * 0.1)
    assert (row["n_from"], row["n_to"]) == (150, 200)
    accepted = series.follower_effect_changes(
        coefficients(0.6, 0.08), coefficients(0.3, 0.06), "w1", "w2", ["panel_items"]
    )
    assert not accepted["comparable"].any()
    degenerate = series.follower_effect_changes(
        coefficients(1.5, 3e-10), coefficients(44.3, 3e-15), "w1", "w2"
    )
    assert degenerate[["lower", "upper"]].isna().all().all()
    editions = three_editions()
    for e, follows in zip(editions, (0.6, 0.6, 0.2), strict=True):
        e["coefficients"] = coefficients(follows, 0.05)
    result = series.compare_editions(editions, accept={})
    text = series.report_text("T", result)
    assert "Follower effect (ols_fe" in text and "clearly changed" in text
    effect = result["trends"][result["trends"]["indicator"] == "follower_effect_ols_fe"]
    assert effect["edition"].tolist() == ["ed-0", "ed-1", "ed-2"]


def simulated_follow_up(seed: int) -> dict:
    """Two simulated editions x → y with known changes: a answers 0.3 → 0.8, b is unchanged,
    gone leaves and new enters. Their changes, entrants and leavers, edition-wide changes
    and the truth (as truth/summary.json's settings.follow_up)."""
    rng = np.random.default_rng(seed)
    ind_a, res_a = computed(rng, {"a": (0.3, 8), "b": (0.5, 8), "gone": (0.5, 8)}, 1, 150, 300)
    ind_b, res_b = computed(rng, {"a": (0.8, 8), "b": (0.5, 8), "new": (0.5, 8)}, 2, 150, 300)
    return {
        "changes": series.changes(ind_a, ind_b, res_a, res_b, "x", "y"),
        "moves": series.entrants_leavers(ind_a, ind_b).assign(edition_from="x", edition_to="y"),
        "wide": series.edition_wide(ind_a, ind_b, res_a, res_b, "x", "y"),
        "truth": {
            "unchanged": ["b"],
            "respond": {"a": 0.5},
            "speed": {},
            "leavers": ["gone"],
            "entrants": ["new"],
        },
    }


# --- the panel: respondents in both waves -----------------------------------------------


def panel_wave(rng, people: pd.DataFrame, effect: float, orgs: int = 8) -> pd.DataFrame:
    """An analysis table (panel/analysis.parquet's columns the models use) of a wave whose
    respondents ``people`` (respondent_id, age, gender, education, region, u: their own
    loyalty, knows: the organisations they answer for, follows: which of those they follow)
    answer with a known follower effect: loyalty = 3.5 + organisation + u + effect × follows
    + 0.5 × customer + noise (sd 0.4)."""
    org_effect = np.linspace(-0.4, 0.4, orgs)
    rows = []
    for person in people.itertuples():
        for org, follows in zip(person.knows, person.follows, strict=True):
            customer = rng.random() < 0.4
            loyalty = (
                3.5 + org_effect[org] + person.u + effect * follows + 0.5 * customer
                + rng.normal(0, 0.4)
            )  # fmt: skip
            rows.append(
                {
                    "respondent_id": person.respondent_id,
                    "org_id": f"org{org}",
                    "follows": float(follows),
                    "customer": float(customer),
                    "loyalty": loyalty,
                    "age": person.age,
                    "gender": person.gender,
                    "education": person.education,
                    "region": person.region,
                    "weight": 1.0,
                }
            )
    return pd.DataFrame(rows)


def panel_people(rng, n: int, first_id: int = 1, orgs: int = 8) -> pd.DataFrame:
    """``n`` respondents with their characteristics, own loyalty (sd 0.8), the 4
    organisations they answer for and whether they follow each (as they will next wave)."""
    return pd.DataFrame(
        {
            "respondent_id": [str(i) for i in range(first_id, first_id + n)],
            "age": rng.integers(18, 80, n),
            "gender": rng.choice(["man", "vrouw"], n),
            "education": rng.choice(["laag", "midden", "hoog"], n),
            "region": rng.choice(["Noord", "West"], n),
            "u": rng.normal(0, 0.8, n),
            "knows": [rng.choice(orgs, 4, replace=False) for _ in range(n)],
            "follows": [rng.random(4) < 0.35 for _ in range(n)],
        }
    )


def panel_coefficients(analysis: pd.DataFrame) -> pd.DataFrame:
    """models/coefficients.csv's follower effect row of ols_fe, fitted on ``analysis``."""
    from engbench import models

    fit, _ = models.ols_fe(models.prepare(analysis))
    estimate, se = float(fit.params["follows"]), float(fit.bse["follows"])
    table = coefficients(estimate, se, analysis["respondent_id"].nunique())
    return table[table["term"] == "follows"]


def two_waves(seed: int, overlap: float, effects=(0.45, 0.25), n: int = 300, years: int = 1):
    """Two waves of a panel ``years`` apart: a share ``overlap`` of the first wave's
    respondents answer again (same id, gender, own loyalty and following; ``years`` older),
    the rest of the second wave are new respondents with new ids."""
    rng = np.random.default_rng(seed)
    first = panel_people(rng, n)
    again = first.iloc[: int(overlap * n)].assign(age=lambda f: f["age"] + years)
    new = panel_people(rng, n - len(again), first_id=n + 1)
    second = pd.concat([again, new], ignore_index=True)
    return panel_wave(rng, first, effects[0]), panel_wave(rng, second, effects[1])


def test_respondents_in_both_waves_are_found_by_id_when_they_are_the_same_people():
    a, b = two_waves(41, overlap=0.5, n=60)
    found, linked = series.linked_respondents(a, b, years=1)
    assert found == {
        "status": "linked",
        "respondents_from": 60,
        "respondents_to": 60,
        "id_matches": 30,
        "inconsistent": 0,
        "respondents_both": 30,
    }
    assert linked == {str(i) for i in range(1, 31)}
    # the simulator's panels number their respondents per wave: the same ids, other people
    rng = np.random.default_rng(42)
    other = panel_wave(rng, panel_people(rng, 60), 0.45)
    found, linked = series.linked_respondents(a, other, years=1)
    assert found["status"] == "ids_differ" and found["id_matches"] == 60 and not linked
    assert found["inconsistent"] > 30
    found, linked = series.linked_respondents(
        a, b.assign(respondent_id="x" + b["respondent_id"]), 1
    )
    assert found["status"] == "separate" and found["id_matches"] == 0 and not linked


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 9), st.sampled_from(["man", "vrouw"]), st.integers(20, 70)),
        min_size=1,
        max_size=12,
        unique_by=lambda r: r[0],
    ),
    st.lists(
        st.tuples(st.integers(0, 9), st.sampled_from(["man", "vrouw"]), st.integers(20, 70)),
        min_size=1,
        max_size=12,
        unique_by=lambda r: r[0],
    ),
    st.integers(0, 3),
)
def test_linking_respondents_reads_the_waves_either_way(first, second, years):
    """Which respondents are the same people does not depend on which wave is read first
    (the second wave's ages go back by the years between), and only matching ids link."""

    def wave(rows):
        return pd.DataFrame(
            [(str(i), f"org{i % 3}", g, a) for i, g, a in rows],
            columns=["respondent_id", "org_id", "gender", "age"],
        )

    a, b = wave(first), wave(second)
    found, linked = series.linked_respondents(a, b, years)
    back, linked_back = series.linked_respondents(b, a, -years)
    assert linked == linked_back and found["status"] == back["status"]
    assert linked <= set(a["respondent_id"]) & set(b["respondent_id"])
    assert found["id_matches"] == len(set(a["respondent_id"]) & set(b["respondent_id"]))
    assert found["respondents_both"] == len(linked)


def test_follower_effect_change_with_respondents_in_both_waves():
    """Known follower effect per wave (0.45 → 0.25): the paired bootstrap's interval holds
    the change; with every respondent in both waves (own loyalty and following carried
    over) it is narrower than the separate-samples interval, which ignores that the two
    waves' errors are correlated."""
    a, b = two_waves(43, overlap=1.0)
    separate = series.follower_effect_changes(
        panel_coefficients(a), panel_coefficients(b), "w1", "w2"
    )
    _, linked = series.linked_respondents(a, b, years=1)
    assert len(linked) == 300
    paired, models = series.follower_effect_changes_linked(separate, a, b, linked, 400, 5)
    assert models == ["ols_fe"]
    row, old = paired.iloc[0], separate.iloc[0]
    assert row["change"] == old["change"]
    assert row["lower"] < -0.20 < row["upper"]
    assert old["lower"] < -0.20 < old["upper"]
    assert (row["upper"] - row["lower"]) < 0.8 * (old["upper"] - old["lower"])
    # the bootstrap's centre is the change the models estimated
    draws = series.paired_follower_effects(a, b, linked, "follows", 400, 5)
    assert np.median(draws) == pytest.approx(old["change"], abs=0.03)


def test_a_series_says_which_respondents_it_linked():
    from engbench.report.series import panel_sentence

    editions = three_editions()[:2]
    waves = two_waves(47, overlap=0.5, n=120, years=0)
    for e, analysis in zip(editions, waves, strict=True):
        e["analysis"] = analysis
        e["coefficients"] = panel_coefficients(analysis)
    result = series.compare_editions(editions, accept={})
    found = result["panels"]["ed-0 → ed-1"]
    assert found["status"] == "linked" and found["respondents_both"] == 60
    assert found["paired_models"] == ["ols_fe"] and found["resamples"] == 1000  # the config's
    assert "60 respondents took part in both waves" in series.report_text("T", result)
    assert "respondents in both waves resampled jointly" in series.report_text("T", result)
    assert "60 respondenten deden aan beide metingen mee" in panel_sentence(found, "nl")
    # counts only: no respondent's id leaves the series stage
    assert all(isinstance(v, (int, str)) for k, v in found.items() if k != "paired_models")
    separate = {**found, "status": "separate"}
    assert "aparte steekproeven" in panel_sentence(separate, "nl")
    assert "separate samples" in panel_sentence(separate, "en")


def test_a_follow_up_checked_against_its_known_changes():
    pair = simulated_follow_up(31)
    found = series.follow_up_validation(pair["changes"], pair["moves"], pair["truth"], "y")
    assert found["unchanged_cells"] == 2  # b's response rate and median time on twitter
    assert found["coverage_of_zero_change"] == 1.0 and found["false_positives"] == []
    assert found["changed"]["a response_rate"]["twitter"]["verdict"] == "improved"
    assert found["leavers"] == {"true": ["gone"], "found": ["gone"]}
    assert found["entrants"] == {"true": ["new"], "found": ["new"]}


# --- the realised truth of a simulated series -------------------------------------------


def truth_incoming(rows):
    """A hand-built truth/incoming table: (org, platform, type, created, responded, seconds)."""
    frame = pd.DataFrame(
        rows, columns=["org_id", "platform", "type", "created_at", "responded", "response_seconds"]
    )
    frame["created_at"] = pd.to_datetime(frame["created_at"]).dt.tz_localize("Europe/Amsterdam")
    frame["response_seconds"] = frame["response_seconds"].astype("Float64")
    return frame


def test_true_indicators_follow_the_metrics_definitions():
    day = 86400
    found = series.true_indicators(
        truth_incoming(
            [
                ("a", "twitter", "complaint", "2017-03-01", True, 60.0),
                ("a", "twitter", "question", "2017-03-01", True, 600.0),
                ("a", "twitter", "question", "2017-03-01", True, 8 * day),  # after the window
                ("a", "twitter", "other", "2017-03-01", False, None),
                ("a", "facebook", "complaint", "2017-03-01", True, 120.0),
                ("a", "facebook", "complaint", "2017-10-30", True, 5.0),  # censored
            ]
        ),
        answer_window_days=7,
        period_end="2017-11-01",
        timezone="Europe/Amsterdam",
    ).set_index(["org_id", "platform", "indicator"])
    assert found.loc[("a", "twitter", "response_rate"), "value"] == 0.5
    assert found.loc[("a", "twitter", "response_rate"), "n"] == 4
    # inverted-CDF median of 60 and 600 s: 60 s, as the metrics take it
    assert found.loc[("a", "twitter", "response_time_median"), "value"] == 60.0
    assert found.loc[("a", "facebook", "response_rate"), "n"] == 1
    assert found.loc[("a", "all", "response_rate"), "value"] == 0.6
    assert found.loc[("a", "all", "response_time_median"), "value"] == 120.0


@settings(max_examples=15, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["a", "b"]),
            st.sampled_from(["twitter", "facebook"]),
            st.sampled_from(["complaint", "question", "other"]),
            st.booleans(),
            st.booleans(),
        ),
        min_size=1,
        max_size=40,
    )
)
def test_the_mix_and_per_type_parts_add_up_to_the_true_change(rows):
    built = [
        (org, platform, kind, "2017-03-01", responded, 100.0 if responded else None)
        for org, platform, kind, responded, _ in rows
    ]
    half = [r for r, (*_, second) in zip(built, rows, strict=True) if second] or built[:1]
    parts = series.rate_mix_effect(
        truth_incoming(built),
        truth_incoming(half),
        7,
        ("2017-11-01", "2017-11-01"),
        "Europe/Amsterdam",
    )
    np.testing.assert_allclose(
        parts["mix"] + parts["within_type"], parts["true_change"], atol=1e-12
    )
    truth = series.true_changes(
        *(
            series.true_indicators(truth_incoming(t), 7, "2017-11-01", "Europe/Amsterdam")
            for t in (built, half)
        )
    )
    rates = truth[truth["indicator"] == "response_rate"].set_index(["org_id", "platform"])
    together = parts.set_index(["org_id", "platform"]).join(rates.add_suffix("_rate"), how="inner")
    np.testing.assert_allclose(together["true_change"], together["true_change_rate"], atol=1e-12)


@pytest.fixture(scope="module")
def test_series_truth(tmp_path_factory):
    """The test series' two editions simulated (test-2017 and its follow-up), their truth."""
    found = {}
    for name, path in (
        ("from", ROOT / "config/test/config.yaml"),
        ("to", ROOT / "config/test/config-2018.yaml"),
    ):
        config = load_config(path)
        outdir = tmp_path_factory.mktemp(f"series-{name}")
        follow_up = config["demo"]["follow_up"]
        base = read_organisations(ROOT / follow_up["base_organisations"]) if follow_up else None
        simulate_and_write(
            read_organisations(ROOT / config["organisations"]),
            outdir,
            simulation_settings(config),
            log=lambda *_: None,
            base_accounts=base,
        )
        with open(outdir / "truth" / "summary.json", encoding="utf-8") as f:
            summary = json.load(f)
        found[name] = (pd.read_parquet(outdir / "truth" / "incoming.parquet"), config, summary)
    return found


def test_the_realised_truth_of_the_test_series(test_series_truth):
    (inc_a, config_a, _), (inc_b, config_b, summary) = (
        test_series_truth["from"],
        test_series_truth["to"],
    )
    known = summary["settings"]["follow_up"]
    truth = series.true_changes(
        *(
            series.true_indicators(inc, c["answer_window_days"], c["period"]["end"], c["timezone"])
            for inc, c in ((inc_a, config_a), (inc_b, config_b))
        )
    ).set_index(["org_id", "platform", "indicator"])
    # leaver and entrant have no change; every organisation in both has all its cells
    assert set(truth.index.get_level_values("org_id")) == {"netplus", "railned", "oranje_airways"}
    assert len(truth) == 3 * 3 * 2
    # RailNed: + 0.25 on each response probability moves its realised rate up on each
    # platform, not by exactly 0.25: the draw and the type mix move it too (realised
    # +0.35 on Twitter, +0.10 on Facebook, where the test edition has few messages)
    for platform in ("twitter", "facebook"):
        assert 0.05 < truth.loc[("railned", platform, "response_rate"), "true_change"] < 0.5
    # Oranje Airways answers in 0.3 × the time: its realised median falls by more than half
    for platform in ("twitter", "facebook"):
        row = truth.loc[("oranje_airways", platform, "response_time_median")]
        assert row["true_to"] < 0.5 * row["true_from"]
    # NetPlus unchanged: its realised rate moves by chance only (by up to ~0.1 at test size)
    assert known["unchanged"] == ["netplus"]
    for platform in ("twitter", "facebook"):
        assert abs(truth.loc[("netplus", platform, "response_rate"), "true_change"]) < 0.15
    parts = series.rate_mix_effect(
        inc_a,
        inc_b,
        7,
        (config_a["period"]["end"], config_b["period"]["end"]),
        config_a["timezone"],
    ).set_index(["org_id", "platform"])
    assert parts.loc[("railned", "twitter"), "within_type"] > 0.1


def test_a_follow_up_checked_against_the_realised_truth_of_every_cell():
    pair = simulated_follow_up(37)
    changes, moves, wide, truth = (pair[k] for k in ("changes", "moves", "wide", "truth"))
    # the true change of each cell: the simulated parameters' (rate) change; times unchanged
    true_change = pd.DataFrame(
        [
            (org, platform, indicator, 0.0, delta, delta)
            for org, delta in (("a", 0.5), ("b", 0.0))
            for platform in ("twitter", "all")
            for indicator, delta in (("response_rate", delta), ("response_time_median", 0.0))
        ],
        columns=["org_id", "platform", "indicator", "true_from", "true_to", "true_change"],
    )
    mix = pd.DataFrame(
        {"org_id": ["b"], "platform": ["twitter"], "mix": [0.01], "within_type": [-0.01]}
    )
    found = series.follow_up_validation(changes, moves, truth, "y", true_change, wide, mix)
    cells = found["true_change"]
    shift = cells["unchanged_shift"]["twitter response_rate"]
    assert shift["organisations"] == 1 and shift["mean_true_change"] == 0.0
    b = changes[(changes["org_id"] == "b") & (changes["platform"] == "twitter")]
    b = b[b["indicator"] == "response_rate"].iloc[0]
    assert shift["mean_standardised_change"] == pytest.approx(
        b["change"] / ((b["upper"] - b["lower"]) / 3.92)
    )
    assert cells["coverage"]["cells"] == 4  # a and b × rate and median, twitter
    assert cells["coverage_unchanged"]["cells"] == 2 and cells["coverage_changed"]["cells"] == 2
    assert cells["coverage"]["covered"] == 4 - len(cells["outside"])
    assert list(cells["improvers_flagged"]) == ["a twitter response_rate"]
    assert cells["improvers_missed"] == {} and cells["false_positives"] == {}
    like = found["like_for_like"]["twitter response_rate"]
    assert like["orgs"] == 2 and like["true_change"] == pytest.approx(0.25)
    assert like["lower"] <= 0.25 <= like["upper"] and like["covered"]
    # without the truth the validation is as before
    assert "true_change" not in series.follow_up_validation(changes, moves, truth, "y")


# --- the trends chapter as a PDF ---------------------------------------------------------


@pytest.fixture(scope="module")
def chapter_series():
    """Three editions compared: an accepted difference, two editions sharing a bootstrap
    seed, a panel in each."""
    editions = three_editions()
    editions[2]["definitions"]["bootstrap"]["seed"] = 7
    for e in editions[1:]:
        e["definitions"]["definitions"]["answer_window_days"] = 3
    for e, follows in zip(editions, (0.6, 0.6, 0.2), strict=True):
        e["coefficients"] = coefficients(follows, 0.05)
    return series.compare_editions(editions, accept={"answer_window_days": "new rule"})


def trends_chapter(result, folder, language: str) -> tuple[str, bytes]:
    """The trends chapter of a compared series as Typst source and PDF in ``language``,
    its figures drawn in that language and embedded as PDF."""
    from engbench.report import series as trends
    from engbench.report.document import compile_pdf
    from engbench.report.figures import save

    names = {"a": "Org A"}
    for name, figure in (
        ("trends", series.trend_chart(result["trends"], result["edition_wide"], language)),
        ("league_slope", series.slope_chart(result["changes"], "ed-1", "ed-2", language, names)),
        ("organisations", series.organisation_chart(result["trends"], language, names)),
    ):
        save(figure, folder / "figures" / name)
    write_series(result, folder / "tables")
    comparability = json.loads((folder / "tables/comparability.json").read_text("utf-8"))
    source = trends.trends_source(
        TITLE[language],
        result["changes"],
        result["edition_wide"],
        result["entrants_leavers"],
        comparability,
        names,
        language,
        {name: f"figures/{name}.pdf" for name in trends.FIGURES},
    )
    return source, compile_pdf(source, folder)


def pdf_words(pdf: bytes) -> tuple[str, set[str]]:
    """A PDF's text (pypdf, figures' words too) and its words in lower case (file names and
    dotted config keys left out)."""
    import io
    import re

    from pypdf import PdfReader

    text = " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)
    kept = [w for w in text.split() if not re.search(r"[/_]|\.[a-z]", w)]
    return text, {w.lower() for w in re.findall(r"[^\W\d_]+", " ".join(kept))}


TITLE = {"nl": "Testreeks", "en": "Test series"}
# words of one language that must not stand in the other's PDF (its text and its figures)
ENGLISH = {
    "response", "rate", "median", "time", "edition", "editions", "rank", "league", "mean",
    "organisation", "organisations", "change", "changed", "hours", "full", "like", "with",
    "the", "and", "left", "entered", "improved", "worsened", "clear", "accepted",
    "figures", "follower", "effect", "intervals", "coloured", "excludes",
}  # fmt: skip
DUTCH = {
    "reactiepercentage", "mediane", "reactietijd", "editie", "edities", "plaats", "uur",
    "gemiddelde", "gemiddelden", "verandering", "organisatie", "organisaties", "de", "het",
    "van", "en", "met", "vergelijkbare", "volledige", "verbeterd", "verslechterd", "geen",
    "nieuw", "vertrokken", "aanvaard", "volgerseffect", "gekleurd", "ranglijst", "figuren",
}  # fmt: skip
# words only the figures print: the PDF's text holds the figures' words
FIGURE_WORDS = {
    "nl": ["plaats in de engagementindex", "volledige edities", "Editiebrede gemiddelden"],
    "en": ["rank in the engagement index", "full editions", "Edition-wide means"],
}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_trends_chapter_pdf_is_in_one_language_and_the_same_on_a_rerun(
    tmp_path, language, chapter_series
):
    from engbench.report import series as trends
    from engbench.report.document import compile_pdf

    result = chapter_series
    source, pdf = trends_chapter(result, tmp_path / "one", language)
    for expected in TEXT_SERIES[language]:
        assert expected in source
    # a number as the language writes it: a's response rate change from ed-0 to ed-1
    changes = result["changes"]
    row = changes[
        (changes["org_id"] == "a")
        & (changes["platform"] == "all")
        & (changes["indicator"] == "response_rate")
        & (changes["edition_from"] == "ed-0")
    ].iloc[0]
    shown = trends.change("response_rate", row["change"], language)
    assert shown in source and ("," in shown) == (language == "nl")
    text, words = pdf_words(pdf)
    flat = " ".join(text.split())
    for expected in FIGURE_WORDS[language]:
        assert expected in flat, expected
    other = {"nl": ENGLISH, "en": DUTCH}[language]
    assert not words & other, sorted(words & other)
    # numbers: no decimal point in Dutch (a dot only groups thousands), no decimal comma in
    # English (section numbers, "1.2.", left out)
    wrong = r"\d[.]\d{1,2}(?![\d.])" if language == "nl" else r"\d,\d{1,2}(?!\d)"
    assert not re.findall(wrong, flat), re.findall(wrong, flat)[:5]
    # the same tables give the same bytes: figures drawn again, the document compiled again
    again_source, again = trends_chapter(result, tmp_path / "two", language)
    assert again_source == source and again == pdf
    assert compile_pdf(source, tmp_path / "one") == pdf


TEXT_SERIES = {
    "nl": ["Trends: wat veranderde", "Nieuw: new", "Vertrokken: gone", "Org A", "procentpunt",
           "aanvaard: new rule", "hetzelfde startgetal", "Volgerseffect (ols"],
    "en": ["Trends: what changed", "Entered: new", "Left: gone", "Org A", " pp",
           "accepted: new rule", "the same seed", "Follower effect (ols"],
}  # fmt: skip


def test_changes_are_written_with_sign_and_unit_in_each_language():
    from engbench.report import series as trends

    assert trends.change("response_rate", 0.0123, "nl") == "+1,2 procentpunt"
    assert trends.change("response_rate", -0.0123, "en") == "−1.2 pp"
    assert trends.change("response_time_median", -5400.0, "nl") == "−1,5 uur"
    assert trends.change("rank", 2.0, "en") == "+2"
    assert trends.change("rank", 0.0, "en") == "0"
    assert trends.level("response_time_median", 5400.0, "en") == "1.5 h"
