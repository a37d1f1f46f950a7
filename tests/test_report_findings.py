"""The findings in words (engbench.report.findings): wording that follows the data."""

from __future__ import annotations

import pandas as pd
import pytest

from engbench.report.findings import findings, highest_type_counts

CONFIG = {"period": {"start": "2017-01-01", "end": "2017-11-01"}}


def edition(rates: dict[str, dict[str, float]], overall: dict[str, float]) -> pd.DataFrame:
    """A hand-built indicator table: per organisation its edition estimates (intervals ±0.05)."""
    rows = []
    for org, values in {**rates, "all": overall}.items():
        for platform in ("all", "twitter"):
            for indicator, value in values.items():
                rows.append(
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
                )
    return pd.DataFrame(rows)


def webcure(complaint, question, compliment, dialogue, seconds=1800.0):
    return {
        "response_rate_complaint": complaint,
        "response_rate_question": question,
        "response_rate_compliment": compliment,
        "response_rate_other": 0.05,
        "dialogue_share": dialogue,
        "response_time_webcare_median": seconds,
    }


OVERALL_LOW = {
    "response_rate": 0.3,
    "n_incoming": 1000,
    "dialogue_share": 0.3,
    "response_time_webcare_median": 5400,
}
OVERALL_HIGH = {
    "response_rate": 0.7,
    "n_incoming": 1000,
    "dialogue_share": 0.8,
    "response_time_webcare_median": 600,
}
# Edition A: the study's pattern (complaints first, questions before compliments, broadcasts).
A = edition(
    {
        "a": webcure(0.8, 0.4, 0.1, 0.2, 1200.0),
        "b": webcure(0.6, 0.3, 0.2, 0.4, 3000.0),
        "c": webcure(0.7, 0.5, 0.3, 0.6, 4200.0),
    },
    OVERALL_LOW,
)
# Edition B: the opposite (compliments first, questions last, dialogue).
B = edition(
    {
        "a": webcure(0.2, 0.1, 0.9, 0.8),
        "b": webcure(0.3, 0.2, 0.6, 0.9),
        "c": webcure(0.9, 0.1, 0.5, 0.7),
    },
    OVERALL_HIGH,
)
LEAGUE_SURE = pd.DataFrame(
    {
        "org_id": ["a", "b", "c"],
        "rank": [1, 2, 3],
        "rank_lower": [1, 2, 2],
        "rank_upper": [1, 3, 3],
        "index": [1.0, 0.0, -1.0],
    }
)
LEAGUE_UNSURE = LEAGUE_SURE.assign(rank_upper=[3, 3, 3], rank_lower=[1, 1, 1])


def coefficients(low, high, cross=(-0.2, 0.3)):
    rows = [("ols_fe", "follows", (low + high) / 2, low, high)]
    rows += [("cross_level", t, sum(cross) / 2, *cross) for t in ("follows:dialogue_c",)]
    return pd.DataFrame(
        [
            {
                "model": m,
                "term": t,
                "estimate": e,
                "ci_low": lo,
                "ci_high": hi,
                "std_error": 0.1,
                "p_value": 0.01,
                "n_respondents": 1400,
                "n_pairs": 5000,
            }
            for m, t, e, lo, hi in rows
        ]
    )


NAMES = {"a": "Alfa", "b": "Beta", "c": "Gamma"}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_wording_flips_when_the_data_flip(language):
    """Two small editions with opposite patterns give opposite sentences."""
    a = findings(A, LEAGUE_SURE, coefficients(0.3, 0.6, (0.1, 0.4)), None, NAMES, CONFIG, language)
    b = findings(B, LEAGUE_UNSURE, coefficients(-0.1, 0.2), None, NAMES, CONFIG, language)
    text_a, text_b = (" ".join(s for c in f.chapters.values() for s in c) for f in (a, b))
    expected = {
        "nl": [
            ("zenden vooral", "plaatsen vooral reacties"),
            ("blijven onbeantwoord", "krijgen een reactie"),
            ("alle 3 organisaties het hoogste", "maar bij 1 van de 3"),
            ("Vragen krijgen bij 3 van de 3", "Complimenten krijgen bij 3 van de 3"),
            ("staat vast", "staat niet vast"),
            ("Volgers zijn loyaler", "geen bewijs dat volgers loyaler"),
            ("omvat geen nul", "omvatten nul"),
        ],
        "en": [
            ("mostly broadcast", "mostly reply"),
            ("go unanswered", "Most consumer messages get a response"),
            ("at all 3 organisations", "at only 1 of the 3"),
            (
                "Questions are answered more often than compliments at 3 of the 3",
                "Compliments are answered at least as often as questions at 3 of the 3",
            ),
            ("is certain", "is not certain"),
            ("Followers are more loyal", "no evidence that followers are more loyal"),
            ("excludes zero", "include zero"),
        ],
    }[language]
    for phrase_a, phrase_b in expected:
        assert phrase_a in text_a and phrase_a not in text_b, phrase_a
        assert phrase_b in text_b and phrase_b not in text_a, phrase_b
    assert a.advice != b.advice
    assert 3 <= len(a.key_findings) <= 5 and 3 <= len(b.key_findings) <= 5


