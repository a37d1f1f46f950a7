"""Faults of the machine rather than the data: a full disk, a folder that cannot be written.

``explain`` turns such an OSError into one line saying what happened, where, and
what to do; ``check_writable`` refuses a run whose results or logs folder cannot be
written before any job starts (otherwise Snakemake stops mid-way with its own
PermissionError).
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

DISK_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
NOT_WRITABLE = {errno.EACCES, errno.EPERM, errno.EROFS}


class WritableError(OSError):
    """A folder the workflow writes to cannot be written; the message names it."""


def explain(error: BaseException) -> str | None:
    """One line for a full disk or a folder that cannot be written, else None."""
    if not isinstance(error, OSError) or error.errno not in DISK_FULL | NOT_WRITABLE:
        return None
    where = f" {error.filename}" if error.filename else ""
    if error.errno in DISK_FULL:
        return (
            f"cannot write{where}: no space left on the device ({os.strerror(error.errno)}). "
            "Free space (or point the results elsewhere) and run the workflow again: finished "
            "steps are kept, unfinished outputs are removed and redone"
        )
    return (
        f"cannot write{where}: {os.strerror(error.errno).lower()}. Make the folder writable "
        "for this user (or run from a copy of the project) and run the workflow again"
    )


def check_writable(folders) -> None:
    """WritableError unless each folder (or the nearest folder above it that exists) is writable."""
    problems = []
    for folder in map(Path, folders):
        existing = folder
        while not existing.exists() and existing != existing.parent:
            existing = existing.parent
        if not os.access(existing, os.W_OK | os.X_OK):
            problems.append(
                f"{existing}{'' if existing == folder else f' (for {folder})'}: not writable"
            )
    if problems:
        raise WritableError(
            "the workflow cannot write its outputs:\n  - "
            + "\n  - ".join(problems)
            + "\nMake these folders writable for this user (or run from a copy of the project)."
        )
