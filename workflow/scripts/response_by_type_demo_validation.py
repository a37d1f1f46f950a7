"""Adapter for rule `response_by_type_demo_validation`: corrected rates against the truth."""

import json

import pandas as pd

from engbench.classify.demo import validate_response_rates
from engbench.progress import open_log

log = open_log(snakemake.log[0]).info
table, summary = validate_response_rates(
    pd.read_parquet(snakemake.input.rates),
    pd.read_parquet(
        snakemake.input.incoming,
        columns=["org_id", "platform", "message_id", "replied", "censored"],
    ),
    pd.read_parquet(snakemake.input.truth),
)
table.to_csv(snakemake.output.table, index=False)
with open(snakemake.output.summary, "w", encoding="utf-8") as f:
    json.dump(summary, f, indent=2)
log(json.dumps(summary, indent=2))
