"""The merge: deduplication across files, the partitioned store, readers, reruns."""

from __future__ import annotations

import hashlib

import duckdb
import pandas as pd
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engbench.ingest.store import merge, read_store


@pytest.fixture(scope="module")
def merged(tmp_path_factory, test_edition):
    """The simulated test edition's raw files, ingested and merged."""
    from engbench.ingest.canonical import OrganisationIndex
    from engbench.ingest.files import ingest_file
    from engbench.ingest.privacy import Pseudonymiser

    from .conftest import TEST_KEY

    edition, outdir = test_edition
    work = tmp_path_factory.mktemp("store")
    tables, summaries = [], []
    for path in sorted((outdir / "raw").glob("*/*.jsonl")):
        out = work / "files" / f"{path.parent.name}-{path.stem}.parquet"
        summary = ingest_file(
            path,
            source=path.parent.name,
            fmt="auto",
            organisations=OrganisationIndex(edition.accounts),
            pseudonymise=Pseudonymiser(TEST_KEY),
            out=out,
            quarantine=work / "q" / f"{path.stem}.jsonl",
            options={"org_id": "{stem}"},
        )
        tables.append(out)
        summaries.append(summary.as_dict())
    summary = merge(tables, summaries, work / "messages", "Europe/Amsterdam")
    return edition, work, summary, tables, summaries


def test_every_record_is_accounted_for(merged):
    edition, _, summary, _, _ = merged
    assert (
        summary["read"] == summary["kept"] + summary["duplicates"] + summary["quarantined"]
    ).all()
    assert summary["kept"].sum() == edition.messages["collected"].sum()
    assert (
        summary.loc[summary["source"] == "twitter", "duplicates"].sum() > 0
    )  # referenced tweets, two-org mentions


def test_one_row_per_message_with_the_truths_ids(merged):
    edition, work, _, _, _ = merged
    store = read_store(work / "messages")
    assert not store.duplicated(["platform", "message_id"]).any()
    truth = edition.messages[edition.messages["collected"]]
    assert set(zip(store["platform"], store["message_id"], strict=True)) == set(
        zip(truth["platform"], truth["message_id"], strict=True)
    )


def test_partitions_hold_one_organisation_month(merged):
    _, work, _, _, _ = merged
    folders = sorted(
        p.relative_to(work / "messages").as_posix()
        for p in (work / "messages").glob("org=*/month=*")
    )
    assert "org=railned/month=2017-03" in folders
    assert all(f.split("/")[1][len("month=") :] <= "2017-10" for f in folders)
    part = read_store(work / "messages", org="railned", month="2017-03")
    assert len(part) > 0
    assert set(part["org_id"]) == {"railned"}
    local = part["created_at"].dt.tz_convert("Europe/Amsterdam")
    assert (local.dt.month == 3).all()


def test_readable_by_pandas_duckdb_and_polars_without_extra_code(merged):
    _, work, _, _, _ = merged
    path = work / "messages"
    by_pandas = pd.read_parquet(path)
    by_duckdb = duckdb.sql(
        f"SELECT org, count(*) AS n FROM read_parquet('{path}/**/*.parquet', "
        "hive_partitioning = true) "
        "GROUP BY org ORDER BY org"
    ).df()
    by_polars = (
        pl.scan_parquet(f"{path}/**/*.parquet", hive_partitioning=True).select(pl.len()).collect()
    )
    assert len(by_pandas) == by_duckdb["n"].sum() == by_polars.item()
    assert set(by_duckdb["org"]) == set(by_pandas["org"].astype(str))


def test_rerun_gives_identical_bytes(merged, tmp_path):
    _, work, _, tables, summaries = merged
    merge(tables, summaries, tmp_path / "again", "Europe/Amsterdam")

    def digest(folder):
        return {
            p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*.parquet"))
        }

    assert digest(work / "messages") == digest(tmp_path / "again")


