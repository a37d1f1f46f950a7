#!/usr/bin/env python3
"""The README's two commands, and CI's lint step. Needs only Python 3.11 and pip.

    python3 dev.py demo   create .venv, install engbench (pinned), run the demo edition
    python3 dev.py test   create .venv, install engbench (pinned), run the test suite
    python3 dev.py lint   ruff, ruff format --check, snakefmt --check, snakemake --lint

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


def setup() -> None:
    """Create .venv and install engbench with its dev extras, once per pyproject.toml."""
    if sys.version_info[:2] != (3, 11):
        sys.exit(f"engbench needs Python 3.11; this is {sys.version.split()[0]} ({sys.executable})")
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    if not (BIN / "python").exists():
        print(f"creating {VENV}", flush=True)
        venv.create(VENV, with_pip=True)
    run(BIN / "python", "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(BIN / "python", "-m", "pip", "install", "--quiet", "-e", ".[dev]")
    STAMP.write_text(wanted)


def main(argv: list[str]) -> None:
    if not argv or argv[0] not in {"demo", "test", "lint", "setup"}:
        sys.exit(__doc__)
    command, extra = argv[0], argv[1:]
    setup()
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


if __name__ == "__main__":
    main(sys.argv[1:])
