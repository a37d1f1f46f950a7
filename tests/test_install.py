"""engbench installed as a wheel (not editable): its package data travel with it.

The wheel is built from a copy of the sources (nothing is written into the checkout) with
the setuptools of the test environment, and installed into a scratch virtual environment
without network: ``--no-deps --no-build-isolation --no-index``. The dependencies are the
test environment's own, made visible to the scratch environment by a ``.pth`` line (which
adds only that folder, not its editable install of engbench).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile

import pytest

from tests.conftest import ROOT

PACKAGE_DATA = (
    "engbench/schemas/config.schema.yaml",
    "engbench/schemas/organisations.schema.yaml",
    "engbench/simulate/vocab/consumer.yaml",
)


def pip(*args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "pip", "--disable-pip-version-check", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=cwd,
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(scratch venv's bin folder, the wheel): engbench built and installed from the wheel."""
    root = tmp_path_factory.mktemp("install")
    source = root / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(
        ROOT / "workflow" / "engbench",
        source / "workflow" / "engbench",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
    )
    built = pip(
        "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", root / "dist", source,
        cwd=root,
    )  # fmt: skip
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    (wheel,) = (root / "dist").glob("engbench-*.whl")

    scratch = root / "venv"
    venv.create(scratch, with_pip=False)
    python = scratch / "bin" / "python"
    done = pip(
        "--python", python, "install", "--no-deps", "--no-build-isolation", "--no-index", wheel,
        cwd=root,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    dependencies = sysconfig.get_paths()["purelib"]  # this environment's installed packages
    (scratch / purelib / "zz_engbench_dependencies.pth").write_text(dependencies + "\n")
    return scratch / "bin", wheel


def test_the_wheel_holds_the_package_data(installed):
    _, wheel = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    assert set(PACKAGE_DATA) <= names


def test_the_installed_command_answers(installed, tmp_path):
    bin_dir, _ = installed
    result = subprocess.run(
        [bin_dir / "engbench", "--help"], capture_output=True, text=True, cwd=tmp_path, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "usage: engbench" in result.stdout and "ingest" in result.stdout


def test_the_installed_package_validates_a_config_and_reads_a_sheet_elsewhere(installed, tmp_path):
    """From a folder outside the checkout: the package is the wheel's, the schemas its data."""
    bin_dir, _ = installed
    elsewhere = tmp_path / "my-edition"
    (elsewhere / "config").mkdir(parents=True)
    shutil.copy(ROOT / "config/test/config.yaml", elsewhere / "config/edition.yaml")
    shutil.copy(ROOT / "config/test/organisations.csv", elsewhere / "config/orgs.csv")
    probe = (
        "import sys, yaml, engbench\n"
        "from engbench.config import ConfigError, validate_config\n"
        "from engbench.organisations import read_organisations\n"
        "from engbench.simulate.text import load_vocabulary\n"
        "print(engbench.__file__)\n"
        "config = validate_config(yaml.safe_load(open('config/edition.yaml')), source='edition')\n"
        "print(config['edition']['name'], config['answer_window_days'], config['language'])\n"
        "print(len(read_organisations('config/orgs.csv')), 'accounts')\n"
        "print(len(load_vocabulary()), 'vocabularies')\n"
        "try:\n"
        "    validate_config({**config, 'language': 'de'}, source='bad.yaml')\n"
        "except ConfigError as error:\n"
        "    print(str(error).splitlines()[1].strip())\n"
    )
    result = subprocess.run(
        [bin_dir / "python", "-c", probe],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    location, config, sheet, vocab, refusal = result.stdout.strip().splitlines()
    assert location.startswith(str(bin_dir.parent)), location  # not the checkout's
    assert config == "test-2017 7 nl"
    assert sheet == "10 accounts"
    assert vocab == "7 vocabularies"
    assert refusal.startswith("- key `language`: found 'de'; expected one of nl, en")


def test_the_workflow_plans_from_the_checkout_with_the_installed_package(installed, tmp_path):
    """Snakemake from the checkout, engbench from the wheel: config validated, the DAG built."""
    bin_dir, _ = installed
    shutil.copytree(ROOT / "config", tmp_path / "config")
    shutil.copytree(ROOT / "data" / "labels", tmp_path / "data" / "labels")
    result = subprocess.run(
        [
            bin_dir / "python", "-m", "snakemake", "--dry-run", "--cores", "1",
            "--snakefile", ROOT / "Snakefile", "--directory", tmp_path,
            "--configfile", tmp_path / "config/test/config.yaml",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert "rule report" in result.stdout + result.stderr
