"""Raw files → a stream of (location, record) pairs, whatever the file's shape.

JSON comes as one response per line (twarc, most collectors), as one document
(a saved API response), as a top-level array (streamed element by element, so
a 2 GB array needs no 2 GB of memory), or as an X archive's JavaScript
assignment (``window.YTD.tweets.part0 = [...]``). CSV comes in UTF-8 (with or
without BOM) or, from Excel on Windows, cp1252. Damage — a line cut off, a
truncated array, bytes that are not UTF-8 — becomes a ``Bad`` record with its
line or position, never an exception.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ijson
import orjson

from engbench.ingest.records import Bad

SNIFF_BYTES = 1 << 16
JS_ASSIGNMENT = re.compile(rb"^\s*window\.YTD\.[A-Za-z0-9_]+\.part\d+\s*=\s*")
Record = tuple[str, Any]


def head(path: str | Path, size: int = SNIFF_BYTES) -> bytes:
    with open(path, "rb") as f:
        return f.read(size)


def json_layout(path: str | Path) -> str:
    """``empty``, ``js`` (X archive assignment), ``array``, ``lines`` (JSONL) or ``document``."""
    stripped = head(path).lstrip(b"\xef\xbb\xbf \t\r\n")
    if not stripped:
        return "empty"
    if JS_ASSIGNMENT.match(stripped):
        return "js"
    if stripped[:1] == b"[":
        return "array"
    return "lines" if _first_line_is_json(path) else "document"


def iter_json(path: str | Path) -> Iterator[Record | Bad]:
    """Yield each top-level JSON record of a file with its location."""
    layout = json_layout(path)
    if layout in ("js", "array"):
        start = head(path)
        stripped = start.lstrip(b"\xef\xbb\xbf \t\r\n")
        offset = len(start) - len(stripped)
        if layout == "js":
            offset += JS_ASSIGNMENT.match(stripped).end()
        yield from _iter_array(path, offset)
    elif layout == "lines":
        yield from _iter_lines(path)
    elif layout == "document":
        yield from _single_document(path)


def iter_raw_lines(path: str | Path) -> Iterator[tuple[str, bytes]]:
    """The non-empty lines of a JSONL file as bytes, with their locations."""
    with open(path, "rb") as f:
        for number, line in enumerate(f, start=1):
            line = line.strip()
            if number == 1:
                line = line.lstrip(b"\xef\xbb\xbf")
            if line:
                yield f"line {number}", line


def parse_line(line: bytes, location: str) -> Record | Bad:
    """One JSONL line → (location, record), or a Bad record saying what is wrong."""
    try:
        return location, orjson.loads(line)
    except orjson.JSONDecodeError as error:
        return Bad(location, _json_reason(line, error), None, line[:300].decode("utf-8", "replace"))


def _first_line_is_json(path) -> bool:
    with open(path, "rb") as f:
        line = f.readline().strip().lstrip(b"\xef\xbb\xbf")
    try:
        return isinstance(orjson.loads(line), dict)
    except orjson.JSONDecodeError:
        return False


def _iter_lines(path) -> Iterator[Record | Bad]:
    for location, line in iter_raw_lines(path):
        yield parse_line(line, location)


def _json_reason(line: bytes, error: Exception) -> str:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError as bad:
        return f"invalid UTF-8 at byte {bad.start} of the line"
    if line.count(b"{") > line.count(b"}"):
        return f"line cut off: incomplete JSON ({error})"
    return f"not valid JSON ({error})"


def _single_document(path) -> Iterator[Record | Bad]:
    data = Path(path).read_bytes()
    try:
        yield "document", orjson.loads(data)
        return
    except orjson.JSONDecodeError as error:
        whole_error = error
    # Several lines that each start a JSON object: a JSONL file whose first line is damaged.
    lines = [line for line in data.splitlines() if line.strip()]
    if len(lines) > 1 and all(line.lstrip()[:1] == b"{" for line in lines[:50]):
        yield from _iter_lines(path)
        return
    yield Bad(
        "document", f"not valid JSON ({whole_error})", None, data[:300].decode("utf-8", "replace")
    )


def _iter_array(path, offset: int) -> Iterator[Record | Bad]:
    """Stream the elements of a top-level JSON array starting at byte ``offset``."""
    index = 0
    with open(path, "rb") as f:
        f.seek(offset)
        try:
            # multiple_values: also a file of one array per line (saved API pages)
            items = ijson.items(f, "item", use_float=True, multiple_values=True)
            for index, item in enumerate(items):
                yield f"$[{index}]", item
            return
        except ijson.common.IncompleteJSONError as error:
            yield Bad(
                f"$[{index + 1}]",
                f"JSON array cut off or damaged after element {index}: {error}",
                None,
                "",
            )
        except ijson.common.JSONError as error:
            yield Bad(f"$[{index + 1}]", f"not valid JSON: {error}", None, "")


def detect_encoding(path: str | Path) -> str:
    """``utf-8-sig`` (BOM), ``utf-8``, or ``cp1252`` when the bytes are not UTF-8."""
    sample = head(path, 1 << 20)
    if sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as error:
        if error.start > len(sample) - 4:  # a character cut by the sample's end
            return "utf-8"
        # Mostly UTF-8 with a few bad bytes is damage, not cp1252: keep UTF-8, flag rows.
        return "cp1252" if _mostly_not_utf8(sample) else "utf-8"


def _mostly_not_utf8(sample: bytes) -> bool:
    high = sum(1 for b in sample if b >= 0x80)
    replaced = sample.decode("utf-8", errors="replace").count("\ufffd")
    return high > 0 and replaced * 2 >= high * 0.9


def iter_csv(path: str | Path, delimiter: str | None = None) -> Iterator[Record | Bad]:
    """Yield each CSV row as a dict with its physical line number.

    Rows holding bytes that are not valid in the file's encoding, or a wrong
    number of fields, become ``Bad`` records.
    """
    encoding = detect_encoding(path)
    with open(path, encoding=encoding, errors="surrogateescape", newline="") as f:
        sample = f.read(SNIFF_BYTES)
        f.seek(0)
        if delimiter is None:
            delimiter = _sniff_delimiter(sample)
        reader = csv.reader(f, delimiter=delimiter)
        try:
            header = next(reader)
        except (StopIteration, csv.Error):
            return
        header = [h.strip() for h in header]
        width = len(header)
        line = reader.line_num
        while True:
            location = f"line {line + 1}"
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as error:  # e.g. a field beyond the csv module's size limit
                line = reader.line_num
                yield Bad(location, f"unreadable CSV row: {error}")
                continue
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            raw = delimiter.join(row)
            if any("\udc80" <= ch <= "\udcff" for ch in raw):
                snippet = raw.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
                yield Bad(location, f"bytes that are not valid {encoding}", None, snippet[:300])
                continue
            if len(row) != width:
                yield Bad(
                    location, f"{len(row)} fields where the header has {width}", None, raw[:300]
                )
                continue
            yield location, dict(zip(header, row, strict=True))


def _sniff_delimiter(sample: str) -> str:
    first = sample.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", ";", "\t", "|")}
    return max(counts, key=counts.get) if max(counts.values()) else ","


def csv_header(path: str | Path) -> list[str]:
    encoding = detect_encoding(path)
    with open(path, encoding=encoding, errors="replace", newline="") as f:
        sample = f.read(SNIFF_BYTES)
    first = next(csv.reader(io.StringIO(sample), delimiter=_sniff_delimiter(sample)), [])
    return [h.strip() for h in first]
