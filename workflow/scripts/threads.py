"""Adapter for rule `threads`: message store → threads, kinds, incoming pairs, responses."""

import json

from engbench import threads
from engbench.config import parse_webcare_hours
from engbench.ingest.store import read_store
from engbench.progress import open_log, step

log = open_log(snakemake.log[0]).info
p = snakemake.params
with step(log, "reading the message store"):
    store = read_store(snakemake.input.store).drop(columns=["org", "month"])
with step(log, f"threads and responses for {len(store):,} messages"):
    result = threads.derive(
        store,
        answer_window_days=p.answer_window_days,
        webcare_hours=parse_webcare_hours(p.webcare_hours),
        timezone=p.timezone,
        period_end=p.period_end,
    )
result.messages.to_parquet(snakemake.output.messages, index=False)
result.incoming.to_parquet(snakemake.output.incoming, index=False)
with open(snakemake.output.counts, "w", encoding="utf-8") as f:
    json.dump(result.counts, f, indent=2, sort_keys=True)
log(f"counts: {result.counts}")
