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


def deduplicate(table: pa.Table) -> tuple[pa.Table, np.ndarray]:
    """Keep the most complete version of each (platform, message_id).

    Returns the kept rows (canonical columns plus ``_file``) and, per input
    row, whether it was dropped.
    """
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
    keys = pd.DataFrame(
        {
            "platform": table.column("platform").to_numpy(zero_copy_only=False),
            "message_id": table.column("message_id").to_numpy(zero_copy_only=False),
            "filled": -filled,
            "text_length": -text_length,
            "file": table.column("_file").to_numpy(),
            "row": table.column("_row").to_numpy(),
        }
    )
    order = keys.sort_values(
        ["platform", "message_id", "filled", "text_length", "file", "row"], kind="stable"
    ).index.to_numpy()
    dropped = np.zeros(n, dtype=bool)
    dropped[order] = keys.iloc[order].duplicated(["platform", "message_id"]).to_numpy()
    # superseded edits: an older version whose newest version is in the store
    latest = table.column("latest_version_id").to_numpy(zero_copy_only=False)
    has_latest = pd.notna(latest)
    if has_latest.any():
        present = set(zip(keys["platform"][~dropped], keys["message_id"][~dropped], strict=True))
        superseded = np.array(
            [
                bool(h) and (p, v) in present
                for p, v, h in zip(keys["platform"], latest, has_latest, strict=True)
            ]
        )
        dropped |= superseded
    kept = table.filter(pa.array(~dropped)).select([*COLUMNS, "_file"])
    return kept, dropped


def summarise(summaries: Sequence[dict], table: pa.Table, dropped: np.ndarray) -> pd.DataFrame:
    """Per source file, in messages: read = kept + duplicates + quarantined + out_of_period;
    texts cleaned and cut; the first bad record and notes."""
    duplicates = np.bincount(table.column("_file").to_numpy()[dropped], minlength=len(summaries))
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
        table,
        sort_keys=[
            ("org", "ascending"),
            ("month", "ascending"),
            ("created_at", "ascending"),
            ("platform", "ascending"),
            ("message_id", "ascending"),
        ],
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
) -> pd.DataFrame:
    """Merge per-file tables into the store at ``outdir``; return the per-file summary."""
    table = read_file_tables(file_tables)
    log(f"merging {table.num_rows:,} rows from {len(file_tables)} files")
    kept, dropped = deduplicate(table)
    log(f"kept {kept.num_rows:,} messages, {int(dropped.sum()):,} duplicates dropped")
    write_store(kept.drop_columns(["_file"]), outdir, timezone)
    return summarise(summaries, table, dropped)


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
