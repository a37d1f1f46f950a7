"""The simulated consumer panel, delivered as a panel agency would: SPSS, wide.

Each respondent answers for the organisations they know (a long respondent ×
organisation design stored wide: one column per organisation and question,
system-missing where the organisation is unknown to them).

Loyalty is generated from a known model (the truth):

    latent = mu + org_effect[j] + respondent_effect[i]
             + follows_effect * follows + customer_effect * customer
             + age_effect * (age - 45) / 10 + education_effect[edu] + female_effect * female
             + noise
    item_k = round(latent + item_noise_k), clipped to 1..7; loyalty = mean of items

Following is self-selected: customers, younger and higher-educated people
follow more, and the same characteristics raise loyalty, so followers are
more loyal than non-followers by more than ``follows_effect``. The selection
runs through the covariates (no unobserved confounding of following), so a model
that adjusts for them recovers ``follows_effect``; the raw gap does not. Being a
customer does depend on the respondent's unobserved loyalty (``respondent_effect``),
as in life: its coefficient is confounded by design and is not a recovery target.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyreadstat

TRUTH = {
    "mu": 3.4,
    "follows_effect": 0.45,
    "customer_effect": 0.8,
    "age_effect_per_decade": 0.08,
    "education_effect": {"laag": 0.0, "midden": -0.05, "hoog": -0.15},
    "female_effect": 0.1,
    "org_effect_sd": 0.35,
    "respondent_effect_sd": 0.45,
    "noise_sd": 0.45,
    "item_noise_sd": 0.45,
    "recommend_slope": 1.35,
    "recommend_noise_sd": 1.1,
}
GENDER = {1: "man", 2: "vrouw", 3: "anders / zeg ik liever niet"}
EDUCATION = {1: "laag", 2: "midden", 3: "hoog"}
REGION = {1: "Noord", 2: "Oost", 3: "Zuid", 4: "West"}
YES_NO = {0: "nee", 1: "ja"}
AGREE = {
    1: "helemaal mee oneens",
    2: "oneens",
    3: "een beetje oneens",
    4: "neutraal",
    5: "een beetje eens",
    6: "eens",
    7: "helemaal mee eens",
}
RECOMMEND = {0: "0 zeer onwaarschijnlijk", 10: "10 zeer waarschijnlijk", 99: "weet niet"}
LOYALTY_ITEMS = (
    "Ik ben loyaal aan {name}",
    "Ik blijf bij {name}, ook als een ander goedkoper is",
    "Ik voel me verbonden met {name}",
)


@dataclass
class PanelData:
    """The delivered survey (wide) and the truth it was generated from."""

    data: pd.DataFrame
    column_labels: dict[str, str]
    value_labels: dict[str, dict[int, str]]
    missing_ranges: dict[str, list]
    pairs: pd.DataFrame
    truth: dict = field(default_factory=dict)


def simulate_panel(orgs: pd.DataFrame, n_respondents: int, rng: np.random.Generator) -> PanelData:
    """Simulate the panel for the organisations in ``orgs`` (needs panel_code, name)."""
    n, m = n_respondents, len(orgs)
    tr = TRUTH
    age = np.clip(rng.normal(46, 16, n), 18, 85).round().astype(int)
    gender = rng.choice([1, 2, 3], size=n, p=[0.49, 0.50, 0.01])
    education = rng.choice([1, 2, 3], size=n, p=[0.28, 0.40, 0.32])
    region = rng.choice([1, 2, 3, 4], size=n, p=[0.10, 0.21, 0.22, 0.47])
    # weights correct the over-representation of the higher educated
    target = np.array([0.32, 0.42, 0.26])
    sample = np.array([0.28, 0.40, 0.32])
    weight = (target / sample)[education - 1] * rng.lognormal(0, 0.15, n)
    weight = weight / weight.mean()
    u = rng.normal(0, tr["respondent_effect_sd"], n)

    followers = orgs[["followers_twitter", "followers_facebook"]].fillna(0).sum(axis=1).to_numpy()
    awareness = np.clip(0.15 + 0.5 * (np.log10(np.maximum(followers, 1e4)) - 4) / 2.5, 0.15, 0.75)
    org_effect = rng.normal(0, tr["org_effect_sd"], m)
    org_customer = rng.normal(-0.6, 0.6, m)
    knows = rng.random((n, m)) < awareness[None, :]
    knows[np.arange(n), rng.integers(0, m, n)] = True  # everyone knows at least one

    i_idx, j_idx = np.nonzero(knows)
    k = len(i_idx)
    young = (45 - age[i_idx]) / 10
    edu = education[i_idx]
    customer = rng.random(k) < _expit(
        org_customer[j_idx] + 0.15 * (age[i_idx] - 45) / 10 + 0.3 * u[i_idx]
    )
    follow_index = -2.3 + 1.4 * customer + 0.35 * young + 0.25 * (edu == 3)
    follows_tw = rng.random(k) < _expit(follow_index - 0.4)
    follows_fb = rng.random(k) < _expit(follow_index + 0.1 - 0.1 * young)
    follows = follows_tw | follows_fb
    edu_effect = np.array([tr["education_effect"][EDUCATION[e]] for e in (1, 2, 3)])[edu - 1]
    latent = (
        tr["mu"]
        + org_effect[j_idx]
        + u[i_idx]
        + tr["follows_effect"] * follows
        + tr["customer_effect"] * customer
        + tr["age_effect_per_decade"] * (age[i_idx] - 45) / 10
        + edu_effect
        + tr["female_effect"] * (gender[i_idx] == 2)
        + rng.normal(0, tr["noise_sd"], k)
    )
    items = np.clip(np.round(latent[:, None] + rng.normal(0, tr["item_noise_sd"], (k, 3))), 1, 7)
    items[rng.random((k, 3)) < 0.01] = np.nan  # item non-response
    recommend = np.clip(
        np.round(
            5 + tr["recommend_slope"] * (latent - 4) + rng.normal(0, tr["recommend_noise_sd"], k)
        ),
        0,
        10,
    )
    recommend[rng.random(k) < 0.03] = 99  # "weet niet", a user-missing code

    pairs = pd.DataFrame(
        {
            "respondent": i_idx + 1,
            "org_id": orgs["org_id"].to_numpy()[j_idx],
            "follows_twitter": follows_tw.astype(int),
            "follows_facebook": follows_fb.astype(int),
            "follows": follows.astype(int),
            "customer": customer.astype(int),
            "latent_loyalty": latent,
        }
    )
    data, column_labels, value_labels, missing = _wide(
        orgs,
        n,
        age,
        gender,
        education,
        region,
        weight,
        knows,
        i_idx,
        j_idx,
        follows_tw,
        follows_fb,
        customer,
        items,
        recommend,
    )
    truth = dict(tr)
    truth["org_effect"] = dict(zip(orgs["org_id"], org_effect.round(6).tolist(), strict=True))
    truth["n_respondents"] = int(n)
    truth["n_pairs"] = int(k)
    truth["raw_follower_gap"] = float(
        latent[follows].mean() - latent[~follows].mean()
        if follows.any() and (~follows).any()
        else 0
    )
    return PanelData(data, column_labels, value_labels, missing, pairs, truth)


def _wide(
    orgs,
    n,
    age,
    gender,
    education,
    region,
    weight,
    knows,
    i_idx,
    j_idx,
    follows_tw,
    follows_fb,
    customer,
    items,
    recommend,
):
    data = {
        "respnr": np.arange(1, n + 1, dtype=float),
        "leeftijd": age.astype(float),
        "geslacht": gender.astype(float),
        "opleiding": education.astype(float),
        "regio": region.astype(float),
        "weegfactor": weight.round(4),
    }
    labels = {
        "respnr": "Respondentnummer",
        "leeftijd": "Leeftijd in jaren",
        "geslacht": "Geslacht",
        "opleiding": "Hoogst voltooide opleiding (3 niveaus)",
        "regio": "Landsdeel",
        "weegfactor": "Weegfactor (opleiding)",
    }
    values = {"geslacht": GENDER, "opleiding": EDUCATION, "regio": REGION}
    missing: dict[str, list] = {}
    m = len(orgs)
    for j in range(m):
        code, name = orgs["panel_code"].iat[j], orgs["name"].iat[j]
        sel = j_idx == j
        rows = i_idx[sel]

        def column(values_for_pairs, rows=rows):
            out = np.full(n, np.nan)
            out[rows] = values_for_pairs
            return out

        data[f"kent_{code}"] = knows[:, j].astype(float)
        data[f"volgt_tw_{code}"] = column(follows_tw[sel])
        data[f"volgt_fb_{code}"] = column(follows_fb[sel])
        data[f"klant_{code}"] = column(customer[sel])
        for q in range(3):
            data[f"loy{q + 1}_{code}"] = column(items[sel, q])
        data[f"nps_{code}"] = column(recommend[sel])
        labels[f"kent_{code}"] = f"Kent {name}"
        labels[f"volgt_tw_{code}"] = f"Volgt {name} op Twitter"
        labels[f"volgt_fb_{code}"] = f"Volgt {name} op Facebook"
        labels[f"klant_{code}"] = f"Is klant van {name}"
        for q, item in enumerate(LOYALTY_ITEMS):
            labels[f"loy{q + 1}_{code}"] = item.format(name=name)
        labels[f"nps_{code}"] = f"Hoe waarschijnlijk beveelt u {name} aan? (0-10)"
        for v in ("kent", "volgt_tw", "volgt_fb", "klant"):
            values[f"{v}_{code}"] = YES_NO
        for q in range(3):
            values[f"loy{q + 1}_{code}"] = AGREE
        values[f"nps_{code}"] = RECOMMEND
        missing[f"nps_{code}"] = [99]
    frame = pd.DataFrame(data)
    return frame, labels, values, missing


def write_sav(
    panel: PanelData, path: str, creation: tuple[str, str] = ("01 Nov 17", "12:00:00")
) -> None:
    """Write the panel as SPSS .sav with variable labels, value labels and missing codes.

    SPSS stores the creation date and time in the file header; they are set to
    ``creation`` so that the same seed gives a byte-identical file.
    """
    pyreadstat.write_sav(
        panel.data,
        path,
        file_label="Consumentenpanel Engagement Benchmark (gesimuleerd)",
        column_labels=panel.column_labels,
        variable_value_labels=panel.value_labels,
        missing_ranges=panel.missing_ranges,
        variable_measure={c: "nominal" for c in ("geslacht", "regio")},
    )
    date, time = creation
    with open(path, "r+b") as f:  # header: date at byte 92 (9 bytes), time at 101 (8 bytes)
        f.seek(92)
        f.write(date.encode("ascii")[:9].ljust(9))
        f.seek(101)
        f.write(time.encode("ascii")[:8].ljust(8))


def _expit(x):
    return 1.0 / (1.0 + np.exp(-x))


# The panel's variable names as the simulator writes them (config/config.yaml maps them).
VARIABLES = {
    "respondent_id": "respnr",
    "knows": "kent_{org}",
    "follows_twitter": "volgt_tw_{org}",
    "follows_facebook": "volgt_fb_{org}",
    "customer": "klant_{org}",
    "loyalty_items": ["loy1_{org}", "loy2_{org}", "loy3_{org}"],
    "recommend": "nps_{org}",
    "age": "leeftijd",
    "gender": "geslacht",
    "education": "opleiding",
    "region": "regio",
    "weight": "weegfactor",
}


def simulated_pairs(orgs: pd.DataFrame, n_respondents: int, seed: int) -> pd.DataFrame:
    """A simulated panel read the way the pipeline reads a delivered one (for recovery studies).

    ``orgs``: one row per organisation with org_id, name, panel_code and follower counts.
    """
    from engbench.panel import measures, to_long

    panel = simulate_panel(orgs, n_respondents, np.random.default_rng(seed))
    data = panel.data.copy()
    for column, codes in panel.missing_ranges.items():  # as SPSS user-missing codes read
        data.loc[data[column].isin(codes), column] = np.nan
    long, _ = to_long(data, VARIABLES, "wide", orgs)
    return measures(long, panel.value_labels, VARIABLES).pairs