def test_most_complete_version_wins(tmp_path, ingest):
    """The same message in two files: the copy with more fields filled (and full text) is kept."""
    import json

    full = {
        "id": "1",
        "text": "@acme the full text of my complaint",
        "author_id": "9",
        "created_at": "2017-03-01T10:00:00.000Z",
        "conversation_id": "1",
        "lang": "nl",
        "public_metrics": {"like_count": 3, "retweet_count": 0, "reply_count": 1, "quote_count": 0},
    }
    thin = {
        "id": "1",
        "text": "@acme the full…",
        "author_id": "9",
        "created_at": "2017-03-01T10:00:00.000Z",
    }
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.write_text(json.dumps({"data": [thin], "meta": {"result_count": 1}}) + "\n")
    b.write_text(json.dumps({"data": [full], "meta": {"result_count": 1}}) + "\n")
    outs, sums = [], []
    for path in (a, b):
        _, summary, _ = ingest(path)
        sums.append(summary.as_dict())
        outs.append(sorted(tmp_path.glob("out*.parquet"))[-1])
    table = merge(outs, sums, tmp_path / "store", "UTC")
    store = read_store(tmp_path / "store")
    assert store.loc[0, "text"] == "@user the full text of my complaint"
    assert store.loc[0, "like_count"] == 3
    assert table["duplicates"].tolist() == [1, 0]


def test_the_merge_streams_to_the_same_store_whatever_the_batch_size(merged, tmp_path):
    """The streaming merge (keys first, then file by file, partition by partition) writes
    the store that one table of every file, deduplicated and written at once, would."""
    import pyarrow.dataset as ds

    from engbench.ingest.store import (
        PARTITIONING,
        deduplicate,
        read_file_tables,
        write_store,
    )

    _, work, summary, tables, summaries = merged
    kept, _ = deduplicate(read_file_tables(tables))
    write_store(kept.drop_columns(["_file"]), tmp_path / "whole", "Europe/Amsterdam")
    small = merge(tables, summaries, tmp_path / "small", "Europe/Amsterdam", batch_rows=37)
    pd.testing.assert_frame_equal(small, summary)

    def files(folder):
        return sorted(p.relative_to(folder) for p in folder.rglob("*.parquet"))

    def table(folder):
        return ds.dataset(folder, format="parquet", partitioning=PARTITIONING).to_table()

    assert files(tmp_path / "whole") == files(work / "messages") == files(tmp_path / "small")
    whole = table(tmp_path / "whole")
    assert table(work / "messages").equals(whole)
    assert table(tmp_path / "small").equals(whole)
    assert not list(tmp_path.glob("*.spill")) and not list(tmp_path.glob("*.partial"))


def _dropped_plainly(keys: pd.DataFrame) -> list[bool]:
    """Deduplication written out in plain pandas and Python, row by row (the oracle)."""
    ranked = keys.assign(filled=-keys["filled"], text_length=-keys["text_length"])
    ranked = ranked.sort_values(["platform", "message_id", "filled", "text_length", "file", "row"])
    first = ~ranked.duplicated(["platform", "message_id"])
    present = set(zip(ranked["platform"][first], ranked["message_id"][first], strict=True))
    dropped = {i: not first[i] for i in keys.index}
    for i, row in keys.iterrows():
        latest = row["latest_version_id"]
        if latest is not None and (row["platform"], latest) in present:
            dropped[i] = True
    return [dropped[i] for i in keys.index]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["twitter", "facebook"]),
            st.sampled_from(["1", "2", "3", "10", "11"]),
            st.one_of(st.none(), st.sampled_from(["1", "2", "3", "99"])),
            st.integers(0, 3),
            st.integers(0, 3),
            st.integers(0, 2),
        ),
        max_size=30,
    )
)
def test_dropped_rows_match_plain_deduplication(rows):
    import pyarrow as pa

    from engbench.ingest.store import dropped_rows

    keys = pd.DataFrame(
        rows,
        columns=["platform", "message_id", "latest_version_id", "filled", "text_length", "file"],
    )
    keys["row"] = range(len(keys))
    keys["latest_version_id"] = keys["latest_version_id"].astype(object)
    table = pa.table(
        {
            "platform": pa.array(keys["platform"], pa.string()),
            "message_id": pa.array(keys["message_id"], pa.string()),
            "latest_version_id": pa.array(keys["latest_version_id"], pa.string()),
            "filled": pa.array(keys["filled"], pa.int64()),
            "text_length": pa.array(keys["text_length"], pa.int64()),
            "file": pa.array(keys["file"], pa.int32()),
            "row": pa.array(keys["row"], pa.int64()),
        }
    )
    assert dropped_rows(table).tolist() == _dropped_plainly(keys)
