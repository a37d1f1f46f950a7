"""Adapter for rule `definitions`: what the edition was computed with → definitions.json."""

import json
from pathlib import Path

from engbench import series
from engbench.organisations import read_organisations
from engbench.panel import read_file
from engbench.progress import open_log

log = open_log(snakemake.log[0]).info
p = snakemake.params
settings = dict(p.settings)
wording = {}
if settings["panel"]:
    panel = settings["panel"]
    _, column_labels, _ = read_file(snakemake.input.survey, panel["format"])
    accounts = read_organisations(snakemake.input.organisations)
    coded = accounts.dropna(subset=["panel_code"]).sort_values("org_id")
    if len(coded):
        first = coded.iloc[0]
        wording = series.panel_wording(
            panel["variables"], column_labels, str(first["panel_code"]), str(first["name"])
        )
found = series.definitions(
    settings,
    Path(snakemake.input.codebook).read_text(encoding="utf-8"),
    list(zip(snakemake.input.labels, p.label_weights, strict=True)),
    wording,
)
Path(snakemake.output[0]).write_text(
    json.dumps(found, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8"
)
log(json.dumps(found["definitions"], ensure_ascii=False, sort_keys=True))
