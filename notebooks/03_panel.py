# %% [markdown]
# # The consumer panel: loyalty and following
# Followers are more loyal — an association, not an effect (loyal customers choose to follow).
# An edition without a panel has nothing to show here: each cell says so and does nothing.

# %%
import os

from engbench.results import open_edition

ed = open_edition(
    os.environ.get("ENGBENCH_EDITION", "demo-2017"), os.environ.get("ENGBENCH_RESULTS", "results")
)
if not ed.has_panel:
    print(f"{ed.folder.name} has no consumer panel: no loyalty results to show")

# %%
if ed.has_panel:
    panel = ed.panel
    respondents = panel["respondent_id"].nunique()
    print(f"{respondents:,} respondents, {len(panel):,} respondent × organisation pairs")
    print(panel.groupby("follows")["loyalty"].describe().round(2).to_string())

# %% [markdown]
# ## The models

# %%
if ed.has_panel:
    coefficients = ed.coefficients
    print(
        coefficients[coefficients["term"].str.contains("follows")].round(3).to_string(index=False)
    )
    for name, spec in ed.models.items():
        print(f"{name}: {spec['formula']} | weights: {spec['weights']} | errors: {spec['errors']}")
