# %% [markdown]
# # Webcare metrics of an edition
# The league table, response rates (per message type too), response times and the dialogue
# share of one edition, each with its 95% interval: the numbers and figures of the report,
# here as tables to sort, filter and plot further.
#
# The edition is `ENGBENCH_EDITION` (default `demo-2017`) in `ENGBENCH_RESULTS` (default: the
# checkout's `results/` folder); set them before starting Jupyter (`notebooks/README.md`).

# %%
import pandas as pd
from IPython.display import display

from engbench.report import figures
from engbench.report.text import TEXT
from engbench.results import open_edition

# %matplotlib inline
pd.set_option("display.precision", 3)
text = TEXT["en"]
ed = open_edition()
print(f"edition {ed.folder.name} in {ed.folder.parent}")

# %% [markdown]
# ## The league table
# Engagement index per organisation with its interval, and the interval of each rank
# (bootstrap). Organisations whose rank intervals overlap cannot be told apart.

# %%
league = ed.league.sort_values("rank")
display(
    league[["rank", "rank_lower", "rank_upper", "org_id", "index", "index_lower", "index_upper"]]
)
figure = figures.league_table(ed.league, {}, text)

# %% [markdown]
# ## Response rate per message type: webcare or webcure?
# By the classifier's predicted type (the report corrects these for its known errors:
# `metrics/response_rates_by_type.csv`).

# %%
edition = ed.indicators[
    (ed.indicators["period"] == "edition") & (ed.indicators["platform"] == "all")
]
rates = edition[edition["indicator"].str.startswith("response_rate")]
display(rates.pivot_table(index="org_id", columns="indicator", values="estimate"))
figure = figures.response_by_type(ed.indicators, {}, text)

# %% [markdown]
# ## Response times
# Hours to the first response (median and 90th percentile of the answered messages), around
# the clock and counting webcare hours only; the figure shows the spread in webcare hours.

# %%
times = edition[edition["indicator"].str.startswith("response_time")]
hours = times.pivot_table(index="org_id", columns="indicator", values="estimate") / 3600
display(hours.round(1))
figure = figures.response_times(ed.incoming, {}, text)

# %% [markdown]
# ## Dialogue or broadcast
# The share of each organisation's own messages that are replies.

# %%
figure = figures.dialogue_share(ed.indicators, {}, text)

# %% [markdown]
# ## Over the months
# All organisations together: the response rate with its interval, and the volumes.

# %%
monthly = ed.indicators[
    (ed.indicators["indicator"] == "response_rate")
    & (ed.indicators["org_id"] == "all")
    & (ed.indicators["platform"] == "all")
    & (ed.indicators["period"] != "edition")
]
display(monthly[["period", "estimate", "lower", "upper", "n"]].set_index("period"))
figure = figures.monthly_volumes(ed.indicators, text)
