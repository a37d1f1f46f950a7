"""Every ingest case of the bad-input corpus (``ingest_cases.CASES``) gets its expected
outcome, through the real code paths: ``engbench ingest`` in-process, or the workflow's
expansion of ``sources`` into one ingest job per file key followed by the merge."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import orjson
import pandas as pd
import pytest

from engbench import cli
from engbench.config import ConfigError
from engbench.ingest.canonical import OrganisationIndex
from engbench.ingest.files import ingest_file
from engbench.ingest.privacy import DEMO_KEY, Pseudonymiser
from engbench.ingest.store import merge, read_store
from engbench.organisations import read_organisations
from engbench.sources import raw_files
from tests.bad_inputs.ingest_cases import CASES, Case

ROOT = Path(__file__).resolve().parents[2]
ORGANISATIONS = ROOT / "config" / "test" / "organisations.csv"
PERIOD = ("2017-01-01", "2017-11-01")
ZONE = "Europe/Amsterdam"
COUNTS = [
    "read",
    "kept",
    "duplicates",
    "quarantined",
    "out_of_period",
    "texts_cleaned",
    "texts_cut",
]


def write_case(case: Case, root: Path) -> list[Path]:
    """Write the case's files under ``root``; return its top-level paths, in order."""
    top = []
    for name, content in case.files().items():
        path = root / name.rstrip("/")
        path.parent.mkdir(parents=True, exist_ok=True)
        if content is None:
            path.mkdir(exist_ok=True)
        elif isinstance(content, tuple) and content[0] == "link":
            os.symlink(content[1], path)
        elif isinstance(content, tuple) and content[0] == "absent":
            pass
        else:
            path.write_bytes(content)
        first = root / Path(name).parts[0]
        if first not in top:
            top.append(first)
    return top


def run_case(case: Case, tmp_path: Path, capsys) -> dict:
    """→ {"outcome", "message" (refused), "summary", "store", "quarantine"}."""
    os.chdir(tmp_path)
    paths = write_case(case, tmp_path)
    out = tmp_path / "out"
    private = tmp_path / "out-private"  # engbench ingest's default for the quarantine
    if case.run == "cli":
        code = cli.main(
            [
                "ingest",
                *map(str, paths),
                "--out",
                str(out),
                "--demo-key",
                "--organisations",
                str(ORGANISATIONS),
                "--period",
                *PERIOD,
                "--edition-timezone",
                ZONE,
                *case.args,
            ]
        )
        captured = capsys.readouterr()
        if code != 0:
            assert code == 2 and captured.err.splitlines()[-1].startswith("engbench: ")
            return {"outcome": "refused", "message": captured.err}
        summary = pd.read_csv(out / "summary.csv", keep_default_na=False)
    else:
        patterns = case.pattern.split("|")
        names = ["twitter", "twitter_again"]
        sources = [
            {"name": n, "path": p, "format": "x_api_v2"}
            for n, p in zip(names, patterns, strict=False)
        ]
        try:
            files = raw_files(sources, "UTC")
        except ConfigError as error:
            return {"outcome": "refused", "message": str(error)}
        assert len({key.casefold() for _, key in files}) == len(files)  # distinct anywhere
        organisations = OrganisationIndex(read_organisations(ORGANISATIONS))
        tables, summaries = [], []
        for (source, key), spec in files.items():
            table = out / "files" / source / f"{key}.parquet"
            summaries.append(
                ingest_file(
                    spec["path"],
                    source=source,
                    fmt=spec["format"],
                    organisations=organisations,
                    pseudonymise=Pseudonymiser(DEMO_KEY.encode()),
                    out=table,
                    quarantine=private / "quarantine" / source / f"{key}.jsonl",
                    period=PERIOD,
                    edition_timezone=ZONE,
                ).as_dict()
            )
            tables.append(table)
        summary = merge(tables, summaries, out / "messages", ZONE)
    quarantine = [
        orjson.loads(line)
        for path in sorted((private / "quarantine").rglob("*.jsonl"))
        for line in path.read_bytes().splitlines()
    ]
    assert not list(out.rglob("*.jsonl"))  # raw records stay out of the results
    outcome = "quarantined" if summary["quarantined"].sum() else "accepted"
    return {
        "outcome": outcome,
        "summary": summary,
        "store": read_store(out / "messages"),
        "quarantine": quarantine,
    }


@pytest.fixture()
def in_tmp(tmp_path):
    cwd = os.getcwd()
    yield tmp_path
    os.chdir(cwd)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(case: Case, in_tmp, capsys):
    result = run_case(case, in_tmp, capsys)
    assert result["outcome"] == case.outcome, result.get("message") or result["summary"].to_dict(
        "records"
    )
    if case.outcome == "refused":
        message = result["message"]
        assert str(in_tmp) in message or case.run == "sources"  # the file is named
        for words in case.says:
            assert words in message, message
        return
    summary, store = result["summary"], result["store"]
    totals = summary[COUNTS].sum()
    for name, expected in case.counts.items():
        got = len(summary) if name == "files" else int(totals[name])
        assert got == expected, (name, summary.to_dict("records"))
    assert int(totals["kept"]) == len(store)
    text = (
        " | ".join(q["reason"] for q in result["quarantine"])
        if case.outcome == "quarantined"
        else " | ".join(summary["notes"])
    )
    for words in case.says:
        assert words in text, text
    if case.check is not None:
        assert case.check(store, summary)


ACCOUNTED = [c for c in CASES if c.outcome != "refused"]


@pytest.mark.parametrize("case", ACCOUNTED, ids=[c.name for c in ACCOUNTED])
def test_every_message_is_accounted_for(case: Case, in_tmp, capsys):
    """Per file, in messages: read = kept + duplicates + quarantined + out of period; where
    the input's number of messages is known, read is that number."""
    result = run_case(case, in_tmp, capsys)
    summary = result["summary"]
    assert (
        summary["read"]
        == summary["kept"]
        + summary["duplicates"]
        + summary["quarantined"]
        + summary["out_of_period"]
    ).all()
    assert sum(q["messages"] for q in result["quarantine"]) == summary["quarantined"].sum()
    if case.messages is not None:
        assert summary["read"].sum() == case.messages


def test_corpus_size():
    """At least 35 ingest cases, every outcome present; the tally for the closing note."""
    tally = Counter((c.area, c.outcome) for c in CASES)
    assert len(CASES) >= 35
    assert {o for _, o in tally} == {"accepted", "quarantined", "refused"}
    assert len({c.name for c in CASES}) == len(CASES)


def test_every_case_is_documented():
    docs = (ROOT / "docs" / "ingest.md").read_text(encoding="utf-8")
    missing = [c.name for c in CASES if f"| {c.name} |" not in docs]
    assert not missing, missing
