"""Adapter for rule `series_pdf`: the series tables and figures → the trends chapter (PDF)."""

import json
from pathlib import Path

import pandas as pd

from engbench.progress import open_log
from engbench.report import series as trends
from engbench.report.document import compile_pdf

log = open_log(snakemake.log[0]).info
folder = Path(snakemake.output.pdf).parent
with open(snakemake.input.notes, encoding="utf-8") as f:
    comparability = json.load(f)
source = trends.trends_source(
    snakemake.params.title,
    pd.read_csv(snakemake.input.changes),
    pd.read_csv(snakemake.input.edition_wide),
    pd.read_csv(snakemake.input.entrants_leavers),
    comparability,
    trends.names([pd.read_parquet(path) for path in snakemake.input.leagues]),
    snakemake.params.language,
    {
        name: str(Path(path).relative_to(folder))
        for name, path in zip(trends.FIGURES, snakemake.input.figures, strict=True)
    },
)
Path(snakemake.output.pdf).write_bytes(compile_pdf(source, folder))
log(f"wrote {snakemake.output.pdf} ({snakemake.params.language})")
