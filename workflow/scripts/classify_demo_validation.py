"""Adapter for rule `classify_demo_validation`: the classifier against the true types."""

import json

import pandas as pd

from engbench.classify.demo import validate_against_truth
from engbench.progress import open_log

log = open_log(snakemake.log[0]).info
result = validate_against_truth(
    pd.read_parquet(snakemake.input.classified),
    pd.read_csv(snakemake.input.shares),
    pd.read_parquet(snakemake.input.truth),
)
with open(snakemake.output[0], "w", encoding="utf-8") as f:
    json.dump(result, f, indent=2, sort_keys=True)
log(json.dumps({k: v for k, v in result.items() if k != "per_class"}, indent=2))
