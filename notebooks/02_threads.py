# %% [markdown]
# # Threads and messages of one organisation
# Read one organisation's conversations: incoming messages, whether and how fast they were answered.
# Authors are pseudonyms; consumers' @-mentions read `@user`.

# %%
import os

from engbench.results import open_edition

ed = open_edition(
    os.environ.get("ENGBENCH_EDITION", "demo-2017"), os.environ.get("ENGBENCH_RESULTS", "results")
)
org = os.environ.get("ENGBENCH_ORG") or ed.league.sort_values("rank")["org_id"].iloc[0]
print("organisation:", org)

# %%
incoming = ed.incoming[ed.incoming["org_id"] == org]
print(incoming.groupby("type")["replied"].agg(["mean", "size"]).round(3).to_string())

# %% [markdown]
# ## A few threads, message by message

# %%
threads = ed.threads
sample = incoming[incoming["replied"]].head(3)["thread_id"]
for thread in sample:
    rows = threads[threads["thread_id"] == thread].sort_values("created_at")
    print(f"--- thread {thread}")
    for r in rows.itertuples():
        who = "ORG " if r.is_org else "    "
        print(f"{r.created_at:%Y-%m-%d %H:%M} {who}{r.kind:9} {str(r.text)[:100]}")
