"""Loyalty versus following: the models a reviewer expects, with their uncertainty.

All models use one row per respondent × organisation of ``panel/analysis.parquet``,
which holds the variables the models derive (``DERIVED``: age in decades, the centred
organisation measures) and its categoricals ordered with the reference level first, so
that each formula in ``models/models.json`` refits on that table as it is. Following is an
*association* with loyalty, not an effect: loyal customers choose to follow
(John et al. 2017, J. Marketing Research). The controls and the propensity
weighting adjust for observed differences only.

  ols_fe             loyalty ~ follows + customer + age_decades + gender + education + region
                     + organisation fixed effects; survey-weighted (WLS); standard errors
                     clustered by respondent (CR1 sandwich, statsmodels)
  ordered_logit      the first loyalty item (1–7), same terms (unweighted; statsmodels'
                     OrderedModel has no weights)
  logit_promoter     promoter (recommend 9–10) ~ same terms; survey weights as variance
                     weights, standard errors clustered by respondent
  mixed              loyalty ~ same terms, random intercept per respondent (unweighted)
  platforms          follows split into follows_twitter + follows_facebook
  cross_level        ols_fe + follows × organisation dialogue share and × response rate
                     (both centred): does the follower gap grow with dialogue?
  ipw                loyalty ~ follows + organisation fixed effects, weighted by survey
                     weight × inverse propensity of following (logit on the controls and
                     the organisation; ATE weights, trimmed at the 1st/99th percentile)
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np
import pandas as pd
import patsy
import statsmodels.formula.api as smf
from statsmodels.miscmodels.ordinal_model import OrderedModel
from statsmodels.tools.sm_exceptions import ConvergenceWarning, PerfectSeparationError

CONTROLS = "customer + age_decades + C(gender) + C(education) + C(region)"
# The variables the models derive, added to the analysis table with these definitions.
AGE_CENTRE = 45
DERIVED = {
    "age_decades": f"(age - {AGE_CENTRE}) / 10",
    "dialogue_c": "org_dialogue_share - mean of org_dialogue_share over the table's pairs",
    "response_c": "org_response_rate - mean of org_response_rate over the table's pairs",
}
# Categoricals: levels ordered by frequency over the table's pairs (ties by name), so the
# reference level (the first, left out of the dummies) is the most common one.
CATEGORICALS = ("gender", "education", "region")
COMPLETE_CASES = ["loyalty", "follows", "customer", "age_decades", *CATEGORICALS]
COLUMNS = [
    "model",
    "term",
    "estimate",
    "std_error",
    "ci_low",
    "ci_high",
    "p_value",
    "n_respondents",
    "n_pairs",
]


class ModelsError(ValueError):
    """The analysis table cannot carry the models; the message says which column and why."""


NEEDED = ["loyalty", "follows", "customer", "age", "gender", "education", "region"]


def derive(analysis: pd.DataFrame) -> pd.DataFrame:
    """The analysis table with the models' variables (``DERIVED``) and its categoricals
    ordered reference level first. Deterministic: applied again it changes nothing."""
    data = analysis.copy()
    data["age_decades"] = (data["age"].astype(float) - AGE_CENTRE) / 10
    if "org_dialogue_share" in data:
        data["dialogue_c"] = data["org_dialogue_share"] - data["org_dialogue_share"].mean()
        data["response_c"] = data["org_response_rate"] - data["org_response_rate"].mean()
    for column in CATEGORICALS:
        text = data[column].astype(object).map(lambda v: v if pd.isna(v) else str(v))
        counts = text.value_counts()
        order = sorted(counts.index, key=lambda level, c=counts: (-c[level], level))
        data[column] = pd.Categorical(text, categories=order)
    return data


def prepare(analysis: pd.DataFrame, log: Callable[[str], object] = lambda _: None) -> pd.DataFrame:
    """Complete cases for the models (``COMPLETE_CASES``) of the derived analysis table.

    Pairs left out for a missing value are counted in the log, per variable. ModelsError
    when a variable is absent or not numeric, when weights are not positive, or when the
    complete pairs cannot identify the models (too few, or no variation).
    """
    absent = [c for c in [*NEEDED, "respondent_id", "org_id"] if c not in analysis]
    if absent:
        raise ModelsError(
            f"the analysis table has no column(s) {', '.join(absent)}; the models need "
            f"{', '.join(NEEDED)} (map age, gender, education and region in panel.variables)"
        )
    for column in ("loyalty", "follows", "customer", "age", "weight"):
        if column in analysis and not pd.api.types.is_numeric_dtype(analysis[column]):
            text = analysis[column].dropna().astype(str).unique()[:3]
            raise ModelsError(
                f"column {column}: stored as text (e.g. {', '.join(map(repr, text))}); "
                "expected numbers"
            )
    missing = {c: int(analysis[c].isna().sum()) for c in NEEDED if analysis[c].isna().any()}
    data = derive(analysis).dropna(subset=COMPLETE_CASES)
    if missing:
        log(
            f"{len(analysis) - len(data):,} of {len(analysis):,} pairs left out of the models "
            "for a missing value: " + ", ".join(f"{c} {n:,}" for c, n in missing.items())
        )
    if "weight" not in data:
        data["weight"] = 1.0
    weights = data["weight"].astype(float)
    if not (np.isfinite(weights) & (weights > 0)).all():
        bad = weights[~(np.isfinite(weights) & (weights > 0))]
        raise ModelsError(
            f"column weight: {len(bad):,} pair(s) with weight {sorted(set(bad.astype(str)))[:5]}; "
            "expected a positive weight for every respondent"
        )
    for column in ("follows", "follows_twitter", "follows_facebook", "customer"):
        if column in data:
            data[column] = data[column].astype(float)
    for column in CATEGORICALS:
        data[column] = data[column].cat.remove_unused_categories()
    _check_identified(data)
    return data.reset_index(drop=True)


def _check_identified(data: pd.DataFrame) -> None:
    """Enough complete pairs, and both values of what the models compare."""
    respondents = data["respondent_id"].nunique()
    if respondents < 10:
        raise ModelsError(
            f"{len(data):,} complete pairs of {respondents:,} respondents; the models need at "
            "least 10 respondents with loyalty, following, customer, age, gender, education "
            "and region answered"
        )
    for column, what in (("follows", "follows"), ("loyalty", "loyalty")):
        values = data[column].dropna().unique()
        if len(values) < 2:
            raise ModelsError(
                f"column {column}: every one of the {len(data):,} complete pairs has "
                f"{what} = {values[0] if len(values) else 'nothing'}; the models need "
                f"variation in {what} (followers and non-followers, different loyalty)"
            )
    terms = patsy.dmatrix(f"follows + {CONTROLS} + C(org_id)", data, return_type="dataframe")
    if len(data) <= terms.shape[1] + 1:
        raise ModelsError(
            f"{len(data):,} complete pairs for {terms.shape[1]} coefficients; the models need "
            "more pairs than coefficients"
        )


def _specification(data: pd.DataFrame, formula: str, **spec) -> dict:
    """What models.json says of a model: enough to refit it on panel/analysis.parquet."""
    terms = formula + " " + spec.get("propensity", "")  # ipw's propensity model too
    used = [name for name in DERIVED if name in terms]
    factors = [c for c in (*CATEGORICALS, "org_id") if f"C({c})" in terms]
    references = {
        c: str(data[c].cat.categories[0]) if c in CATEGORICALS else str(min(data[c]))
        for c in factors
    }
    return {
        "formula": formula,
        "data": "panel/analysis.parquet",
        "complete_cases": spec.pop("complete_cases", COMPLETE_CASES),
        "derived": {name: DERIVED[name] for name in used},
        "reference_levels": references,
        **spec,
    }


def ols_formula(terms: str = "follows") -> str:
    """The formula of ``ols_fe`` (and of ``platforms`` and ``cross_level``, with their
    terms): loyalty on the terms, the controls and organisation fixed effects."""
    return f"loyalty ~ {terms} + {CONTROLS} + C(org_id)"


def ols_fe(data: pd.DataFrame, terms: str = "follows", complete_cases=None):
    formula = ols_formula(terms)
    fit = smf.wls(formula, data, weights=data["weight"]).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(data["respondent_id"])[0]}
    )
    return fit, _specification(
        data,
        formula,
        complete_cases=complete_cases or COMPLETE_CASES,
        estimator="WLS (statsmodels.formula.api.wls)",
        weights="weight",
        cluster="respondent_id",
        cov_type="cluster",
        errors="clustered by respondent (CR1: statsmodels' default small-sample correction)",
    )


def fit_all(
    data: pd.DataFrame, log: Callable[[str], object] = lambda _: None
) -> tuple[pd.DataFrame, dict]:
    """Fit every model (``MODELS``); return the coefficient table and the models' descriptions."""
    rows, described = [], {}
    for name, (fit_model, reported) in _models(data).items():
        fit, spec = _fitted(name, fit_model, data)
        table = _coefficients(fit, reported)
        table.insert(0, "model", name)
        # the model's own rows: its complete cases (ordered_logit and logit_promoter need
        # an answer more, so they may have fewer respondents than the others)
        own = data.dropna(subset=spec["complete_cases"])
        table["n_respondents"] = own["respondent_id"].nunique()
        table["n_pairs"] = int(fit.nobs)
        rows.append(table)
        described[name] = {**spec, "fit": _fit_statistics(fit)}
        log(
            f"{name}: "
            + ", ".join(
                f"{t} {e:.3f}" for t, e in zip(table["term"], table["estimate"], strict=True)
            )
        )
    return _in_model_order(pd.concat(rows, ignore_index=True)[COLUMNS]), described


