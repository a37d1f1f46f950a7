"""The threads stage in shards: no job holds more than one shard of the edition.

Threads are rebuilt by following parent links across the whole store, so the stage runs in
three steps (rules ``thread_index``, ``threads_shard``, ``threads``):

1. ``write_thread_index``: a cheap first pass reads only the link columns of the store
   (``threads.INDEX_COLUMNS``), rebuilds every thread, and gives each message what it
   needs from outside its thread (its parent's author) and a shard: a hash of its thread
   modulo the number of shards. A second pass streams the store, one partition at a time,
   into one parquet file per shard, each row with its position in the store (``row``).
2. ``derive_shard`` (``threads``) on each shard alone: threads never cross shards.
3. ``gather``: the shards' messages and incoming tables merged back into store order,
   block by block, and their counts summed. The result equals ``threads.derive`` on the
   whole store (tested).

``derive_in_shards`` runs the three steps in one process (tests, benchmarks).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from engbench import threads
from engbench.hours import Schedule
from engbench.ingest.records import MESSAGE_SCHEMA
from engbench.ingest.store import PARTITIONING

ROW = "row"  # a message's position in the store, the order the gathered tables keep
PAIR = "pair"  # an incoming pair's position among its message's pairs
ROWS_PER_GROUP = 50_000  # rows buffered per shard file before a row group is written
GATHER_BLOCK = 200_000  # store rows merged at a time by ``gather``
INDEX_FIELDS = [
    ("missing_parent", pa.bool_()),
    ("parent_author_id", pa.string()),
    ("parent_is_org", pa.bool_()),
]


def shard_path(folder: str | Path, shard: int) -> Path:
    """The file of shard number ``shard`` (from 0) that ``write_thread_index`` writes."""
    return Path(folder) / f"shard-{shard}.parquet"


def shard_paths(folder: str | Path, n_shards: int) -> list[Path]:
    """The shard files ``write_thread_index`` writes into ``folder``."""
    return [shard_path(folder, k) for k in range(n_shards)]


def _fragments(store: str | Path) -> list:
    """The store's parquet files in the order ``read_store`` reads them."""
    if not any(Path(store).rglob("*.parquet")):
        return []
    return list(ds.dataset(store, format="parquet", partitioning=PARTITIONING).get_fragments())


def write_thread_index(
    store: str | Path,
    folder: str | Path,
    n_shards: int,
    log: Callable[[str], object] = lambda _: None,
) -> dict:
    """Split the message store into ``n_shards`` files of whole threads (see the module).

    Memory: the link columns of the whole store, plus one store partition and the shards'
    buffers. Returns {"messages": n, "shards": [rows per shard]}."""
    columns = MESSAGE_SCHEMA.names
    fragments = _fragments(store)
    link_schema = pa.schema([MESSAGE_SCHEMA.field(name) for name in threads.INDEX_COLUMNS])
    links = pa.concat_tables(
        [f.to_table(columns=threads.INDEX_COLUMNS).cast(link_schema) for f in fragments]
        or [link_schema.empty_table()]
    )
    log(f"thread index of {links.num_rows:,} messages")
    index = threads.thread_index_table(links, n_shards)
    del links
    schema = _shard_schema()
    Path(folder).mkdir(parents=True, exist_ok=True)
    writers = [pq.ParquetWriter(path, schema) for path in shard_paths(folder, n_shards)]
    buffers: list[list[pa.Table]] = [[] for _ in range(n_shards)]
    sizes = [0] * n_shards
    start = 0
    for fragment in fragments:
        table = fragment.to_table(columns=columns).cast(MESSAGE_SCHEMA)
        part = index.slice(start, table.num_rows)
        table = _with_index(table, part, start)
        shard = part.column("shard").to_numpy()
        for k in np.unique(shard):
            buffers[k].append(table.filter(pa.array(shard == k)))
            sizes[k] += buffers[k][-1].num_rows
            if sum(t.num_rows for t in buffers[k]) >= ROWS_PER_GROUP:
                writers[k].write_table(pa.concat_tables(buffers[k]), ROWS_PER_GROUP)
                buffers[k] = []
        start += table.num_rows
    for k, writer in enumerate(writers):
        if buffers[k]:
            writer.write_table(pa.concat_tables(buffers[k]), ROWS_PER_GROUP)
        writer.close()
    log(f"{n_shards} shards of {min(sizes):,} to {max(sizes):,} messages")
    return {"messages": start, "shards": sizes}


def _shard_schema() -> pa.Schema:
    schema = MESSAGE_SCHEMA
    for name, kind in INDEX_FIELDS:
        schema = schema.append(pa.field(name, kind))
    return schema.append(pa.field(ROW, pa.int64()))


def _with_index(table: pa.Table, index: pa.Table, start: int) -> pa.Table:
    """A store partition with its rebuilt thread ids, parent columns and store rows."""
    at = table.schema.get_field_index("thread_id")
    table = table.set_column(at, "thread_id", index.column("thread_id").cast(pa.string()))
    for name, kind in INDEX_FIELDS:
        table = table.append_column(name, index.column(name).cast(kind))
    rows = pa.array(np.arange(start, start + index.num_rows), pa.int64())
    return table.append_column(ROW, rows)


