"""The raw files of an edition: each configured source's glob, expanded to files."""

from __future__ import annotations

import fnmatch
import glob
import hashlib
import os
import re
from pathlib import Path

from engbench.config import ConfigError

SOURCE_KEYS = ("name", "path", "format")
SAFE = re.compile(r"[^A-Za-z0-9._-]")
MAX_KEY = 150  # output names are <key>.summary.json etc.: well under the usual 255-byte limit


def raw_files(
    sources: list[dict], timezone: str, simulated: list[str] | None = None
) -> dict[tuple[str, str], dict]:
    """(source name, file key) → path, format, options and time zone of each raw file.

    ``simulated``: the files the simulator will write (demo edition); the
    globs are matched against them instead of the disk, since they may not
    exist yet. A real source whose glob matches nothing, a folder given as a
    file, a link to nothing, or a file matched by two sources is a ConfigError.
    """
    files: dict[tuple[str, str], dict] = {}
    problems = []
    claimed: dict[str, str] = {}  # real path → source that has it
    for source in sources:
        pattern = source["path"]
        if simulated is not None:
            matches = sorted(p for p in simulated if fnmatch.fnmatch(p, pattern))
        else:
            found = sorted(glob.glob(pattern, recursive=True))
            if not glob.has_magic(pattern) and Path(pattern).is_dir():
                problems.append(
                    f"key `sources` ({source['name']}): path {pattern!r} is a folder, not a file; "
                    f"give a pattern for the files in it, e.g. '{pattern.rstrip('/')}/*.jsonl'"
                )
                continue
            broken = [p for p in found if not os.path.exists(p)]
            problems += [
                f"key `sources` ({source['name']}): {p!r} is a link to a file that does not "
                f"exist ({os.readlink(p)!r})"
                for p in broken
            ]
            if "." in Path(pattern).name:  # a pattern for files (`*.jsonl`) that matches a folder
                problems += [
                    f"key `sources` ({source['name']}): {p!r} is a folder, not a file"
                    for p in found
                    if Path(p).is_dir()
                ]
            matches = [p for p in found if Path(p).is_file()]
        if not matches and simulated is not None:
            on_disk = [p for p in glob.glob(pattern, recursive=True) if Path(p).is_file()]
            problems.append(
                f"key `sources` ({source['name']}): path {pattern!r} matches none of the files "
                "the simulator writes — demo.enabled is true, so the globs are matched against "
                "the simulated files (under demo.outdir), not the disk"
                + (f" (on disk it matches {len(on_disk):,} file(s))" if on_disk else "")
                + "; for a real edition set demo.enabled: false"
            )
        elif not matches:
            problems.append(f"key `sources` ({source['name']}): path {pattern!r} matches no file")
        for path in matches:
            real = os.path.realpath(path)
            if real in claimed and claimed[real] != source["name"]:
                problems.append(
                    f"key `sources`: {path!r} is matched by both source {claimed[real]!r} and "
                    f"source {source['name']!r}; narrow one of the patterns so that each file "
                    "is read once"
                )
            claimed.setdefault(real, source["name"])
        prefix = _fixed_prefix(pattern)
        options = {k: v for k, v in source.items() if k not in SOURCE_KEYS}
        names = [str(Path(p).relative_to(prefix)) for p in matches]
        for path, key in zip(matches, file_keys(names), strict=True):
            files[(source["name"], key)] = {
                "path": path,
                "format": source.get("format", "auto"),
                "options": options,
                "timezone": source.get("timezone", timezone),
            }
    if problems:
        raise ConfigError(
            "the configured sources' files cannot be read:\n  - " + "\n  - ".join(problems)
        )
    return files


def file_keys(names: list[str]) -> list[str]:
    """A file key per relative path: safe in a file name, unique, stable between runs.

    A name that is safe as it is (``[A-Za-z0-9._-]``, folders joined by ``__``)
    is its own key. A name that had to be changed, that would clash with another
    safe name when case is ignored (macOS and Windows file systems), or that is too
    long gets ``~`` and 8 hex digits of a SHA-256 of the name: ``rail ned.jsonl`` →
    ``rail_ned.jsonl~1c2e…`` beside ``rail_ned.jsonl``. ``~`` never occurs in a
    safe name, so a hashed key never equals a plain one, and adding a file never
    changes the key of a safe name unless only case tells them apart.
    """
    joined = [n.replace(os.sep, "/").replace("/", "__") for n in names]
    plain = [SAFE.sub("_", n) for n in joined]
    folded: dict[str, int] = {}  # unchanged names, case ignored
    for name, key in zip(joined, plain, strict=True):
        if key == name:
            folded[key.casefold()] = folded.get(key.casefold(), 0) + 1
    keys = []
    for name, joined_name, key in zip(names, joined, plain, strict=True):
        changed = key != joined_name
        if changed or folded[key.casefold()] > 1 or len(key) > MAX_KEY:
            digest = hashlib.sha256(name.encode("utf-8", "surrogateescape")).hexdigest()
            key = f"{key[:MAX_KEY]}~{digest[:8]}"
        keys.append(key)
    return keys


def _fixed_prefix(pattern: str) -> Path:
    parts = []
    for part in Path(pattern).parts:
        if glob.has_magic(part):
            break
        parts.append(part)
    prefix = Path(*parts) if parts else Path(".")
    return prefix.parent if prefix.suffix and not glob.has_magic(pattern) else prefix
