"""Helpers for ingest tests: run one file through the real ingest path."""

from __future__ import annotations

import io

import orjson
import pandas as pd
import pytest

from engbench.ingest.canonical import OrganisationIndex
from engbench.ingest.files import ingest_file
from engbench.ingest.privacy import Pseudonymiser
from engbench.organisations import validate_organisations

TEST_KEY = b"engbench-test-key-0123456789"


def accounts_sheet(csv_text: str) -> pd.DataFrame:
    """An organisations sheet from CSV text (header included)."""
    frame = pd.read_csv(io.StringIO(csv_text), dtype=str, keep_default_na=False)
    return validate_organisations(frame, source="test sheet")


@pytest.fixture()
def ingest(tmp_path):
    """ingest(path, fmt="auto", options=None, accounts=None, max_share=0.01)
    → (rows as DataFrame, FileSummary, quarantine entries as list of dicts)."""
    counter = iter(range(10_000))

    def run(path, fmt="auto", options=None, accounts=None, max_share=0.01, timezone="UTC"):
        n = next(counter)
        out = tmp_path / f"out{n}.parquet"
        quarantine = tmp_path / f"quarantine{n}.jsonl"
        summary = ingest_file(
            path,
            source="test",
            fmt=fmt,
            organisations=OrganisationIndex(accounts),
            pseudonymise=Pseudonymiser(TEST_KEY),
            out=out,
            quarantine=quarantine,
            options=options,
            timezone=timezone,
            max_quarantine_share=max_share,
        )
        rows = pd.read_parquet(out)
        bad = [orjson.loads(line) for line in quarantine.read_bytes().splitlines()]
        # in messages: a quarantined record counts the messages it held
        assert summary.read == summary.kept + summary.quarantined + summary.out_of_period
        assert summary.kept == len(rows)
        assert summary.quarantined == sum(b["messages"] for b in bad)
        return rows, summary, bad

    return run
