"""Robustness of the definitions on a hand-built edition, computed by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from engbench import robustness
from engbench.threads import derive
from tests.test_threads import HOURS, A, B, message

END = "2017-11-01"


def edition():
    """Two organisations' threads. Organisation a: c1 answered directly after 20 min; c2
    writes twice and only the follow-up is answered (55 min after it, 60 after the first
    message); c3 never; c4 directly after two days. Organisation b: c5 directly after 90
    min; c6 never; c7 in the censored tail (answered after 10 min)."""
    return pd.DataFrame(
        [
            message("m1", "c1", "2017-03-01 10:00", thread="m1", addressed=["a"]),
            message("r1", A, "2017-03-01 10:20", parent="m1", thread="m1", reply_to="c1"),
            message("m2", "c2", "2017-03-02 10:00", thread="m2", addressed=["a"]),
            message("m3", "c2", "2017-03-02 10:05", parent="m2", thread="m2", addressed=["a"]),
            message("r2", A, "2017-03-02 11:00", parent="m3", thread="m2", reply_to="c2"),
            message("m4", "c3", "2017-03-03 10:00", thread="m4", addressed=["a"]),
            message("m5", "c4", "2017-03-04 10:00", thread="m5", addressed=["a"]),
            message("r5", A, "2017-03-06 10:00", parent="m5", thread="m5", reply_to="c4"),
            message("n1", "c5", "2017-03-01 12:00", thread="n1", addressed=["b"]),
            message("s1", B, "2017-03-01 13:30", parent="n1", thread="n1", reply_to="c5"),
            message("n2", "c6", "2017-03-05 12:00", thread="n2", addressed=["b"]),
            message("n3", "c7", "2017-10-31 12:00", thread="n3", addressed=["b"]),
            message("s3", B, "2017-10-31 12:10", parent="n3", thread="n3", reply_to="c7"),
        ]
    )


# By hand, direct replies only, 7-day window, censored tail left out: per incoming message
# (organisation, answered, minutes to the answer).
DIRECT = [
    ("a", True, 20),  # m1
    ("a", False, None),  # m2: answered only through its follow-up
    ("a", True, 55),  # m3
    ("a", False, None),  # m4
    ("a", True, 2 * 24 * 60),  # m5
    ("b", True, 90),  # n1
    ("b", False, None),  # n2 (n3 is censored)
]


def median(values):
    """The median as the metrics take it: the smallest value with at least half at or below."""
    values = sorted(v for v in values if pd.notna(v))
    return values[(len(values) + 1) // 2 - 1]


def plain(rows):
    """The figures computed plainly from a list of (organisation, answered, minutes)."""
    frame = pd.DataFrame(rows, columns=["org", "answered", "minutes"])
    rates = frame.groupby("org")["answered"].mean()
    minutes = frame.groupby("org")["minutes"].agg(median)
    return {
        "incoming": len(frame),
        "response_rate": frame["answered"].mean(),
        "median_response_minutes": median(frame["minutes"]),
        "organisations": len(rates),
        "rate_org_median": rates.median(),
        "rate_org_min": rates.min(),
        "rate_org_max": rates.max(),
        "minutes_org_median": minutes.median(),
        "minutes_org_min": minutes.min(),
        "minutes_org_max": minutes.max(),
    }


def table(definition):
    result = derive(edition(), 7, HOURS, "Europe/Amsterdam", END, definition=definition)
    return robustness.table(
        result.messages, result.incoming, definition, 7, "Europe/Amsterdam", END
    ).set_index("alternative")


def test_the_hand_computation():
    expected = plain(DIRECT)
    assert expected["response_rate"] == 4 / 7
    assert expected["median_response_minutes"] == 55  # of 20, 55, 90 and 2,880 minutes
    assert expected["minutes_org_median"] == (55 + 90) / 2
    assert median([4, 1, 3, 2]) == np.quantile([1, 2, 3, 4], 0.5, method="inverted_cdf") == 2
    assert (expected["rate_org_min"], expected["rate_org_max"]) == (0.5, 0.6)


@pytest.mark.parametrize("main", ["thread", "direct"])
def test_direct_reply_figures_equal_a_plain_computation(main):
    row = table(main).loc["main" if main == "direct" else "definition"]
    assert row["definition"] == "direct"
    for name, value in plain(DIRECT).items():
        assert row[name] == pytest.approx(value), name


def test_thread_window_and_censored_alternatives():
    t = table("thread")
    assert list(t.index) == [
        "main",
        "definition",
        "window",
        "window",
        "webcare_hours",
        "censored_kept",
    ]
    thread = [*DIRECT[:1], ("a", True, 60), *DIRECT[2:]]  # m2 answered in its thread
    for name, value in plain(thread).items():
        assert t.loc["main", name] == pytest.approx(value), name
    one_day = t[t["answer_window_days"] == 1].iloc[0]  # m5's answer comes too late
    assert one_day["response_rate"] == pytest.approx(4 / 7)
    assert one_day["rate_org_max"] == pytest.approx(3 / 5)
    kept = t.loc["censored_kept"]  # n3 and its answer after 10 minutes counted
    assert kept["incoming"] == 8
    assert kept["response_rate"] == pytest.approx(6 / 8)
    assert t.loc["webcare_hours", "response_rate"] == t.loc["main", "response_rate"]
    # a's rate is above b's under every alternative: the league keeps its order
    assert t["rank_correlation"].to_list() == pytest.approx([1.0] * 6)


def test_rank_correlation():
    a = pd.Series({"x": 0.1, "y": 0.5, "z": 0.9})
    assert robustness.rank_correlation(a, a[::-1]) == 1
    assert robustness.rank_correlation(a, pd.Series({"x": 3, "y": 2, "z": 1})) == -1
    assert math.isnan(robustness.rank_correlation(a, pd.Series({"x": 1.0})))


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_report_table_and_its_sentence(language):
    from engbench.report.findings import robustness_sentence
    from engbench.report.tables import robustness as report_table
    from engbench.report.tables import robustness_rows
    from engbench.report.text import TEXT

    t = table("thread").reset_index()
    shown = report_table(t, TEXT[language], language)
    assert list(shown.columns) == TEXT[language]["robustness_columns"]
    assert len(shown) == len(t)
    decimal = "," if language == "nl" else "."
    assert shown.iloc[1, 1] == f"57{decimal}1%"  # direct: 4 of 7
    assert shown.iloc[1, 2] == f"55{decimal}0% (50{decimal}0%–60{decimal}0%)"
    sentence = robustness_sentence(t, language)
    assert f"71{decimal}4%" in sentence  # the main definition: 5 of 7
    assert TEXT[language]["robustness_order"]["hardly"] in sentence
    # the league reversed under one alternative: the sentence says the order changes
    reversed_ = t.assign(rank_correlation=[1.0, -1.0, 1.0, 1.0, 1.0, 1.0])
    assert TEXT[language]["robustness_order"]["much"] in robustness_sentence(reversed_, language)
    assert "_" not in sentence  # no code names
    assert TEXT[language]["robustness_definitions"]["direct"] in sentence  # the lowest rate
    rows = robustness_rows(t, TEXT[language], language)
    assert rows[2] == {"nl": "antwoordtermijn 1 dag", "en": "answer window 1 day"}[language]
    assert rows[3].endswith({"nl": "3 dagen", "en": "3 days"}[language])


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_number_in_the_robustness_sentence_is_traced(language):
    """Each number the sentence prints is recorded (findings.json) with its source, a cell of
    the robustness table (row, column), whose value it is, and appears in the sentence."""
    from engbench.report.findings import Findings, robustness_sentence
    from engbench.report.text import duration, number

    t = table("thread").reset_index()
    found = Findings(language)
    sentence = robustness_sentence(t, language, found)
    assert found.benchmarks["robustness"] == sentence
    assert len(found.numbers) == 7  # three rates, three times, one rank correlation
    for item in found.numbers:
        kind, key = item["source"].split(": ")
        row, column = key.split("/")
        assert kind == "robustness"
        expected = t.loc[int(row), column]
        assert item["value"] == pytest.approx(expected), item
        shown = (
            duration(expected * 60, language)
            if column == "median_response_minutes"
            else number(expected, language, 1, True)
            if column == "response_rate"
            else number(expected, language, 2)
        )
        assert item["text"] == shown and shown in sentence, item
    sources = {n["source"] for n in found.numbers}
    assert "robustness: 0/response_rate" in sources  # the main definition
    assert "robustness: 1/response_rate" in sources  # direct replies: the lowest rate


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_methods_state_the_configured_definition(language):
    import yaml

    from engbench.config import validate_config
    from engbench.report.build import methods
    from engbench.report.text import TEXT
    from tests.conftest import ROOT

    config = validate_config(yaml.safe_load((ROOT / "config/test/config.yaml").read_text()))
    ingest = pd.DataFrame({c: [1] for c in ("read", "kept", "duplicates", "quarantined")})
    m = TEXT[language]["methods_text"]
    for definition, key in (("thread", "response"), ("direct", "response_direct")):
        config["response"]["definition"] = definition
        sentences = [
            s for body in methods(config, {}, {}, ingest, {}, "", language).values() for s in body
        ]
        assert m[key].format(days=7) in sentences
