"""Adapter for rule `metrics`: threads → indicators with intervals, engagement index."""

import pandas as pd

from engbench import metrics
from engbench.organisations import brand_followers, read_organisations
from engbench.progress import open_log, step
from engbench.report.tables import safe_csv

log = open_log(snakemake.log[0]).info
p = snakemake.params
messages = pd.read_parquet(snakemake.input.messages)
incoming = pd.read_parquet(snakemake.input.incoming)
accounts = read_organisations(snakemake.input.organisations)
with step(log, f"indicators with {p.n_resamples} bootstrap resamples"):
    table, resamples = metrics.indicators(
        messages,
        incoming,
        brand_followers(accounts),
        p.timezone,
        n_resamples=p.n_resamples,
        seed=p.seed,
        monthly=p.monthly,
        log=log,
    )
table.to_parquet(snakemake.output.indicators, index=False)
# every resample of the edition cells, for the series stage (changes between editions)
metrics.resamples_table(resamples).to_parquet(snakemake.output.resamples, index=False)
league = metrics.engagement_index(table, resamples, dict(p.index_weights))
league = league.merge(
    accounts[["org_id", "name"]].drop_duplicates("org_id"), on="org_id", how="left"
)
league.to_parquet(snakemake.output.league_parquet, index=False)
safe_csv(league, snakemake.output.league)  # a name starting with = stays text in Excel
log("league table:\n" + league[["rank", "rank_lower", "rank_upper", "org_id", "index"]].to_string())
