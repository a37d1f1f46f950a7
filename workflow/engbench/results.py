"""Open an edition's results in one call, for notebooks.

    from engbench.results import open_edition
    ed = open_edition("demo-2017")            # results/demo-2017/
    ed = open_edition()                       # $ENGBENCH_EDITION in $ENGBENCH_RESULTS
    ed.indicators; ed.league; ed.incoming; ed.messages(org="railned", month="2017-03")
    s = open_series("demo")                    # results/series/demo/ (a series of editions)
    s.changes; s.trends; s.trajectory("railned")

Tables are read when first used. Consumers appear only as pseudonyms.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from engbench.ingest.store import read_store


@dataclass
class EditionResults:
    folder: Path

    def _need(self, relative: str) -> Path:
        path = self.folder / relative
        if not path.exists():
            panel = relative.startswith(("panel", "models"))
            hint = " (or the edition has no panel)" if panel else ""
            raise FileNotFoundError(
                f"{path} not found: run the workflow for this edition first{hint}"
            )
        return path

    def messages(self, **partition) -> pd.DataFrame:
        """The message store, or one partition: ``messages(org="railned", month="2017-03")``."""
        return read_store(self._need("messages"), **partition)

    @cached_property
    def threads(self) -> pd.DataFrame:
        return pd.read_parquet(self._need("threads/messages.parquet"))

    @cached_property
    def incoming(self) -> pd.DataFrame:
        """Incoming message × organisation, with the response and the message type."""
        return pd.read_parquet(self._need("classify/incoming.parquet"))

    @cached_property
    def indicators(self) -> pd.DataFrame:
        return pd.read_parquet(self._need("metrics/indicators.parquet"))

    @cached_property
    def league(self) -> pd.DataFrame:
        return pd.read_parquet(self._need("metrics/engagement_index.parquet"))

    @property
    def has_panel(self) -> bool:
        """Whether the edition has a consumer panel (and so loyalty models)."""
        return (self.folder / "panel" / "analysis.parquet").exists()

    @cached_property
    def panel(self) -> pd.DataFrame:
        return pd.read_parquet(self._need("panel/analysis.parquet"))

    @cached_property
    def descriptives(self) -> pd.DataFrame:
        """Loyalty of followers and non-followers per organisation, with intervals."""
        return pd.read_csv(self._need("panel/descriptives.csv"))

    @cached_property
    def coefficients(self) -> pd.DataFrame:
        return pd.read_csv(self._need("models/coefficients.csv"))

    @cached_property
    def models(self) -> dict:
        return json.loads(self._need("models/models.json").read_text())

    def indicator(self, name: str, platform: str = "all", period: str = "edition") -> pd.DataFrame:
        """One indicator for every organisation: estimate, lower, upper, n."""
        table = self.indicators
        rows = table[
            (table["indicator"] == name)
            & (table["platform"] == platform)
            & (table["period"] == period)
        ]
        return rows.set_index("org_id")[["estimate", "lower", "upper", "n"]]


DEFAULT_EDITION = "demo-2017"


def results_folder(start: str | Path | None = None) -> Path:
    """The ``results/`` folder of the checkout: in ``start`` (the working folder) or the
    folder above it, since Jupyter runs a notebook in its own folder (``notebooks/``);
    ``results`` under ``start`` when neither has one."""
    start = Path.cwd() if start is None else Path(start)
    for folder in (start, start.resolve().parent):
        if (folder / "results").is_dir():
            return folder / "results"
    return start / "results"


def open_edition(edition: str | None = None, results: str | Path | None = None) -> EditionResults:
    """An edition's results: ``edition`` (else ``$ENGBENCH_EDITION``, else demo-2017) in
    ``results`` (else ``$ENGBENCH_RESULTS``, else the checkout's ``results/`` folder)."""
    edition = edition or os.environ.get("ENGBENCH_EDITION") or DEFAULT_EDITION
    results = Path(results or os.environ.get("ENGBENCH_RESULTS") or results_folder())
    folder = results / edition
    if not folder.is_dir():
        found = sorted(p.parent.name for p in results.glob("*/metrics") if p.is_dir())
        others = f"; editions in {results}: {', '.join(found)}" if found else ""
        raise FileNotFoundError(
            f"{folder} not found: run the workflow for edition {edition!r} first, or choose "
            f"another with ENGBENCH_EDITION (and the results folder with ENGBENCH_RESULTS)"
            f"{others}"
        )
    return EditionResults(folder)


@dataclass
class SeriesResults:
    """A series' results (``results/series/<name>/``) and, through :meth:`edition`, its
    editions' results."""

    folder: Path

    def _need(self, relative: str) -> Path:
        path = self.folder / relative
        if not path.exists():
            raise FileNotFoundError(f"{path} not found: run the workflow for this series first")
        return path

    @cached_property
    def changes(self) -> pd.DataFrame:
        """Changes between consecutive editions with 95% intervals (changes.csv)."""
        return pd.read_csv(self._need("changes.csv"))

    @cached_property
    def trends(self) -> pd.DataFrame:
        """Every edition's estimates stacked: edition, org_id, platform, indicator, …"""
        return pd.read_parquet(self._need("trends.parquet"))

    @cached_property
    def edition_wide(self) -> pd.DataFrame:
        return pd.read_csv(self._need("edition_wide.csv"))

    @cached_property
    def entrants_leavers(self) -> pd.DataFrame:
        return pd.read_csv(self._need("entrants_leavers.csv"))

    @cached_property
    def comparability(self) -> dict:
        """{"accepted": {pair of editions: [accepted difference in definitions, …]} (empty
        lists: same definitions), "warnings": [bootstrap seeds shared by two editions]}."""
        return json.loads(self._need("comparability.json").read_text(encoding="utf-8"))

    @property
    def editions(self) -> list[str]:
        """The editions, oldest first."""
        return list(dict.fromkeys(self.trends["edition"]))

    def edition(self, name: str) -> EditionResults:
        return open_edition(name, self.folder.parent.parent)

    def trajectory(self, org_id: str, platform: str = "all") -> pd.DataFrame:
        """One organisation's indicators over the editions: one row per indicator × edition
        with estimate, lower, upper, n."""
        table = self.trends
        rows = table[(table["org_id"] == org_id) & (table["platform"] == platform)]
        return rows.set_index(["indicator", "edition"])[["estimate", "lower", "upper", "n"]]


def open_series(name: str | None = None, results: str | Path | None = None) -> SeriesResults:
    """A series' results: ``name`` (else ``$ENGBENCH_SERIES``, else demo) under
    ``results/series/`` (``results`` as in :func:`open_edition`)."""
    name = name or os.environ.get("ENGBENCH_SERIES") or "demo"
    results = Path(results or os.environ.get("ENGBENCH_RESULTS") or results_folder())
    folder = results / "series" / name
    if not folder.is_dir():
        found = sorted(p.name for p in (results / "series").glob("*") if p.is_dir())
        others = f"; series in {results / 'series'}: {', '.join(found)}" if found else ""
        raise FileNotFoundError(
            f"{folder} not found: run the workflow with the series config first "
            f"(snakemake --cores 8 --configfile config/demo-series.yaml){others}"
        )
    return SeriesResults(folder)
