"""The simulated panel: an SPSS file with labels, as a panel agency delivers it."""

from __future__ import annotations

import json

import numpy as np
import pyreadstat
import pytest


@pytest.fixture(scope="module")
def sav(test_edition):
    _, outdir = test_edition
    return pyreadstat.read_sav(str(outdir / "panel" / "panel.sav"), user_missing=True)


def test_sav_has_labels_and_missing_codes(sav, test_edition):
    data, meta = sav
    edition, _ = test_edition
    codes = edition.organisations["panel_code"].tolist()
    assert len(data) == 150
    assert meta.column_names_to_labels["respnr"] == "Respondentnummer"
    assert meta.variable_value_labels["geslacht"][2.0] == "vrouw"
    for code in codes:
        for column in (
            f"kent_{code}",
            f"volgt_tw_{code}",
            f"volgt_fb_{code}",
            f"klant_{code}",
            f"loy1_{code}",
            f"loy2_{code}",
            f"loy3_{code}",
            f"nps_{code}",
        ):
            assert column in data
        assert meta.variable_value_labels[f"loy1_{code}"][7.0] == "helemaal mee eens"
        assert meta.missing_ranges[f"nps_{code}"] == [{"lo": 99.0, "hi": 99.0}]
    name = edition.organisations["name"].iat[0]
    assert meta.column_names_to_labels[f"volgt_tw_{codes[0]}"] == f"Volgt {name} op Twitter"


def test_questions_are_asked_only_for_known_organisations(sav, test_edition):
    data, _ = sav
    edition, _ = test_edition
    for code in edition.organisations["panel_code"]:
        unknown = data[f"kent_{code}"] == 0
        assert data.loc[unknown, f"loy1_{code}"].isna().all()
        known = data.loc[~unknown, f"loy1_{code}"].dropna()
        assert known.between(1, 7).all()
        nps = data.loc[~unknown, f"nps_{code}"].dropna()
        assert set(np.unique(nps)) <= set(range(11)) | {99}
    assert ((data.filter(like="kent_") == 1).sum(axis=1) >= 1).all()


def test_truth_is_kept_aside(test_edition):
    edition, outdir = test_edition
    truth = json.loads((outdir / "truth" / "panel.json").read_text())
    assert truth["follows_effect"] == 0.45
    assert truth["n_pairs"] == len(edition.panel.pairs)
    # self-selection: followers are more loyal than the true effect of following alone
    assert truth["raw_follower_gap"] > truth["follows_effect"]


def test_weights_average_one(sav):
    data, _ = sav
    assert data["weegfactor"].mean() == pytest.approx(1.0, abs=0.01)
