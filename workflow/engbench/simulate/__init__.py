"""The demo-edition simulator: a fictional edition in the raw formats, plus its truth.

``simulate_edition`` draws the edition (``edition.py``); ``write_edition``
writes it under ``<outdir>/``; ``simulate_and_write`` does both with the
settings ``simulation_settings`` reads from a config (the workflow's rule, the
``engbench simulate`` command and the tests alike):

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

from engbench.progress import step
from engbench.simulate.edition import Edition, simulate_edition
from engbench.simulate.facebook_graph import facebook_files
from engbench.simulate.panel import write_sav
from engbench.simulate.x_api_v2 import twitter_files

__all__ = [
    "Edition",
    "demo_folder",
    "output_paths",
    "simulate_and_write",
    "simulate_edition",
    "simulation_settings",
    "write_edition",
]

TRUTH_FILES = (
    "messages.parquet",
    "incoming.parquet",
    "organisations.parquet",
    "panel.json",
    "panel_pairs.parquet",
    "summary.json",
)


def simulation_settings(config: dict, scale: float | None = None, seed: int | None = None) -> dict:
    """``simulate_edition``'s settings from a validated config: the edition's period and
    time zone; ``demo.seed``, ``demo.messages`` × ``demo.scale`` messages and
    ``demo.respondents`` (``scale`` and ``seed`` given here take the place of the config's)."""
    demo = config["demo"]
    return {
        "period_start": config["period"]["start"],
        "period_end": config["period"]["end"],
        "timezone": config["timezone"],
        "seed": demo["seed"] if seed is None else seed,
        "n_messages": round(demo["messages"] * (demo["scale"] if scale is None else scale)),
        "n_respondents": demo["respondents"],
        # a follow-up edition only: the known changes (its base sheet is read by the caller);
        # absent otherwise, so an edition's settings (rule params) are as they were
        **(
            {"follow_up": {k: v for k, v in demo["follow_up"].items() if k != "base_organisations"}}
            if demo.get("follow_up")
            else {}
        ),
    }


def demo_folder(config: dict) -> str:
    """Where the demo edition of a config is written: ``demo.outdir``/<edition name>."""
    return f"{config['demo']['outdir']}/{config['edition']['name']}"


def simulate_and_write(
    accounts: pd.DataFrame,
    outdir: str | Path,
    settings: dict,
    log=print,
    base_accounts: pd.DataFrame | None = None,
) -> tuple[Edition, dict[str, int]]:
    """Simulate the edition (``settings`` from ``simulation_settings``; a follow-up edition
    also needs its base edition's sheet, ``base_accounts``) and write it to ``outdir``;
    returns the edition and the counts of ``write_edition``."""
    with step(
        log,
        f"simulating {settings['n_messages']:,} messages and "
        f"{settings['n_respondents']:,} respondents",
    ):
        edition = simulate_edition(accounts, **settings, base_accounts=base_accounts)
    with step(log, f"writing the edition to {outdir}"):
        counts = write_edition(edition, str(outdir), log=log)
    return edition, counts


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
    for platform, archives in (("twitter", twitter_files), ("facebook", facebook_files)):
        files = archives(m, edition.accounts, edition.consumers, edition.organisations)
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
