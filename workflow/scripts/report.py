"""Adapter for rule `report`: result tables → figures, tables, workbook and report.pdf."""

import json
from pathlib import Path

import pandas as pd

from engbench.organisations import read_organisations
from engbench.progress import open_log, step
from engbench.report.build import build, file_hashes

log = open_log(snakemake.log[0]).info
i = snakemake.input
accounts = read_organisations(i.organisations)
ingest = pd.read_csv(i.ingest)
panel = hasattr(i, "coefficients")  # an edition without a panel has no loyalty chapter
inputs = {
    "indicators": pd.read_parquet(i.indicators),
    "league": pd.read_parquet(i.league),
    "incoming": pd.read_parquet(
        i.incoming,
        columns=[
            "org_id",
            "replied",
            "censored",
            "response_seconds_webcare",
            "created_at",
            "first_reply_at",
            "type",
        ],
    ),
    "descriptives": pd.read_csv(i.descriptives) if panel else None,
    "coefficients": pd.read_csv(i.coefficients) if panel else None,
    "models": json.loads(Path(i.models).read_text(encoding="utf-8")) if panel else None,
    "classifier": json.loads(Path(i.classifier).read_text(encoding="utf-8")),
    "classifier_per_class": pd.read_csv(i.classifier_per_class),
    "confusion": pd.read_csv(i.confusion, index_col=0),
    "ingest": ingest,
    "by_type": pd.read_parquet(i.by_type),
    "robustness": pd.read_csv(i.robustness),
    "counts": json.loads(Path(i.counts).read_text(encoding="utf-8")),
    "kinds": pd.read_parquet(i.messages, columns=["kind", "retweeted_id"]),
    "names": dict(zip(accounts["org_id"], accounts["name"], strict=False)),
    "sectors": dict(zip(accounts["org_id"], accounts["sector"], strict=False)),
    "hashes": file_hashes([*ingest["source_file"], *([i.panel] if panel else []), *i.labels]),
}
with step(log, "figures, tables and the PDF"):
    result = build(
        inputs,
        dict(snakemake.params.config),
        Path(snakemake.output.source).parent,
        snakemake.output.pdf,
    )
log(f"report written: {snakemake.output.pdf} ({result['pages_bytes']:,} bytes)")
