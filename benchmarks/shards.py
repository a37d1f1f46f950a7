"""CPU seconds of the threads stage's steps in shards, in one process.

    .venv/bin/python benchmarks/shards.py [--store results/demo-2017/messages] [--shards 2]

Runs what the rules ``thread_index``, ``threads_shard`` and ``threads`` run, one after the
other in this process (``engbench.shards``), in a scratch folder, and prints the CPU time of
each step (less sensitive to other load than wall time) and the peak memory of the process.
Run it on two stores of different size (e.g. the kept folders of ``benchmarks/scale.py
--keep``) to compare the cost per message.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from engbench import shards
from engbench.config import parse_webcare_hours

ROOT = Path(__file__).resolve().parents[1]
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")
HOURS = {d: "08:00-22:00" for d in WEEKDAYS} | {"saturday": "09:00-18:00", "sunday": "closed"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", default=str(ROOT / "results" / "demo-2017" / "messages"))
    parser.add_argument("--shards", type=int, default=2)
    args = parser.parse_args()
    hours = parse_webcare_hours(HOURS)
    tmp = Path(tempfile.mkdtemp(prefix="engbench-shards-"))
    start = time.process_time()
    sizes = shards.write_thread_index(args.store, tmp / "index", args.shards)
    print(f"{sizes['messages']:,} messages; thread index {time.process_time() - start:.1f} s")
    outputs = []
    for k in range(args.shards):
        start = time.process_time()
        shard = shards.read_shard(shards.shard_path(tmp / "index", k))
        result = shards.derive_shard(shard, 7, hours, "Europe/Amsterdam", "2017-11-01")
        derived = time.process_time()
        names = [tmp / f"messages-{k}.parquet", tmp / f"incoming-{k}.parquet"]
        shards.write_shard(result, *names, tmp / f"counts-{k}.json")
        print(
            f"shard {k}: {len(shard):,} messages; derive {derived - start:.1f} s, "
            f"write {time.process_time() - derived:.1f} s"
        )
        outputs.append(names)
    start = time.process_time()
    shards.gather([m for m, _ in outputs], tmp / "messages.parquet", [shards.ROW])
    shards.gather([i for _, i in outputs], tmp / "incoming.parquet", [shards.ROW, shards.PAIR])
    print(f"gather {time.process_time() - start:.1f} s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process {peak:,.0f} MB")


if __name__ == "__main__":
    main()