def test_every_number_in_the_text_is_traced_to_its_source():
    """Each recorded number equals the value at its source, and appears in the text."""
    f = findings(A, LEAGUE_SURE, coefficients(0.3, 0.6), None, NAMES, CONFIG, "en")
    text = " ".join([f.studied, *f.key_findings, *(s for c in f.chapters.values() for s in c)])
    indicators = A.set_index(["org_id", "platform", "period", "indicator"])
    counts = highest_type_counts(A)
    table = coefficients(0.3, 0.6).set_index(["model", "term"])
    for item in f.numbers:
        kind, key = item["source"].split(": ")
        parts = key.split("/")
        if kind == "indicators":
            column = {"lower": "lower", "upper": "upper"}.get(
                parts[4] if len(parts) > 4 else "", "estimate"
            )
            expected = indicators.loc[tuple(parts[:4]), column]
        elif kind == "coefficients":
            expected = table.loc[tuple(parts[:2]), parts[2] if len(parts) > 2 else "estimate"]
        elif kind == "engagement_index":
            expected = LEAGUE_SURE.set_index("org_id").loc[parts[0], parts[1]]
        elif kind == "sector_benchmarks":  # the median organisation, each counted once
            sector, indicator, column = parts
            per_org = indicators.xs(("all", "edition", indicator), level=(1, 2, 3))["estimate"]
            assert (sector, column) == ("all", "median")
            expected = per_org.drop(index="all").median()
        else:
            assert kind == "count", item
            expected = {
                **counts,
                "rank_interval_wider_than_one": 2,
                "compliment_not_below_question": 0,
            }[key]
        assert item["value"] == pytest.approx(expected), item
        assert item["text"] in text, item
    assert counts == {
        "organisations": 3,
        "with_complaints": 3,
        "complaint_highest": 3,
        "with_question_and_compliment": 3,
        "question_over_compliment": 3,
        "with_dialogue_share": 3,
        "mostly_replies": 1,
    }
    assert "1 January 2017 – 31 October 2017" in f.studied and "1,400" in f.studied
    # the median response time twice: over all answered messages and the median organisation
    webcare = " ".join(f.chapters["webcare"])
    assert "over all answered messages" in webcare.lower() and "1.5 h" in webcare
    assert "the median organisation answers half of its messages within 50 min" in webcare
    labels = {n["label"]: n["source"] for n in f.numbers}
    assert labels["response_time_webcare_median median organisation"] == (
        "sector_benchmarks: all/response_time_webcare_median/median"
    )


def test_the_summary_gives_both_median_response_times():
    """The key figures: the median over all answered messages and the median organisation's,
    each with its source (summary_numbers.json), worded so that a reader tells them apart."""
    from engbench.report.document import summary_numbers, typst_source

    numbers = summary_numbers(A, LEAGUE_SURE, None, "nl")
    by_label = {n["label"]: n for n in numbers}
    overall = by_label["response_time_webcare_median"]
    typical = by_label["response_time_webcare_median median organisation"]
    assert (overall["value"], overall["text"]) == (5400, "1,5 uur")
    assert (typical["value"], typical["text"]) == (3000, "50 min")  # median of 20, 50, 70 min
    assert typical["source"] == "sector_benchmarks: all/response_time_webcare_median/median"
    for language, words in (
        ("nl", ("over alle beantwoorde berichten", "bij de mediane organisatie")),
        ("en", ("over all answered messages", "at the median organisation")),
    ):
        numbers = summary_numbers(A, LEAGUE_SURE, None, language)
        config = CONFIG | {
            "edition": {"name": "t", "year": 2017},
            "metrics": {"index_weights": {}, "bootstrap_resamples": 10},
        }
        source = typst_source(config, numbers, {}, {}, NAMES, {}, language, panel=False)
        line = next(x for x in source.splitlines() if words[0] in x)
        assert words[1] in line
        assert all(n["text"] in line for n in numbers if "response_time" in n["label"])


def test_an_edition_without_a_panel_has_no_loyalty_findings():
    f = findings(A, LEAGUE_SURE, None, None, NAMES, CONFIG, "nl")
    assert f.chapters["loyalty"] == [] and "geen consumentenpanel" in f.studied
