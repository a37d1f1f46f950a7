"""A single-node SLURM cluster on this machine, for running the workflow's SLURM profile.

Debian's ``slurm-wlm`` and ``munge`` packages (Slurm 22.05) give a working cluster of one
node without systemd: write ``slurm.conf`` with the node ``slurmd -C`` reports, then start
``munged``, ``slurmctld`` and ``slurmd`` as daemons and stop them by their process ids
(``../shared/notes/slurm-single-node.md``). Needs root and the packages:

    apt-get install -y --no-install-recommends slurm-wlm munge

``why_not()`` says why a cluster cannot be started here (for a test's skip reason).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
from contextlib import contextmanager, suppress
from pathlib import Path

CONF = Path("/etc/slurm/slurm.conf")
STATE = Path("/var/lib/slurm")
LOGS = Path("/var/log/slurm")
PIDS = {
    "munged": Path("/run/munge/munged.pid"),
    "slurmctld": Path("/run/slurmctld.pid"),
    "slurmd": Path("/run/slurmd.pid"),
}


def why_not() -> str | None:
    """None where a cluster can be started here and was asked for, else the reason not."""
    if os.environ.get("ENGBENCH_SLURM_TEST") != "1":
        return (
            "set ENGBENCH_SLURM_TEST=1 to start a one-node SLURM cluster and run the test "
            "edition through it (root, Debian's slurm-wlm and munge; about 12 minutes)"
        )
    if os.name != "posix" or os.geteuid() != 0:
        return "starting a SLURM cluster needs root"
    missing = [
        c for c in ("munged", "slurmctld", "slurmd", "sbatch", "squeue") if not shutil.which(c)
    ]
    if missing:
        return (
            f"SLURM is not installed ({', '.join(missing)} not found): "
            "apt-get install -y --no-install-recommends slurm-wlm munge"
        )
    running = subprocess.run(["pgrep", "-x", "slurmctld|slurmd"], capture_output=True).stdout
    if running:
        return "SLURM daemons are already running here; stop them first (not ours to stop)"
    if CONF.exists() and "engbenchtest" not in CONF.read_text():
        return f"{CONF} belongs to another cluster; not touching it"
    return None


def write_conf() -> None:
    """slurm.conf for one node: this host, its CPUs and memory as ``slurmd -C`` reports."""
    node = subprocess.run(["slurmd", "-C"], capture_output=True, text=True, check=True).stdout
    node_line = next(line for line in node.splitlines() if line.startswith("NodeName="))
    node_line = re.sub(r"RealMemory=(\d+)", lambda m: f"RealMemory={int(m[1]) - 1024}", node_line)
    host = socket.gethostname()
    CONF.write_text(
        f"""# written by engbench tests/cluster/slurm.py: a one-node test cluster
ClusterName=engbenchtest
SlurmctldHost={host}(127.0.0.1)
SlurmUser=slurm
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
ReturnToService=2
MinJobAge=600
StateSaveLocation={STATE}/slurmctld
SlurmdSpoolDir={STATE}/slurmd
SlurmctldPidFile={PIDS["slurmctld"]}
SlurmdPidFile={PIDS["slurmd"]}
SlurmctldLogFile={LOGS}/slurmctld.log
SlurmdLogFile={LOGS}/slurmd.log
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
{node_line} NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
"""
    )


def start(timeout: float = 60) -> None:
    """Write the configuration and start munged, slurmctld and slurmd; wait for an idle node."""
    write_conf()
    for folder in (STATE / "slurmctld", STATE / "slurmd", LOGS):
        folder.mkdir(parents=True, exist_ok=True)
        shutil.chown(folder, "slurm", "slurm")
    Path("/run/munge").mkdir(exist_ok=True)
    shutil.chown("/run/munge", "munge", "munge")
    for pid in PIDS.values():
        pid.unlink(missing_ok=True)
    subprocess.run(["runuser", "-u", "munge", "--", "munged", "--force"], check=True)
    subprocess.run(["slurmctld"], check=True)
    subprocess.run(["slurmd"], check=True)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = subprocess.run(["sinfo", "-h", "-o", "%t"], capture_output=True, text=True).stdout
        if state.strip() in {"idle", "mix", "alloc"}:
            return
        time.sleep(1)
    raise RuntimeError(f"the SLURM node did not come up within {timeout:.0f} s (see {LOGS})")


def stop() -> None:
    """Stop the daemons by their process ids (slurmd, slurmctld, munged)."""
    subprocess.run(["scancel", "--user", "root"], capture_output=True)
    for name in ("slurmd", "slurmctld", "munged"):
        pid_file = PIDS[name]
        if pid_file.exists():
            with suppress(ProcessLookupError, ValueError):
                os.kill(int(pid_file.read_text().split()[0]), signal.SIGTERM)
            pid_file.unlink(missing_ok=True)


@contextmanager
def cluster():
    """A running single-node cluster for the duration of the block."""
    start()
    try:
        yield
    finally:
        stop()
