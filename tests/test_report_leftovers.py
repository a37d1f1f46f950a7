"""Report leftovers of issue 11: a title per language, the regression table's scales apart,
the count reconciliation, the workbook's headers in words."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from engbench.config import validate_config
from engbench.report.document import edition_title
from engbench.report.text import TEXT

ROOT = Path(__file__).resolve().parents[1]


def read(path: str) -> dict:
    return yaml.safe_load((ROOT / path).read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", ["config/config.yaml", "config/test/config.yaml"])
def test_both_configs_give_a_title_per_language(path):
    config = validate_config(read(path), key_required=False)
    nl, en = (edition_title(config["edition"], language) for language in ("nl", "en"))
    assert "Nederlandse" in nl and "Dutch" in en and nl != en


def test_a_title_is_one_text_or_one_per_language():
    assert edition_title({"title": "Benchmark"}, "nl") == "Benchmark"
    assert edition_title({"title": {"en": "Benchmark"}}, "nl") == "Benchmark"
    assert edition_title({"title": {"nl": "Benchmark NL", "en": "EN"}}, "nl") == "Benchmark NL"
    assert edition_title({}, "en") == "Dutch Engagement Benchmark"
    config = read("config/test/config.yaml")
    config["edition"]["title"] = {"de": "Titel"}
    with pytest.raises(Exception, match="title"):
        validate_config(config, key_required=False)


def test_the_counts_reconcile_on_a_hand_built_edition():
    import pandas as pd

    from engbench.report import tables

    kinds = pd.DataFrame(
        {
            "kind": ["broadcast", "reply", "incoming", "incoming", "other", "other", "other"],
            "retweeted_id": [None, None, None, None, "1", "2", None],
        }
    )
    counts = {
        "broadcasts": 1,
        "replies": 1,
        "incoming_messages": 2,
        "incoming_pairs": 3,
        "censored_pairs": 1,
    }
    table = tables.count_reconciliation(7, counts, kinds).set_index("count")["messages"]
    assert table["retweets"] == 2 and table["other_consumer_messages"] == 1
    parts = ["broadcasts", "replies", "incoming_messages", "retweets", "other_consumer_messages"]
    assert table[parts].sum() == table["kept"] == 7 and table["incoming_measured"] == 2
    for language in ("nl", "en"):
        words = tables.count_reconciliation_words(table.reset_index(), TEXT[language], language)
        assert len(words) == 9 and "_" not in " ".join(words.iloc[:, 0])


def test_the_regression_table_keeps_log_odds_and_scale_points_apart():
    import pandas as pd

    from engbench.report import tables

    coefficients = pd.DataFrame(
        {
            "model": ["ols_fe", "ordered_logit", "logit_promoter", "mixed"],
            "term": ["follows"] * 4,
            "estimate": [0.45, 1.5, 1.6, 0.44],
            "std_error": [0.01] * 4,
            "ci_low": [0.4] * 4,
            "ci_high": [0.5] * 4,
            "p_value": [1e-9] * 4,
            "n_respondents": [10] * 4,
            "n_pairs": [50] * 4,
        }
    )
    models = {"ordered_logit": {"estimator": "OrderedModel, logit"}}
    for language in ("nl", "en"):
        parts = tables.regression_by_scale(coefficients, models, language)
        short = TEXT[language]["models_short"]
        assert list(parts["scale"].columns[1:]) == [short["ols_fe"], short["mixed"]]
        assert list(parts["log_odds"].columns[1:]) == [
            short["ordered_logit"],
            short["logit_promoter"],
        ]
        captions = TEXT[language]["benchmarks"]["captions"]
        assert "log-odds" in captions["regression_log_odds"]
        assert "1–7" in captions["regression_scale"]


def test_the_workbook_has_headers_in_words_and_a_sheet_describing_every_column(tmp_path):
    import openpyxl
    import pandas as pd

    from engbench.report import tables

    frames = {
        "league": pd.DataFrame({"rank": [1], "index_lower": [0.1], "org_id": ["a"]}),
        "by_type": pd.DataFrame({"raw_lower": [0.2], "ols_fe": ["0.4"], "mystery_code": [1]}),
    }
    for language, sheet, header in (
        ("nl", "kolommen", "engagementindex (standaarddeviaties), ondergrens 95%-interval"),
        ("en", "columns", "engagement index (standard deviations), lower bound of 95% interval"),
    ):
        tables.workbook_in_words(frames, tmp_path / f"{language}.xlsx", language)
        book = openpyxl.load_workbook(tmp_path / f"{language}.xlsx")
        assert book.sheetnames == ["league", "by_type", sheet]
        headers = [c.value for c in book["league"][1]]
        assert headers[1] == header and "_" not in " ".join(headers)
        assert book["league"]["B2"].value == 0.1  # numbers stay numbers
        described = list(book[sheet].iter_rows(values_only=True))[1:]
        assert [(r[0], r[1]) for r in described] == [
            (name, column) for name, frame in frames.items() for column in frame.columns
        ]
        assert all(r[2] and r[3] for r in described)
        assert "_" not in " ".join(c.value for c in book["by_type"][1][:2])
