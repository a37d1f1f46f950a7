"""Adapter for rule `panel`: survey file → respondent × organisation analysis table."""

import json

import pandas as pd

from engbench.models import derive
from engbench.organisations import read_organisations
from engbench.panel import descriptives, join_indicators, read_panel
from engbench.progress import open_log
from engbench.report.tables import safe_csv

log = open_log(snakemake.log[0]).info
p = snakemake.params
panel = read_panel(
    snakemake.input.survey,
    p.format,
    p.layout,
    dict(p.variables),
    read_organisations(snakemake.input.organisations),
)
analysis = derive(
    join_indicators(
        panel, pd.read_parquet(snakemake.input.indicators), pd.read_parquet(snakemake.input.league)
    )
)  # with the models' variables (models.DERIVED), so models.json's formulas refit on it
analysis.to_parquet(snakemake.output.analysis, index=False)
safe_csv(descriptives(analysis), snakemake.output.descriptives)
summary = {
    "respondents": int(analysis["respondent_id"].nunique()),
    "pairs": len(analysis),
    "loyalty_items": panel.loyalty_items,
    "loyalty_cronbach_alpha": panel.loyalty_alpha,
    "exclusions": panel.exclusions,
    "variable_labels": panel.labels,
}
with open(snakemake.output.summary, "w", encoding="utf-8") as f:
    json.dump(summary, f, indent=2, sort_keys=True, ensure_ascii=False)
log(
    f"{summary['respondents']:,} respondents, {summary['pairs']:,} pairs; "
    f"Cronbach's alpha {panel.loyalty_alpha:.3f}; excluded: {panel.exclusions}"
)
