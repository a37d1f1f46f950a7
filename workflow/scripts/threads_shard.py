"""Adapter for rule `threads_shard`: one shard → its threads, incoming pairs, responses."""

from pathlib import Path

from engbench.config import parse_webcare_hours
from engbench.progress import open_log, step
from engbench.shards import derive_shard, read_shard, shard_path, write_shard

log = open_log(snakemake.log[0]).info
p = snakemake.params
shard = int(snakemake.wildcards.shard)
path = shard_path(snakemake.input.index, shard)
with step(log, f"reading shard {shard} ({Path(path).name})"):
    messages = read_shard(path)
with step(log, f"threads and responses for {len(messages):,} messages"):
    result = derive_shard(
        messages,
        answer_window_days=p.answer_window_days,
        webcare_hours=parse_webcare_hours(p.webcare_hours),
        timezone=p.timezone,
        period_end=p.period_end,
        definition=p.definition,
    )
write_shard(result, snakemake.output.messages, snakemake.output.incoming, snakemake.output.counts)
log(f"counts: {result.counts}")
