"""Any CSV or XLSX export with a column mapping declared in the config.

For exports of monitoring tools (Coosto, OBI4wan, Brandwatch …), spreadsheets
and pandas ``to_csv`` files: one row per message, columns named by the tool.
There is no published format; the mapping says which column holds what.

Source options:

- ``columns`` (required): canonical name → the file's column name. Required:
  ``message_id``, ``author_id``, ``created_at``, ``text``; optional:
  ``platform``, ``thread_id``, ``parent_id``, ``author_handle``, ``lang``,
  ``like_count``, ``share_count``, ``reply_count``, ``in_reply_to_author_id``.
  One file column may feed two names (e.g. a handle that is also the id).
- ``platform``: the platform of every row when no ``platform`` column is mapped
  or a row's is empty (one of ``records.PLATFORMS``; a mapped column's values are
  lower-cased, ``x`` reads as twitter; rows of other platforms are quarantined).
- ``timezone``: zone of timestamps written without one (``context.timezone``
  carries the source's or the edition's).
- ``date_format``: a ``strptime`` pattern for ``created_at`` when it is not ISO
  8601, legacy Twitter or epoch seconds (e.g. ``%d-%m-%Y %H:%M:%S``).
- ``delimiter``: CSV delimiter (default: detected from the header line).
- ``sheet``: worksheet of an XLSX file (default the first).
- ``excel_dates: convert``: read Excel serial day numbers in ``created_at`` as
  local times in ``timezone`` instead of refusing the file (see below).

Values: surrounding whitespace is stripped, empty cells are None, ids written
as floats by pandas (``3.0``) become ``3``. @-mentions in the text are used to
recognise organisations the message addresses (dropped afterwards).

XLSX is read with openpyxl by ``records(path, context)``, which ``files.py``
calls instead of ``reading.iter_csv`` when a format module defines it.

``check_file`` reads the whole file first and refuses it, naming the column
and what happened, when it shows damage no row-level check can repair:

1. ids rounded to 15 significant digits (Excel keeps numbers as doubles: an
   18-digit tweet id comes back as ``…000``): more than half of a column's ids
   of 16+ digits, at least 3, end in zeros after the 15th digit (colliding ids
   are counted); or ids written in scientific notation / as floats beyond 2**53.
   The real ids are lost, so replies cannot be linked;
2. ``created_at`` as Excel serial day numbers (``42059.48…``): Excel stored the
   wall-clock time without its UTC offset. Refused unless the source says
   ``excel_dates: convert`` (then read in ``timezone``, which the source should
   set to the zone the times were written in), because a silent guess would
   shift every response time by hours;
3. texts starting with ``=`` in 1% or more of the rows (at least 3): the shape
   of spreadsheet formula escaping/injection. engbench does not strip it,
   because it cannot tell which ``=`` belongs to the text;
4. every row one quoted field holding tab-separated values followed by
   ``;;;;`` — a TSV opened in Excel and saved as CSV;
5. mapped columns missing from the file (listed with the columns it has).

An empty file is not checked (there is nothing to map; ingest reports it empty).

Rows with bytes that are not valid in the file's encoding are listed with the
damage (they would be quarantined). Rows that fail on their own (an empty id,
an unreadable timestamp) become Bad records naming the line and the column.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from engbench.ingest.privacy import MENTION, PERSONAL_RAW_FIELDS
from engbench.ingest.reading import head, iter_csv
from engbench.ingest.records import PLATFORMS, Bad, IngestError, ParseContext
from engbench.ingest.timestamps import (
    excel_serial_to_datetime,
    looks_like_excel_serial,
    parse_timestamp,
)

READER = "csv"

REQUIRED = ("message_id", "author_id", "created_at", "text")
OPTIONAL = (
    "platform",
    "thread_id",
    "parent_id",
    "author_handle",
    "lang",
    "like_count",
    "share_count",
    "reply_count",
    "in_reply_to_author_id",
)
ID_FIELDS = ("message_id", "thread_id", "parent_id", "author_id", "in_reply_to_author_id")
PLATFORM_ALIASES = {"x": "twitter", "x/twitter": "twitter", "fb": "facebook", "ig": "instagram"}
XLSX_SUFFIXES = (".xlsx", ".xlsm")

_FLOAT_ID = re.compile(r"^(\d+)\.0*$")
_SCIENTIFIC = re.compile(r"^\d(?:\.\d+)?[eE]\+?\d+$")
_MAX_EXACT = 2**53  # integers above this are not exact in a float64


# Column names common exports use for each canonical name (compared lower case, without
# spaces, dots and dashes), most specific first: `engbench init` proposes a mapping from them.
COLUMN_NAMES = {
    "message_id": ("message_id", "tweet_id", "post_id", "status_id", "id_str", "mention_id", "id"),
    "author_id": ("author_id", "user_id", "from_user_id", "account_id", "author", "user"),
    "author_handle": (
        "author_handle",
        "screen_name",
        "user_screen_name",
        "username",
        "user_name",
        "author_username",
        "from_user",
        "handle",
    ),
    "created_at": (
        "created_at",
        "published_at",
        "created_time",
        "datetime",
        "timestamp",
        "date",
        "time",
    ),
    "text": ("text", "full_text", "message", "body", "content", "tweet", "post_text"),
    "parent_id": (
        "parent_id",
        "in_response_to_tweet_id",
        "in_reply_to_status_id",
        "in_reply_to_id",
        "in_reply_to_tweet_id",
        "reply_to",
    ),
    "thread_id": ("thread_id", "conversation_id"),
    "in_reply_to_author_id": ("in_reply_to_author_id", "in_reply_to_user_id"),
    "platform": ("platform", "network", "medium"),
    "lang": ("lang", "language"),
    "like_count": ("like_count", "likes", "favorite_count", "favourite_count"),
    "share_count": ("share_count", "retweet_count", "shares", "retweets"),
    "reply_count": ("reply_count", "replies"),
}


def propose_columns(header: list[str]) -> dict[str, str]:
    """A ``columns:`` mapping proposed from a table's header: canonical name → column.

    Each canonical name takes the first of its usual names (``COLUMN_NAMES``) the header
    has; a column is used once. Names the header has none of are left out (the caller
    checks ``REQUIRED``). A proposal, for the researcher to check.
    """
    folded = {re.sub(r"[\s.-]", "_", h.strip().lower()): h for h in header if h and h.strip()}
    mapping: dict[str, str] = {}
    for name, candidates in COLUMN_NAMES.items():
        for candidate in candidates:
            column = folded.get(candidate)
            if column is not None and column not in mapping.values():
                mapping[name] = column
                break
    return mapping


def sniff(record: Any) -> bool:
    return False


def sniff_header(columns: list[str]) -> bool:
    """Never claimed by detection: a mapped table needs its mapping (``format: mapped_table``)."""
    return False


# --- reading ---------------------------------------------------------------------------------


def records(path: str | Path, context: ParseContext) -> Iterator[tuple[str, dict] | Bad]:
    """The file's rows as (location, {column: value}); XLSX through openpyxl, else CSV."""
    path = Path(path)
    if path.suffix.lower() in XLSX_SUFFIXES:
        yield from _iter_xlsx(path, context.options.get("sheet"))
    else:
        yield from iter_csv(path, context.options.get("delimiter"))


