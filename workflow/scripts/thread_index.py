"""Adapter for rule `thread_index`: message store → shard files of whole threads."""

from engbench.progress import open_log, step
from engbench.shards import write_thread_index

log = open_log(snakemake.log[0]).info
with step(log, f"thread index and {snakemake.params.shards} shards"):
    write_thread_index(snakemake.input.store, snakemake.output.index, snakemake.params.shards, log)
