"""Personal data in the outputs: a scan of every output file for consumers' raw identifiers.

Consumers' user ids are pseudonymised and their handles dropped or masked (``@user``) at
ingest (``engbench.ingest.privacy``); raw records that may name a consumer (quarantined
records) go to the edition's private folder, ``private/<edition>/``. This module checks
the result: ``consumer_identifiers`` reads an edition's raw files through the ingest's own
readers and parsers and collects the raw user ids and handles of every account that is not
an organisation account of the sheet (organisations' own accounts are not personal data);
``scan`` looks for them in every file under a folder of outputs and returns where they
were found, never the identifier in full.

What is read, per file type:

- parquet: the column names, every value of every string column (also inside lists and
  structs), the key-value metadata;
- XLSX: every cell of every sheet;
- PDF: the text of every page (pypdf);
- every other file that is text (CSV, JSON, JSONL, Typst ``.typ``, logs ``.log``/``.txt``,
  HTML, SVG, TeX, YAML, Markdown …): its lines;
- pickles (the classifier's joblib model): the strings in its bytes, decompressed, never
  unpickled;
- the file's own path below the scanned folder.

Binary files of other kinds (PNG images) are listed as not scanned. Matching, and how it
keeps clear of false positives:

- an identifier matches only as a whole token: a run of letters, digits and ``_`` (case
  ignored), where a number with a decimal part (``115712.5``, ``1.234.567``) is one token,
  so a response time or a count never matches an id by its leading digits;
- ids of fewer than ``MIN_ID_LENGTH`` (6) characters are not looked for: short numbers
  (years, counts, sizes) are everywhere in outputs. Longer numeric ids can still collide
  with a number by chance; a finding names the file and place to check;
- handles of fewer than ``MIN_HANDLE_LENGTH`` (4) characters are not looked for; a
  handle of digits only (an export whose handle column holds the user id) counts as an
  id (so a 4-digit consumer "handle" does not match a 4-digit message id);
- a handle that could be a word — letters only, or used as a plain word (not after ``@``)
  in the edition's raw texts — matches only as ``@handle``; handles with a digit or an
  underscore (most are) match anywhere. ``user`` (the mask of ``@``-mentions) is never one.

Consumers' display names are not collected: they are ordinary words and names (``Floor``),
and texts that greet a consumer by first name are kept by design.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from engbench.ingest.privacy import PERSONAL_RAW_FIELDS

MIN_ID_LENGTH = 6
MIN_HANDLE_LENGTH = 4
NEVER_HANDLES = frozenset({"user"})  # masked @-mentions read @user
# a token: letters, digits, _ (a number with decimal parts is one token); a handle after @
TOKEN = re.compile(r"\w+(?:\.\d+)*")
AT_HANDLE = re.compile(r"(?<![\w@])@(\w+)")
TEXT_SUFFIXES = frozenset(
    {".csv", ".tsv", ".json", ".jsonl", ".typ", ".log", ".txt", ".html", ".htm", ".svg"}
    | {".tex", ".md", ".yaml", ".yml", ".rst", ".xml", ".bib", ".js", ".css"}
)
BINARY_SUFFIXES = frozenset([".png", ".jpg", ".jpeg", ".gif", ".npy", ".zip"])


@dataclass
class Identifiers:
    """Consumers' raw identifiers from an edition's raw files (lower case).

    ``ids``: user ids; ``handles``: handles matched anywhere as whole tokens;
    ``word_handles``: handles that could be words, matched only as ``@handle``;
    ``too_short``: how many were left out for being shorter than the minimum length.
    """

    ids: set[str] = field(default_factory=set)
    handles: set[str] = field(default_factory=set)
    word_handles: set[str] = field(default_factory=set)
    too_short: int = 0
    files: int = 0

    def __len__(self) -> int:
        return len(self.ids) + len(self.handles) + len(self.word_handles)

    def kind(self, token: str) -> str | None:
        if token in self.ids:
            return "user id"
        if token in self.handles:
            return "handle"
        return None


@dataclass(frozen=True)
class Finding:
    """One identifier found: the file (relative to the scanned folder), where in it (a
    column, a cell, a page, a line), its kind and the identifier masked."""

    file: str
    where: str
    kind: str
    identifier: str


@dataclass
class ScanReport:
    findings: list[Finding]
    scanned: Counter  # files scanned, per type (suffix)
    not_scanned: list[str]  # files of a binary type the scan cannot read
    identifiers: int
    seconds: float

    def summary(self) -> str:
        types = ", ".join(f"{n} {kind}" for kind, n in sorted(self.scanned.items()))
        lines = [
            f"{sum(self.scanned.values())} files scanned ({types}) for {self.identifiers:,} "
            f"raw consumer identifiers in {self.seconds:.1f} s; "
            f"{len(self.findings)} found"
        ]
        if self.not_scanned:
            lines.append(
                f"not scanned ({len(self.not_scanned)} binary files): "
                + ", ".join(self.not_scanned[:10])
                + (" …" if len(self.not_scanned) > 10 else "")
            )
        lines += [f"  {f.file}: {f.where}: {f.kind} {f.identifier}" for f in self.findings]
        return "\n".join(lines)


def mask(identifier: str) -> str:
    """An identifier as a finding shows it: its first two characters and its length."""
    return f"{identifier[:2]}… ({len(identifier)} characters)"


def consumer_identifiers(files: Iterable[dict], organisations) -> Identifiers:
    """The raw user ids and handles of consumers in ``files`` (each: ``path``, ``format``,
    ``options``, ``timezone``, as ``engbench.sources.raw_files`` gives them), read with the
    ingest's readers and parsers; accounts of ``organisations`` (an ``OrganisationIndex``)
    are left out. Records the parser cannot read (quarantined) are not looked into."""
    from engbench.ingest.files import open_raw_file

    found = Identifiers()
    ids: set[str] = set()
    handles: set[str] = set()
    words: set[str] = set()  # plain words of the raw texts (not after @)
    for spec in files:
        raw = open_raw_file(spec["path"], spec["format"], spec["options"], spec["timezone"])
        raw.check()
        found.files += 1
        for row in raw.rows(("platform", "text", *PERSONAL_RAW_FIELDS)):
            _collect(row, organisations, ids, handles)
            text = row.get("text")
            if isinstance(text, str):
                words.update(TOKEN.findall(AT_HANDLE.sub(" ", text).lower()))
    # a handle of digits only is a user id in the handle's place (exports that have no
    # handles, e.g. the twcs sample's author_id): looked for as an id
    numeric = {h for h in handles if h.isdigit()}
    ids |= numeric
    handles -= numeric
    found.too_short = sum(len(i) < MIN_ID_LENGTH for i in ids)
    found.ids = {i for i in ids if len(i) >= MIN_ID_LENGTH}
    handles -= NEVER_HANDLES
    found.too_short += sum(len(h) < MIN_HANDLE_LENGTH for h in handles)
    handles = {h for h in handles if len(h) >= MIN_HANDLE_LENGTH}
    word_like = {h for h in handles if h in words or h.isalpha()}
    found.word_handles = word_like
    found.handles = handles - word_like
    return found


def scan(outputs: str | Path, identifiers: Identifiers) -> ScanReport:
    """Every file under the folder ``outputs`` (or the one file) scanned for
    ``identifiers``; findings in file order."""
    started = time.perf_counter()
    outputs = Path(outputs)
    if outputs.is_file():
        root, paths = outputs.parent, [outputs]
    else:
        root, paths = outputs, sorted(p for p in outputs.rglob("*") if p.is_file())
    compound = _compound_pattern(identifiers)
    findings: list[Finding] = []
    scanned: Counter = Counter()
    not_scanned: list[str] = []
    for path in paths:
        name = path.relative_to(root).as_posix()
        kind = _file_type(path)
        places = [("file name", name)]
        if kind is None:
            not_scanned.append(name)
        else:
            scanned[kind] += 1
            places = chain(places, READERS.get(kind, _lines)(path))
        for where, text in places:
            for found_kind, identifier in _matches(text, identifiers, compound):
                findings.append(Finding(name, where, found_kind, mask(identifier)))
    return ScanReport(
        findings=findings,
        scanned=scanned,
        not_scanned=not_scanned,
        identifiers=len(identifiers),
        seconds=time.perf_counter() - started,
    )


def scan_edition(
    config: dict, folders: Iterable[str | Path], base: str | Path = "."
) -> tuple[Identifiers, list[ScanReport]]:
    """The scan for a validated edition ``config``: its consumers' identifiers from its
    sources and organisations sheet (paths relative to ``base``, the project folder), and
    a report per output folder (e.g. ``results/<edition>``, ``logs/<edition>``)."""
    from engbench.ingest.canonical import OrganisationIndex
    from engbench.organisations import read_organisations
    from engbench.sources import raw_files

    base = Path(base)
    sources = [{**s, "path": str(base / s["path"])} for s in config["sources"]]
    files = raw_files(sources, config["timezone"]).values()
    organisations = OrganisationIndex(read_organisations(base / config["organisations"]))
    identifiers = consumer_identifiers(files, organisations)
    return identifiers, [scan(folder, identifiers) for folder in folders]


# -- collecting ------------------------------------------------------------------------------


def _collect(row: dict, organisations, ids: set[str], handles: set[str]) -> None:
    platform = row.get("platform")
    author, handle = _text(row.get("author_id")), _text(row.get("author_handle"))
    if organisations.org_of(platform, author, handle) is None:
        if author:
            ids.add(author.lower())
        if handle:
            handles.add(handle.lower().lstrip("@"))
    replied = _text(row.get("in_reply_to_author_id"))
    if replied and organisations.org_of(platform, replied) is None:
        ids.add(replied.lower())
    mentions = row.get("mentions")
    if isinstance(mentions, list | tuple):
        for mention in mentions:
            mention = _text(mention)
            if mention and organisations.org_of(platform, None, mention) is None:
                handles.add(mention.lower().lstrip("@"))


def _text(value) -> str | None:
    if value is None or isinstance(value, dict | list | tuple | bool):
        return None
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else None
    text = str(value).strip()
    return text or None


# -- matching --------------------------------------------------------------------------------


def _compound_pattern(identifiers: Identifiers) -> re.Pattern | None:
    """Identifiers that are not one token (``alice.bsky.social``, ``did:plc:…``) as a regex
    with token boundaries."""
    compound = sorted(
        (i for i in identifiers.ids | identifiers.handles if not re.fullmatch(r"\w+", i)),
        key=len,
        reverse=True,
    )
    if not compound:
        return None
    return re.compile(r"(?<![\w.-])(" + "|".join(map(re.escape, compound)) + r")(?![\w-]|\.\w)")


def _matches(text: str, identifiers: Identifiers, compound) -> Iterator[tuple[str, str]]:
    lower = text.lower()
    for token in set(TOKEN.findall(lower)):
        kind = identifiers.kind(token)
        if kind:
            yield kind, token
    if "@" in lower:
        for handle in set(AT_HANDLE.findall(lower)):
            if handle in identifiers.word_handles:
                yield "handle", handle
    if compound is not None:
        for match in set(compound.findall(lower)):
            yield identifiers.kind(match) or "handle", match


# -- reading ---------------------------------------------------------------------------------


def _file_type(path: Path) -> str | None:
    suffix = path.suffix.lower()
    if suffix in READERS:
        return suffix
    if suffix in TEXT_SUFFIXES:
        return suffix
    if suffix in BINARY_SUFFIXES:
        return None
    with open(path, "rb") as f:
        start = f.read(4096)
    return None if b"\0" in start else suffix or "(no suffix)"


def _lines(path: Path) -> Iterator[tuple[str, str]]:
    with open(path, encoding="utf-8", errors="replace") as f:
        for number, line in enumerate(f, 1):
            yield f"line {number}", line


def _parquet(path: Path) -> Iterator[tuple[str, str]]:
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    file = pq.ParquetFile(path)
    schema = file.schema_arrow
    yield "column names", " ".join(schema.names)
    for key, value in (schema.metadata or {}).items():
        yield f"metadata {key.decode(errors='replace')}", value.decode(errors="replace")
    for name in schema.names:
        for values in _string_arrays(file.read(columns=[name]).column(name), pa, pc):
            for value in pc.unique(values).drop_null().to_pylist():
                yield f"column {name}", value


def _string_arrays(column, pa, pc) -> list:
    """Every string value of a column, as arrays: also inside lists, structs, dictionaries."""
    kind = column.type
    if pa.types.is_dictionary(kind):
        return _string_arrays(column.cast(kind.value_type), pa, pc)
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return [column]
    if pa.types.is_list(kind) or pa.types.is_large_list(kind):
        return _string_arrays(pc.list_flatten(column), pa, pc)
    if pa.types.is_struct(kind):
        return [
            part
            for i in range(kind.num_fields)
            for part in _string_arrays(pc.struct_field(column, i), pa, pc)
        ]
    return []


def _xlsx(path: Path) -> Iterator[tuple[str, str]]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        for sheet in workbook.worksheets:
            yield f"sheet {sheet.title!r} name", sheet.title
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.value is not None:
                        yield f"sheet {sheet.title!r} cell {cell.coordinate}", str(cell.value)
    finally:
        workbook.close()


def _pdf(path: Path) -> Iterator[tuple[str, str]]:
    from pypdf import PdfReader

    reader = PdfReader(path)
    for number, page in enumerate(reader.pages, 1):
        yield f"page {number}", page.extract_text() or ""
    for key, value in (reader.metadata or {}).items():
        yield f"metadata {key}", str(value)


def _pickle(path: Path) -> Iterator[tuple[str, str]]:
    """The strings in a pickle (joblib's, zlib-compressed or not), read as bytes: nothing is
    unpickled. Strings held by numpy arrays (4 bytes a character) are read too."""
    import contextlib
    import zlib

    data = path.read_bytes()
    if data[:1] == b"\x78":  # a zlib stream (joblib's compress=True)
        with contextlib.suppress(zlib.error):
            data = zlib.decompressobj().decompress(data)
    text = data.decode("latin-1")
    yield "bytes", text
    yield "bytes (4-byte characters)", text.replace("\x00", "")


# any other type that is not binary: _lines
READERS = {".parquet": _parquet, ".xlsx": _xlsx, ".pdf": _pdf, ".joblib": _pickle, ".pkl": _pickle}
