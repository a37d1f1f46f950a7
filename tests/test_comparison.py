"""Benchmarks a reader compares against (engbench.comparison) and their sentences."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from engbench import comparison
from engbench.config import parse_webcare_hours
from engbench.report import tables
from engbench.report.findings import Findings, benchmark_sentences
from engbench.report.text import TEXT

SECTORS = {"a": "bank", "b": "bank", "c": "rail", "d": "rail", "e": "rail", "f": "energy"}


def indicator_table(values: dict[str, dict[str, float]], platform: str = "all") -> pd.DataFrame:
    """A hand-built metrics table: per organisation its edition estimates on ``platform``."""
    return pd.DataFrame(
        [
            {
                "org_id": org,
                "platform": platform,
                "period": "edition",
                "indicator": indicator,
                "estimate": value,
                "lower": value - 0.05,
                "upper": value + 0.05,
                "n": 100,
            }
            for org, row in values.items()
            for indicator, value in row.items()
        ]
    )


rates = st.floats(0, 1, allow_nan=False)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(rates, st.floats(60, 1e5, allow_nan=False), rates, rates),
        min_size=6,
        max_size=6,
    )
)
def test_sector_medians_and_best_equal_a_plain_pandas_computation(rows):
    orgs = sorted(SECTORS)
    values = {
        org: {
            "response_rate": r,
            "response_time_webcare_median": t,
            "dialogue_share": d,
            "response_rate_question": q,
        }
        for org, (r, t, d, q) in zip(orgs, rows, strict=True)
    }
    table = comparison.sector_benchmarks(
        indicator_table({**values, "all": values["a"]}), SECTORS
    ).set_index(["sector", "indicator"])
    plain = pd.DataFrame(values).T.assign(sector=pd.Series(SECTORS))
    for indicator in values["a"]:
        lower_better = indicator == "response_time_webcare_median"
        for sector, part in [("all", plain), *plain.groupby("sector")]:
            got = table.loc[(sector, indicator)]
            assert got["median"] == part[indicator].median()
            best = part[indicator].min() if lower_better else part[indicator].max()
            assert got["best"] == best
            assert part.loc[got["best_org_id"], indicator] == best
            assert got["organisations"] == len(part)
    assert list(dict.fromkeys(table.index.get_level_values(0))) == ["all", "bank", "energy", "rail"]


def test_platforms_side_by_side_count_the_organisations_ahead():
    frames = [
        indicator_table({"all": {"response_rate": 0.4}, "a": {"response_rate": 0.5},
                         "b": {"response_rate": 0.2}, "c": {"response_rate": 0.9}}, "twitter"),
        indicator_table({"all": {"response_rate": 0.3}, "a": {"response_rate": 0.3},
                         "b": {"response_rate": 0.6}}, "facebook"),
    ]  # fmt: skip
    table = comparison.platforms(pd.concat(frames)).set_index("platform")
    assert table.loc["twitter", "estimate"] == 0.4 and table.loc["facebook", "estimate"] == 0.3
    assert table.loc["twitter", "organisations_ahead"] == 1  # a; c has no Facebook
    assert table.loc["facebook", "organisations_ahead"] == 1  # b
    assert (table["organisations_both"] == 2).all()


def test_type_mix_shares_per_sector():
    incoming = pd.DataFrame(
        {
            "org_id": ["a", "a", "a", "c", "c", "f"],
            "type": ["complaint", "complaint", "question", "other", "complaint", "compliment"],
        }
    )
    mix = comparison.type_mix(incoming, SECTORS).set_index(["sector", "type"])
    assert mix.loc[("all", "complaint"), "messages"] == 3
    assert mix.loc[("all", "complaint"), "share"] == 0.5
    assert mix.loc[("bank", "question"), "share"] == 1 / 3
    assert mix.loc[("rail", "compliment"), "messages"] == 0
    assert np.allclose(mix.groupby(level=0)["share"].sum(), 1)


def incoming_at(rows) -> pd.DataFrame:
    """Incoming messages: (org, local arrival, local first reply or None, censored)."""
    tz = "Europe/Amsterdam"
    return pd.DataFrame(
        {
            "org_id": [r[0] for r in rows],
            "created_at": pd.to_datetime([r[1] for r in rows]).tz_localize(tz).tz_convert("UTC"),
            "first_reply_at": pd.to_datetime([r[2] for r in rows])
            .tz_localize(tz)
            .tz_convert("UTC"),
            "replied": [r[2] is not None for r in rows],
            "censored": [r[3] for r in rows],
        }
    )


def test_answers_outside_webcare_hours():
    schedule = parse_webcare_hours(
        {d: "08:00-22:00" for d in ("monday", "tuesday", "wednesday", "thursday", "friday")}
        | {"saturday": "09:00-18:00", "sunday": "closed"}
    )
    incoming = incoming_at(
        [
            ("a", "2017-03-06 10:00", "2017-03-06 10:30", False),  # Monday inside, answered inside
            ("a", "2017-03-06 23:00", "2017-03-06 23:30", False),  # outside, answered outside
            ("a", "2017-03-05 12:00", None, False),  # Sunday: closed day, unanswered
            ("a", "2017-03-04 08:30", "2017-03-04 09:05", False),  # Saturday before opening
            ("b", "2017-03-07 12:00", None, False),  # inside, unanswered
            ("b", "2017-03-05 12:00", "2017-03-06 08:00", True),  # censored: left out
        ]
    )
    table = comparison.outside_hours(incoming, schedule, "Europe/Amsterdam").set_index("org_id")
    a, everyone = table.loc["a"], table.loc["all"]
    assert a["incoming"] == 4 and a["outside_hours"] == 3 and a["closed_days"] == 1
    assert a["response_rate_inside"] == 1.0
    assert a["response_rate_outside"] == 2 / 3
    assert a["response_rate_closed_days"] == 0.0
    assert a["answered"] == 3 and a["answered_outside_hours"] == 1
    assert everyone["incoming"] == 5 and everyone["response_rate_inside"] == 0.5
    assert everyone["share_answers_outside_hours"] == 1 / 3


def sentences(twitter_rate, facebook_rate, outside_rate, language="en") -> Findings:
    platforms = pd.DataFrame(
        {
            "indicator": ["response_rate", "response_rate"],
            "platform": ["facebook", "twitter"],
            "estimate": [facebook_rate, twitter_rate],
            "lower": [0.0, 0.0],
            "upper": [1.0, 1.0],
            "organisations_both": [5, 5],
            "organisations_ahead": [1, 4],
        }
    )
    hours = pd.DataFrame(
        {
            "org_id": ["all"],
            "share_outside_hours": [0.2],
            "response_rate_inside": [0.4],
            "response_rate_outside": [outside_rate],
            "share_answers_outside_hours": [0.25],
        }
    )
    mix = pd.DataFrame(
        {
            "sector": ["all"] * 4,
            "type": ["complaint", "question", "compliment", "other"],
            "messages": [4, 3, 2, 1],
            "share": [0.4, 0.3, 0.2, 0.1],
        }
    )
    values = {
        o: {"response_rate": r}
        for o, r in zip("abcdef", (0.1, 0.2, 0.3, 0.5, 0.6, 0.9), strict=True)
    }
    sectors = comparison.sector_benchmarks(indicator_table(values), SECTORS)
    out = Findings(language)
    return benchmark_sentences(out, sectors, platforms, mix, hours, {"f": "Energie NL"})


def test_benchmark_sentences_follow_the_data_and_trace_their_numbers():
    for language in ("nl", "en"):
        a = sentences(0.5, 0.3, 0.2, language)
        b = sentences(0.3, 0.5, 0.6, language)
        assert a.benchmarks["platforms"] != b.benchmarks["platforms"]
        assert a.benchmarks["outside_hours"] != b.benchmarks["outside_hours"]
        not_less = "niet minder vaak" if language == "nl" else "not answered less"
        assert not_less not in a.benchmarks["outside_hours"]
        assert not_less in b.benchmarks["outside_hours"]
        assert "Energie NL" in a.benchmarks["sector_benchmarks"]
        for found in (a, b):
            for n in found.numbers:
                assert n["text"] in " ".join(found.benchmarks.values())
                assert n["source"].split(":")[0] in (
                    "sector_benchmarks",
                    "platforms",
                    "type_mix",
                    "outside_hours",
                )
    en = sentences(0.5, 0.3, 0.2)
    assert en.benchmarks["platforms"].startswith("Messages on Twitter are answered more often")
    assert sentences(0.3, 0.5, 0.6).benchmarks["platforms"].startswith("Messages on Facebook")
    assert "median runs from 15.0% (bank) to 90.0% (energy)" in en.benchmarks["sector_benchmarks"]
    assert "less often (20.0% against 40.0%" in en.benchmarks["outside_hours"]


def test_the_benchmark_tables_in_words():
    values = {
        o: {"response_rate": r}
        for o, r in zip("abcdef", (0.1, 0.2, 0.3, 0.5, 0.6, 0.9), strict=True)
    }
    sectors = comparison.sector_benchmarks(indicator_table(values), SECTORS)
    for language, sector in (("nl", "spoor"), ("en", "rail")):
        table = tables.sector_benchmarks(sectors, TEXT[language], language)
        assert table.columns.tolist() == TEXT[language]["benchmarks"]["sector_columns"]
        assert sector in table.iloc[:, 0].tolist()
    assert tables.sector_benchmarks(sectors, TEXT["nl"], "nl").iloc[0, 2] == "40% (90%)"


def test_the_scorecard_sentence_flips_above_and_below_the_median():
    from engbench.report import scorecard

    rates = (0.1, 0.2, 0.3, 0.5, 0.6, 0.9)
    times = (60, 600, 900, 1200, 3000, 9000)
    values = {
        o: {"response_rate": r, "response_time_webcare_median": t}
        for o, r, t in zip("abcdef", rates, times, strict=True)
    }
    league = pd.DataFrame(
        {
            "org_id": list("abcdef"),
            "rank": range(1, 7),
            "index": [1.0, 0.5, 0.2, 0.0, -0.5, -1.0],
            "index_lower": [0.8, 0.3, 0.0, -0.2, -0.7, -1.2],
            "index_upper": [1.2, 0.7, 0.4, 0.2, -0.3, -0.8],
        }
    )
    table = indicator_table(values)
    for language, above, below in (
        ("en", "more than", "fewer than"),
        ("nl", "meer dan", "minder dan"),
    ):
        said = {}
        for org in ("a", "f"):
            card = scorecard.rows(table, league, SECTORS, org)
            found = Findings(language)
            said[org] = scorecard.sentences(found, card, org, org.upper(), SECTORS[org])
            for n in found.numbers:
                assert n["text"] in " ".join(said[org])
            r = card.set_index("indicator").loc["response_rate"]
            assert r["median"] == pd.Series([0.1, 0.2, 0.3, 0.5, 0.6, 0.9]).median()
        assert below in said["a"][0] and above not in said["a"][0]  # 10%, below the median
        assert above in said["f"][0] and below not in said["f"][0]  # 90%, above the median
        assert said["a"][1] != said["f"][1]  # faster vs slower than the median organisation
    card = scorecard.rows(table, league, SECTORS, "d").set_index("indicator")
    assert card.loc["response_rate", ["sector_low", "sector_median", "sector_high"]].tolist() == [
        0.3,
        0.5,
        0.6,
    ]
    assert card.loc["index", "estimate"] == 0.0 and card.loc["index", "median"] == 0.1


def test_type_mix_counts_the_messages_the_response_rates_count():
    """The censored tail left out, as in n_incoming: the total is the report's number of
    incoming messages and Σ share × per-type rate is the response rate of the same messages."""
    incoming = pd.DataFrame(
        {
            "org_id": ["a", "a", "a", "c", "c", "f", "f", "a"],
            "type": [
                *("complaint", "complaint", "question", "other"),
                *("complaint", "compliment", "complaint", "question"),
            ],
            "replied": [True, False, True, False, True, False, False, False],
            "censored": [False] * 6 + [True, True],
        }
    )
    mix = comparison.type_mix(incoming, SECTORS).set_index(["sector", "type"])
    kept = incoming[~incoming["censored"]]
    assert mix.xs("all")["messages"].sum() == len(kept) == 6
    assert mix.loc[("all", "complaint"), "messages"] == 3
    assert mix.loc[("energy", "complaint"), "messages"] == 0  # f's complaint is censored
    rates = kept.groupby("type")["replied"].mean()
    shares = mix.xs("all")["share"]
    assert np.isclose((shares * rates.reindex(shares.index)).sum(), kept["replied"].mean())
