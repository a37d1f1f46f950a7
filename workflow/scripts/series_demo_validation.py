"""Adapter for rule `series_demo_validation`: series changes vs the simulated truth."""

import json

import pandas as pd

from engbench import series
from engbench.progress import open_log

log = open_log(snakemake.log[0]).info
changes = pd.read_csv(snakemake.input.changes)
moves = pd.read_csv(snakemake.input.entrants_leavers)
wide = pd.read_csv(snakemake.input.edition_wide)
realised, mixes = {}, {}
for edition, path_from, path_to, (a, b) in zip(
    snakemake.params.with_truth,
    snakemake.input.incoming_from,
    snakemake.input.incoming_to,
    snakemake.params.definitions,
    strict=True,
):
    truth_from, truth_to = (
        series.true_indicators(
            pd.read_parquet(path), d["answer_window_days"], d["period"]["end"], d["timezone"]
        )
        for path, d in ((path_from, a), (path_to, b))
    )
    realised[edition] = series.true_changes(truth_from, truth_to)
    mixes[edition] = series.rate_mix_effect(
        pd.read_parquet(path_from),
        pd.read_parquet(path_to),
        a["answer_window_days"],
        (a["period"]["end"], b["period"]["end"]),
        a["timezone"],
    )
    log(f"{edition}: the realised truth of {len(realised[edition])} cells")
found = {}
for edition, path in zip(snakemake.params.editions, snakemake.input.truth, strict=True):
    with open(path, encoding="utf-8") as f:
        truth = json.load(f)["settings"]["follow_up"]
    found[edition] = series.follow_up_validation(
        changes,
        moves,
        truth,
        edition,
        true_change=realised.get(edition),
        wide=wide,
        mix=mixes.get(edition),
    )
with open(snakemake.output[0], "w", encoding="utf-8") as f:
    json.dump(found, f, indent=2, sort_keys=True)
    f.write("\n")
log(json.dumps(found, indent=2, sort_keys=True))
