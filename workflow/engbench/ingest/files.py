"""Ingest one raw file: parse, check, pseudonymise, write parquet, quarantine the rest.

Memory stays flat as a file grows: records stream from ``reading``, rows go
to parquet in batches, bad records to the quarantine file as they appear.
Every record read ends as a row or a quarantine entry (read = kept +
quarantined); duplicates are counted later, by the merge.

The quarantine file holds raw snippets of the bad records, which may name a consumer:
it belongs in the edition's private folder (``private/<edition>/``), never beside the
shareable results. The summary keeps where each bad record is and why, not its content.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from itertools import chain, repeat
from pathlib import Path
from types import ModuleType
from typing import BinaryIO
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
    # the first quarantine entry without its raw snippet: file, location, field, reason
    first_bad: dict | None = None
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class RawFile:
    """A raw file whose format is known: its parser, and the records it yields.

    ``open_raw_file`` makes one; ``check`` refuses damage no record-level check can fix;
    ``records`` streams what the parser makes of each raw record: dicts of raw fields
    (``records.py``), ``Block`` s of them, and ``Bad`` records.
    """

    path: Path
    fmt: str
    parser: ModuleType
    context: ParseContext

    def check(self) -> None:
        problems = getattr(self.parser, "check_file", None)
        if problems is not None:
            problems(self.path, self.context)  # raises IngestError

    def records(self) -> Iterator[dict | Block | Bad]:
        parser, context, path = self.parser, self.context, self.path
        if hasattr(parser, "records"):  # the format reads its own files (mapped_table: XLSX)
            return _parsed(parser.records(path, context), parser, context)
        if parser.READER == "csv":
            return _parsed(iter_csv(path, context.options.get("delimiter")), parser, context)
        if json_layout(path) == "lines":
            return _decoded_lines(path, parser, context)
        return _parsed(iter_json(path), parser, context)

    def rows(self, fields: Iterable[str]) -> Iterator[dict]:
        """The readable records as dicts of raw fields, blocks taken apart into rows (with
        ``fields``; a field a block lacks is None); bad records are left out."""
        fields = list(fields)
        for item in self.records():
            if isinstance(item, Block):
                n = len(item.locations)
                columns = {k: item.columns.get(k) or [None] * n for k in fields}
                for i in range(n):
                    yield {k: v[i] for k, v in columns.items()}
            elif isinstance(item, dict):
                yield item


def open_raw_file(
    path: str | Path, fmt: str = "auto", options: dict | None = None, timezone: str = "UTC"
) -> RawFile:
    """``path`` checked (it exists, can be read, is not damaged as a whole) and its format
    detected unless ``fmt`` names one; IngestError if not."""
    path = Path(path)
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
    context = ParseContext(source_file=str(path), options=dict(options or {}), timezone=timezone)
    return RawFile(path, fmt, FORMATS[fmt], context)


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

    ``quarantine`` gets raw snippets (personal data): give a path in the edition's private
    folder. ``period``: the edition's (start, end) local dates (end exclusive) in
    ``edition_timezone``; messages dated outside it are left out and counted.
    ``timezone`` is the zone of the file's timestamps that have none.

    Raises IngestError (after writing the quarantine file, and leaving no
    ``out``) when the file cannot be read, its format is unknown or its
    quarantined share of messages exceeds ``max_quarantine_share``.
    """
    raw = open_raw_file(path, fmt, options, timezone)
    path, fmt, source_file = raw.path, raw.fmt, raw.context.source_file
    default_org = raw.context.options.get("org_id")
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
    raw.check()  # damage no record-level check can fix

    out, quarantine = Path(out), Path(quarantine)
    out.parent.mkdir(parents=True, exist_ok=True)
    quarantine.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    # an intermediate file, read once by the merge: fast compression
    writer = pq.ParquetWriter(partial, FILE_SCHEMA, compression="lz4")
    try:
        with open(quarantine, "wb") as bad_file:
            batches = _Batches(finalise, writer, bad_file, summary, log, path.name)
            for parsed in raw.records():
                batches.add(parsed)
            batches.close()
        writer.close()
    except BaseException:
        writer.close()
        partial.unlink(missing_ok=True)
        raise
    _note_left_out_and_cleaned(summary, finalise, period, edition_timezone, max_text_length)
    share = summary.quarantined / summary.read if summary.read else 0.0
    if share > max_quarantine_share:
        partial.unlink(missing_ok=True)
        raise _too_many_bad(summary, raw, share, max_quarantine_share, quarantine)
    os.replace(partial, out)
    log(
        f"{path.name} ({fmt}): read {summary.read:,}, kept {summary.kept:,}, "
        f"quarantined {summary.quarantined:,}, out of period {summary.out_of_period:,}"
    )
    return summary


