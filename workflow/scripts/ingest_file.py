"""Adapter for rule `ingest_file`: one raw file → canonical rows + quarantine + summary."""

import json

from engbench.ingest.canonical import OrganisationIndex
from engbench.ingest.files import ingest_file
from engbench.ingest.privacy import Pseudonymiser, load_key
from engbench.organisations import read_organisations
from engbench.progress import open_log

log = open_log(snakemake.log.log).info
p = snakemake.params
key = load_key(key_env=p.key_env, key_file=p.key_file, demo=p.demo)
summary = ingest_file(
    snakemake.input.raw,
    source=p.source,
    fmt=p.format,
    organisations=OrganisationIndex(read_organisations(snakemake.input.organisations)),
    pseudonymise=Pseudonymiser(key),
    out=snakemake.output.messages,
    quarantine=snakemake.log.quarantine,
    options=p.options,
    timezone=p.timezone,
    max_quarantine_share=p.max_quarantine_share,
    max_text_length=p.max_text_length,
    period=p.period,
    edition_timezone=p.edition_timezone,
    log=log,
)
with open(snakemake.output.summary, "w", encoding="utf-8") as f:
    json.dump(summary.as_dict(), f, indent=2, sort_keys=True)
