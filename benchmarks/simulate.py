"""How long the full-scale demo edition takes to simulate and write, and its peak memory.

    .venv/bin/python benchmarks/simulate.py [--scale 1.0] [--out /tmp/engbench-bench]

Reports wall time per phase, the peak resident memory of the process, and, as
a baseline measured in the same process, the time a bare ``orjson.dumps``
loop takes to serialise one flat record per simulated message (the floor of
writing that many JSON objects). Machines are shared and noisy: compare the
ratio, not the seconds. Target (issue 2): full scale under 60 s on 2 cores.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from pathlib import Path

import orjson
import yaml

from engbench.config import validate_config
from engbench.organisations import read_organisations
from engbench.simulate import simulate_edition, simulation_settings, write_edition

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--config", default=str(ROOT / "config" / "config.yaml"))
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    config = validate_config(yaml.safe_load(Path(args.config).read_text()))
    out = Path(args.out or tempfile.mkdtemp(prefix="engbench-bench-"))

    t0 = time.perf_counter()
    accounts = read_organisations(ROOT / config["organisations"])
    edition = simulate_edition(accounts, **simulation_settings(config, scale=args.scale))
    t1 = time.perf_counter()
    counts = write_edition(edition, str(out), log=lambda *_: None)
    t2 = time.perf_counter()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    records = edition.messages[["platform", "message_id", "thread_id", "author_id", "text"]]
    records = records.assign(created_at=edition.messages["created_at"].astype(str))
    rows = records.to_dict("records")
    t3 = time.perf_counter()
    size = sum(len(orjson.dumps(r)) for r in rows)
    baseline = time.perf_counter() - t3
    raw_bytes = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())

    print(f"messages simulated        {counts['messages']:>12,}")
    print(f"panel respondents / pairs {counts['respondents']:>6,} / {counts['panel_pairs']:,}")
    print(f"simulate                  {t1 - t0:>10.1f} s")
    print(f"write (raw, panel, truth) {t2 - t1:>10.1f} s   ({raw_bytes / 1e6:,.0f} MB on disk)")
    print(f"total                     {t2 - t0:>10.1f} s   target < 60 s")
    print(f"peak resident memory      {peak_mb:>10,.0f} MB")
    print(f"baseline: orjson.dumps, 1 record/message {baseline:>6.2f} s   ({size / 1e6:,.0f} MB)")
    print(f"total / baseline          {(t2 - t0) / baseline:>10.1f} x")
    if args.out is None:
        shutil.rmtree(out)


if __name__ == "__main__":
    main()
