"""The demo-edition simulator: a fictional edition in the raw formats, plus its truth.

``simulate_edition`` draws the edition (``edition.py``); ``write_edition``
writes it under ``<outdir>/``:

    raw/twitter/<org_id>.jsonl     twarc2 output (X API v2 search pages), per organisation
    raw/facebook/<org_id>.jsonl    Graph API page-feed responses, per organisation page
    panel/panel.sav                the consumer panel as SPSS (wide, labelled)
    truth/messages.parquet         every message with its role, true type, collected or not
    truth/incoming.parquet         incoming message × organisation, true first response
    truth/organisations.parquet    each organisation's behaviour parameters
    truth/panel.json               the loyalty model's true coefficients
    truth/panel_pairs.parquet      respondent × organisation: true following, latent loyalty
    truth/summary.json             settings and counts

The pipeline never reads ``truth/``; tests and validation do.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from engbench.simulate.edition import Edition, simulate_edition
from engbench.simulate.facebook_graph import facebook_files
from engbench.simulate.panel import write_sav
from engbench.simulate.x_api_v2 import twitter_files

__all__ = ["Edition", "output_paths", "simulate_edition", "write_edition"]

TRUTH_FILES = (
    "messages.parquet",
    "incoming.parquet",
    "organisations.parquet",
    "panel.json",
    "panel_pairs.parquet",
    "summary.json",
)


def output_paths(accounts: pd.DataFrame, outdir: str) -> dict[str, list[str]]:
    """The files ``write_edition`` will write for this organisations sheet."""
    out = Path(outdir)
    raw = {}
    for platform in ("twitter", "facebook"):
        orgs = accounts.loc[accounts["platform"] == platform, "org_id"].drop_duplicates()
        raw[platform] = [str(out / "raw" / platform / f"{o}.jsonl") for o in orgs]
    return {
        "twitter": raw["twitter"],
        "facebook": raw["facebook"],
        "panel": [str(out / "panel" / "panel.sav")],
        "truth": [str(out / "truth" / name) for name in TRUTH_FILES],
    }


def write_edition(edition: Edition, outdir: str, log=print) -> dict[str, int]:
    """Write the raw files, the panel and the truth; return counts for the log."""
    out = Path(outdir)
    for sub in ("raw/twitter", "raw/facebook", "panel", "truth"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    m = edition.messages
    for platform, files in (
        ("twitter", twitter_files(m, edition.accounts, edition.consumers, edition.organisations)),
        ("facebook", facebook_files(m, edition.accounts, edition.consumers, edition.organisations)),
    ):
        for org_id, lines in files.items():
            path = out / "raw" / platform / f"{org_id}.jsonl"
            with open(path, "wb") as f:
                for line in lines:
                    f.write(line)
            log(f"wrote {path}")
    write_sav(edition.panel, str(out / "panel" / "panel.sav"))
    truth = out / "truth"
    public = [c for c in m.columns if not c.startswith("_")]
    m[public].to_parquet(truth / "messages.parquet", index=False)
    edition.incoming.to_parquet(truth / "incoming.parquet", index=False)
    edition.behaviour.to_parquet(truth / "organisations.parquet", index=False)
    edition.panel.pairs.to_parquet(truth / "panel_pairs.parquet", index=False)
    (truth / "panel.json").write_text(
        json.dumps(edition.panel.truth, indent=2, sort_keys=True) + "\n"
    )
    counts = summary_counts(edition)
    summary = {"settings": edition.settings, "counts": counts}
    (truth / "summary.json").write_text(json.dumps(summary, indent=2, sort_keys=True) + "\n")
    return counts


def summary_counts(edition: Edition) -> dict:
    m = edition.messages
    by_role = m.groupby(["platform", "role"]).size()
    return {
        "messages": len(m),
        "collected": int(m["collected"].sum()),
        "by_platform_role": {f"{p}/{r}": int(v) for (p, r), v in by_role.items()},
        "incoming_pairs": len(edition.incoming),
        "consumers": len(edition.consumers),
        "respondents": edition.panel.truth["n_respondents"],
        "panel_pairs": edition.panel.truth["n_pairs"],
    }
