"""Adapter for rule `threads`: the shards' tables gathered in store order, counts summed."""

import json

from engbench.progress import open_log, step
from engbench.shards import PAIR, ROW, gather, sum_counts

log = open_log(snakemake.log[0]).info
inp, out = snakemake.input, snakemake.output
with step(log, f"gathering {len(inp.messages)} shards"):
    gather(inp.messages, out.messages, [ROW])
    gather(inp.incoming, out.incoming, [ROW, PAIR])
counts = sum_counts(inp.counts)
with open(out.counts, "w", encoding="utf-8") as f:
    json.dump(counts, f, indent=2, sort_keys=True)
log(f"counts: {counts}")
