"""Adapter for rule `series_demo_validation`: series changes vs the simulated truth."""

import json

import pandas as pd

from engbench import series
from engbench.progress import open_log

log = open_log(snakemake.log[0]).info
changes = pd.read_csv(snakemake.input.changes)
moves = pd.read_csv(snakemake.input.entrants_leavers)
found = {}
for edition, path in zip(snakemake.params.editions, snakemake.input.truth, strict=True):
    with open(path, encoding="utf-8") as f:
        truth = json.load(f)["settings"]["follow_up"]
    found[edition] = series.follow_up_validation(changes, moves, truth, edition)
with open(snakemake.output[0], "w", encoding="utf-8") as f:
    json.dump(found, f, indent=2, sort_keys=True)
    f.write("\n")
log(json.dumps(found, indent=2, sort_keys=True))