def _iter_xlsx(path: Path, sheet: str | None) -> Iterator[tuple[str, dict] | Bad]:
    import openpyxl  # only needed for XLSX

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # any unreadable workbook (zip, XML, missing part) is one Bad
        yield Bad("workbook", f"cannot open as XLSX: {error}", None, "")
        return
    try:
        if sheet is not None and sheet not in book.sheetnames:
            yield Bad("workbook", f"no worksheet {sheet!r} (sheets: {book.sheetnames})", "sheet")
            return
        ws = book[sheet] if sheet is not None else book.worksheets[0]
        ws.reset_dimensions()  # some writers record a wrong used range; read every cell
        rows = ws.iter_rows(values_only=True)
        header: list[str] | None = None
        for number, values in enumerate(rows, start=1):
            if not any(v is not None and str(v).strip() for v in values):
                continue
            if header is None:
                header = [str(v).strip() if v is not None else "" for v in values]
                continue
            cells = [_xlsx_value(v) for v in values]
            cells += [None] * (len(header) - len(cells))
            yield f"sheet {ws.title}, row {number}", dict(zip(header, cells, strict=False))
    finally:
        book.close()


def _xlsx_value(value):
    """Cells as text, except dates (kept as datetime); whole floats without ``.0``."""
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        if abs(value) >= 1e15:  # a long id stored as a number: the 15 digits Excel keeps
            return str(int(Decimal(format(value, ".15g"))))
        return str(int(value))
    return str(value)


