"""The message store: merge the per-file tables, deduplicate, write partitioned parquet.

Several exports of one organisation overlap (a tweet to two organisations is in
both collections; a parent is embedded in many pages). The merge keeps one row
per (platform, message_id): the most complete version (most filled fields, then
the longest text, then the first file in path order). An edited tweet whose
newer version is in the store is superseded by it. Every dropped row is counted
as a duplicate of the file it came from, so per file read = kept + duplicates +
quarantined + out_of_period (messages dated outside the edition's period, left out by
ingest).

The store is a hive-partitioned parquet dataset, ``org=<org_id>/month=<YYYY-MM>/``
(month in the edition's time zone; ``org=_unattributed`` for messages not
attributed to an organisation), readable as it is by pandas, DuckDB, Polars and
R arrow.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from engbench.ingest.records import COLUMNS, FILE_SCHEMA, MESSAGE_SCHEMA

UNATTRIBUTED = "_unattributed"
PARTITIONING = ds.partitioning(
    pa.schema([("org", pa.string()), ("month", pa.string())]), flavor="hive"
)
# Rows of a per-file table read at a time by ``merge``.
MERGE_BATCH_ROWS = 200_000
# Row order within a partition of the store.
STORE_ORDER = [
    ("created_at", "ascending"),
    ("platform", "ascending"),
    ("message_id", "ascending"),
]
SUMMARY_COLUMNS = [
    "source",
    "source_file",
    "source_format",
    "read",
    "kept",
    "duplicates",
    "quarantined",
    "out_of_period",
    "texts_cleaned",
    "texts_cut",
    "empty",
    "first_bad",
    "notes",
]


def read_file_tables(paths: Sequence[str | Path]) -> pa.Table:
    """All per-file tables in one, with the file's position and the row's position."""
    tables = []
    for i, path in enumerate(paths):
        table = pq.read_table(path, schema=FILE_SCHEMA)
        n = table.num_rows
        table = table.append_column("_file", pa.array(np.full(n, i, dtype=np.int32)))
        tables.append(table.append_column("_row", pa.array(np.arange(n, dtype=np.int64))))
    if not tables:
        empty = FILE_SCHEMA.empty_table()
        empty = empty.append_column("_file", pa.array([], pa.int32()))
        return empty.append_column("_row", pa.array([], pa.int64()))
    return pa.concat_tables(tables)


def dedup_keys(table: pa.Table, file: int = 0, first_row: int = 0) -> pa.Table:
    """What deduplication needs of each row of (a batch of) one per-file table: its key,
    how complete it is (filled fields, text length), the newer version it names, and its
    position (file, row) — a few dozen bytes a row, never the text."""
    n = table.num_rows
    filled = np.zeros(n, dtype=np.int64)
    for name in COLUMNS:
        column = table.column(name)
        if pa.types.is_list(column.type):
            filled += (
                pc.fill_null(pc.list_value_length(column), 0).to_numpy(zero_copy_only=False) > 0
            )
        else:
            filled += column.is_valid().to_numpy(zero_copy_only=False)
    text_length = pc.fill_null(pc.utf8_length(table.column("text")), 0).to_numpy(
        zero_copy_only=False
    )
    return pa.table(
        {
            "platform": table.column("platform"),
            "message_id": table.column("message_id"),
            "latest_version_id": table.column("latest_version_id"),
            "filled": filled,
            "text_length": text_length,
            "file": np.full(n, file, dtype=np.int32),
            "row": np.arange(first_row, first_row + n, dtype=np.int64),
        }
    )


def dropped_rows(keys: pa.Table) -> np.ndarray:
    """Per row of ``keys`` (``dedup_keys`` of every file, stacked): whether it is dropped —
    a less complete copy of a message (most filled fields, then the longest text, then the
    first file and row win) or an edit superseded by its newer version in the store.

    Keys are compared as integer codes of (platform, message_id), so the edition's ids
    are held once, in arrow memory."""
    n = keys.num_rows
    if n == 0:
        return np.zeros(0, dtype=bool)
    platform = keys.column("platform").combine_chunks().dictionary_encode()
    ids = keys.column("message_id").combine_chunks().dictionary_encode()
    width = len(ids.dictionary) + 1
    platform_code = pc.fill_null(platform.indices, -1).to_numpy().astype(np.int64)
    ident = platform_code * width + pc.fill_null(ids.indices, -1).to_numpy()
    order = np.lexsort(
        (
            keys.column("row").to_numpy(),
            keys.column("file").to_numpy(),
            -keys.column("text_length").to_numpy(),
            -keys.column("filled").to_numpy(),
            ident,
        )
    )
    in_order = ident[order]
    dropped = np.zeros(n, dtype=bool)
    dropped[order[1:]] = in_order[1:] == in_order[:-1]
    latest = keys.column("latest_version_id").combine_chunks()
    latest = pc.index_in(latest, value_set=ids.dictionary)
    named = latest.is_valid().to_numpy(zero_copy_only=False)
    if named.any():
        newer = platform_code[named] * width + latest.filter(latest.is_valid()).to_numpy()
        superseded = np.zeros(n, dtype=bool)
        superseded[np.flatnonzero(named)] = np.isin(newer, np.unique(ident[~dropped]))
        dropped |= superseded
    return dropped


def deduplicate(table: pa.Table) -> tuple[pa.Table, np.ndarray]:
    """Keep the most complete version of each (platform, message_id) of a table with
    ``_file`` and ``_row`` columns (``read_file_tables``).

    Returns the kept rows (canonical columns plus ``_file``) and, per input
    row, whether it was dropped.
    """
    keys = dedup_keys(table)
    keys = keys.set_column(keys.schema.get_field_index("file"), "file", table.column("_file"))
    keys = keys.set_column(keys.schema.get_field_index("row"), "row", table.column("_row"))
    dropped = dropped_rows(keys)
    kept = table.filter(pa.array(~dropped)).select([*COLUMNS, "_file"])
    return kept, dropped


def summarise(summaries: Sequence[dict], files: np.ndarray, dropped: np.ndarray) -> pd.DataFrame:
    """Per source file, in messages: read = kept + duplicates + quarantined + out_of_period;
    texts cleaned and cut; the first bad record and notes. ``files``: each row's file."""
    duplicates = np.bincount(files[dropped], minlength=len(summaries))
    rows = []
    for i, s in enumerate(summaries):
        first_bad = s.get("first_bad") or {}
        rows.append(
            {
                "source": s["source"],
                "source_file": s["source_file"],
                "source_format": s["source_format"],
                "read": s["read"],
                "kept": s["kept"] - int(duplicates[i]),
                "duplicates": int(duplicates[i]),
                "quarantined": s["quarantined"],
                "out_of_period": s.get("out_of_period", 0),
                "texts_cleaned": s.get("texts_cleaned", 0),
                "texts_cut": s.get("texts_cut", 0),
                "empty": s.get("empty", False),
                "first_bad": (
                    f"{first_bad.get('location')}: {first_bad.get('reason')}" if first_bad else ""
                ),
                "notes": "; ".join(s.get("notes", [])),
            }
        )
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def partition_columns(table: pa.Table, timezone: str) -> pa.Table:
    """Add ``org`` and ``month`` (local month of ``created_at``) for the hive layout."""
    org = pc.fill_null(table.column("org_id"), UNATTRIBUTED)
    created = pd.Series(table.column("created_at").to_pandas()).dt.tz_convert(timezone)
    month = pa.array(created.dt.strftime("%Y-%m").to_numpy(dtype=object), pa.string())
    return table.append_column("org", org).append_column("month", month)


