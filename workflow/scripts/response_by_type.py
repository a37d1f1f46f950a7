"""Adapter for rule `response_by_type`: classified incoming + coded sheets → per-type rates."""

import pandas as pd

from engbench.classify.response import edition_response_rates
from engbench.progress import open_log, step

log = open_log(snakemake.log[0]).info
p = snakemake.params
incoming = pd.read_parquet(
    snakemake.input.incoming,
    columns=["org_id", "platform", "message_id", "thread_id", "replied", "censored", "type"],
)
with step(log, f"per-type response rates, raw and corrected ({p.n_resamples} resamples)"):
    table, basis = edition_response_rates(
        incoming,
        list(snakemake.input.sheets),
        list(p.coders),
        p.n_resamples,
        p.seed,
        out_of_fold=pd.read_csv(snakemake.input.out_of_fold, dtype=str),
        method=p.method,
    )
log(basis)
table = table.assign(basis=basis)
table.to_parquet(snakemake.output.parquet, index=False)
table.to_csv(snakemake.output.csv, index=False)
log(table[table["org_id"] == "all"].round(3).to_string(index=False))
