"""Reading the panel as agencies deliver it: SPSS/CSV/XLSX, wide/long, and every reading error."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyreadstat
import pytest

from engbench.organisations import validate_organisations
from engbench.panel import PanelError, cronbach_alpha, descriptives, read_panel

SHEET = validate_organisations(
    pd.DataFrame(
        {
            "org_id": ["klm_like", "ns_like"],
            "name": ["Vlieg", "Spoor"],
            "sector": ["airline", "rail"],
            "platform": "twitter",
            "handle": ["vlieg", "spoor"],
            "account_id": ["1", "2"],
            "panel_code": ["vl", "sp"],
        }
    )
)
WIDE = {
    "respondent_id": "resp",
    "knows": "kent_{org}",
    "follows_twitter": "tw_{org}",
    "follows_facebook": "fb_{org}",
    "customer": "klant_{org}",
    "loyalty_items": ["l1_{org}", "l2_{org}"],
    "recommend": "nps_{org}",
    "age": "leeftijd",
    "gender": "sekse",
    "education": "opl",
    "region": "regio",
    "weight": "gewicht",
}


def wide_frame():
    return pd.DataFrame(
        {
            "resp": [1.0, 2.0, 3.0],
            "leeftijd": [30.0, 50.0, 70.0],
            "sekse": [1.0, 2.0, 1.0],
            "opl": [1.0, 2.0, 3.0],
            "regio": [4.0, 4.0, 1.0],
            "gewicht": [1.0, 0.8, 1.2],
            "kent_vl": [1.0, 1.0, 0.0],
            "tw_vl": [1.0, 0.0, np.nan],
            "fb_vl": [0.0, 0.0, np.nan],
            "klant_vl": [1.0, 0.0, np.nan],
            "l1_vl": [6.0, 3.0, np.nan],
            "l2_vl": [7.0, 4.0, np.nan],
            "nps_vl": [9.0, 99.0, np.nan],
            "kent_sp": [1.0, 0.0, 1.0],
            "tw_sp": [0.0, np.nan, 0.0],
            "fb_sp": [1.0, np.nan, 0.0],
            "klant_sp": [1.0, np.nan, 1.0],
            "l1_sp": [5.0, np.nan, 2.0],
            "l2_sp": [5.0, np.nan, 2.0],
            "nps_sp": [7.0, np.nan, 3.0],
        }
    )


def write_sav(frame, path, missing=True):
    labels = {
        "sekse": {1: "man", 2: "vrouw"},
        "opl": {1: "laag", 2: "midden", 3: "hoog"},
        "regio": {1: "Noord", 4: "West"},
    }
    pyreadstat.write_sav(
        frame,
        str(path),
        column_labels={"resp": "Respondentnummer"},
        variable_value_labels=labels,
        missing_ranges={"nps_vl": [99]} if missing else None,
    )
    return path


def test_wide_spss_with_labels_and_user_missing(tmp_path):
    panel = read_panel(write_sav(wide_frame(), tmp_path / "p.sav"), "auto", "wide", WIDE, SHEET)
    pairs = panel.pairs.set_index(["respondent_id", "org_id"])
    assert len(pairs) == 4  # respondent 2 does not know "sp", 3 not "vl"
    assert panel.exclusions["pairs where the respondent does not know the organisation"] == 2
    assert pairs.loc[(1.0, "klm_like"), "loyalty"] == 6.5
    assert (
        pairs.loc[(1.0, "klm_like"), "follows"] == 1 and pairs.loc[(1.0, "ns_like"), "follows"] == 1
    )
    assert pairs.loc[(2.0, "klm_like"), "follows"] == 0
    assert np.isnan(pairs.loc[(2.0, "klm_like"), "recommend"])  # 99 is a declared missing code
    assert (
        pairs.loc[(1.0, "klm_like"), "promoter"] == 1
        and pairs.loc[(3.0, "ns_like"), "promoter"] == 0
    )
    assert (
        pairs.loc[(1.0, "klm_like"), "gender"] == "man"
        and pairs.loc[(3.0, "ns_like"), "region"] == "Noord"
    )
    assert panel.labels["resp"] == "Respondentnummer"


def test_an_undeclared_missing_code_is_an_error_not_a_score(tmp_path):
    expected = r"nps_vl \(recommend, organisation klm_like\): 99 in case 2; expected 0–10"
    with pytest.raises(PanelError, match=expected):
        read_panel(
            write_sav(wide_frame(), tmp_path / "p.sav", missing=False), "auto", "wide", WIDE, SHEET
        )


def test_missing_mapped_variables_are_listed(tmp_path):
    frame = wide_frame().drop(columns=["klant_sp", "gewicht"])
    with pytest.raises(PanelError, match=r"not in the file: gewicht, klant_sp"):
        read_panel(write_sav(frame, tmp_path / "p.sav"), "auto", "wide", WIDE, SHEET)


def test_unknown_codes_are_named(tmp_path):
    frame = wide_frame()
    frame.loc[0, "tw_vl"] = 2.0
    frame.loc[1, "l1_vl"] = 9.0
    with pytest.raises(PanelError) as error:
        read_panel(write_sav(frame, tmp_path / "p.sav"), "auto", "wide", WIDE, SHEET)
    message = str(error.value)
    assert "tw_vl (follows_twitter, organisation klm_like): 2 in case 1; expected 0/1" in message
    assert "l1_vl (loyalty item 1, organisation klm_like): 9 in case 2; expected 1–7" in message


LONG = {
    "respondent_id": "id",
    "organisation": "merk",
    "follows_twitter": "volgt_tw",
    "follows_facebook": "volgt_fb",
    "customer": "klant",
    "loyalty_items": ["loy1", "loy2"],
    "recommend": "nps",
    "age": "age",
}


def long_frame():
    return pd.DataFrame(
        {
            "id": [1, 1, 2, 2],
            "merk": ["vl", "sp", "vl", "xx"],
            "volgt_tw": [1, 0, 0, 1],
            "volgt_fb": [0, 0, 1, 1],
            "klant": [1, 1, 0, 0],
            "loy1": [5, 4, 3, 2],
            "loy2": [5, 5, 3, 2],
            "nps": [8, 9, 2, 10],
            "age": [40, 40, 60, 60],
        }
    )


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_long_layout_counts_organisations_not_in_the_sheet(tmp_path, suffix):
    path = tmp_path / f"p.{suffix}"
    frame = long_frame()
    frame.to_csv(path, index=False) if suffix == "csv" else frame.to_excel(path, index=False)
    panel = read_panel(path, "auto", "long", LONG, SHEET)
    assert len(panel.pairs) == 3
    assert sum(panel.exclusions.values()) == 1 and "xx" in next(iter(panel.exclusions))


def test_duplicate_pairs_are_an_error(tmp_path):
    frame = pd.concat([long_frame(), long_frame().iloc[[0]]])
    frame.to_csv(tmp_path / "p.csv", index=False)
    with pytest.raises(PanelError, match=r"given twice \(rows 2, 6\)"):
        read_panel(tmp_path / "p.csv", "auto", "long", LONG, SHEET)


def test_cronbach_alpha_by_hand():
    items = pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [2, 2, 3, 5, 5], "c": [1, 3, 3, 4, 4]})
    # item variances 2.5, 2.3, 1.5 (sum 6.3); total scores 4, 7, 9, 13, 14 → variance 17.3
    assert cronbach_alpha(items) == pytest.approx(1.5 * (1 - 6.3 / 17.3))


def test_descriptives_follower_gap(tmp_path):
    panel = read_panel(write_sav(wide_frame(), tmp_path / "p.sav"), "auto", "wide", WIDE, SHEET)
    table = descriptives(panel.pairs).set_index("org_id")
    assert table.loc["klm_like", "share_follows"] == 0.5
    assert table.loc["klm_like", "loyalty_followers"] == 6.5
    assert table.loc["klm_like", "loyalty_non_followers"] == 3.5


def test_real_spss_files_open(fixtures_dir):
    """The reader opens real SPSS files with value labels and user-missing codes (GSS subsets)."""
    from engbench.panel import read_file

    frame, labels, values = read_file(fixtures_dir / "spss" / "gss_subset_psyc5000.sav")
    assert len(frame) == 1473 and len(values) >= 20 and labels
    frame, _, _ = read_file(fixtures_dir / "spss" / "pyreadstat_sample.zsav")
    assert len(frame) == 5
