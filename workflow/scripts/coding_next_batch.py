"""Adapter for rule `coding_next_batch`: where the model is least sure → XLSX for coders."""

import pandas as pd

from engbench.classify.adapt import edition_coded
from engbench.classify.coding import draw_uncertain_batch, write_sheet
from engbench.progress import open_log

log = open_log(snakemake.log[0]).info
p = snakemake.params
classified = pd.read_parquet(snakemake.input.classified)
coded = edition_coded(list(snakemake.input.sheets), list(p.coders))
batch = draw_uncertain_batch(classified, p.per_cell, coded, seed=p.seed)
write_sheet(batch, snakemake.output[0], list(p.coders))
log(
    f"{len(batch):,} messages where the model is least sure, {p.per_cell} per organisation × "
    f"platform at most, {len(coded):,} already coded left out"
)
