"""Threads and all indicators (1,000 bootstrap resamples) on the full demo edition.

    .venv/bin/python benchmarks/metrics.py [--store results/demo-2017/messages] [--resamples 1000]

Reports the wall time of the threads stage and of the indicators (every
organisation × platform × period cell, monthly included) plus the engagement
index, and the peak memory of the same work on 25%, 50% and 100% of the edition's
threads (each in a fresh process), to show that memory grows linearly with the
number of messages. Target (issue 4): under 60 s for the full edition.
Run `python3 dev.py demo` first.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

WORK = """
import json, sys, time, zlib
import numpy as np
from engbench.config import parse_webcare_hours
from engbench.ingest.store import read_store
from engbench.metrics import engagement_index, indicators
from engbench.organisations import brand_followers, read_organisations
from engbench.threads import derive

store, fraction, resamples, sheet = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
messages = read_store(store).drop(columns=["org", "month"])
if fraction < 1:  # keep whole threads: a fixed hash of the thread decides
    key = messages["thread_id"].fillna(messages["message_id"])
    keep = np.array([zlib.crc32(k.encode()) % 1000 < fraction * 1000 for k in key])
    messages = messages[keep]
weekdays = ("monday", "tuesday", "wednesday", "thursday", "friday")
hours = {d: "08:00-22:00" for d in weekdays} | {"saturday": "09:00-18:00", "sunday": "closed"}
hours = parse_webcare_hours(hours)
accounts = read_organisations(sheet)
followers = brand_followers(accounts)
t0 = time.perf_counter()
threads = derive(messages, 7, hours, "Europe/Amsterdam", "2017-11-01")
t1 = time.perf_counter()
table, resampled = indicators(threads.messages, threads.incoming, followers, "Europe/Amsterdam",
                              n_resamples=resamples)
weights = dict(response_rate=0.25, response_speed=0.25, dialogue_share=0.25, engagement=0.25)
league = engagement_index(table, resampled, weights)
t2 = time.perf_counter()
hwm = int([l for l in open("/proc/self/status") if l.startswith("VmHWM")][0].split()[1])
print(json.dumps({"messages": len(messages), "threads_s": t1 - t0, "indicators_s": t2 - t1,
                  "cells": int(table[["org_id", "platform", "period"]].drop_duplicates().shape[0]),
                  "rows": len(table), "peak_mb": hwm / 1024}))
"""


def run(store: str, fraction: float, resamples: int, sheet: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", WORK, store, str(fraction), str(resamples), sheet],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", default=str(ROOT / "results" / "demo-2017" / "messages"))
    parser.add_argument("--organisations", default=str(ROOT / "config" / "organisations.csv"))
    parser.add_argument("--resamples", type=int, default=1000)
    args = parser.parse_args()
    if not Path(args.store).exists():
        sys.exit(f"no message store at {args.store}: run `python3 dev.py demo` first")
    start = time.perf_counter()
    full = run(args.store, 1.0, args.resamples, args.organisations)
    print(
        f"full edition: {full['messages']:,} messages, {full['cells']:,} cells, "
        f"{full['rows']:,} rows"
    )
    print(f"  threads stage                     {full['threads_s']:6.1f} s")
    print(f"  indicators + index, {args.resamples} resamples {full['indicators_s']:6.1f} s")
    print(
        f"  total                             {full['threads_s'] + full['indicators_s']:6.1f} s"
        "   (target < 60 s)"
    )
    print("memory against size (fresh process each):")
    for fraction in (0.25, 0.5):
        part = run(args.store, fraction, args.resamples, args.organisations)
        print(
            f"  {fraction:4.0%} {part['messages']:>9,} messages  peak {part['peak_mb']:7,.0f} MB"
            f"  ({part['peak_mb'] / part['messages'] * 1e6:,.0f} bytes/message)"
        )
    print(
        f"  100% {full['messages']:>9,} messages  peak {full['peak_mb']:7,.0f} MB"
        f"  ({full['peak_mb'] / full['messages'] * 1e6:,.0f} bytes/message)"
    )
    print(f"(benchmark wall time {time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
