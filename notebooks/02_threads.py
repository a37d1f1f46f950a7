# %% [markdown]
# # Threads and messages of one organisation
# Read one organisation's conversations: its incoming messages by type, whether and how fast
# they were answered, and a few threads message by message. Authors are pseudonyms;
# consumers' @-mentions read `@user`. With a real edition the outputs of this notebook hold
# the archived texts: keep its `.ipynb` to yourself (git ignores it).
#
# The organisation is `ENGBENCH_ORG` (default: the first of the league table); the edition
# `ENGBENCH_EDITION` in `ENGBENCH_RESULTS` (`notebooks/README.md`).

# %%
import os

import pandas as pd
from IPython.display import Markdown, display

from engbench.results import open_edition

pd.set_option("display.precision", 3)
pd.set_option("display.max_colwidth", 160)
ed = open_edition()
org = os.environ.get("ENGBENCH_ORG") or ed.league.sort_values("rank")["org_id"].iloc[0]
print(f"edition {ed.folder.name}, organisation {org}")

# %% [markdown]
# ## Incoming messages by type
# How many of each type, the share answered, and the median hours to the answer.

# %%
incoming = ed.incoming[ed.incoming["org_id"] == org]
incoming.groupby("type").agg(
    messages=("replied", "size"),
    answered=("replied", "mean"),
    median_hours=("response_seconds", lambda s: s.median() / 3600),
)

# %% [markdown]
# ## A few answered threads, message by message

# %%
threads = ed.threads
for thread in incoming.loc[incoming["replied"], "thread_id"].drop_duplicates().head(3):
    rows = threads[threads["thread_id"] == thread].sort_values("created_at")
    display(Markdown(f"**Thread {thread}**"))
    display(rows[["created_at", "author_id", "is_org", "kind", "text"]].set_index("created_at"))

# %% [markdown]
# ## Unanswered complaints
# The newest incoming complaints that got no response within the answer window.

# %%
unanswered = incoming[~incoming["replied"] & (incoming["type"] == "complaint")]
texts = threads.drop_duplicates("message_id").set_index("message_id")["text"]
unanswered.assign(text=unanswered["message_id"].map(texts)).sort_values(
    "created_at", ascending=False
)[["created_at", "message_id", "text"]].head(10)
