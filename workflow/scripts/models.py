"""Adapter for rule `models`: analysis table → coefficient table and model descriptions."""

import json

import pandas as pd

from engbench.models import fit_all, prepare
from engbench.progress import open_log, step
from engbench.report.tables import safe_csv

log = open_log(snakemake.log[0]).info
data = prepare(pd.read_parquet(snakemake.input.analysis), log=log)
with step(log, f"fitting the loyalty models on {len(data):,} pairs"):
    coefficients, described = fit_all(data, log=log)
safe_csv(coefficients, snakemake.output.coefficients)
with open(snakemake.output.models, "w", encoding="utf-8") as f:
    json.dump(described, f, indent=2, sort_keys=True)
