"""Progress and timing messages for long steps, written to a rule's log file.

Every adapter in ``workflow/scripts`` opens its log with ``open_log``; package
functions take an optional ``log`` callable (``print``-like) so they stay free
of Snakemake and file handling.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from engbench.faults import explain


def open_log(path: str | Path | None, name: str = "engbench") -> logging.Logger:
    """A logger that writes timestamped lines to ``path`` (and to stderr)."""
    logger = logging.getLogger(name)
    logger.setLevel(logging.INFO)
    logger.handlers.clear()
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%Y-%m-%d %H:%M:%S")
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if path:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.FileHandler(path, mode="w", encoding="utf-8"))
    for handler in handlers:
        handler.setFormatter(fmt)
        logger.addHandler(handler)

    def log_uncaught(kind, value, traceback):  # so the rule's log says why it failed
        plain = explain(value) or (str(value) if kind.__module__.startswith("engbench") else None)
        if plain:  # engbench's own errors and machine faults: the message, no traceback
            logging.raiseExceptions = False  # a full disk may refuse the log file too
            logger.error(f"failed: {plain}")
        else:
            logger.error("failed", exc_info=(kind, value, traceback))

    sys.excepthook = log_uncaught
    return logger


@contextmanager
def step(log: Callable[[str], object], what: str) -> Iterator[None]:
    """Log the start and the duration of a step."""
    log(f"{what} …")
    start = time.perf_counter()
    yield
    log(f"{what}: done in {time.perf_counter() - start:.1f} s")
