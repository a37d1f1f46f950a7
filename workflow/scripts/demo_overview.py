"""Adapter for rule `demo_overview`: simulated truth → counts table and volume figure."""

import pandas as pd

from engbench.progress import open_log
from engbench.simulate.overview import simulated_counts, volume_figure

log = open_log(snakemake.log[0]).info
messages = pd.read_parquet(snakemake.input.messages)
simulated_counts(messages).to_csv(snakemake.output.counts, index=False)
figure = volume_figure(messages, snakemake.params.timezone)
figure.savefig(snakemake.output.figure, dpi=150, metadata={"Software": None})
log(f"{len(messages):,} simulated messages summarised")
