"""Adapter for rule `series_changes`: every edition's results → changes between editions."""

import json

import pandas as pd

from engbench import series
from engbench.progress import open_log

log = open_log(snakemake.log[0]).info
p = snakemake.params
coefficients = dict(zip(p.panels, snakemake.input.coefficients, strict=True))
analysis = dict(zip(p.panels, snakemake.input.analysis, strict=True))
editions = []
for name, definitions, indicators, resamples, weights in zip(
    p.editions,
    snakemake.input.definitions,
    snakemake.input.indicators,
    snakemake.input.resamples,
    p.weights,
    strict=True,
):
    with open(definitions, encoding="utf-8") as f:
        editions.append(
            {
                "name": name,
                "definitions": json.load(f),
                "indicators": pd.read_parquet(indicators),
                "resamples": pd.read_parquet(resamples),
                "weights": dict(weights),
                "coefficients": (pd.read_csv(coefficients[name]) if name in coefficients else None),
                "analysis": (pd.read_parquet(analysis[name]) if name in analysis else None),
            }
        )
result = series.compare_editions(editions, dict(p.accept))
result["changes"].to_csv(snakemake.output.changes, index=False)
result["edition_wide"].to_csv(snakemake.output.edition_wide, index=False)
result["entrants_leavers"].to_csv(snakemake.output.entrants_leavers, index=False)
result["trends"].to_parquet(snakemake.output.trends, index=False)
with open(snakemake.output.notes, "w", encoding="utf-8") as f:
    json.dump(
        {key: result[key] for key in ("differences", "panels", "same_seed", "warnings")}
        | {"accepted": result["notes"]},
        f,
        indent=2,
        ensure_ascii=False,
        sort_keys=True,
    )
    f.write("\n")
log(f"{len(result['changes'])} changes; accepted differences: {result['notes']}")
log(f"panel respondents of consecutive waves: {result['panels']}")
