"""The whole workflow at several sizes of the demo edition: wall time per stage, peak memory.

    .venv/bin/python benchmarks/scale.py [--scales 1 4] [--cores 2] [--write docs/performance.md]

Runs ``snakemake --cores N`` on the demo edition (config/config.yaml) with ``demo.scale``
set to each scale, each in a scratch folder of its own, and reads every job's Snakemake
benchmark file (``logs/<edition>/benchmarks/``: wall time ``s`` and peak resident memory
``max_rss``). Per stage: the summed wall time of its jobs, the peak memory of its
largest job, and both per million messages kept, as a ratio against the first scale
(measured in the same command, so the machine's load affects both alike). ``--write``
replaces the section "Workflow at scale" of the given Markdown file with the table.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[1]
SECTION = "## Workflow at scale"
STAGES_IN_PARTS = {
    "threads, all jobs": ["thread_index", "threads_shard", "threads"],
    "metrics, all jobs": ["metrics_part", "metrics"],
}


def run_scale(
    scale: float, cores: int, folder: Path, shards: int | None = None
) -> tuple[pd.DataFrame, float, int]:
    """Run the demo edition at ``scale`` in ``folder``; per-stage table, wall time, messages.
    ``shards``: the number of thread shards and of metrics groups (default: the config's)."""
    folder.mkdir(parents=True)
    shutil.copytree(ROOT / "config", folder / "config")
    shutil.copytree(ROOT / "data" / "labels", folder / "data" / "labels")
    config = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
    config["demo"]["scale"] = scale
    if shards:
        config["shards"] = {"threads": shards, "metrics": shards}
    (folder / "config" / "scaled.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    command = [
        sys.executable,
        "-m",
        "snakemake",
        "--snakefile",
        str(ROOT / "Snakefile"),
        "--directory",
        str(folder),
        "--cores",
        str(cores),
        "--configfile",
        str(folder / "config" / "scaled.yaml"),
    ]
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if result.returncode:
        sys.exit(f"scale {scale}: snakemake failed\n{result.stderr[-3000:]}")
    edition = config["edition"]["name"]
    rows = []
    benchmarks = folder / "logs" / edition / "benchmarks"
    for tsv in benchmarks.rglob("*.tsv"):
        # a rule with one job per file, shard or group keeps its files in a folder of its own
        inside = tsv.relative_to(benchmarks).parts
        stage = tsv.stem if len(inside) == 1 else inside[0]
        stage = "ingest_file" if stage == "ingest" else stage
        measured = pd.read_csv(tsv, sep="\t").iloc[-1]
        rows.append({"stage": stage, "seconds": measured["s"], "max_rss_mb": measured["max_rss"]})
    jobs = pd.DataFrame(rows)
    # a stage in parts, also as a whole: all its jobs together
    for whole, parts in STAGES_IN_PARTS.items():
        jobs = pd.concat([jobs, jobs[jobs["stage"].isin(parts)].assign(stage=whole)])
    table = jobs.groupby("stage").agg(
        jobs=("seconds", "size"), seconds=("seconds", "sum"), peak_mb=("max_rss_mb", "max")
    )
    counts = json.loads((folder / "results" / edition / "threads" / "counts.json").read_text())
    return table, wall, int(counts["messages"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[1.0, 4.0])
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="keep the scratch folders")
    parser.add_argument(
        "--shards-per-scale",
        type=int,
        help="thread shards and metrics groups per unit of scale (e.g. 2: 2 at × 1, 8 at × 4), "
        "so that each part stays the size it has at × 1; default: the config's",
    )
    parser.add_argument("--write", type=Path, help="Markdown file whose section to replace")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="engbench-scale-"))
    tables, walls, sizes = {}, {}, {}
    try:
        for scale in args.scales:
            print(f"scale {scale:g}: running …", flush=True)
            shards = max(1, round(args.shards_per_scale * scale)) if args.shards_per_scale else None
            tables[scale], walls[scale], sizes[scale] = run_scale(
                scale, args.cores, scratch / f"x{scale:g}", shards
            )
            print(f"  {sizes[scale]:,} messages in {walls[scale]:.0f} s", flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)
    base = args.scales[0]
    lines = [
        f"`benchmarks/scale.py --scales {' '.join(f'{s:g}' for s in args.scales)} "
        f"--cores {args.cores}"
        + (f" --shards-per-scale {args.shards_per_scale}" if args.shards_per_scale else "")
        + f"`, {time.strftime('%Y-%m-%d')}: per stage the summed wall time "
        "of its jobs (s) and the peak resident memory of its largest job (MB); cost ratio = "
        f"seconds per message against scale {base:g} (1.00 = linear).",
        "",
        "| stage | "
        + " | ".join(f"× {s:g} s | × {s:g} MB" for s in args.scales)
        + " | "
        + " | ".join(f"cost ratio × {s:g}" for s in args.scales[1:])
        + " |",
        "|---|" + "---|---|" * len(args.scales) + "---|" * (len(args.scales) - 1),
    ]
    stages = sorted(set().union(*(t.index for t in tables.values())))
    for stage in [*stages, "whole workflow"]:
        cells, ratios = [], []
        for scale in args.scales:
            if stage == "whole workflow":
                seconds, peak = walls[scale], max(tables[scale]["peak_mb"])
            else:
                seconds, peak = tables[scale].loc[stage, ["seconds", "peak_mb"]]
            cells += [f"{seconds:,.1f}", f"{peak:,.0f}"]
            if scale != base:
                base_seconds = (
                    walls[base] if stage == "whole workflow" else tables[base].loc[stage, "seconds"]
                )
                ratio = (seconds / sizes[scale]) / (base_seconds / sizes[base])
                ratios.append(f"{ratio:.2f}")
        lines.append(f"| {stage} | " + " | ".join(cells + ratios) + " |")
    lines.append("")
    lines.append("Messages kept: " + ", ".join(f"× {s:g}: {sizes[s]:,}" for s in args.scales) + ".")
    text = "\n".join(lines)
    print(text)
    if args.write:
        old = args.write.read_text() if args.write.exists() else "# Performance\n"
        head, _, rest = old.partition(SECTION)
        tail = rest[rest.find("\n## ") :] if "\n## " in rest else ""
        args.write.write_text(f"{head.rstrip()}\n\n{SECTION}\n\n{text}\n{tail}")


if __name__ == "__main__":
    main()
