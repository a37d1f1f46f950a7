"""Shared fixtures: the simulated test edition, the real-format samples folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from engbench.config import validate_config
from engbench.organisations import read_organisations
from engbench.simulate import simulate_and_write, simulation_settings

ROOT = Path(__file__).resolve().parents[1]
TEST_CONFIG = ROOT / "config" / "test" / "config.yaml"
DEMO_CONFIG = ROOT / "config" / "config.yaml"


def project_copy(folder: Path, labels: bool = True) -> Path:
    """A scratch project to run the workflow in: the checkout's config/ (and coded labels)."""
    import shutil

    shutil.copytree(ROOT / "config", folder / "config")
    if labels:
        shutil.copytree(ROOT / "data" / "labels", folder / "data" / "labels")
    return folder


def snakemake_command(workdir, *args, config="config/test/config.yaml", python=None) -> list:
    """The checkout's workflow run in ``workdir``: ``*args`` (targets, options) come before
    ``--configfile``, which takes several values."""
    import sys

    return [
        str(python or sys.executable),
        "-m",
        "snakemake",
        "--snakefile",
        str(ROOT / "Snakefile"),
        "--directory",
        str(workdir),
        *map(str, args),
        "--configfile",
        str(config),
    ]


def load_config(path: Path = TEST_CONFIG) -> dict:
    with open(path, encoding="utf-8") as f:
        return validate_config(yaml.safe_load(f), source=str(path))


def simulate_from_config(config: dict, organisations: Path, outdir: Path, scale=None, seed=None):
    edition, _ = simulate_and_write(
        read_organisations(organisations),
        outdir,
        simulation_settings(config, scale=scale, seed=seed),
        log=lambda *_: None,
    )
    return edition


@pytest.fixture(scope="session")
def test_config() -> dict:
    return load_config()


@pytest.fixture(scope="session")
def test_edition(tmp_path_factory, test_config):
    """The test edition (4 organisations, a few thousand messages), simulated and written."""
    outdir = tmp_path_factory.mktemp("test-edition")
    edition = simulate_from_config(test_config, ROOT / test_config["organisations"], outdir)
    return edition, outdir


@pytest.fixture(scope="session")
def wide_edition(tmp_path_factory):
    """All 28 demo organisations at a tenth of full scale (about 34,000 messages)."""
    config = load_config(DEMO_CONFIG)
    outdir = tmp_path_factory.mktemp("wide-edition")
    edition = simulate_from_config(config, ROOT / config["organisations"], outdir, scale=0.1)
    return edition, outdir


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    """The real public samples (../shared/fixtures, or $ENGBENCH_FIXTURES)."""
    path = Path(os.environ.get("ENGBENCH_FIXTURES", ROOT.parent / "shared" / "fixtures"))
    if not path.is_dir():
        pytest.skip(
            f"real-format samples not found at {path}: they live beside the checkout in CI "
            "(set ENGBENCH_FIXTURES to point elsewhere)"
        )
    return path