def read_shard(path: str | Path) -> pd.DataFrame:
    """One shard's messages with their thread index columns and store rows."""
    return pq.read_table(path).to_pandas()


def derive_shard(
    shard: pd.DataFrame,
    answer_window_days: float,
    webcare_hours: Schedule,
    timezone: str,
    period_end: str,
    definition: str = "thread",
) -> threads.Threads:
    """``threads.derive_shard`` on one shard, the store rows kept: ``row`` on messages and
    incoming pairs, ``pair`` numbering each message's pairs in order. ``definition``: what
    counts as the response (``threads.DEFINITIONS``)."""
    rows = shard[ROW].to_numpy()
    result = threads.derive_shard(
        shard.drop(columns=ROW),
        answer_window_days,
        webcare_hours,
        timezone,
        period_end,
        keep_rows=True,
        definition=definition,
    )
    result.messages[ROW] = rows
    result.incoming[ROW] = rows[result.incoming[ROW].to_numpy()]
    result.incoming[PAIR] = result.incoming.groupby(ROW, sort=False).cumcount()
    return result


def write_shard(result: threads.Threads, messages: str, incoming: str, counts: str) -> None:
    """A shard's three outputs, as ``gather`` reads them: in store order, in row groups of
    ``ROWS_PER_GROUP`` rows, so that ``gather`` reads only the row groups of each block
    (one row group per file would be read whole for every block: quadratic)."""
    result.messages.to_parquet(messages, index=False, row_group_size=ROWS_PER_GROUP)
    result.incoming.to_parquet(incoming, index=False, row_group_size=ROWS_PER_GROUP)
    Path(counts).write_text(json.dumps(result.counts, indent=2, sort_keys=True))


def gather(parts: Sequence[str | Path], output: str | Path, keys: Sequence[str]) -> int:
    """Merge shard tables into one parquet file in the order of ``keys`` (``row``, then
    ``pair``), ``GATHER_BLOCK`` store rows at a time; the key columns are dropped.
    Column types are unified across shards (a column all-missing in one shard is null
    there). Returns the number of rows written."""
    schemas = [pq.read_schema(path) for path in parts]
    schema = pa.unify_schemas([s.remove_metadata() for s in schemas], promote_options="permissive")
    out_schema = pa.schema([f for f in schema if f.name not in (ROW, PAIR)])
    last = max(
        (pc.max(pq.read_table(path, columns=[ROW])[ROW]).as_py() for path in parts),
        key=lambda v: -1 if v is None else v,
        default=None,
    )
    last = -1 if last is None else last
    written = 0
    with pq.ParquetWriter(output, out_schema) as writer:
        for low in range(0, last + 1, GATHER_BLOCK):
            block = [
                pq.read_table(path, filters=[(ROW, ">=", low), (ROW, "<", low + GATHER_BLOCK)])
                for path in parts
            ]
            block = pa.concat_tables(
                [t.select(schema.names).cast(schema) for t in block if t.num_rows]
                or [schema.empty_table()]
            )
            block = block.sort_by([(k, "ascending") for k in keys])
            writer.write_table(block.select(out_schema.names).cast(out_schema))
            written += block.num_rows
        if written == 0:
            writer.write_table(out_schema.empty_table())
    return written


def sum_counts(parts: Sequence[str | Path]) -> dict:
    """The edition's counts: the sum of the shards' (every count is a sum over threads)."""
    total: dict[str, int] = {}
    for path in parts:
        for name, value in json.loads(Path(path).read_text()).items():
            total[name] = total.get(name, 0) + value
    return dict(sorted(total.items()))


def derive_in_shards(
    store: str | Path,
    folder: str | Path,
    n_shards: int,
    answer_window_days: float,
    webcare_hours: Schedule,
    timezone: str,
    period_end: str,
    definition: str = "thread",
) -> threads.Threads:
    """The three steps in one process, with files in ``folder``: what the workflow's rules do,
    for tests and benchmarks. Returns the gathered tables and counts."""
    folder = Path(folder)
    write_thread_index(store, folder / "index", n_shards)
    outputs = []
    for k, path in enumerate(shard_paths(folder / "index", n_shards)):
        result = derive_shard(
            read_shard(path),
            answer_window_days,
            webcare_hours,
            timezone,
            period_end,
            definition=definition,
        )
        names = [folder / f"{what}-{k}" for what in ("messages.parquet", "incoming.parquet")]
        write_shard(result, *names, folder / f"counts-{k}.json")
        outputs.append(names)
    gather([m for m, _ in outputs], folder / "messages.parquet", [ROW])
    gather([i for _, i in outputs], folder / "incoming.parquet", [ROW, PAIR])
    counts = sum_counts([folder / f"counts-{k}.json" for k in range(n_shards)])
    return threads.Threads(
        pd.read_parquet(folder / "messages.parquet"),
        pd.read_parquet(folder / "incoming.parquet"),
        counts,
    )
