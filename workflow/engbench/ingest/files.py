"""Ingest one raw file: parse, check, pseudonymise, write parquet, quarantine the rest.

Memory stays flat as a file grows: records stream from ``reading``, rows go
to parquet in batches, bad records to the quarantine file as they appear.
Every record read ends as a row or a quarantine entry (read = kept +
quarantined); duplicates are counted later, by the merge.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from itertools import chain, repeat
from pathlib import Path
from zoneinfo import ZoneInfo

import orjson
import pyarrow.parquet as pq

from engbench.ingest.canonical import MAX_TEXT_LENGTH, RAW_FIELDS, Finaliser, OrganisationIndex
from engbench.ingest.detect import detect_format
from engbench.ingest.formats import FORMATS
from engbench.ingest.privacy import Pseudonymiser
from engbench.ingest.reading import (
    file_problem,
    head,
    iter_csv,
    iter_json,
    iter_raw_lines,
    json_layout,
    parse_line,
)
from engbench.ingest.records import FILE_SCHEMA, Bad, Block, IngestError, ParseContext

BATCH_ROWS = 20_000
PROGRESS_EVERY = 100_000


@dataclass
class FileSummary:
    source: str
    source_file: str
    source_format: str
    read: int = 0  # messages (a quarantined record counts the messages it held)
    kept: int = 0
    quarantined: int = 0
    out_of_period: int = 0  # left out: dated outside the edition's period
    texts_cleaned: int = 0  # control characters removed from the text
    texts_cut: int = 0  # text longer than ingest.max_text_length, cut
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
    max_text_length: int = MAX_TEXT_LENGTH,
    period: tuple[str, str] | None = None,
    edition_timezone: str = "UTC",
    log: Callable[[str], object] = lambda _: None,
) -> FileSummary:
    """Ingest ``path`` into the parquet file ``out``; bad records go to ``quarantine``.

    ``period``: the edition's (start, end) local dates (end exclusive) in
    ``edition_timezone``; messages dated outside it are left out and counted.
    ``timezone`` is the zone of the file's timestamps that have none.

    Raises IngestError (after writing the quarantine file, and leaving no
    ``out``) when the file cannot be read, its format is unknown or its
    quarantined share of messages exceeds ``max_quarantine_share``.
    """
    path = Path(path)
    options = dict(options or {})
    _check_readable(path)
    if fmt != "auto" and fmt not in FORMATS:
        raise IngestError(f"{path}: unknown format {fmt!r}; known: {', '.join(sorted(FORMATS))}")
    json_only = (
        FORMATS[fmt].READER == "json"
        if fmt != "auto"
        else head(path, 64).lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"[")
    )
    problem = file_problem(path, json_only=json_only)
    if problem:
        raise IngestError(f"{path}: {problem}")
    if fmt == "auto":
        fmt = detect_format(path)
    parser = FORMATS[fmt]
    source_file = str(path)
    context = ParseContext(source_file=source_file, options=options, timezone=timezone)
    default_org = options.get("org_id")
    if default_org == "{stem}":
        default_org = path.name.split(".")[0]
    finalise = Finaliser(
        organisations,
        pseudonymise,
        fmt,
        source_file,
        default_org,
        timezone,
        max_text_length=max_text_length,
        period=period_bounds(period, edition_timezone) if period else None,
    )
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
    stream = parsed_stream(path, parser, context)
    try:
        with open(quarantine, "wb") as bad_file:

            def reject(bad: Bad) -> None:
                summary.read += bad.messages
                summary.quarantined += bad.messages
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
                out_before = finalise.out_of_period
                table, bad_rows = finalise(columns, locations)
                for bad in bad_rows:
                    reject(bad)
                before = summary.read
                summary.read += table.num_rows + finalise.out_of_period - out_before
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
    summary.out_of_period = finalise.out_of_period
    summary.texts_cleaned = finalise.texts_cleaned
    summary.texts_cut = finalise.texts_cut
    if finalise.out_of_period:
        first, last = (
            m.astimezone(ZoneInfo(edition_timezone)) for m in finalise.out_of_period_range
        )
        summary.notes.append(
            f"{finalise.out_of_period:,} messages outside the period {period[0]} – {period[1]} "
            f"(end exclusive, {edition_timezone}) left out: dated {first:%Y-%m-%d %H:%M} to "
            f"{last:%Y-%m-%d %H:%M}"
        )
    if finalise.texts_cleaned:
        summary.notes.append(
            f"control characters removed from {finalise.texts_cleaned:,} texts "
            f"(first: {finalise.first_cleaned})"
        )
    if finalise.texts_cut:
        summary.notes.append(
            f"{finalise.texts_cut:,} texts longer than {max_text_length:,} characters cut to "
            f"that length (ingest.max_text_length; first: {finalise.first_cut})"
        )
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
            f"{path}: {summary.quarantined:,} of {summary.read:,} messages quarantined "
            f"({share:.1%}, more than the allowed {max_quarantine_share:.1%}). First bad record: "
            f"{bad.get('location')}{field_text}: {bad.get('reason')}. "
            f"Every bad record is listed in {quarantine}."
        )
    os.replace(partial, out)
    log(
        f"{path.name} ({fmt}): read {summary.read:,}, kept {summary.kept:,}, "
        f"quarantined {summary.quarantined:,}, out of period {summary.out_of_period:,}"
    )
    return summary


def period_bounds(period: tuple[str, str], timezone: str) -> tuple[dt.datetime, dt.datetime]:
    """The period's local dates (start inclusive, end exclusive) as aware datetimes: midnight
    in the edition's time zone."""
    zone = ZoneInfo(timezone)
    try:
        start, end = (dt.date.fromisoformat(str(d)) for d in period)
    except ValueError:
        raise IngestError(
            f"period {period[0]!r} – {period[1]!r}: expected two dates YYYY-MM-DD"
        ) from None
    if end <= start:
        raise IngestError(f"period {start} – {end}: the end (exclusive) must be after the start")
    return dt.datetime.combine(start, dt.time(), zone), dt.datetime.combine(end, dt.time(), zone)


