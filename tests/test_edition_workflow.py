"""From raw files to a report: `engbench init` on a slice of the public Customer Support on
Twitter sample, the researcher's checks, then the documented snakemake command — an edition
without a panel. The slice is made at test time (real posts are never committed)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pandas as pd
import pytest
import yaml

from tests.conftest import ROOT

pytestmark = pytest.mark.workflow
ROWS = 1500


def test_init_then_snakemake_gives_a_report_without_a_panel(fixtures_dir, tmp_path):
    sample = fixtures_dir / "customer-support-twcs" / "twcs_first5000_pandas-export.csv"
    if not sample.exists():
        pytest.skip(f"{sample} absent (public sample, not in the repository)")
    shutil.copytree(ROOT / "data" / "labels", tmp_path / "data" / "labels")
    (tmp_path / "data" / "twcs").mkdir()
    raw = pd.read_csv(sample, dtype=str, keep_default_na=False)
    raw.head(ROWS).to_csv(tmp_path / "data" / "twcs" / "slice.csv", index=False)
    env = {**os.environ, "ENGBENCH_PSEUDONYM_KEY": "a-key-for-this-test-only-0123"}

    engbench = [sys.executable, "-m", "engbench.cli"]
    init = subprocess.run(
        [*engbench, "init", "twcs", "--source", "data/twcs/*.csv"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert init.returncode == 0, init.stderr
    assert "snakemake --cores 8 --configfile config/twcs.yaml" in init.stdout

    # the researcher's checks: consumers (numbers in this sample) out, a sector for each
    sheet_path = tmp_path / "config" / "twcs-organisations.csv"
    sheet = pd.read_csv(sheet_path, dtype=str, keep_default_na=False)
    brands = set(raw.loc[raw["inbound"] == "False", "author_id"])
    sheet = sheet[sheet["account_id"].isin(brands)].assign(sector="customer support")
    assert len(sheet) >= 10
    sheet.to_csv(sheet_path, index=False)
    # and, to keep the test short: fewer folds and resamples
    config_path = tmp_path / "config" / "twcs.yaml"
    config = yaml.safe_load(config_path.read_text())
    assert config["panel"] is None and config["demo"]["enabled"] is False
    text = config_path.read_text()
    text = text.replace("  folds: 5\n", "  folds: 2\n")
    text = text.replace("  bootstrap_resamples: 1000\n", "  bootstrap_resamples: 200\n")
    config_path.write_text(text)

    snakemake = [sys.executable, "-m", "snakemake", "--snakefile", str(ROOT / "Snakefile")]
    run = subprocess.run(
        [
            *snakemake,
            "--directory",
            str(tmp_path),
            "--cores",
            "2",
            "--configfile",
            str(config_path),
        ],
        capture_output=True,
        text=True,
        timeout=1500,
        env=env,
    )
    assert run.returncode == 0, (run.stdout + run.stderr)[-4000:]
    results = tmp_path / "results" / "twcs"
    assert (results / "report.pdf").read_bytes()[:5] == b"%PDF-"
    assert not (results / "panel").exists() and not (results / "models").exists()
    assert not (tmp_path / "data" / "demo").exists()  # nothing simulated
    import pypdf

    pages = pypdf.PdfReader(results / "report.pdf").pages
    assert len(pages) >= 10
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in pages)
    assert "geen consumentenpanel" in text

    # real consumers' ids (numbers in this sample, also in the handle column) are nowhere
    # in the shareable outputs; the scan works through the edition's own config
    scan = subprocess.run(
        [*engbench, "scan-personal-data", "results/twcs", "logs/twcs", "--config", config_path],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert scan.returncode == 0, scan.stdout[-3000:] + scan.stderr[-2000:]
    assert "0 found" in scan.stdout and " found" in scan.stdout
