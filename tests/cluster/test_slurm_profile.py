"""The test edition through ``profiles/slurm`` on a real single-node SLURM cluster.

Every job goes through sbatch with the memory and run time engbench.resources computes;
the results must be byte for byte those of a local run. Needs root and Debian's
``slurm-wlm`` and ``munge`` (tests/cluster/slurm.py); skipped elsewhere, CI included (a
run through the scheduler takes several minutes: docs/cluster.md).
"""

from __future__ import annotations

import filecmp
import re
import subprocess
import time

import pytest

from tests.cluster import slurm
from tests.conftest import ROOT, project_copy, snakemake_command

pytestmark = [
    pytest.mark.workflow,
    pytest.mark.skipif(slurm.why_not() is not None, reason=f"no SLURM here: {slurm.why_not()}"),
]

EDITION = "results/test-2017"


def scratch(folder):
    folder.mkdir()
    return project_copy(folder)


def snakemake(workdir, *args):
    command = snakemake_command(workdir, *args, config=workdir / "config/test/config.yaml")
    return subprocess.run(command, capture_output=True, text=True, timeout=1800)


def outputs(folder):
    return sorted(p.relative_to(folder) for p in (folder / EDITION).rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    local = scratch(tmp_path_factory.mktemp("local") / "edition")
    result = snakemake(local, "--cores", "2")
    assert result.returncode == 0, result.stderr[-3000:]
    on_slurm = scratch(tmp_path_factory.mktemp("slurm") / "edition")
    with slurm.cluster():
        start = time.monotonic()
        result = snakemake(
            on_slurm,
            "--workflow-profile",
            str(ROOT / "profiles" / "slurm"),
            "--seconds-between-status-checks",
            "5",
        )
        seconds = time.monotonic() - start
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    print(f"through SLURM in {seconds:.0f} s")
    return local, on_slurm, result


def test_every_rule_went_through_the_scheduler(runs):
    local, _, result = runs
    log = result.stdout + result.stderr
    # each rule that ran locally wrote its benchmark file (a rule with one job per shard or
    # group: a folder of them); through SLURM, each job was submitted with a SLURM log
    # under logs/slurm/rule_<rule>/, the ingest jobs as one array
    benchmarks = local / "logs/test-2017/benchmarks"
    ran_locally = {p.stem for p in benchmarks.glob("*.tsv")} | {
        p.name for p in benchmarks.iterdir() if p.is_dir() and p.name != "ingest"
    }
    submitted = set(
        re.findall(r"has been submitted with SLURM jobid \d+ \(log: \S*/rule_(\w+)/", log)
    )
    assert len(ran_locally) >= 16
    assert submitted == ran_locally, log[-3000:]
    assert re.search(r"Submitted array job with Snakemake IDs (\d+,){7}\d+ and SLURM job ID", log)


def test_results_are_byte_identical_to_a_local_run(runs):
    local, on_slurm, _ = runs
    assert outputs(local) == outputs(on_slurm)
    assert len(outputs(local)) > 50
    _, mismatch, errors = filecmp.cmpfiles(
        local, on_slurm, [str(p) for p in outputs(local)], shallow=False
    )
    assert not mismatch and not errors, mismatch + errors
