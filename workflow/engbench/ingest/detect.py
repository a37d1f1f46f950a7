"""Which format is this file? Decided from its first bytes and first record."""

from __future__ import annotations

from pathlib import Path

from engbench.ingest.formats import FORMATS
from engbench.ingest.reading import JS_ASSIGNMENT, csv_header, head, iter_json
from engbench.ingest.records import Bad, IngestError


def detect_format(path: str | Path) -> str:
    """The name of the format of ``path``; IngestError naming the file when none fits."""
    path = Path(path)
    start = head(path, 4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    if not start:
        # nothing to read: any JSON reader gives an empty result; say which was assumed
        return "x_api_v2" if path.suffix in (".jsonl", ".json") else _csv_default(path)
    if JS_ASSIGNMENT.match(start) and "x_archive" in FORMATS:
        return "x_archive"
    if start[:1] in (b"{", b"["):
        for item in iter_json(path):
            if isinstance(item, Bad):
                continue
            _, record = item
            for name, module in FORMATS.items():
                if module.READER == "json" and module.sniff(record):
                    return name
            break
        raise IngestError(
            f"{path}: JSON, but not a format engbench recognises (first bytes: "
            f"{start[:80].decode('utf-8', 'replace')!r}). Set `format:` for this source to "
            f"one of {', '.join(sorted(FORMATS))}."
        )
    header = csv_header(path)
    for name, module in FORMATS.items():
        if module.READER == "csv" and module.sniff_header(header):
            return name
    raise IngestError(
        f"{path}: could not recognise the format (columns {header[:8]}). For a CSV or XLSX "
        "export, set `format: mapped_table` with a `columns:` mapping for this source."
    )


def _csv_default(path: Path) -> str:
    return "mapped_table" if "mapped_table" in FORMATS else "x_api_v2"