# --- whole-file checks -----------------------------------------------------------------------


def _mapping(path, options: dict) -> dict[str, str]:
    columns = options.get("columns")
    if not isinstance(columns, dict) or not columns:
        raise IngestError(
            f"{path}: format mapped_table needs a `columns:` mapping for this source "
            f"(canonical name → column in the file; required: {', '.join(REQUIRED)})."
        )
    unknown = sorted(set(columns) - set(REQUIRED) - set(OPTIONAL))
    missing = [name for name in REQUIRED if not columns.get(name)]
    if unknown or missing:
        parts = []
        if missing:
            parts.append(f"no column given for {', '.join(missing)}")
        if unknown:
            parts.append(f"unknown name(s) {', '.join(unknown)}")
        raise IngestError(
            f"{path}: `columns:` mapping: {'; '.join(parts)}. Names: {', '.join(REQUIRED)} "
            f"(required), {', '.join(OPTIONAL)} (optional)."
        )
    if not columns.get("platform") and options.get("platform") not in PLATFORMS:
        raise IngestError(
            f"{path}: no platform: map a `platform` column or set `platform:` for this source "
            f"to one of {', '.join(PLATFORMS)}."
        )
    return {name: str(column) for name, column in columns.items() if column}


class _Tally:
    """What check_file counts per column while it reads the file once."""

    def __init__(self):
        self.rows = 0
        self.long_ids: Counter[str] = Counter()  # field → ids of 16+ digits
        self.rounded: Counter[str] = Counter()  # field → of those, 15 digits + zeros
        self.rounded_values: dict[str, Counter] = {}
        self.float_ids: Counter[str] = Counter()  # field → scientific / float beyond 2**53
        self.float_example: dict[str, str] = {}
        self.serials = 0
        self.serial_example = ""
        self.texts = 0
        self.formula = 0
        self.bad_bytes: list[str] = []
        self.wrapped = 0

    def add(self, row: dict, mapping: dict[str, str]) -> None:
        self.rows += 1
        for name in ID_FIELDS:
            value = _text(row.get(mapping.get(name, "\0")))
            if value is None:
                continue
            if _SCIENTIFIC.match(value) or (
                (m := _FLOAT_ID.match(value)) and int(m.group(1)) > _MAX_EXACT
            ):
                self.float_ids[name] += 1
                self.float_example.setdefault(name, value)
                continue
            digits = _FLOAT_ID.match(value).group(1) if _FLOAT_ID.match(value) else value
            if digits.isdigit() and len(digits) > 15:
                self.long_ids[name] += 1
                if set(digits[15:]) == {"0"}:
                    self.rounded[name] += 1
                    if name == "message_id":
                        self.rounded_values.setdefault(name, Counter())[digits] += 1
        created = row.get(mapping["created_at"])
        if isinstance(created, str) and looks_like_excel_serial(created.strip()):
            self.serials += 1
            self.serial_example = self.serial_example or created.strip()
        text = _text(row.get(mapping["text"]))
        if text is not None:
            self.texts += 1
            self.formula += text.startswith("=")


