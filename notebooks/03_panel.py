# %% [markdown]
# # The consumer panel: loyalty and following
# Followers are more loyal: an association, not an effect (loyal customers choose to follow).
# The panel's respondents, loyalty of followers and non-followers per organisation, the
# loyalty models, and one model refitted from its specification in `models/models.json`.
#
# An edition without a consumer panel has nothing to show here: the first cell says so and
# the others do nothing. The edition is `ENGBENCH_EDITION` in `ENGBENCH_RESULTS`
# (`notebooks/README.md`).

# %%
import pandas as pd
import statsmodels.formula.api as smf
from IPython.display import Markdown, display

from engbench.report import figures
from engbench.report.text import TEXT
from engbench.results import open_edition

# %matplotlib inline
pd.set_option("display.precision", 3)
text = TEXT["en"]
ed = open_edition()
if ed.has_panel:
    panel = ed.panel
    display(
        Markdown(
            f"Edition {ed.folder.name}: {panel['respondent_id'].nunique():,} respondents, "
            f"{len(panel):,} respondent × organisation pairs."
        )
    )
else:
    display(
        Markdown(
            f"**Edition {ed.folder.name} has no consumer panel**: no loyalty results to show. "
            "The webcare results are in `01_metrics` and `02_threads`."
        )
    )

# %% [markdown]
# ## Loyalty of followers and non-followers
# Unweighted over all pairs, then weighted per organisation with 95% intervals.

# %%
if ed.has_panel:
    display(panel.groupby("follows")["loyalty"].describe())
    figure = figures.loyalty_gap(ed.descriptives, {}, text)

# %% [markdown]
# ## The models
# The coefficients of following in each model (the logits are in `models/coefficients.csv`
# too), and each model's specification.

# %%
if ed.has_panel:
    coefficients = ed.coefficients
    display(coefficients[coefficients["term"].str.contains("follows")].set_index("model"))
    figure = figures.coefficients(coefficients, text)
    specifications = pd.DataFrame.from_dict(ed.models, orient="index")
    with pd.option_context("display.max_colwidth", None):
        display(specifications.reindex(columns=["formula", "weights", "cluster", "errors"]))

# %% [markdown]
# ## Refit a model from its specification
# `models.json` holds everything needed to refit a model on `panel/analysis.parquet` as it
# is (`docs/panel.md`); here the fixed-effects model, compared with `coefficients.csv`.

# %%
if ed.has_panel and "ols_fe" in ed.models:
    spec = ed.models["ols_fe"]
    data = panel.dropna(subset=spec["complete_cases"])
    weights = data[spec["weights"]] if spec["weights"] else None
    fit = smf.wls(spec["formula"], data, weights=1.0 if weights is None else weights).fit(
        cov_type=spec["cov_type"],
        cov_kwds={"groups": pd.factorize(data[spec["cluster"]])[0]} if spec["cluster"] else {},
    )
    published = coefficients[coefficients["model"] == "ols_fe"].set_index("term")
    refit = pd.DataFrame({"estimate": fit.params, "std_error": fit.bse})
    compared = refit.merge(
        published[["estimate", "std_error"]],
        left_index=True,
        right_index=True,
        suffixes=("", "_published"),
    )
    display(compared.filter(regex="follows|customer|age", axis=0))
