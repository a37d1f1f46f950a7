"""Adapter for rule `robustness`: threads tables → the headline figures under the alternatives."""

import pandas as pd

from engbench import robustness, threads
from engbench.progress import open_log, step

log = open_log(snakemake.log[0]).info
p = snakemake.params
with step(log, "reading the threads stage's messages and incoming pairs"):
    messages = pd.read_parquet(snakemake.input.messages, columns=threads.RESPONSE_COLUMNS)
    incoming = pd.read_parquet(snakemake.input.incoming, columns=robustness.INCOMING_COLUMNS)
with step(log, f"headline figures under the alternatives for {len(incoming):,} pairs"):
    table = robustness.table(
        messages,
        incoming,
        definition=p.definition,
        answer_window_days=p.answer_window_days,
        timezone=p.timezone,
        period_end=p.period_end,
    )
table.to_csv(snakemake.output.table, index=False)
log(table.to_string())