def write_store(table: pa.Table, outdir: str | Path, timezone: str) -> None:
    """Write the store atomically: into a sibling folder, then renamed into place."""
    outdir = Path(outdir)
    staging = outdir.with_name(outdir.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    table = partition_columns(table.select(COLUMNS).cast(MESSAGE_SCHEMA), timezone)
    order = pc.sort_indices(
        table, sort_keys=[("org", "ascending"), ("month", "ascending"), *STORE_ORDER]
    )
    table = table.take(order)
    ds.write_dataset(
        table,
        staging,
        format="parquet",
        partitioning=PARTITIONING,
        basename_template="part-{i}.parquet",
        use_threads=False,
        max_rows_per_group=1 << 20,
        file_options=ds.ParquetFileFormat().make_write_options(compression="zstd"),
    )
    staging.mkdir(parents=True, exist_ok=True)  # no rows (empty inputs): an empty store
    if outdir.exists():
        shutil.rmtree(outdir)
    os.replace(staging, outdir)


def merge(
    file_tables: Sequence[str | Path],
    summaries: Sequence[dict],
    outdir: str | Path,
    timezone: str,
    log: Callable[[str], object] = lambda _: None,
    batch_rows: int = MERGE_BATCH_ROWS,
) -> pd.DataFrame:
    """Merge per-file tables into the store at ``outdir``; return the per-file summary.

    Streams: a first pass keeps only each row's key and completeness (``dedup_keys``);
    the kept rows are then written file by file into a spill dataset by organisation and
    month, and each partition is sorted and written alone. Memory holds the keys of the
    edition, one file and one partition — never the edition's texts. The store equals
    ``write_store`` of the whole deduplicated table.
    """
    outdir = Path(outdir)
    keys = []
    for i, path in enumerate(file_tables):
        row = 0
        for batch in _batches(path, batch_rows):
            keys.append(dedup_keys(batch, i, row))
            row += batch.num_rows
    keys = pa.concat_tables(keys) if keys else dedup_keys(FILE_SCHEMA.empty_table())
    log(f"merging {keys.num_rows:,} rows from {len(file_tables)} files")
    dropped = dropped_rows(keys)
    log(f"kept {int((~dropped).sum()):,} messages, {int(dropped.sum()):,} duplicates dropped")
    files = keys.column("file").to_numpy()
    del keys
    starts = np.concatenate([[0], np.cumsum(np.bincount(files, minlength=len(file_tables)))])
    staging = outdir.with_name(outdir.name + ".partial")
    spill = outdir.with_name(outdir.name + ".spill")
    for folder in (staging, spill):
        shutil.rmtree(folder, ignore_errors=True)
    try:
        for i, path in enumerate(file_tables):
            row = starts[i]
            for j, batch in enumerate(_batches(path, batch_rows)):
                kept = ~dropped[row : row + batch.num_rows]
                row += batch.num_rows
                table = batch.filter(pa.array(kept))
                table = partition_columns(table.select(COLUMNS).cast(MESSAGE_SCHEMA), timezone)
                ds.write_dataset(
                    table,
                    spill,
                    format="parquet",
                    partitioning=PARTITIONING,
                    basename_template=f"file-{i:06d}-{j:04d}-{{i}}.parquet",
                    existing_data_behavior="overwrite_or_ignore",
                    use_threads=False,
                )
            if (i + 1) % 100 == 0:
                log(f"spilled {i + 1:,} of {len(file_tables):,} files")
        staging.mkdir(parents=True)
        partitions = sorted(p.parent for p in spill.glob("org=*/month=*/*.parquet"))
        for partition in dict.fromkeys(partitions):
            table = pq.read_table(partition, schema=MESSAGE_SCHEMA)
            table = table.take(pc.sort_indices(table, sort_keys=STORE_ORDER))
            target = staging / partition.relative_to(spill)
            target.mkdir(parents=True)
            pq.write_table(
                table, target / "part-0.parquet", compression="zstd", row_group_size=1 << 20
            )
        if outdir.exists():
            shutil.rmtree(outdir)
        os.replace(staging, outdir)
    finally:
        for folder in (staging, spill):
            shutil.rmtree(folder, ignore_errors=True)
    return summarise(summaries, files, dropped)


def _batches(path: str | Path, rows: int):
    """A per-file table in batches of ``rows`` rows, with the file schema."""
    source = pq.ParquetFile(path)
    for batch in source.iter_batches(batch_size=rows):
        yield pa.Table.from_batches([batch]).cast(FILE_SCHEMA)


def read_store(path: str | Path, **filters) -> pd.DataFrame:
    """Read the store (or part of it: ``read_store(p, org="railned", month="2017-03")``)."""
    if not any(Path(path).rglob("*.parquet")):  # a store of empty inputs
        return MESSAGE_SCHEMA.empty_table().to_pandas()
    dataset = ds.dataset(path, format="parquet", partitioning=PARTITIONING)
    expression = None
    for key, value in filters.items():
        condition = ds.field(key) == value
        expression = condition if expression is None else expression & condition
    return dataset.to_table(filter=expression).to_pandas()