def _models(data: pd.DataFrame) -> dict[str, tuple[Callable[[], tuple], Callable[[str], bool]]]:
    """Name → (fit the model: (fit, specification), which of its terms the table reports), in
    the order of ``MODELS``; ``cross_level`` only when the organisation measures are there."""
    models = {
        "ols_fe": (lambda: ols_fe(data), _reported),
        "ordered_logit": (lambda: ordered_logit(data), lambda t: _reported(t) and "/" not in t),
        "logit_promoter": (lambda: logit_promoter(data), _reported),
        "mixed": (lambda: mixed(data), lambda t: _reported(t) and t != "Group Var"),
        "platforms": (
            lambda: ols_fe(
                data,
                "follows_twitter + follows_facebook",
                [*COMPLETE_CASES, "follows_twitter", "follows_facebook"],
            ),
            _reported,
        ),
    }
    if "dialogue_c" in data and data["dialogue_c"].notna().all():
        models["cross_level"] = (
            lambda: ols_fe(
                data,
                "follows + follows:dialogue_c + follows:response_c",
                [*COMPLETE_CASES, "dialogue_c", "response_c"],
            ),
            _reported,
        )
    models["ipw"] = (lambda: ipw(data), _reported)
    return models


def _reported(term: str) -> bool:
    """The coefficient table leaves out the organisation fixed effects."""
    return not term.startswith("C(org_id)")


