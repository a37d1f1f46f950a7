"""The project's coded real messages: ids and codes committed, texts joined from ../shared."""

from __future__ import annotations

import os

import pandas as pd
import pytest

from engbench.classify import TYPES
from engbench.classify.coding import reliability
from engbench.classify.real import (
    REAL_CODES,
    FixturesMissing,
    coded_real,
    fixtures_dir,
    join_texts,
)

CODES = pd.read_csv(REAL_CODES, dtype=str, keep_default_na=False)
INDEPENDENT = pd.read_csv(
    REAL_CODES.parent / "independent_codes.csv", dtype=str, keep_default_na=False
)


def _fixtures_or_skip():
    try:
        return fixtures_dir()
    except FixturesMissing as error:
        pytest.skip(f"real texts not available: {error}")


def test_no_text_is_committed_only_ids_and_codes():
    for table in (CODES, INDEPENDENT):
        assert "text" not in table.columns
        assert table[["source", "message_id"]].duplicated().sum() == 0
    assert len(CODES) >= 2000
    assert CODES["label"].isin(TYPES).all()


def test_two_coders_agree_well_beyond_chance():
    table = reliability(INDEPENDENT, ["coder_1", "coder_2"]).set_index("category")
    assert table.loc["all", "units"] == len(INDEPENDENT) >= 2000
    # the codebook's target: alpha >= 0.80 overall and for every type
    assert (table["krippendorff_alpha"] >= 0.80).all(), table
    assert table.loc["all", "agreement"] > 0.9


def test_final_codes_follow_the_resolution_rules():
    both = CODES.merge(INDEPENDENT, on=["source", "message_id"], suffixes=("", "_independent"))
    assert len(both) == len(CODES)
    agreed = both["coder_1"] == both["coder_2"]
    untouched = both["resolution"] == "agreed"
    # an agreed code stands unless the codebook 1.1 recoding changed it
    assert (both.loc[untouched, "label"] == both.loc[untouched, "coder_1"]).all()
    resolved = both["resolution"].str.startswith("disagreement")
    assert (resolved == ~agreed).all()
    assert both.loc[resolved, "label"].isin(TYPES).all()


def test_join_finds_every_coded_message_and_refuses_unknown_ids():
    _fixtures_or_skip()
    real = coded_real()
    assert len(real) == (CODES["out_of_unit"] != "1").sum()
    assert real["text"].str.len().gt(0).all()
    assert set(real["lang"]) >= {"en", "nl"}
    with pytest.raises(KeyError, match="not in the fixtures"):
        join_texts(pd.DataFrame({"source": ["airline"], "message_id": ["1"], "label": ["other"]}))


def test_a_clone_without_the_samples_gets_a_clear_reason(tmp_path, monkeypatch):
    monkeypatch.setenv("ENGBENCH_FIXTURES", str(tmp_path / "nowhere"))
    with pytest.raises(FixturesMissing, match="real texts are never committed"):
        coded_real()
    assert os.environ["ENGBENCH_FIXTURES"].endswith("nowhere")