def check_file(path: str | Path, context: ParseContext) -> None:
    path = Path(path)
    if path.suffix.lower() == ".xls":
        raise IngestError(
            f"{path}: old Excel .xls files cannot be read; save the sheet as .xlsx or CSV (UTF-8)."
        )
    if path.suffix.lower() not in XLSX_SUFFIXES and not head(path, 4096).lstrip(
        b"\xef\xbb\xbf \t\r\n"
    ):
        return  # an empty file: nothing to map; ingest reports it as empty
    options = context.options
    mapping = _mapping(path, options)
    tally = _Tally()
    header: list[str] | None = None
    wrapped = False
    for item in records(path, context):
        if isinstance(item, Bad):
            if item.location == "workbook":
                raise IngestError(f"{path}: {item.reason}")
            if item.reason.startswith("bytes that are not valid"):
                tally.bad_bytes.append(item.location)
            continue
        _, row = item
        if header is None:
            header = list(row)
            wrapped = _is_wrapped(header)
            missing = [c for c in dict.fromkeys(mapping.values()) if c not in row]
            if missing and not wrapped:
                raise IngestError(
                    f"{path}: mapped column(s) {', '.join(repr(c) for c in missing)} not in the "
                    f"file; its columns are {', '.join(repr(c) for c in header)}. Fix `columns:` "
                    "for this source."
                )
        if wrapped:
            tally.rows += 1
            tally.wrapped += _is_wrapped([str(v) if v is not None else "" for v in row.values()])
            continue
        tally.add(row, mapping)
    if header is None:
        return  # a header without rows (or no readable row): nothing to check
    if wrapped:
        raise IngestError(_wrapped_message(path, header, tally.wrapped, tally.rows, mapping))
    problems = _damage(tally, mapping, options)
    if problems:
        if tally.bad_bytes:
            shown = ", ".join(tally.bad_bytes[:5]) + (" …" if len(tally.bad_bytes) > 5 else "")
            problems.append(
                f"{len(tally.bad_bytes):,} row(s) hold bytes that are not valid text in the file's "
                f"encoding ({shown})"
            )
        raise IngestError(
            f"{path}: the file was damaged, most likely by a round trip through Excel, and is not "
            f"ingested:\n  - " + "\n  - ".join(problems) + "\nRe-export the data from the tool "
            "it came from and do not open and save it in Excel (to look at a CSV in Excel, use "
            "Data > From Text/CSV and set the id columns to Text)."
        )


def _damage(tally: _Tally, mapping: dict[str, str], options: dict) -> list[str]:
    problems = []
    for name in ID_FIELDS:
        column = mapping.get(name)
        if tally.float_ids[name]:
            example = (
                "" if name in PERSONAL_RAW_FIELDS else f" (e.g. {tally.float_example[name]!r})"
            )
            problems.append(
                f"column {column!r} ({name}): {tally.float_ids[name]:,} id(s) written as "
                f"floating-point numbers{example}; their last digits are lost"
            )
        rounded, long = tally.rounded[name], tally.long_ids[name]
        if rounded >= 3 and rounded * 2 > long:
            text = (
                f"column {column!r} ({name}): {rounded:,} of {long:,} ids of 16+ digits end in "
                "zeros after the 15th digit — rounded to 15 significant digits by Excel; the "
                "real ids are lost"
            )
            counts = tally.rounded_values.get(name)
            if counts:
                collisions = sum(n - 1 for n in counts.values() if n > 1)
                rows = sum(n for n in counts.values() if n > 1)
                text += f" ({collisions:,} collisions: {rows:,} rows share an id with another row)"
            problems.append(text)
    if tally.serials and options.get("excel_dates") != "convert":
        problems.append(
            f"column {mapping['created_at']!r} (created_at): {tally.serials:,} of {tally.rows:,} "
            f"dates are Excel serial day numbers (e.g. {tally.serial_example}); Excel stored the "
            "clock time without its UTC offset. If you know the zone the times were in, set "
            "`timezone:` to it and `excel_dates: convert` for this source"
        )
    if tally.formula >= 3 and tally.formula * 100 >= tally.texts:
        problems.append(
            f"column {mapping['text']!r} (text): {tally.formula:,} of {tally.texts:,} texts start "
            "with '=' (spreadsheet formula escaping); engbench cannot tell which '=' belongs to "
            "the text"
        )
    return problems


def _is_wrapped(cells: list[str]) -> bool:
    """One non-empty field holding tab-separated values: a TSV row that Excel wrapped."""
    filled = [c for c in cells if c.strip()]
    return len(filled) == 1 and "\t" in filled[0]


def _wrapped_message(path: Path, header: list[str], wrapped: int, rows: int, mapping) -> str:
    with open(path, "rb") as f:
        first = f.readline().rstrip(b"\r\n").decode("utf-8", "replace")
    inner = [c.strip() for c in next(h for h in header if h.strip()).split("\t")]
    message = (
        f"{path}: every row is one quoted field holding tab-separated values, with empty fields "
        f"after it (first line {first[:120]!r}; {wrapped:,} of {rows:,} rows have this shape): a "
        "tab-separated file that was opened in Excel and saved as CSV. engbench does not repair "
        "this: which tabs and quotes belong to the texts can no longer be told for sure. Use the "
        "original tab-separated file, or save it from Excel as 'Text (Tab delimited)' and set "
        "`delimiter:` to a tab."
    )
    missing = [c for c in dict.fromkeys(mapping.values()) if c not in inner]
    if missing:
        message += (
            f" Besides, mapped column(s) {', '.join(repr(c) for c in missing)} are not among the "
            f"wrapped columns {', '.join(repr(c) for c in inner)}."
        )
    return message


