# %% [markdown]
# # Webcare metrics of an edition
# Response rates, response times, dialogue share and the league table, with their 95% intervals.
# Set `ENGBENCH_EDITION` (default `demo-2017`) and `ENGBENCH_RESULTS` (default `results`).

# %%
import os

from engbench.results import open_edition

ed = open_edition(
    os.environ.get("ENGBENCH_EDITION", "demo-2017"), os.environ.get("ENGBENCH_RESULTS", "results")
)

# %% [markdown]
# ## The league table: engagement index and the interval of each rank

# %%
print(
    ed.league[
        ["rank", "rank_lower", "rank_upper", "org_id", "index", "index_lower", "index_upper"]
    ].to_string()
)

# %% [markdown]
# ## Response rate per message type (webcare or webcure?)

# %%
rates = ed.indicators[
    (ed.indicators["period"] == "edition")
    & (ed.indicators["platform"] == "all")
    & ed.indicators["indicator"].str.startswith("response_rate")
]
print(
    rates.pivot_table(index="org_id", columns="indicator", values="estimate").round(3).to_string()
)

# %% [markdown]
# ## One indicator over the months

# %%
monthly = ed.indicators[
    (ed.indicators["indicator"] == "response_rate") & (ed.indicators["org_id"] == "all")
]
print(
    monthly[monthly["platform"] == "all"][["period", "estimate", "lower", "upper", "n"]].to_string(
        index=False
    )
)
