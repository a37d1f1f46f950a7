"""Adapter for rule `coding_sample`: a stratified sample of incoming messages → XLSX for coders."""

import pandas as pd

from engbench.classify.coding import draw_sample, write_sheet
from engbench.progress import open_log

log = open_log(snakemake.log[0]).info
p = snakemake.params
sample = draw_sample(pd.read_parquet(snakemake.input.incoming), p.per_cell, seed=p.seed)
write_sheet(sample, snakemake.output[0], list(p.coders))
log(f"{len(sample):,} messages to code, {p.per_cell} per organisation × platform at most")
