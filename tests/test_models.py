"""The loyalty models: cluster-robust errors by hand, parameter recovery, the output tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from engbench.models import COLUMNS, fit_all, prepare
from engbench.organisations import organisation_table, read_organisations
from engbench.simulate.panel import TRUTH, simulated_pairs
from tests.conftest import ROOT


def test_cluster_robust_errors_equal_a_hand_computed_sandwich():
    """WLS with respondent clusters: V = c (X'WX)^-1 [sum_g X_g' W e_g e_g' W X_g] (X'WX)^-1,
    c = G/(G-1) * (N-1)/(N-K) (statsmodels' CR1 default)."""
    rng = np.random.default_rng(4)
    n, groups = 60, 12
    data = pd.DataFrame(
        {
            "g": np.repeat(np.arange(groups), n // groups),
            "x": rng.normal(size=n),
            "w": rng.uniform(0.5, 2, n),
        }
    )
    data["y"] = 1 + 0.5 * data["x"] + rng.normal(size=groups)[data["g"]] + rng.normal(size=n)
    fit = smf.wls("y ~ x", data, weights=data["w"]).fit(
        cov_type="cluster", cov_kwds={"groups": data["g"]}
    )
    X = np.column_stack([np.ones(n), data["x"]])
    W = np.diag(data["w"])
    bread = np.linalg.inv(X.T @ W @ X)
    beta = bread @ X.T @ W @ data["y"]
    e = data["y"] - X @ beta
    meat = np.zeros((2, 2))
    for g in range(groups):
        rows = (data["g"] == g).to_numpy()
        score = X[rows].T @ (data["w"].to_numpy()[rows] * e[rows])
        meat += np.outer(score, score)
    c = groups / (groups - 1) * (n - 1) / (n - 2)
    by_hand = np.sqrt(np.diag(c * bread @ meat @ bread))
    assert np.allclose(beta, fit.params) and np.allclose(by_hand, fit.bse)


@pytest.fixture(scope="module")
def organisations():
    return organisation_table(read_organisations(ROOT / "config" / "organisations.csv")).head(10)


def test_the_main_models_interval_covers_the_true_following_effect(organisations):
    """Parameter recovery: 30 simulated panels (the benchmark runs 200 at full size)."""
    from engbench.models import ols_fe

    covered = 0
    estimates = []
    for seed in range(30):
        pairs = simulated_pairs(organisations, 500, seed)
        pairs["respondent_id"] = pairs["respondent_id"].astype(str)
        fit, spec = ols_fe(prepare(pairs))
        low, high = fit.conf_int().loc["follows"]
        covered += low <= TRUTH["follows_effect"] <= high
        estimates.append(fit.params["follows"])
    assert (
        covered >= 26
    )  # 95% nominal: 26 or more of 30 (binomial, p ~ 0.94 to see fewer by chance)
    assert abs(np.mean(estimates) - TRUTH["follows_effect"]) < 0.02
    assert spec["cov_type"] == "cluster" and spec["cluster"] == "respondent_id"


def test_every_model_in_the_coefficient_table(organisations):
    pairs = simulated_pairs(organisations, 400, 7)
    pairs["respondent_id"] = pairs["respondent_id"].astype(str)
    pairs["org_dialogue_share"] = pairs["org_id"].map(
        dict(zip(organisations["org_id"], np.linspace(0.3, 0.9, 10), strict=True))
    )
    pairs["org_response_rate"] = pairs["org_id"].map(
        dict(zip(organisations["org_id"], np.linspace(0.2, 0.8, 10), strict=True))
    )
    table, described = fit_all(prepare(pairs))
    assert list(table.columns) == COLUMNS
    assert list(dict.fromkeys(table["model"])) == [
        "ols_fe",
        "ordered_logit",
        "logit_promoter",
        "mixed",
        "platforms",
        "cross_level",
        "ipw",
    ]
    first = table.groupby("model", sort=False)["term"].first()
    assert first["ols_fe"] == "follows" and first["platforms"] == "follows_twitter"
    assert {"follows:dialogue_c", "follows:response_c"} <= set(
        table.loc[table["model"] == "cross_level", "term"]
    )
    assert (table["ci_low"] <= table["estimate"]).all() and (
        table["estimate"] <= table["ci_high"]
    ).all()
    assert described["ols_fe"]["weights"] == "weight"
    assert "C(org_id)" in described["ols_fe"]["formula"]
    assert described["mixed"]["weights"] is None
    assert (
        described["ols_fe"]["fit"]["nobs"]
        == table.loc[table["model"] == "ols_fe", "n_pairs"].iloc[0]
    )
    naive = table[(table["model"] == "ols_fe") & (table["term"] == "follows")]["estimate"].iloc[0]
    weighted = table[(table["model"] == "ipw") & (table["term"] == "follows")]["estimate"].iloc[0]
    assert abs(naive - weighted) < 0.3


def test_each_model_counts_the_respondents_of_its_own_rows(organisations):
    """Respondents who skipped the first loyalty item or the recommend question are not in
    the ordered logit or the promoter model, and not counted in their n_respondents."""
    pairs = simulated_pairs(organisations, 300, 11)
    pairs["respondent_id"] = pairs["respondent_id"].astype(str)
    ids = sorted(pairs["respondent_id"].unique())
    pairs.loc[pairs["respondent_id"].isin(ids[:40]), "loyalty_1"] = np.nan
    pairs.loc[pairs["respondent_id"].isin(ids[-25:]), "promoter"] = np.nan
    data = prepare(pairs)
    table, described = fit_all(data)
    counted = table.groupby("model")["n_respondents"].unique().map(list)
    everyone = data["respondent_id"].nunique()
    assert counted["ols_fe"] == counted["mixed"] == counted["ipw"] == [everyone]
    answered_item = data.dropna(subset=["loyalty_1"])["respondent_id"].nunique()
    answered_recommend = data.dropna(subset=["promoter"])["respondent_id"].nunique()
    assert answered_item <= everyone - 30 and answered_recommend <= everyone - 20
    assert counted["ordered_logit"] == [answered_item]
    assert counted["logit_promoter"] == [answered_recommend]
    pairs_used = table.groupby("model")["n_pairs"].first()
    assert pairs_used["ordered_logit"] == data["loyalty_1"].notna().sum()
    for model, spec in described.items():  # models.json's complete cases are the rows used
        assert pairs_used[model] == len(data.dropna(subset=spec["complete_cases"])), model


def refit(spec: dict, analysis: pd.DataFrame):
    """A WLS model refitted from its models.json entry alone, as a reader would."""
    data = analysis.dropna(subset=spec["complete_cases"])
    for column, level in spec["reference_levels"].items():
        if column != "org_id":  # org_id: patsy's default, the first in sorted order
            assert data[column].cat.categories[0] == level, column
    return smf.wls(spec["formula"], data, weights=data[spec["weights"]]).fit(
        cov_type=spec["cov_type"], cov_kwds={"groups": pd.factorize(data[spec["cluster"]])[0]}
    )


def test_models_json_refits_on_the_analysis_table_as_it_is(organisations, tmp_path):
    """The analysis table holds the derived variables (written to parquet and read back,
    categoricals reference level first); each WLS model in models.json refits from it alone."""
    import json

    from engbench.models import DERIVED, derive

    pairs = simulated_pairs(organisations, 300, 3)
    pairs["respondent_id"] = pairs["respondent_id"].astype(str)
    pairs["org_dialogue_share"] = pairs["org_id"].map(
        dict(zip(organisations["org_id"], np.linspace(0.3, 0.9, 10), strict=True))
    )
    pairs["org_response_rate"] = pairs["org_id"].map(
        dict(zip(organisations["org_id"], np.linspace(0.2, 0.8, 10), strict=True))
    )
    pairs.loc[pairs.index[::17], "age"] = np.nan  # incomplete rows stay in the table
    pairs.loc[pairs.index[5::23], "loyalty"] = np.nan
    analysis = derive(pairs)
    analysis.to_parquet(tmp_path / "analysis.parquet", index=False)
    analysis = pd.read_parquet(tmp_path / "analysis.parquet")
    pd.testing.assert_frame_equal(derive(analysis), analysis)  # deriving again changes nothing
    assert analysis["age_decades"].equals((analysis["age"] - 45) / 10)
    counts = analysis["region"].value_counts()
    assert analysis["region"].cat.categories[0] == counts.index[0]

    table, described = fit_all(prepare(analysis))
    described = json.loads(json.dumps(described))
    assert described["ols_fe"]["derived"] == {"age_decades": DERIVED["age_decades"]}
    for name in ("ols_fe", "platforms", "cross_level", "ipw"):
        spec = described[name]
        assert {"formula", "weights", "cluster", "cov_type", "reference_levels"} <= set(spec)
        if name == "ipw":
            continue  # its weights are computed (spec: weights_multiplied_by, propensity)
        fit = refit(spec, analysis)
        ours = table[table["model"] == name].set_index("term")
        assert np.allclose(fit.params[ours.index], ours["estimate"], rtol=0, atol=1e-10)
        assert np.allclose(fit.bse[ours.index], ours["std_error"], rtol=0, atol=1e-10)