# --- rows ------------------------------------------------------------------------------------


def parse(record: Any, location: str, context: ParseContext) -> Iterator[dict | Bad]:
    if not isinstance(record, dict):
        yield Bad(location, "expected a table row")
        return
    options = context.options if isinstance(context.options, dict) else {}
    columns = options.get("columns")
    if not isinstance(columns, dict) or not all(columns.get(n) for n in REQUIRED):
        yield Bad(location, "no `columns:` mapping for message_id, author_id, created_at, text")
        return
    mapping = {str(k): str(v) for k, v in columns.items() if v}
    values: dict[str, Any] = {}
    for name, column in mapping.items():
        values[name] = record.get(column) if name == "created_at" else _text(record.get(column))
    for name in ID_FIELDS:
        if values.get(name) is None:
            continue
        value, problem = _clean_id(values[name], quote=name not in PERSONAL_RAW_FIELDS)
        if problem:
            column = mapping[name]
            yield Bad(location, f"column {column!r} ({name}): {problem}", column, values[name])
            return
        values[name] = value
    for name in ("message_id", "author_id"):
        if values.get(name) is None:
            column = mapping[name]
            yield Bad(location, f"column {column!r} ({name}) is empty", column)
            return
    try:
        created = _created(values.get("created_at"), options, context.timezone)
    except (ValueError, TypeError, OverflowError, OSError, zoneinfo.ZoneInfoNotFoundError) as error:
        column = mapping["created_at"]
        raw = str(values.get("created_at"))[:100]
        yield Bad(location, f"column {column!r} (created_at): {error}", column, raw)
        return
    platform = values.get("platform") or options.get("platform")
    if isinstance(platform, str):
        platform = platform.strip().lower()
        platform = PLATFORM_ALIASES.get(platform, platform)
    text = values.get("text")
    mentions = MENTION.findall(text) if text and "@" in text else []
    yield {
        "_location": location,
        "platform": platform,
        "message_id": values["message_id"],
        "author_id": values["author_id"],
        "author_handle": values.get("author_handle"),
        "created_at": created,
        "text": text,
        "thread_id": values.get("thread_id"),
        "parent_id": values.get("parent_id"),
        "in_reply_to_author_id": values.get("in_reply_to_author_id"),
        "lang": values.get("lang"),
        "like_count": values.get("like_count"),
        "share_count": values.get("share_count"),
        "reply_count": values.get("reply_count"),
        "mentions": mentions,
    }


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def _clean_id(value: str, quote: bool = True) -> tuple[str | None, str | None]:
    """``3.0`` → ``3``; an id in scientific notation or a float beyond 2**53 is damage (the
    reason quotes the value if ``quote``: not for a consumer's id)."""
    shown = f" {value!r}" if quote else ""
    if _SCIENTIFIC.match(value):
        return None, f"id{shown} is in scientific notation; its digits are lost"
    match = _FLOAT_ID.match(value)
    if match:
        if int(match.group(1)) > _MAX_EXACT:
            return None, f"id{shown} was stored as a float; its last digits are lost"
        return match.group(1), None
    return value, None


def _created(value, options: dict, timezone: str) -> dt.datetime:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValueError("empty timestamp")
    if isinstance(value, dt.datetime):
        return parse_timestamp(value, timezone)
    text = str(value).strip()
    if looks_like_excel_serial(text):
        if options.get("excel_dates") == "convert":
            moment = excel_serial_to_datetime(text, timezone)  # 10 decimals: ±5 µs, so round
            return moment + dt.timedelta(
                microseconds=round(moment.microsecond, -3) - moment.microsecond
            )
        raise ValueError(f"{text!r} is an Excel serial day number, not a date")
    date_format = options.get("date_format")
    if date_format:
        parsed = dt.datetime.strptime(text, str(date_format))
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=zoneinfo.ZoneInfo(timezone))
    return parse_timestamp(text, timezone)