class _Batches:
    """Parsed messages → canonical rows in batches of about ``BATCH_ROWS``, written to the
    parquet ``writer``; bad records (from the parser or the checks) to ``bad_file``.
    Counts go to ``summary`` as they happen."""

    def __init__(
        self,
        finalise: Finaliser,
        writer: pq.ParquetWriter,
        bad_file: BinaryIO,
        summary: FileSummary,
        log: Callable[[str], object],
        name: str,
    ):
        self.finalise, self.writer, self.bad_file = finalise, writer, bad_file
        self.summary, self.log, self.name = summary, log, name
        self.pending: list[dict] = []  # messages as dicts, in order
        self.blocks: list[Block] = []  # and as column blocks (pending dicts become one first)
        self.size = 0  # messages waiting

    def add(self, parsed: dict | Block | Bad) -> None:
        if isinstance(parsed, Bad):
            self.reject(parsed)
        elif isinstance(parsed, Block):
            self._close_rows()
            self.blocks.append(parsed)
            self.size += len(parsed.locations)
        else:
            self.pending.append(parsed)
            self.size += 1
        if self.size >= BATCH_ROWS:
            self._flush()
            self.size = 0

    def close(self) -> None:
        if self.size:
            self._flush()
            self.size = 0

    def reject(self, bad: Bad) -> None:
        summary = self.summary
        summary.read += bad.messages
        summary.quarantined += bad.messages
        entry = bad.as_dict(summary.source_file)
        if summary.first_bad is None:
            summary.first_bad = {k: v for k, v in entry.items() if k != "snippet"}
        self.bad_file.write(orjson.dumps(entry) + b"\n")

    def _close_rows(self) -> None:
        if self.pending:
            columns = {name: [row.get(name) for row in self.pending] for name in RAW_FIELDS}
            self.blocks.append(Block(columns, [row.pop("_location") for row in self.pending]))
            self.pending.clear()

    def _flush(self) -> None:
        self._close_rows()
        blocks = self.blocks
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
        finalise, summary = self.finalise, self.summary
        out_before = finalise.out_of_period
        table, bad_rows = finalise(columns, locations)
        for bad in bad_rows:
            self.reject(bad)
        before = summary.read
        summary.read += table.num_rows + finalise.out_of_period - out_before
        summary.kept += table.num_rows
        self.writer.write_table(table, row_group_size=BATCH_ROWS)  # merge reads by row group
        if summary.read // PROGRESS_EVERY != before // PROGRESS_EVERY:
            self.log(f"{self.name}: {summary.read:,} records read")


def _note_left_out_and_cleaned(
    summary: FileSummary,
    finalise: Finaliser,
    period: tuple[str, str] | None,
    edition_timezone: str,
    max_text_length: int,
) -> None:
    """The summary's counts and notes on messages left out of the period, texts cleaned or
    cut, and an empty file."""
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


def _too_many_bad(
    summary: FileSummary, raw: RawFile, share: float, max_share: float, quarantine: Path
) -> IngestError:
    """The error for a file with more bad records than allowed: the first one's location,
    field and reason (no raw content), a hint where every record lacks the field, and
    where the full list is."""
    bad = summary.first_bad or {}
    field_text = f", field `{bad['field']}`" if bad.get("field") else ""
    hint = getattr(raw.parser, "HINTS", {}).get(bad.get("field"))
    if hint and summary.kept == 0:
        field_text += f" (in every record: {hint})"
    return IngestError(
        f"{raw.path}: {summary.quarantined:,} of {summary.read:,} messages quarantined "
        f"({share:.1%}, more than the allowed {max_share:.1%}). First bad record: "
        f"{bad.get('location')}{field_text}: {bad.get('reason')}. "
        f"Every bad record is listed in {quarantine} (raw records: personal data, not to "
        "be shared)."
    )


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
