"""Ingest throughput on the full demo edition, against two baselines, and memory on a 1 GB file.

    .venv/bin/python benchmarks/ingest.py [--edition data/demo/demo-2017] [--big-gb 1.0]

Runs, in one process over the same raw files (run `python3 dev.py demo` first):
  1. bare parse: a loop that only does orjson.loads on every line (the floor);
  2. engbench ingest (files.ingest_file, one file after another, one core);
  3. the pandas approach a researcher would write: pd.read_json(lines=True) on
     each file, then pd.json_normalize of the tweets / posts and comments.
Reports messages per second and the ratios ingest / bare and pandas / ingest.
Then ingests one file of about --big-gb GB (demo pages repeated) in a child
process and reports its peak resident memory. Targets (issue 3): ingest within
2x of the bare parse, at least 3x faster than pandas, < 500 MB for 1 GB.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson
import pandas as pd

from engbench.ingest.canonical import OrganisationIndex
from engbench.ingest.files import ingest_file
from engbench.ingest.privacy import DEMO_KEY, Pseudonymiser
from engbench.organisations import read_organisations

ROOT = Path(__file__).resolve().parents[1]


def bare(files: list[Path]) -> int:
    n = 0
    for path in files:
        with open(path, "rb") as f:
            for line in f:
                orjson.loads(line)
                n += 1
    return n


def engbench_ingest(files: list[Path], accounts, out: Path) -> int:
    organisations = OrganisationIndex(accounts)
    pseudonymise = Pseudonymiser(DEMO_KEY.encode())
    kept = 0
    for i, path in enumerate(files):
        summary = ingest_file(
            path,
            source=path.parent.name,
            fmt="auto",
            organisations=organisations,
            pseudonymise=pseudonymise,
            out=out / f"{i}.parquet",
            quarantine=out / f"{i}.jsonl",
            options={"org_id": "{stem}"},
        )
        kept += summary.kept
    return kept


def pandas_way(files: list[Path]) -> int:
    n = 0
    for path in files:
        pages = pd.read_json(path, lines=True)
        if path.parent.name == "twitter":
            tweets = [t for page in pages["data"].dropna() for t in page]
            includes = [
                t
                for inc in pages.get("includes", pd.Series(dtype=object)).dropna()
                for t in inc.get("tweets", [])
            ]
            n += len(pd.json_normalize(tweets)) + len(pd.json_normalize(includes))
        else:
            posts = [p for page in pages["data"] for p in page]
            n += len(pd.json_normalize(posts))
            with_comments = [p for p in posts if p.get("comments", {}).get("data")]
            comments = pd.json_normalize(with_comments, record_path=["comments", "data"])
            n += len(comments)
            if "comments.data" in comments:
                n += len(
                    pd.json_normalize([r for rs in comments["comments.data"].dropna() for r in rs])
                )
    return n


def timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - start


def big_file_memory(
    source: Path, gigabytes: float, accounts_path: Path
) -> tuple[float, float, int]:
    with tempfile.TemporaryDirectory() as folder:
        big = Path(folder) / "big.jsonl"
        data = source.read_bytes()
        with open(big, "wb") as f:
            written = 0
            while written < gigabytes * 1e9:
                f.write(data)
                written += len(data)
        code = (
            "import sys\n"
            "from engbench.ingest.canonical import OrganisationIndex\n"
            "from engbench.ingest.files import ingest_file\n"
            "from engbench.ingest.privacy import DEMO_KEY, Pseudonymiser\n"
            "from engbench.organisations import read_organisations\n"
            f"s = ingest_file({str(big)!r}, source='big', fmt='x_api_v2',"
            f" organisations=OrganisationIndex(read_organisations({str(accounts_path)!r})),"
            f" pseudonymise=Pseudonymiser(DEMO_KEY.encode()), out={folder!r} + '/big.parquet',"
            f" quarantine={folder!r} + '/big.q')\n"
            # VmHWM: the child's own peak (ru_maxrss keeps the parent's across exec)
            "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]\n"
            "print(s.read, hwm)\n"
        )
        start = time.perf_counter()
        output = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        seconds = time.perf_counter() - start
        read, peak_kb = map(int, output.stdout.split())
        return written / 1e9, peak_kb / 1024, read if seconds else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edition", default=str(ROOT / "data" / "demo" / "demo-2017"))
    parser.add_argument("--organisations", default=str(ROOT / "config" / "organisations.csv"))
    parser.add_argument("--big-gb", type=float, default=1.0)
    parser.add_argument("--skip-pandas", action="store_true")
    args = parser.parse_args()
    files = sorted(Path(args.edition).glob("raw/*/*.jsonl"))
    if not files:
        sys.exit(f"no raw files under {args.edition}: run `python3 dev.py demo` first")
    size = sum(p.stat().st_size for p in files) / 1e6
    accounts = read_organisations(args.organisations)

    lines, t_bare = timed(bare, files)
    with tempfile.TemporaryDirectory() as folder:
        messages, t_ingest = timed(engbench_ingest, files, accounts, Path(folder))
    print(
        f"{len(files)} files, {size:,.0f} MB, {lines:,} response pages, {messages:,} messages read"
    )
    print(f"bare orjson parse   {t_bare:7.2f} s   {messages / t_bare:>10,.0f} messages/s")
    print(f"engbench ingest     {t_ingest:7.2f} s   {messages / t_ingest:>10,.0f} messages/s")
    print(f"ingest / bare parse {t_ingest / t_bare:7.2f} x   (target <= 2)")
    if not args.skip_pandas:
        normalised, t_pandas = timed(pandas_way, files)
        print(
            f"pandas approach     {t_pandas:7.2f} s   {normalised / t_pandas:>10,.0f} rows/s "
            f"({normalised:,} rows)"
        )
        print(f"pandas / ingest     {t_pandas / t_ingest:7.2f} x   (target >= 3)")
    biggest = max((p for p in files if p.parent.name == "twitter"), key=lambda p: p.stat().st_size)
    gb, peak_mb, read = big_file_memory(biggest, args.big_gb, Path(args.organisations))
    print(
        f"one {gb:.2f} GB file ({read:,} messages): peak memory {peak_mb:,.0f} MB   (target < 500)"
    )
    print(
        "this process's peak memory: "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB"
    )


if __name__ == "__main__":
    main()
