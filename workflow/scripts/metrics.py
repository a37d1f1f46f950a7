"""Adapter for rule `metrics`: the parts' indicators and resamples → one table of each and
the engagement index."""

import pandas as pd

from engbench import metrics
from engbench.organisations import read_organisations
from engbench.progress import open_log, step
from engbench.report.tables import safe_csv

log = open_log(snakemake.log[0]).info
inp, out = snakemake.input, snakemake.output
with step(log, f"combining {len(inp.indicators)} parts and the engagement index"):
    table, resamples, league = metrics.combine(
        [pd.read_parquet(path) for path in inp.indicators],
        [pd.read_parquet(path) for path in inp.resamples],
        dict(snakemake.params.index_weights),
    )
accounts = read_organisations(inp.organisations)
league = league.merge(
    accounts[["org_id", "name"]].drop_duplicates("org_id"), on="org_id", how="left"
)
table.to_parquet(out.indicators, index=False)
resamples.to_parquet(out.resamples, index=False)
league.to_parquet(out.league_parquet, index=False)
safe_csv(league, out.league)  # a name starting with = stays text in Excel
log("league table:\n" + league[["rank", "rank_lower", "rank_upper", "org_id", "index"]].to_string())
