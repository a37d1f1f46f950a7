"""A follow-up demo edition: the base edition's organisations keep their behaviour, with
known changes; one leaves, one enters; the changes are written to the truth."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from engbench.organisations import organisation_table, read_organisations
from engbench.simulate import simulation_settings
from engbench.simulate.behaviour import draw_behaviour
from engbench.simulate.edition import _with_followers, follow_up_behaviour, follow_up_truth
from tests.conftest import ROOT, load_config, simulate_from_config

FOLLOW_UP = {
    "base_seed": 2017,
    "respond": {"railned": 0.25},
    "speed": {"oranje_airways": 0.3},
    "twitter_share": 0.8,
}


def sheets():
    base = read_organisations(ROOT / "config/test/organisations.csv")
    later = read_organisations(ROOT / "config/test/organisations-2018.csv")
    return base, later


def test_the_base_behaviour_is_kept_and_the_known_changes_applied():
    base, later = sheets()
    base_orgs = _with_followers(organisation_table(base))
    orgs = _with_followers(organisation_table(later))
    before = draw_behaviour(base_orgs, np.random.default_rng(2017)).set_index("org_id")
    after = follow_up_behaviour(orgs, base_orgs, FOLLOW_UP, np.random.default_rng(9))
    after = after.set_index("org_id")
    assert list(after.index) == list(orgs["org_id"])
    assert abs(after["activity"].sum() - 1) < 1e-12
    respond = [c for c in after.columns if c.startswith("p_respond_")]
    np.testing.assert_allclose(after.loc["netplus", respond], before.loc["netplus", respond])
    np.testing.assert_allclose(
        after.loc["railned", respond],
        np.clip(before.loc["railned", respond].astype(float) + 0.25, 0.01, 0.99),
    )
    assert (
        after.loc["oranje_airways", "delay_median_s"]
        == 0.3 * before.loc["oranje_airways", "delay_median_s"]
    )
    assert after.loc["netplus", "delay_median_s"] == before.loc["netplus", "delay_median_s"]
    np.testing.assert_allclose(
        after.loc["netplus", "twitter_share"], 0.8 * before.loc["netplus", "twitter_share"]
    )
    # relative activity of organisations in both editions is kept
    ratio = after.loc["railned", "activity"] / after.loc["netplus", "activity"]
    assert abs(ratio - before.loc["railned", "activity"] / before.loc["netplus", "activity"]) < 1e-9
    truth = follow_up_truth(orgs, base_orgs, FOLLOW_UP)
    assert truth["leavers"] == ["bezorgd"] and truth["entrants"] == ["snelpost"]
    assert truth["unchanged"] == ["netplus"]


def test_the_follow_up_config_simulates_and_writes_its_truth(tmp_path):
    config = load_config(ROOT / "config/test/config-2018.yaml")
    settings = simulation_settings(config)
    assert settings["follow_up"]["respond"] == {"railned": 0.25}
    assert "base_organisations" not in settings["follow_up"]
    from engbench.simulate import simulate_and_write

    base, later = sheets()
    edition, _ = simulate_and_write(
        later, tmp_path, settings, log=lambda *_: None, base_accounts=base
    )
    summary = json.loads((tmp_path / "truth/summary.json").read_text())
    assert summary["settings"]["follow_up"]["entrants"] == ["snelpost"]
    incoming = pd.read_parquet(tmp_path / "truth/incoming.parquet")
    assert "bezorgd" not in set(edition.behaviour["org_id"])
    assert len(incoming) > 0


def test_an_edition_without_follow_up_is_simulated_as_before(tmp_path):
    config = load_config()
    assert "follow_up" not in simulation_settings(config)  # the rule's params as before
    edition = simulate_from_config(config, ROOT / config["organisations"], tmp_path)
    base, _ = sheets()
    expected = draw_behaviour(
        _with_followers(organisation_table(base)), np.random.default_rng(config["demo"]["seed"])
    )
    pd.testing.assert_frame_equal(edition.behaviour, expected)
