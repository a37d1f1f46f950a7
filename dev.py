#!/usr/bin/env python3
"""The README's commands, and CI's lint step. Needs only Python 3.11 and pip.

    python3 dev.py demo        create .venv, install engbench (pinned), run the demo edition
    python3 dev.py test        create .venv, install engbench (pinned), run the test suite
    python3 dev.py lint        ruff, ruff format --check, snakefmt --check, snakemake --lint
    python3 dev.py notebooks   add JupyterLab to .venv, pair notebooks/*.py with .ipynb, open them

Extra arguments go to the command run: ``python3 dev.py demo --cores 2``,
``python3 dev.py test -k simulate``.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".engbench-installed"


def run(*args: str | Path) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    code = subprocess.call([str(a) for a in args], cwd=ROOT)
    if code:
        sys.exit(code)


def setup(extras: tuple[str, ...] = ("dev",)) -> None:
    """Create .venv and install engbench with ``extras``, once per pyproject.toml.

    The stamp holds the hash of pyproject.toml and the extras installed with it, so a
    later ``setup()`` keeps the notebooks extra that ``dev.py notebooks`` added."""
    if sys.version_info[:2] != (3, 11):
        sys.exit(f"engbench needs Python 3.11; this is {sys.version.split()[0]} ({sys.executable})")
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    stamp = STAMP.read_text().split() if STAMP.exists() else []
    if stamp[:1] == [wanted] and set(extras) <= set(stamp[1:]):
        return
    extras = tuple(sorted(set(extras) | set(stamp[1:])))
    if not (BIN / "python").exists():
        print(f"creating {VENV}", flush=True)
        venv.create(VENV, with_pip=True)
    run(BIN / "python", "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(BIN / "python", "-m", "pip", "install", "--quiet", "-e", f".[{','.join(extras)}]")
    STAMP.write_text(" ".join((wanted, *extras)))


def notebooks(extra: list[str]) -> None:
    """Pair each notebooks/*.py with a .ipynb (notebooks/jupytext.toml) and start JupyterLab.

    ``jupytext --sync`` writes the .ipynb where there is none and otherwise brings the older
    of the pair up to date with the newer: edits saved in JupyterLab reach the .py (which is
    what git keeps; the .ipynb files are ignored). ``--set-kernel python3`` gives each
    .ipynb the kernel of this .venv (ipykernel's), kept out of the .py files."""
    scripts = sorted((ROOT / "notebooks").glob("[0-9]*.py"))
    run(
        BIN / "jupytext",
        "--set-kernel",
        "python3",
        "--sync",
        *(p.relative_to(ROOT) for p in scripts),
    )
    run(BIN / "jupyter", "lab", "notebooks", *extra)


def main(argv: list[str]) -> None:
    if not argv or argv[0] not in {"demo", "test", "lint", "setup", "notebooks"}:
        sys.exit(__doc__)
    command, extra = argv[0], argv[1:]
    setup(("dev", "notebooks") if command == "notebooks" else ("dev",))
    if command == "demo":
        run(BIN / "snakemake", "--cores", "8", *extra)
        run(BIN / "snakemake", "--report", "results/report.html", *extra)
    elif command == "test":
        run(BIN / "python", "-m", "pytest", "-n", "2", *extra)
    elif command == "lint":
        run(BIN / "ruff", "check", ".")
        run(BIN / "ruff", "format", "--check", ".")
        run(BIN / "snakefmt", "--check", "Snakefile", "workflow/rules")
        run(BIN / "snakemake", "--lint", "--configfile", "config/test/config.yaml")
    elif command == "notebooks":
        notebooks(extra)


if __name__ == "__main__":
    main(sys.argv[1:])
