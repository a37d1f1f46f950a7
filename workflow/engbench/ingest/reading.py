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
NUL = b"\x00"


def head(path: str | Path, size: int = SNIFF_BYTES) -> bytes:
    with open(path, "rb") as f:
        return f.read(size)


# First bytes of files that are not text at all: say what they are and what to do.
PACKED = (
    (b"\x1f\x8b", "a gzip-compressed file: decompress it first (gunzip)"),
    (b"BZh", "a bzip2-compressed file: decompress it first (bunzip2)"),
    (b"\xfd7zXZ\x00", "an xz-compressed file: decompress it first (unxz)"),
    (b"\x28\xb5\x2f\xfd", "a zstd-compressed file: decompress it first (unzstd)"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive: unpack it and configure the files inside"),
    (b"PK\x03\x04", "a ZIP archive: unpack it and configure the files inside"),
)
UTF16_32 = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


def file_problem(path: str | Path, json_only: bool = False) -> str | None:
    """What makes a whole file unreadable as text, or None: NUL bytes only, compression,
    an archive, or (``json_only``: JSON must be UTF-8) UTF-16/32 or Latin-1 bytes."""
    sample = head(path, 1 << 20)
    if sample and not sample.strip(b"\x00") and _only_nul(path):
        return (
            f"the file holds only NUL bytes ({Path(path).stat().st_size:,} bytes): its data was "
            "never written (an interrupted copy or download?); copy or collect it again"
        )
    for magic, what in PACKED:
        if sample.startswith(magic):
            if magic == b"PK\x03\x04" and Path(path).suffix.lower() in (".xlsx", ".xlsm"):
                return None
            return f"{what}; engbench reads uncompressed files"
    encoding = next((name for bom, name in UTF16_32 if sample.startswith(bom)), None)
    has_bom = encoding is not None
    if encoding is None and len(sample) >= 4 and sample.count(b"\x00") * 4 >= len(sample):
        even, odd = sample[0::2].count(b"\x00"), sample[1::2].count(b"\x00")
        half = len(sample) / 2  # ASCII in UTF-16: one byte of each pair is NUL, the other not
        encoding = (
            "UTF-16" if max(even, odd) >= 0.8 * half and min(even, odd) <= 0.2 * half else None
        )
    if encoding == "UTF-16" and not json_only:  # UTF-16 CSV (Excel's "Unicode text") is read
        codec = (
            "utf-16"
            if sample[:2] in (b"\xff\xfe", b"\xfe\xff")
            else (
                "utf-16-le"
                if sample[1::2].count(b"\x00") > sample[0::2].count(b"\x00")
                else "utf-16-be"
            )
        )
        text = sample[: len(sample) // 2 * 2].decode(codec, "replace").lstrip("\ufeff \t\r\n")
        json_only = text[:1] in ("{", "[")
    if encoding is not None and (json_only or encoding == "UTF-32" or not has_bom):
        what = "JSON must be UTF-8" if json_only else "engbench reads CSV as UTF-8 or cp1252"
        return (
            f"encoding: the file is {encoding}{'' if has_bom else ' (no byte-order mark)'}, but "
            f"{what}; convert it "
            f"(e.g. iconv -f {encoding} -t UTF-8 {Path(path).name} > {Path(path).stem}.utf8"
            f"{Path(path).suffix})"
        )
    if json_only and detect_encoding(path) == "cp1252" and _bad_lines(sample) > 1:
        # (bad bytes on one line only: damage, that line's record is quarantined)
        try:
            sample.decode("utf-8")
        except UnicodeDecodeError as error:
            line = sample[: error.start].count(b"\n") + 1
            byte = sample[error.start]
            context = sample[max(0, error.start - 20) : error.start + 1]
            return (
                f"encoding: the file is not UTF-8 (byte 0x{byte:02X} on line {line}, "
                f"{context.decode('cp1252', 'replace')!r}"
                "): it looks like Latin-1 / cp1252, but JSON must be UTF-8; convert it "
                f"(e.g. iconv -f CP1252 -t UTF-8 {Path(path).name} > {Path(path).stem}.utf8"
                f"{Path(path).suffix})"
            )
    return None


def _bad_lines(sample: bytes) -> int:
    """Lines of the sample (not the last, maybe cut) that are not valid UTF-8."""
    count = 0
    for line in sample.split(b"\n")[:-1]:
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            count += 1
    return count


def _only_nul(path) -> bool:
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            if chunk.strip(b"\x00"):
                return False
    return True


def json_layout(path: str | Path) -> str:
    """``empty``, ``js`` (X archive assignment), ``array``, ``lines`` (JSONL) or ``document``."""
    stripped = head(path).lstrip(b"\xef\xbb\xbf \t\r\n")
    if not stripped:
        return "empty"
    if JS_ASSIGNMENT.match(stripped):
        return "js"
    if stripped[:1] == b"[":
        return "array"
    return "lines" if _looks_like_lines(path) else "document"


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
    for number, line, _ in _numbered_lines(path):
        yield f"line {number}", line


def _numbered_lines(path) -> Iterator[tuple[int, bytes, bytes]]:
    """(number, stripped line, line without its line break) of each non-empty line."""
    with open(path, "rb") as f:
        for number, raw in enumerate(f, start=1):
            raw = raw.removesuffix(b"\n").removesuffix(b"\r")
            if number == 1:
                raw = raw.removeprefix(b"\xef\xbb\xbf")
            line = raw.strip()
            if line:
                yield number, line, raw


def parse_line(line: bytes, location: str) -> Record | Bad:
    """One JSONL line → (location, record), or a Bad record saying what is wrong."""
    try:
        return location, orjson.loads(line)
    except orjson.JSONDecodeError as error:
        return Bad(location, _json_reason(line, error), None, line[:300].decode("utf-8", "replace"))


def _looks_like_lines(path) -> bool:
    """JSONL: the first line is a JSON object, or (first line damaged) another of the first
    20 lines is one, starting in the first column, and the first is not a lone ``{``."""
    with open(path, "rb") as f:
        for number in range(20):
            raw = f.readline()
            if not raw:
                return False
            line = raw.strip().lstrip(b"\xef\xbb\xbf") if number == 0 else raw.rstrip()
            if number == 0 and line == b"{":
                return False  # a pretty-printed document
            if line[:1] != b"{":
                continue
            try:
                if isinstance(orjson.loads(line), dict):
                    return True
            except orjson.JSONDecodeError:
                continue
    return False


def _iter_lines(path) -> Iterator[Record | Bad]:
    for location, line in iter_raw_lines(path):
        yield parse_line(line, location)


def _json_reason(line: bytes, error: Exception) -> str:
    if not line.strip(b"\x00"):
        return f"the line holds only NUL bytes ({len(line):,}): data lost by an interrupted write"
    if b"\x00" in line:
        return f"NUL bytes at byte {line.index(NUL)} of the line: damaged by an interrupted write"
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
