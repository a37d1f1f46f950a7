"""Adapter for rule `merge_messages`: per-file tables → deduplicated, partitioned store."""

import json

from engbench.ingest.store import merge
from engbench.progress import open_log

log = open_log(snakemake.log[0]).info
summaries = []
for path in snakemake.input.summaries:
    with open(path, encoding="utf-8") as f:
        summaries.append(json.load(f))
table = merge(
    snakemake.input.messages,
    summaries,
    snakemake.output.store,
    snakemake.params.timezone,
    log=log,
)
table.to_csv(snakemake.output.summary, index=False)
totals = table[["read", "kept", "duplicates", "quarantined"]].sum()
log("ingest summary: " + ", ".join(f"{k} {v:,}" for k, v in totals.items()))