def _check_readable(path: Path) -> None:
    if path.is_symlink() and not path.exists():
        raise IngestError(f"{path}: a link to {os.readlink(path)!r}, which does not exist")
    if not path.exists():
        raise IngestError(f"{path}: file not found")
    if path.is_dir():
        raise IngestError(
            f"{path}: a folder, not a file; give the files in it (e.g. {path}/*.jsonl)"
        )
    try:
        with open(path, "rb") as f:
            f.read(1)
    except PermissionError:
        raise IngestError(
            f"{path}: cannot be read (permission denied); give the user running engbench "
            "read access to it"
        ) from None
    except OSError as error:
        raise IngestError(f"{path}: cannot be read ({error.strerror or error})") from None


def parsed_stream(path: Path, parser, context: ParseContext) -> Iterator[dict | Block | Bad]:
    """What the format's ``parser`` makes of the file's records, in order: raw-field dicts
    (with their ``_location``), column ``Block``s and ``Bad`` records."""
    if hasattr(parser, "records"):  # the format reads its own files (mapped_table: XLSX)
        return _parsed(parser.records(path, context), parser, context)
    if parser.READER == "csv":
        return _parsed(iter_csv(path, context.options.get("delimiter")), parser, context)
    if json_layout(path) == "lines":
        return _decoded_lines(path, parser, context)
    return _parsed(iter_json(path), parser, context)


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
    """JSONL through the format's typed decoder (if it has one); a line it cannot take goes
    the general way; a damaged line yields what the format can still read from it.

    A line broken in two (a line break inserted, bytes maybe lost at the break) is two
    damaged lines: they are not joined, since a join that parses can still hide lost
    bytes inside a text; the record at the break is quarantined, the rest read."""
    decode_line = getattr(parser, "decode_line", None)
    salvage = getattr(parser, "salvage", None)
    after_damage = False  # the line before was damaged too: this one may continue it
    for location, line in iter_raw_lines(path):
        if decode_line is not None:
            decoded = decode_line(line, location, context)
            if decoded is not None:
                after_damage = False
                yield from decoded
                continue
        parsed = parse_line(line, location)
        if not isinstance(parsed, Bad):
            after_damage = False
            yield from _parsed([parsed], parser, context)
        elif salvage is not None:
            yield from salvage(line, location, context, parsed, after_damage=after_damage)
            after_damage = True
        else:
            yield parsed
            after_damage = True
