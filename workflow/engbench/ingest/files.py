"""Ingest one raw file: parse, check, pseudonymise, write parquet, quarantine the rest.

Memory stays flat as a file grows: records stream from ``reading``, rows go
to parquet in batches, bad records to the quarantine file as they appear.
Every record read ends as a row or a quarantine entry (read = kept +
quarantined); duplicates are counted later, by the merge.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from itertools import chain, repeat
from pathlib import Path

import orjson
import pyarrow.parquet as pq

from engbench.ingest.canonical import RAW_FIELDS, Finaliser, OrganisationIndex
from engbench.ingest.detect import detect_format
from engbench.ingest.formats import FORMATS
from engbench.ingest.privacy import Pseudonymiser
from engbench.ingest.reading import iter_csv, iter_json, iter_raw_lines, json_layout, parse_line
from engbench.ingest.records import FILE_SCHEMA, Bad, Block, IngestError, ParseContext

BATCH_ROWS = 20_000
PROGRESS_EVERY = 100_000


@dataclass
class FileSummary:
    source: str
    source_file: str
    source_format: str
    read: int = 0
    kept: int = 0
    quarantined: int = 0
    empty: bool = False
    first_bad: dict | None = None
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def ingest_file(
    path: str | Path,
    *,
    source: str,
    fmt: str,
    organisations: OrganisationIndex,
    pseudonymise: Pseudonymiser,
    out: str | Path,
    quarantine: str | Path,
    options: dict | None = None,
    timezone: str = "UTC",
    max_quarantine_share: float = 0.01,
    log: Callable[[str], object] = lambda _: None,
) -> FileSummary:
    """Ingest ``path`` into the parquet file ``out``; bad records go to ``quarantine``.

    Raises IngestError (after writing the quarantine file, and leaving no
    ``out``) when the file's format is unknown or its quarantined share exceeds
    ``max_quarantine_share``.
    """
    path = Path(path)
    options = dict(options or {})
    if not path.exists():
        raise IngestError(f"{path}: file not found")
    if fmt == "auto":
        fmt = detect_format(path)
    if fmt not in FORMATS:
        raise IngestError(f"{path}: unknown format {fmt!r}; known: {', '.join(sorted(FORMATS))}")
    parser = FORMATS[fmt]
    source_file = str(path)
    context = ParseContext(source_file=source_file, options=options, timezone=timezone)
    default_org = options.get("org_id")
    if default_org == "{stem}":
        default_org = path.name.split(".")[0]
    finalise = Finaliser(organisations, pseudonymise, fmt, source_file, default_org, timezone)
    summary = FileSummary(source=source, source_file=source_file, source_format=fmt)
    problems = getattr(parser, "check_file", None)
    if problems is not None:
        problems(path, context)  # raises IngestError for damage no record-level check can fix

    out, quarantine = Path(out), Path(quarantine)
    out.parent.mkdir(parents=True, exist_ok=True)
    quarantine.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    # an intermediate file, read once by the merge: fast compression
    writer = pq.ParquetWriter(partial, FILE_SCHEMA, compression="lz4")
    pending: list[dict] = []  # messages as dicts, in order
    blocks: list[Block] = []  # and as column blocks (pending dicts are turned into one first)
    size = 0
    if hasattr(parser, "records"):  # the format reads its own files (mapped_table: XLSX)
        stream = _parsed(parser.records(path, context), parser, context)
    elif parser.READER == "csv":
        stream = _parsed(iter_csv(path, options.get("delimiter")), parser, context)
    elif hasattr(parser, "decode_line") and json_layout(path) == "lines":
        stream = _decoded_lines(path, parser, context)
    else:
        stream = _parsed(iter_json(path), parser, context)
    try:
        with open(quarantine, "wb") as bad_file:

            def reject(bad: Bad) -> None:
                summary.read += 1
                summary.quarantined += 1
                entry = bad.as_dict(source_file)
                if summary.first_bad is None:
                    summary.first_bad = entry
                bad_file.write(orjson.dumps(entry) + b"\n")

            def close_rows() -> None:
                if pending:
                    columns = {name: [row.get(name) for row in pending] for name in RAW_FIELDS}
                    blocks.append(Block(columns, [row.pop("_location") for row in pending]))
                    pending.clear()

            def flush() -> None:
                close_rows()
                columns = {
                    name: list(
                        chain.from_iterable(
                            b.columns.get(name) or repeat(None, len(b.locations)) for b in blocks
                        )
                    )
                    for name in RAW_FIELDS
                }
                locations = list(chain.from_iterable(b.locations for b in blocks))
                blocks.clear()
                table, bad_rows = finalise(columns, locations)
                for bad in bad_rows:
                    reject(bad)
                before = summary.read
                summary.read += table.num_rows
                summary.kept += table.num_rows
                writer.write_table(table)
                if summary.read // PROGRESS_EVERY != before // PROGRESS_EVERY:
                    log(f"{path.name}: {summary.read:,} records read")

            for parsed in stream:
                if isinstance(parsed, Bad):
                    reject(parsed)
                elif isinstance(parsed, Block):
                    close_rows()
                    blocks.append(parsed)
                    size += len(parsed.locations)
                else:
                    pending.append(parsed)
                    size += 1
                if size >= BATCH_ROWS:
                    flush()
                    size = 0
            if size:
                flush()
        writer.close()
    except BaseException:
        writer.close()
        partial.unlink(missing_ok=True)
        raise
    summary.empty = summary.read == 0
    if summary.empty:
        summary.notes.append("empty file: no records")
    share = summary.quarantined / summary.read if summary.read else 0.0
    if share > max_quarantine_share:
        partial.unlink(missing_ok=True)
        bad = summary.first_bad or {}
        field_text = f", field `{bad['field']}`" if bad.get("field") else ""
        hint = getattr(parser, "HINTS", {}).get(bad.get("field"))
        if hint and summary.kept == 0:
            field_text += f" (in every record: {hint})"
        raise IngestError(
            f"{path}: {summary.quarantined:,} of {summary.read:,} records quarantined "
            f"({share:.1%}, more than the allowed {max_quarantine_share:.1%}). First bad record: "
            f"{bad.get('location')}{field_text}: {bad.get('reason')}. "
            f"Every bad record is listed in {quarantine}."
        )
    os.replace(partial, out)
    log(
        f"{path.name} ({fmt}): read {summary.read:,}, kept {summary.kept:,}, "
        f"quarantined {summary.quarantined:,}"
    )
    return summary


def _parsed(records: Iterator, parser, context: ParseContext) -> Iterator[dict | Block | Bad]:
    """Raw records → what the format's parser makes of them (dicts carry their location)."""
    for item in records:
        if isinstance(item, Bad):
            yield item
            continue
        location, record = item
        for parsed in parser.parse(record, location, context):
            if isinstance(parsed, dict):
                parsed.setdefault("_location", location)
            yield parsed


def _decoded_lines(path: Path, parser, context: ParseContext) -> Iterator[dict | Block | Bad]:
    """JSONL through the format's typed decoder; a line it cannot take goes the general way."""
    for location, line in iter_raw_lines(path):
        decoded = parser.decode_line(line, location, context)
        if decoded is None:
            yield from _parsed([parse_line(line, location)], parser, context)
        else:
            yield from decoded
