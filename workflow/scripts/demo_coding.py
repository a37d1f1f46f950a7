"""Adapter for rule `demo_coding`: the demo's coding sample, coded by two simulated coders."""

import pandas as pd

from engbench.classify.coding import write_sheet
from engbench.progress import open_log
from engbench.simulate.coding import code_sample

log = open_log(snakemake.log[0]).info
coders = list(snakemake.params.coders)
sample = pd.read_excel(snakemake.input.sample, sheet_name="coding", dtype=str)
coded = code_sample(
    sample, pd.read_parquet(snakemake.input.truth), coders, seed=snakemake.params.seed
)
write_sheet(coded, snakemake.output[0], coders)
resolved = int((coded["resolved"] != "").sum())
log(f"{len(coded):,} messages coded by {', '.join(coders)}; {resolved} disagreements resolved")