def _fitted(name: str, fit_model: Callable[[], tuple], data: pd.DataFrame) -> tuple:
    """Run one model's fit; a numerical failure becomes a ModelsError naming the model."""
    try:
        return fit_model()
    except (np.linalg.LinAlgError, ValueError, PerfectSeparationError) as error:
        raise ModelsError(
            f"model {name}: could not be fitted on {len(data):,} pairs of "
            f"{data['respondent_id'].nunique():,} respondents ({type(error).__name__}: "
            f"{error}); check the panel for a constant or perfectly predicting variable"
        ) from None


def _in_model_order(table: pd.DataFrame) -> pd.DataFrame:
    """Rows by model (``MODELS``), then following terms, customer and age, the rest."""
    rank = table["term"].map(
        lambda t: 0 if "follows" in t else 1 if t in ("customer", "age_decades") else 2
    )
    table = table.assign(_rank=rank, _order=range(len(table)))
    table = table.sort_values(
        ["model", "_rank", "_order"], key=lambda c: c.map(_MODEL_ORDER) if c.name == "model" else c
    )
    return table.drop(columns=["_rank", "_order"]).reset_index(drop=True)


MODELS = ("ols_fe", "ordered_logit", "logit_promoter", "mixed", "platforms", "cross_level", "ipw")
_MODEL_ORDER = {name: i for i, name in enumerate(MODELS)}


