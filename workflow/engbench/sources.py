"""The raw files of an edition: each configured source's glob, expanded to files."""

from __future__ import annotations

import fnmatch
import glob
import re
from pathlib import Path

from engbench.config import ConfigError

SOURCE_KEYS = ("name", "path", "format")


def raw_files(
    sources: list[dict], timezone: str, simulated: list[str] | None = None
) -> dict[tuple[str, str], dict]:
    """(source name, file key) → path, format, options and time zone of each raw file.

    ``simulated``: the files the simulator will write (demo edition); the
    globs are matched against them instead of the disk, since they may not
    exist yet. A real source whose glob matches nothing is a ConfigError.
    """
    files: dict[tuple[str, str], dict] = {}
    problems = []
    for source in sources:
        pattern = source["path"]
        if simulated is not None:
            matches = sorted(p for p in simulated if fnmatch.fnmatch(p, pattern))
        else:
            matches = sorted(p for p in glob.glob(pattern, recursive=True) if Path(p).is_file())
        if not matches:
            problems.append(f"key `sources` ({source['name']}): path {pattern!r} matches no file")
        prefix = _fixed_prefix(pattern)
        options = {k: v for k, v in source.items() if k not in SOURCE_KEYS}
        for path in matches:
            key = re.sub(
                r"[^A-Za-z0-9._-]", "_", str(Path(path).relative_to(prefix)).replace("/", "__")
            )
            files[(source["name"], key)] = {
                "path": path,
                "format": source.get("format", "auto"),
                "options": options,
                "timezone": source.get("timezone", timezone),
            }
    if problems:
        raise ConfigError("the configured sources have no files:\n  - " + "\n  - ".join(problems))
    return files


def _fixed_prefix(pattern: str) -> Path:
    parts = []
    for part in Path(pattern).parts:
        if glob.has_magic(part):
            break
        parts.append(part)
    prefix = Path(*parts) if parts else Path(".")
    return prefix.parent if prefix.suffix and not glob.has_magic(pattern) else prefix
