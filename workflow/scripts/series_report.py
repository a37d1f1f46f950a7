"""Adapter for rule `series_report`: the series tables → figures and the series report."""

import json
from pathlib import Path

import pandas as pd

from engbench import series
from engbench.report.figures import save

changes = pd.read_csv(snakemake.input.changes)
trends = pd.read_parquet(snakemake.input.trends)
wide = pd.read_csv(snakemake.input.edition_wide)
moves = pd.read_csv(snakemake.input.entrants_leavers)
with open(snakemake.input.notes, encoding="utf-8") as f:
    comparability = json.load(f)
names = {}
for path in snakemake.input.leagues:  # later editions' names win
    league = pd.read_parquet(path)
    names.update(dict(zip(league["org_id"], league["name"].fillna(league["org_id"]), strict=True)))
last = changes[changes["indicator"] == "rank"].tail(1)
if len(last):
    pair = (last["edition_from"].iloc[0], last["edition_to"].iloc[0])
else:
    editions = list(dict.fromkeys(trends["edition"]))
    pair = (editions[-2], editions[-1])
language = snakemake.params.language
for figure, output in (
    (series.slope_chart(changes, *pair, language, names), snakemake.output.slope),
    (series.trend_chart(trends, wide, language), snakemake.output.trends),
    (series.organisation_chart(trends, language, names), snakemake.output.organisations),
):
    save(figure, Path(output).with_suffix(""))
result = {
    "changes": changes,
    "edition_wide": wide,
    "entrants_leavers": moves,
    "notes": comparability["accepted"],
    "warnings": comparability["warnings"],
    "panels": comparability.get("panels", {}),
}
Path(snakemake.output.report).write_text(
    series.report_text(snakemake.params.title, result, names), encoding="utf-8"
)
