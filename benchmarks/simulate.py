"""The simulator's cost per message at several scales of the demo edition.

    .venv/bin/python benchmarks/simulate.py [--scales 1 2 4] [--ten] [--config config/config.yaml]

Each scale runs in a fresh subprocess (so its peak resident memory is its own):
``simulate_edition`` and ``write_edition`` with ``demo.scale`` set to the scale,
written to a temporary folder that is removed afterwards. Reports per scale the
messages simulated, wall time (simulate, write, total), CPU time (user + system,
less sensitive to other load on a shared machine), peak resident memory, and
time, CPU and memory per message relative to the first scale measured in the
same command. Linear cost gives ratios near 1.0. ``--ten`` adds scale 10
(≈ 3.4 M messages, some minutes, ~3 GB on disk while it runs). Prints a
Markdown table (docs/performance.md, "Simulator").
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from engbench.config import validate_config
from engbench.organisations import read_organisations
from engbench.simulate import simulate_edition, simulation_settings, write_edition

ROOT = Path(__file__).resolve().parents[1]


def one_scale(config_path: str, scale: float) -> dict:
    """Simulate and write the edition at ``scale``; time, CPU and peak memory of this process."""
    config = validate_config(yaml.safe_load(Path(config_path).read_text()))
    out = Path(tempfile.mkdtemp(prefix="engbench-bench-"))
    try:
        cpu0, t0 = time.process_time(), time.perf_counter()
        accounts = read_organisations(ROOT / config["organisations"])
        edition = simulate_edition(accounts, **simulation_settings(config, scale=scale))
        t1 = time.perf_counter()
        counts = write_edition(edition, str(out), log=lambda *_: None)
        t2, cpu2 = time.perf_counter(), time.process_time()
        disk = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    finally:
        shutil.rmtree(out)
    return {
        "scale": scale,
        "messages": counts["messages"],
        "simulate_s": t1 - t0,
        "write_s": t2 - t1,
        "total_s": t2 - t0,
        "cpu_s": cpu2 - cpu0,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "disk_mb": disk / 1e6,
    }


def table(rows: list[dict]) -> str:
    base = rows[0]

    def per_message(row, key):
        return (row[key] / row["messages"]) / (base[key] / base["messages"])

    lines = [
        "| scale | messages | simulate s | write s | total s | CPU s | peak MB | on disk MB "
        "| time / msg | CPU / msg | memory / msg |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| × {r['scale']:g} | {r['messages']:,} | {r['simulate_s']:.1f} | {r['write_s']:.1f} "
            f"| {r['total_s']:.1f} | {r['cpu_s']:.1f} | {r['peak_mb']:,.0f} | {r['disk_mb']:,.0f} "
            f"| {per_message(r, 'total_s'):.2f} | {per_message(r, 'cpu_s'):.2f} "
            f"| {per_message(r, 'peak_mb'):.2f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[1.0, 2.0, 4.0])
    parser.add_argument("--ten", action="store_true", help="also scale 10 (≈ 3.4 M messages)")
    parser.add_argument("--config", default=str(ROOT / "config" / "config.yaml"))
    parser.add_argument("--one", type=float, help=argparse.SUPPRESS)  # a subprocess's scale
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(one_scale(args.config, args.one)))
        return
    scales = args.scales + ([10.0] if args.ten and 10.0 not in args.scales else [])
    rows = []
    for scale in scales:
        done = subprocess.run(
            [sys.executable, __file__, "--config", args.config, "--one", str(scale)],
            check=True,
            capture_output=True,
            text=True,
        )
        rows.append(json.loads(done.stdout.splitlines()[-1]))
        r = rows[-1]
        print(
            f"× {scale:g}: {r['messages']:,} messages, {r['total_s']:.1f} s, "
            f"{r['peak_mb']:,.0f} MB",
            file=sys.stderr,
            flush=True,
        )
    when = time.strftime("%Y-%m-%d")
    print(f"{os.cpu_count()} cores, {when}; per message relative to × {scales[0]:g}")
    print()
    print(table(rows))


if __name__ == "__main__":
    main()