def ordered_logit(data: pd.DataFrame):
    """The first loyalty item (1–7) as an ordered logit, unweighted (OrderedModel has no
    weights)."""
    item = data.dropna(subset=["loyalty_1"]).reset_index(drop=True)
    formula = f"loyalty_1 ~ follows + {CONTROLS} + C(org_id)"
    design = patsy.dmatrix(formula.split("~", 1)[1], item, return_type="dataframe").drop(
        columns="Intercept"
    )
    outcome = pd.Series(pd.Categorical(item["loyalty_1"].astype(int), ordered=True))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        fit = OrderedModel(outcome, design, distr="logit").fit(
            method="bfgs", disp=False, maxiter=1000
        )
    return fit, _specification(
        item,
        formula,
        complete_cases=[*COMPLETE_CASES, "loyalty_1"],
        estimator="OrderedModel, logit (thresholds instead of an intercept; the design is "
        "the formula's right-hand side without its intercept)",
        weights=None,
        cluster=None,
        cov_type="nonrobust",
        errors="nonrobust (MLE)",
    )


def logit_promoter(data: pd.DataFrame):
    """Promoter (recommend 9–10) as a logit; survey weights as variance weights, standard
    errors clustered by respondent."""
    import statsmodels.api as sm

    promoter = data.dropna(subset=["promoter"])
    formula = f"promoter ~ follows + {CONTROLS} + C(org_id)"
    fit = smf.glm(
        formula, promoter, family=sm.families.Binomial(), var_weights=promoter["weight"]
    ).fit(cov_type="cluster", cov_kwds={"groups": pd.factorize(promoter["respondent_id"])[0]})
    return fit, _specification(
        promoter,
        formula,
        complete_cases=[*COMPLETE_CASES, "promoter"],
        estimator="GLM binomial, logit link; weights as variance weights (var_weights)",
        weights="weight",
        cluster="respondent_id",
        cov_type="cluster",
        errors="clustered by respondent",
    )


def mixed(data: pd.DataFrame):
    """Loyalty with a random intercept per respondent (REML, unweighted)."""
    formula = f"loyalty ~ follows + {CONTROLS} + C(org_id)"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        fit = smf.mixedlm(formula, data, groups=data["respondent_id"]).fit(reml=True)
    return fit, _specification(
        data,
        formula,
        estimator="MixedLM (REML), random intercept per respondent: "
        "loyalty ~ … + (1 | respondent_id)",
        groups="respondent_id",
        weights=None,
        cluster=None,
        cov_type="model-based",
        errors="model-based (REML)",
    )


def ipw(data: pd.DataFrame):
    """Inverse-propensity weighting of following on the controls and the organisation."""
    import statsmodels.api as sm

    propensity = smf.glm(
        f"follows ~ {CONTROLS} + C(org_id)", data, family=sm.families.Binomial()
    ).fit()
    p = np.clip(propensity.predict(data), 1e-3, 1 - 1e-3)
    treated = data["follows"] == 1
    share = treated.mean()
    w = np.where(treated, share / p, (1 - share) / (1 - p))  # stabilised ATE weights
    low, high = np.percentile(w, [1, 99])
    weights = np.clip(w, low, high) * data["weight"]
    formula = "loyalty ~ follows + C(org_id)"
    fit = smf.wls(formula, data, weights=weights).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(data["respondent_id"])[0]}
    )
    return fit, _specification(
        data,
        formula,
        estimator="WLS (statsmodels.formula.api.wls)",
        weights="weight",
        weights_multiplied_by="stabilised inverse propensity of following (share / p for "
        "followers, (1 - share) / (1 - p) for the others; p clipped to [0.001, 0.999]), "
        "trimmed at its 1st and 99th percentile",
        propensity=f"GLM binomial (logit), unweighted: follows ~ {CONTROLS} + C(org_id)",
        cluster="respondent_id",
        cov_type="cluster",
        errors="clustered by respondent",
    )


def _coefficients(fit, keep) -> pd.DataFrame:
    params = fit.params
    bse = fit.bse
    ci = fit.conf_int()
    pvalues = fit.pvalues
    names = [n for n in params.index if keep(n) and n != "Intercept"]
    return pd.DataFrame(
        {
            "term": names,
            "estimate": params[names].to_numpy(float),
            "std_error": bse[names].to_numpy(float),
            "ci_low": ci.loc[names].iloc[:, 0].to_numpy(float),
            "ci_high": ci.loc[names].iloc[:, 1].to_numpy(float),
            "p_value": pvalues[names].to_numpy(float),
        }
    )


def _fit_statistics(fit) -> dict:
    out = {"nobs": int(fit.nobs)}
    for name in ("rsquared", "rsquared_adj", "aic", "bic", "llf", "prsquared"):
        value = getattr(fit, name, None)
        if isinstance(value, int | float | np.floating):
            out[name] = float(value)
    return out
