"""What each job asks of a scheduler: memory and run time, from the size of its inputs.

The workflow's rules call :func:`memory_mb` and :func:`runtime_minutes` in their
``resources:``. Snakemake evaluates them when a job is ready to run, so the inputs exist
and their size on disk is known. A job that still runs out of memory (or time) on a
cluster is retried with ``attempt`` 2, 3, … (``retries`` in the profile), and every
retry asks for that many times as much.

On a laptop (``snakemake --cores 8``) memory is not limited unless ``--resources
mem_mb=…`` is given; the figures matter on a cluster (``profiles/slurm``), where a job
asking too little is killed and one asking too much waits longer in the queue.

Each stage's figures are ``base + per_mb × input size`` (megabytes on disk, directories
counted by their files), measured with the rules' ``benchmark:`` files (peak resident
memory, ``max_rss``; wall time, ``s``) on the demo edition at scales 1 and 4 and rounded
up with room (docs/cluster.md). A stage that streams its input (ingest of one file) has
no per-megabyte memory term.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import NamedTuple


class Need(NamedTuple):
    """Memory (MB) and run time (minutes) of one stage: base + per input megabyte."""

    base_mb: float
    mb_per_mb: float
    base_minutes: float
    minutes_per_mb: float


NEEDS: dict[str, Need] = {
    # simulate: its size is the configured number of messages, not an input (see simulate_need)
    "ingest_file": Need(600, 0, 5, 0.05),
    # keys of every row, then one batch of a file and one partition at a time (demo × 1 → × 4:
    # 29 → 115 MB of per-file tables, 499 → 690 MB peak)
    "merge_messages": Need(700, 3, 5, 0.1),
    # threads in shards: the first pass holds the link columns of the whole store; a shard
    # job its share of the index folder (``share``)
    "thread_index": Need(600, 8, 5, 0.1),
    "threads_shard": Need(600, 40, 5, 0.2),
    "threads": Need(600, 4, 5, 0.1),  # gathers the shards block by block
    # the response matching again per alternative: a few columns of every message (demo
    # edition, 47 MB of threads tables: 531 MB peak, 3 s)
    "robustness": Need(600, 15, 5, 0.1),
    # batches of 100,000 rows, two worker processes (demo × 1 → × 4: 17 → 69 MB of incoming
    # pairs, 1,441 → 1,527 MB peak)
    "classify": Need(1800, 2, 5, 0.2),
    "train_classifier": Need(2000, 0, 30, 0),
    # every incoming pair's few columns; resamples in blocks of bounded memory (demo × 1 → × 4:
    # 23 → 91 MB of classified pairs, 435 → 789 MB peak)
    "response_by_type": Need(500, 6, 5, 0.2),
    # metrics in parts: a group reads its organisations' rows (``share``), the edition-wide
    # part a few columns of every row; the combine step only the parts' small tables
    "metrics_part": Need(800, 25, 10, 0.5),
    "metrics": Need(800, 10, 5, 0.05),
    "panel": Need(800, 10, 5, 0.1),
    "models": Need(800, 10, 5, 0.1),
    "report": Need(1200, 10, 10, 0.1),
    "small": Need(500, 10, 5, 0.05),
    "series": Need(1000, 20, 5, 0.1),  # resamples of two editions side by side
    # the trends chapter: the series' small tables and three figures typeset (an estimate)
    "series_pdf": Need(1200, 10, 5, 0.1),
}


def input_megabytes(paths: Iterable[str | os.PathLike]) -> float:
    """Total size on disk of ``paths`` in megabytes; a directory counts all files below it;
    a path that does not exist (yet) counts nothing."""
    total = 0
    for path in map(Path, paths):
        if path.is_dir():
            total += sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
        elif path.is_file():
            total += path.stat().st_size
    return total / 1e6


def memory_mb(
    stage: str, paths: Iterable[str | os.PathLike] = (), attempt: int = 1, share: float = 1.0
) -> int:
    """Memory to ask for a job of ``stage`` reading ``paths`` (or the ``share`` of them one
    part of a stage reads), in MB (×attempt on retries)."""
    need = NEEDS[stage]
    size = input_megabytes(paths) * share
    return _round_up((need.base_mb + need.mb_per_mb * size) * attempt, 100)


def runtime_minutes(
    stage: str, paths: Iterable[str | os.PathLike] = (), attempt: int = 1, share: float = 1.0
) -> int:
    """Wall time to ask for a job of ``stage`` reading ``paths`` (or ``share`` of them), in
    minutes (×attempt)."""
    need = NEEDS[stage]
    size = input_megabytes(paths) * share
    return _round_up((need.base_minutes + need.minutes_per_mb * size) * attempt, 5)


def simulate_need(n_messages: int, attempt: int = 1) -> tuple[int, int]:
    """Memory (MB) and minutes for simulating ``n_messages`` (the simulator's size is its
    configuration, not an input file)."""
    # measured (docs/performance.md, Simulator): 622 MB at 0.35 M messages, 4,263 MB at
    # 3.5 M; about 50 s per million messages on a busy 2-core machine
    millions = n_messages / 1e6
    return (
        _round_up((800 + 1400 * millions) * attempt, 100),
        _round_up((5 + 3 * millions) * attempt, 5),
    )


def rule_needs(
    stage: str, n_simulated: int = 0, share: float | Callable[[object], float] = 1.0
) -> dict:
    """A rule's ``resources:`` as Snakemake callables: ``mem_mb`` and ``runtime`` of
    ``stage`` from its inputs and the attempt; ``simulate`` from ``n_simulated``. ``share``:
    the fraction of its inputs one job of a stage in parts reads (a number, or a function of
    the job's wildcards)."""
    if stage == "simulate":
        return {
            "mem_mb": lambda wildcards, attempt: simulate_need(n_simulated, attempt)[0],
            "runtime": lambda wildcards, attempt: simulate_need(n_simulated, attempt)[1],
        }
    NEEDS[stage]  # an unknown stage fails when the workflow is parsed, not when a job runs
    return {
        "mem_mb": lambda wildcards, input, attempt: memory_mb(
            stage, input, attempt, _share(share, wildcards)
        ),
        "runtime": lambda wildcards, input, attempt: runtime_minutes(
            stage, input, attempt, _share(share, wildcards)
        ),
    }


def _share(share: float | Callable[[object], float], wildcards) -> float:
    return share(wildcards) if callable(share) else share


def _round_up(value: float, step: int) -> int:
    return int(math.ceil(value / step) * step)
