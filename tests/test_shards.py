"""The threads stage in shards: the same rows as the whole store at once, whatever the shards."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engbench.ingest.records import MESSAGE_SCHEMA
from engbench.ingest.store import read_store, write_store
from engbench.shards import ROW, derive_in_shards, gather, shard_paths, write_thread_index
from engbench.threads import derive
from tests.test_threads import ALWAYS, message

ACCOUNTS = ["111", "222", "c1", "c2", "c3", "c4"]  # two organisations' accounts, four consumers


@st.composite
def stores(draw):
    """Messages in threads of every shape: replies to earlier messages (or to messages not
    in the store), platform thread ids or none, two organisations, retweets, messages
    addressed to one, both or neither organisation, on two platforms."""
    n = draw(st.integers(1, 40))
    rows = []
    for i in range(n):
        platform = draw(st.sampled_from(["twitter", "facebook"]))
        earlier = [r for r in rows if r["platform"] == platform]
        parent = draw(
            st.one_of(
                st.none(),
                st.sampled_from([r["message_id"] for r in earlier] or ["gone"]),
                st.just(f"gone{i % 3}"),
            )
        )
        thread = None
        if parent is not None and draw(st.booleans()):  # the platform gives the thread
            found = [r for r in earlier if r["message_id"] == parent]
            thread = found[0]["thread_id"] if found and found[0]["thread_id"] else parent
        elif parent is None and draw(st.booleans()):
            thread = f"m{i}"
        author = draw(st.sampled_from(ACCOUNTS))
        addressed = draw(st.lists(st.sampled_from(["a", "b"]), max_size=2, unique=True))
        rows.append(
            message(
                f"m{i}",
                author,
                pd.Timestamp("2017-03-01 08:00") + pd.Timedelta(minutes=17 * i),
                parent=parent,
                thread=thread,
                addressed=addressed,
                reply_to=draw(st.sampled_from([None, *ACCOUNTS])),
                retweet="m0" if draw(st.integers(0, 9)) == 0 else None,
                platform=platform,
            )
        )
    frame = pd.DataFrame(rows).assign(source_format="test", source_file="test.jsonl")
    return pa.Table.from_pandas(frame, preserve_index=False).select(MESSAGE_SCHEMA.names)


def _files_equal(a: pd.DataFrame, b: pd.DataFrame, folder: Path) -> None:
    """Equal as the workflow writes them: both through parquet."""
    a.to_parquet(folder / "a.parquet", index=False)
    b.to_parquet(folder / "b.parquet", index=False)
    pd.testing.assert_frame_equal(
        pd.read_parquet(folder / "a.parquet"), pd.read_parquet(folder / "b.parquet")
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stores(), st.integers(1, 5))
def test_shards_of_whole_threads_give_the_same_rows_as_the_whole_store(table, n_shards):
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        write_store(table, tmp / "messages", "Europe/Amsterdam")
        store = read_store(tmp / "messages").drop(columns=["org", "month"])
        args = (7, ALWAYS, "Europe/Amsterdam", "2017-11-01")
        whole = derive(store, *args)
        sharded = derive_in_shards(tmp / "messages", tmp / "shards", n_shards, *args)
        _files_equal(sharded.messages, whole.messages, tmp)
        _files_equal(sharded.incoming, whole.incoming, tmp)
        assert sharded.counts == whole.counts


def test_a_thread_is_never_split_between_shards(tmp_path):
    rows = [
        message("m1", "c1", "2017-03-01 10:00", addressed=["a"]),
        message("r1", "111", "2017-03-01 10:20", parent="m1", reply_to="c1"),
        message("m2", "c1", "2017-03-01 10:30", parent="r1", addressed=["a"]),
        message("x1", "c2", "2017-03-02 10:00", parent="gone", addressed=["b"]),
        message("x2", "222", "2017-03-02 11:00", parent="x1"),
        *[message(f"b{i}", "111", f"2017-03-0{1 + i % 9} 12:00") for i in range(20)],
    ]
    frame = pd.DataFrame(rows).assign(source_format="test", source_file="t.jsonl")
    write_store(pa.Table.from_pandas(frame, preserve_index=False), tmp_path / "s", "UTC")
    sizes = write_thread_index(tmp_path / "s", tmp_path / "index", 4)
    assert sizes["messages"] == len(rows) and sum(sizes["shards"]) == len(rows)
    shards = [pd.read_parquet(p) for p in shard_paths(tmp_path / "index", 4)]
    assert sum(len(s) > 0 for s in shards) >= 2, "22 threads spread over the shards"
    owner = {}
    for k, shard in enumerate(shards):
        for thread in shard["thread_id"]:
            assert owner.setdefault(thread, k) == k
    assert owner["m1"] == owner.get("m1") and {"m1", "gone"} <= set(owner)
    rows_seen = sorted(r for s in shards for r in s[ROW])
    assert rows_seen == list(range(len(rows)))


def test_gather_restores_store_order_across_blocks_and_empty_shards(tmp_path, monkeypatch):
    import engbench.shards

    monkeypatch.setattr(engbench.shards, "GATHER_BLOCK", 3)  # many blocks on a tiny table
    parts = []
    for k, rows in enumerate([[5, 0, 3], [], [1, 2, 4, 6]]):
        path = tmp_path / f"part-{k}.parquet"
        text = pa.array([f"t{r}" for r in rows] if rows else [None] * 0, pa.string())
        table = pa.table({"text": text if rows else pa.nulls(0), ROW: pa.array(rows, pa.int64())})
        pq.write_table(table, path)
        parts.append(path)
    assert gather(parts, tmp_path / "out.parquet", [ROW]) == 7
    out = pd.read_parquet(tmp_path / "out.parquet")
    assert list(out.columns) == ["text"]
    assert list(out["text"]) == [f"t{r}" for r in range(7)]
