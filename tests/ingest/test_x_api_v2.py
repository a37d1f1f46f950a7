"""X API v2 (twarc2) archives: real samples (../shared/fixtures/twitter-v2, bad-inputs-real)."""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from engbench.ingest.records import FILE_SCHEMA, IngestError
from engbench.ingest.store import merge, read_store

from .conftest import accounts_sheet


def tweets_in(path):
    """(data tweets, includes tweets, error entries) counted straight from the file."""
    data, included, errors = [], [], []
    for line in path.read_text().splitlines():
        page = json.loads(line)
        d = page.get("data")
        data += d if isinstance(d, list) else [d] if d else []
        included += page.get("includes", {}).get("tweets", [])
        errors += page.get("errors", [])
    return data, included, errors


def test_search_page_with_includes_and_errors(ingest, fixtures_dir):
    path = fixtures_dir / "twitter-v2" / "twarccsv_noflat.jsonl"
    data, included, errors = tweets_in(path)
    rows, _, bad = ingest(path)
    assert len(data) == 100 and len(errors) == 1
    ids = set(rows["message_id"])
    assert {t["id"] for t in data} <= ids
    assert ids <= {t["id"] for t in data} | {t["id"] for t in included}
    assert not bad
    by_id = rows.set_index("message_id")
    replies = [
        t for t in data if any(r["type"] == "replied_to" for r in t.get("referenced_tweets", []))
    ]
    assert len(replies) == 31
    for t in replies:
        parent = next(r["id"] for r in t["referenced_tweets"] if r["type"] == "replied_to")
        assert by_id.loc[t["id"], "parent_id"] == parent
        assert by_id.loc[t["id"], "thread_id"] == t["conversation_id"]
        assert parent in ids  # all parents are in includes.tweets
    assert rows["created_at"].dt.tz is not None and str(rows["created_at"].dt.tz) == "UTC"


def test_retweets_keep_the_originals_full_text(ingest, fixtures_dir):
    path = fixtures_dir / "twitter-v2" / "twarcnetwork_tweets.jsonl"
    data, included, _ = tweets_in(path)
    originals = {t["id"]: t["text"] for t in included}
    rows, _, _ = ingest(path)
    by_id = rows.set_index("message_id")
    checked = 0
    for t in data:
        rt = next(
            (r["id"] for r in t.get("referenced_tweets", []) if r["type"] == "retweeted"), None
        )
        if rt and rt in originals:
            text = by_id.loc[t["id"], "text"]
            assert text.endswith(originals[rt].replace("@", "@")[-20:]) or "@user" in text
            assert not text.endswith("…")
            assert by_id.loc[t["id"], "retweeted_id"] == rt
            checked += 1
    assert checked > 100


def test_flattened_variant_gives_the_same_messages(ingest, fixtures_dir):
    nested, _, _ = ingest(fixtures_dir / "twitter-v2" / "twarccsv_noflat.jsonl")
    flat, summary, _ = ingest(fixtures_dir / "twitter-v2" / "twarccsv_flat.jsonl")
    assert summary.read == 100
    cols = ["message_id", "author_id", "created_at", "parent_id", "thread_id", "text"]
    a = nested[nested["message_id"].isin(flat["message_id"])][cols].sort_values("message_id")
    b = flat[cols].sort_values("message_id")
    assert len(a) == 100
    assert a.reset_index(drop=True).equals(b.reset_index(drop=True))


def test_missing_parents_and_withheld_tweets(ingest, fixtures_dir):
    path = fixtures_dir / "twitter-v2" / "twarccsv_withheld.jsonl"
    data, included, errors = tweets_in(path)
    rows, _, bad = ingest(path)
    assert len(data) == 215 and len(errors) == 5
    known = {t["id"] for t in data + included}
    parents = [
        r["id"] for t in data for r in t.get("referenced_tweets", []) if r["type"] == "replied_to"
    ]
    expected_missing = [p for p in parents if p not in known]
    assert not bad
    ids = set(rows["message_id"])
    replies = rows[rows["message_id"].isin({t["id"] for t in data}) & rows["parent_id"].notna()]
    missing = replies[~replies["parent_id"].isin(ids)]
    assert len(replies) == 62
    # 21 parents are absent from includes, one of them is elsewhere in data: 20 truly missing
    assert len(missing) == len(expected_missing) == 20  # kept, not fatal


def test_an_edit_supersedes_the_earlier_version(ingest, fixtures_dir, tmp_path):
    before_rows, before, _ = ingest(fixtures_dir / "twitter-v2" / "twarccsv_edited_before.jsonl")
    after_rows, after, _ = ingest(fixtures_dir / "twitter-v2" / "twarccsv_edited_after.jsonl")
    assert before_rows.loc[0, "message_id"] == "1576994746135764992"
    paths = []
    for i, rows in enumerate((before_rows, after_rows)):
        paths.append(tmp_path / f"{i}.parquet")
        pq.write_table(
            pa.Table.from_pandas(rows, schema=FILE_SCHEMA, preserve_index=False), paths[-1]
        )
    summary = merge(paths, [before.as_dict(), after.as_dict()], tmp_path / "store", "UTC")
    store = read_store(tmp_path / "store")
    assert list(store["message_id"]) == ["1576994789110992896"]
    # each file holds both versions (one in data, one in includes): 4 rows, 1 kept
    assert summary["read"].sum() == 4
    assert summary["kept"].sum() == 1 and summary["duplicates"].sum() == 3
    assert (
        summary["read"] == summary["kept"] + summary["duplicates"] + summary["quarantined"]
    ).all()


def test_organisation_accounts_are_recognised(ingest, fixtures_dir):
    path = fixtures_dir / "twitter-v2" / "twarc2sql_example.jsonl"
    data, _, _ = tweets_in(path)
    author = data[0]["author_id"]
    sheet = accounts_sheet(
        f"org_id,name,sector,platform,handle,account_id\nacme,Acme,retail,twitter,acme,{author}\n"
    )
    rows, _, _ = ingest(path, accounts=sheet)
    own = rows[rows["author_id"] == author]
    assert len(own) >= 1 and own["is_org"].all() and (own["org_id"] == "acme").all()
    others = rows[~rows["is_org"]]
    assert others["author_id"].str.fullmatch(r"u[0-9a-f]{16}").all()


def test_minimal_field_response_fails_with_advice(ingest, fixtures_dir):
    with pytest.raises(IngestError) as error:
        ingest(fixtures_dir / "twitter-v2" / "tweepy_v2_users_mentions_783214.json")
    message = str(error.value)
    assert "10 of 10 messages quarantined" in message
    assert "field `author_id`" in message and "expansions=author_id" in message


def test_stream_cut_mid_line(ingest, fixtures_dir):
    path = fixtures_dir / "bad-inputs-real" / "twarccsv_streaming_output_with_error.jsonl"
    with pytest.raises(IngestError, match=r"line 8.*line cut off"):
        ingest(path)
    rows, summary, bad = ingest(path, max_share=0.2)
    good = [json.loads(line)["data"]["id"] for line in path.read_text().splitlines()[:7]]
    assert set(good) <= set(rows["message_id"])  # the 7 streamed tweets (and what they reference)
    assert summary.quarantined == 1
    assert bad[0]["location"] == "line 8" and bad[0]["reason"].startswith("line cut off")


def test_two_tweet_page(ingest, fixtures_dir):
    rows, summary, _ = ingest(fixtures_dir / "twitter-v2" / "twarccsv_two_tweets.jsonl")
    assert summary.read == len(rows) >= 2
