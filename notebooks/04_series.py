# %% [markdown]
# # A series of editions: what changed, with intervals
# Opens a series (`ENGBENCH_SERIES`, default `demo`, under `ENGBENCH_RESULTS`/series/):
# the editions, whether they were computed with the same definitions, the changes with
# their 95% intervals, the entrants and leavers, and one organisation's trajectory over
# the editions. Run the series first: `snakemake --cores 8 --configfile config/demo-series.yaml`.

# %%
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown, display

from engbench import series
from engbench.results import open_series

# %matplotlib inline
pd.set_option("display.precision", 3)
s = open_series()
display(Markdown(f"Series **{s.folder.name}**: editions {', '.join(s.editions)}."))
for pair, notes in s.comparability["accepted"].items():
    said = "; ".join(notes) if notes else "same definitions"
    display(Markdown(f"- {pair}: {said}"))

# %% [markdown]
# ## Entrants and leavers

# %%
display(s.entrants_leavers)

# %% [markdown]
# ## Edition-wide change: like-for-like and full editions (all platforms)

# %%
wide = s.edition_wide
headline = wide[(wide["platform"] == "all") & wide["indicator"].isin(series.HEADLINE)]
display(headline.pivot_table(index="indicator", columns="set", values=["change", "lower", "upper"]))

# %% [markdown]
# ## Organisations whose response rate clearly changed (95% interval excludes 0)

# %%
rates = s.changes[(s.changes["indicator"] == "response_rate") & (s.changes["org_id"] != "all")]
rates = rates.assign(verdict=series.verdict(rates))
display(rates[rates["verdict"] != "no clear change"].sort_values("change"))

# %% [markdown]
# ## One organisation's trajectory

# %%
org = s.trends.query("org_id != 'all'")["org_id"].iloc[0]
path = s.trajectory(org).loc["response_rate"]
fig, ax = plt.subplots(figsize=(4, 2.5))
ax.errorbar(
    path.index,
    path["estimate"],
    yerr=[path["estimate"] - path["lower"], path["upper"] - path["estimate"]],
    fmt="o-",
)
ax.set_title(f"{org}: response rate over the editions (95% intervals)")
ax.set_ylabel("response rate")
plt.show()
