"""Bluesky (AT Protocol): real samples from ../shared/fixtures/bluesky, and hand-written fixtures.

The hand-written fixtures (tests/ingest/fixtures/bluesky/) follow the AT Protocol lexicons
published by Bluesky (github.com/bluesky-social/atproto: lexicons/app/bsky/feed/defs.json,
feed/post.json, feed/repost.json, feed/getAuthorFeed.json, feed/getPostThread.json,
richtext/facet.json, embed/record.json; com/atproto/repo/listRecords.json) and the Jetstream
README (github.com/bluesky-social/jetstream). Their people and organisation are fictional.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engbench.ingest import bluesky
from engbench.ingest.canonical import check_count
from engbench.ingest.privacy import Pseudonymiser
from engbench.ingest.records import Bad, ParseContext

from .conftest import TEST_KEY, accounts_sheet

FIXTURES = Path(__file__).parent / "fixtures" / "bluesky"
HEADER = "org_id,name,sector,platform,handle,account_id\n"
pseudonym = Pseudonymiser(TEST_KEY)


def sample(fixtures_dir, name) -> tuple[Path, dict]:
    path = fixtures_dir / "bluesky" / name
    return path, json.loads(path.read_text(encoding="utf-8"))


def rkey(uri: str) -> str:
    return uri.rsplit("/", 1)[1]


def did_of(uri: str) -> str:
    return uri[len("at://") :].split("/", 1)[0]


def post_views(document) -> dict[str, dict]:
    """Every full post view of a feed or thread response, by uri (each once)."""
    views: dict[str, dict] = {}

    def add(view):
        if isinstance(view, dict) and "record" in view and "author" in view:
            views.setdefault(view["uri"], view)

    for item in document.get("feed", []):
        add(item["post"])
        for name in ("root", "parent"):
            add(item.get("reply", {}).get(name))
    stack = [document["thread"]] if "thread" in document else []
    while stack:
        node = stack.pop()
        add(node.get("post"))
        stack += [node["parent"]] if "parent" in node else []
        stack += node.get("replies", [])
    return views


def personal_values(document, org_handles=()) -> tuple[set[str], set[str], set[str]]:
    """(handles, DIDs, display names) of every consumer account named in the document."""
    handles, dids, names, org = set(), set(), set(), set()

    def walk(value):
        if isinstance(value, dict):
            if value.get("handle") in org_handles:
                org.add(value.get("did"))
            elif isinstance(value.get("handle"), str):
                handles.add(value["handle"])
            if isinstance(value.get("displayName"), str) and value["displayName"].strip():
                names.add(value["displayName"].strip())
            if isinstance(value.get("did"), str):
                dids.add(value["did"])
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str) and value.startswith("at://did:"):
            dids.add(did_of(value))

    walk(document)
    return handles, dids - org, names


def assert_no_personal_data(rows: pd.DataFrame, document, org_handles=()):
    """No consumer handle, DID or display name anywhere in the table (texts: no @handle)."""
    handles, dids, names = personal_values(document, org_handles)
    columns = rows.drop(columns=["text", "source_file"]).astype(str).to_csv()
    texts = "\n".join(rows["text"].dropna()).lower()
    for did in dids:
        assert did not in columns and did not in texts
    for handle in handles:
        assert handle not in columns
        assert f"@{handle.lower()}" not in texts
    for name in names:
        assert name not in columns
        if " " in name:  # one-word names are ordinary words ("Posit", "Richard")
            assert name.lower() not in texts


def test_author_feed_reposts_and_hydrated_replies(ingest, fixtures_dir):
    path, document = sample(fixtures_dir, "bskyr_getAuthorFeed_chriskenny.json")
    rows, summary, bad = ingest(path)
    assert summary.source_format == "bluesky" and not bad
    views = post_views(document)
    assert len(document["feed"]) == 50 and len(views) == 73
    assert len(rows) == 80 and rows["message_id"].is_unique
    reposts = rows[rows["message_id"].str.startswith("repost:")]
    assert len(reposts) == 7
    assert set(rows["message_id"]) == {rkey(u) for u in views} | set(reposts["message_id"])
    by_id = rows.set_index("message_id")

    items = [item for item in document["feed"] if "reason" in item]
    by_retweeted = reposts.set_index("retweeted_id")
    for item in items:
        repost = by_retweeted.loc[rkey(item["post"]["uri"])]
        original = by_id.loc[rkey(item["post"]["uri"])]
        assert repost["text"] == "RT @user: " + original["text"]
        assert repost["author_id"] == pseudonym("bluesky", item["reason"]["by"]["did"])
        assert repost["created_at"] == pd.Timestamp(item["reason"]["indexedAt"])
        assert repost["thread_id"] == repost["message_id"] and pd.isna(repost["parent_id"])
        assert original["author_id"] == pseudonym("bluesky", item["post"]["author"]["did"])

    replies = {u: v for u, v in views.items() if "reply" in v["record"]}
    assert len(replies) == 38
    for uri, view in replies.items():
        row = by_id.loc[rkey(uri)]
        parent, root = (
            view["record"]["reply"]["parent"]["uri"],
            view["record"]["reply"]["root"]["uri"],
        )
        assert row["parent_id"] == rkey(parent) and row["thread_id"] == rkey(root)
        assert row["in_reply_to_author_id"] == pseudonym("bluesky", did_of(parent))
    reply_rows = by_id.loc[[rkey(u) for u in replies]]
    assert reply_rows["parent_id"].isin(by_id.index).sum() == 33  # 3 roots are notFoundPost
    assert reply_rows["thread_id"].isin(by_id.index).sum() == 35
    originals = rows[~rows["message_id"].isin(reply_rows.index) & ~rows.index.isin(reposts.index)]
    assert len(originals) == 35 and (originals["thread_id"] == originals["message_id"]).all()

    first = document["feed"][0]["post"]
    row = by_id.loc[rkey(first["uri"])]
    assert row["like_count"] == first["likeCount"] and row["reply_count"] == first["replyCount"]
    assert row["share_count"] == first["repostCount"] + first["quoteCount"]
    assert row["text"] == first["record"]["text"]
    assert rows["lang"].isna().sum() == 7 + 7  # 7 posts without `langs`, and the 7 reposts
    assert str(rows["created_at"].dt.tz) == "UTC"
    assert row["created_at"] == pd.Timestamp(first["record"]["createdAt"])
    quoted = rows["quoted_id"].dropna()
    assert len(quoted) == 10 and quoted.str.fullmatch(r"[a-z2-7]{13}").all()
    assert_no_personal_data(rows, document)


def test_author_feed_with_reply_context_and_self_reposts(ingest, fixtures_dir):
    path, document = sample(fixtures_dir, "atrrr_getAuthorFeed_925c2.json")
    rows, _, bad = ingest(path)
    assert not bad
    views = post_views(document)
    assert len(document["feed"]) == 25 and len(views) == 31
    assert len(rows) == 41 and rows["message_id"].is_unique
    by_id = rows.set_index("message_id")
    replies = by_id[by_id["parent_id"].notna()]
    assert len(replies) == 14 and replies["parent_id"].isin(by_id.index).all()
    for _, reply in replies.iterrows():  # a reply shares its parent's thread
        assert by_id.loc[reply["parent_id"], "thread_id"] == reply["thread_id"]
    reposts = rows[rows["retweeted_id"].notna()]
    assert len(reposts) == 10 and reposts["retweeted_id"].isin(by_id.index).all()
    own = reposts[
        reposts["author_id"] == by_id.loc[reposts["retweeted_id"], "author_id"].to_numpy()
    ]
    assert len(own) == 2  # the account reposted two of its own posts
    assert_no_personal_data(rows, document)


def test_post_thread(ingest, fixtures_dir):
    path, document = sample(fixtures_dir, "atrrr_getPostThread_aa665.json")
    rows, _, bad = ingest(path)
    assert not bad and len(rows) == 4
    root = rows[rows["parent_id"].isna()]
    assert len(root) == 1
    assert (rows["thread_id"] == root["message_id"].iloc[0]).all()
    by_id = rows.set_index("message_id")
    focus = rkey(document["thread"]["post"]["uri"])
    assert by_id.loc[focus, "parent_id"] == rkey(document["thread"]["parent"]["post"]["uri"])
    reply = rkey(document["thread"]["replies"][0]["post"]["uri"])
    assert by_id.loc[reply, "parent_id"] == focus
    assert rows["parent_id"].dropna().isin(by_id.index).all()
    assert_no_personal_data(rows, document)


def test_organisation_accounts_and_mentions(ingest, fixtures_dir):
    """The package account bskyr and the company Posit as organisations (matched by handle)."""
    sheet = accounts_sheet(
        HEADER + "bskyr,bskyr R package,software,bluesky,bskyr.bsky.social,did:plc:unknown1\n"
        "posit,Posit,software,bluesky,posit.co,did:plc:unknown2\n"
    )
    path, document = sample(fixtures_dir, "bskyr_getAuthorFeed_chriskenny.json")
    rows, _, _ = ingest(path, accounts=sheet)
    org = rows[rows["is_org"]]
    assert len(org) == 2 and (org["org_id"] == "bskyr").all()
    assert org["author_id"].str.startswith("did:plc:").all()  # organisations keep their DID
    assert (rows.loc[~rows["is_org"], "author_id"].str.fullmatch(r"u[0-9a-f]{16}")).all()
    addressed = rows[rows["addressed_org_ids"].map(len) > 0]
    assert sorted(addressed["addressed_org_ids"].map(tuple)) == [("bskyr",), ("posit",)]
    assert rows["text"].str.contains("@posit.co's", regex=False).sum() == 1  # org handle kept
    assert_no_personal_data(rows, document, org_handles={"bskyr.bsky.social", "posit.co"})

    path, document = sample(fixtures_dir, "atrrr_getAuthorFeed_925c2.json")
    rows, _, _ = ingest(path, accounts=sheet)
    assert (rows["org_id"] == "posit").sum() == 2 and not rows["is_org"].any()


# --- hand-written fixtures ----------------------------------------------------------------

ACME = accounts_sheet(
    HEADER + "acme,Acme,transport,bluesky,acme.example.com,did:plc:acmeacmeacmeacmeacmeacme\n"
)


def test_feed_edge_cases(ingest):
    """Pinned post, UTF-8 byte offsets of mentions, gone reply views, new-style repost, quote."""
    rows, summary, bad = ingest(
        FIXTURES / "author_feed_edge_cases.json", accounts=ACME, max_share=1
    )
    assert summary.source_format == "bluesky"
    assert sorted((b["location"], b["field"]) for b in bad) == [
        ("document, feed[4].post", "record.createdAt"),
        ("document, feed[5].reply.parent", None),
        ("document, feed[5].reply.root", None),
    ]
    by_id = rows.set_index("message_id")
    assert len(rows) == 6 and by_id["is_org"].sum() == 5
    pinned = by_id.loc["3laaaaaaaaa2a"]
    assert pinned["text"] == "Héllo 👋 @user, de storing is voorbij." and pinned["lang"] == "nl"
    assert (pinned["like_count"], pinned["share_count"], pinned["reply_count"]) == (9, 6, 2)
    assert pinned["author_id"] == "did:plc:acmeacmeacmeacmeacmeacme"
    reply = by_id.loc["3laaaaaaaab2a"]  # root notFoundPost, parent blockedPost: skipped, no Bad
    assert (reply["parent_id"], reply["thread_id"]) == ("3lccccccccc2c", "3lbbbbbbbbb2b")
    assert reply["created_at"] == pd.Timestamp("2025-03-01T10:00:00Z")  # +01:00 → UTC
    repost = by_id.loc[rows["message_id"].str.startswith("repost:").to_numpy()]
    assert len(repost) == 1 and repost["retweeted_id"].iloc[0] == "3lddddddddd2d"
    assert repost["text"].iloc[0] == "RT @user: Acme trains are late again"
    assert repost["is_org"].iloc[0] and "3lddddddddd2d" in by_id.index
    assert by_id.loc["3laaaaaaaac2a", "quoted_id"] == "3leeeeeeeee2e"


def test_mention_facets_are_read_by_utf8_bytes():
    document = json.loads((FIXTURES / "author_feed_edge_cases.json").read_text(encoding="utf-8"))
    first = next(bluesky.parse(document, "document", ParseContext("x")))
    assert first["mentions"] == ["klant1.example.net"]


def test_thread_with_gone_parent_and_blocked_reply(ingest):
    rows, _, bad = ingest(FIXTURES / "post_thread_gone_parent.json", accounts=ACME)
    assert not bad and list(rows["message_id"]) == [
        "3lggggggggg2g",
        "3laaaaaaaaf2a",
        "3liiiiiiiii2i",
    ]
    assert (rows["thread_id"] == "3lhhhhhhhhh2h").all()
    assert list(rows["parent_id"]) == ["3lhhhhhhhhh2h", "3lggggggggg2g", "3laaaaaaaaf2a"]
    consumer = rows.iloc[0]
    assert consumer["addressed_org_ids"].tolist() == ["acme"] and consumer["org_id"] == "acme"
    assert consumer["text"] == "@acme.example.com my parcel is lost"
    assert rows.iloc[2]["in_reply_to_author_id"] == "did:plc:acmeacmeacmeacmeacmeacme"


def test_repository_records(ingest):
    rows, _, bad = ingest(FIXTURES / "repo_records.jsonl", accounts=ACME, max_share=1)
    assert [(b["location"], b["field"]) for b in bad] == [("line 3", "created_at")]
    assert len(rows) == 3  # the like and the profile record are not messages
    by_id = rows.set_index("message_id")
    assert by_id.loc["3lkkkkkkkkk2k", "addressed_org_ids"].tolist() == ["acme"]
    assert by_id.loc["3lnnnnnnnnn2n", "parent_id"] == "3lkkkkkkkkk2k"
    repost = rows[rows["retweeted_id"].notna()].iloc[0]
    assert repost["retweeted_id"] == "3laaaaaaaaa2a" and pd.isna(repost["text"])
    assert len({a for a in rows["author_id"]}) == 1 and not rows["is_org"].any()


def test_jetstream_events(ingest):
    rows, summary, bad = ingest(FIXTURES / "jetstream.jsonl", accounts=ACME)
    assert summary.source_format == "bluesky" and not bad
    assert len(rows) == 2  # like, delete, identity and account events are not messages
    post, repost = rows.iloc[0], rows.iloc[1]
    assert (post["message_id"], post["parent_id"], post["thread_id"]) == (
        "3lppppppppp2p",
        "3laaaaaaaaa2a",
        "3laaaaaaaaa2a",
    )
    assert post["in_reply_to_author_id"] == "did:plc:acmeacmeacmeacmeacmeacme"
    assert post["addressed_org_ids"].tolist() == ["acme"]
    assert repost["retweeted_id"] == "3laaaaaaaaa2a" and repost["author_id"] == post["author_id"]


def test_the_same_repost_has_the_same_id_in_every_shape():
    """A feed repost (reasonRepost) and the repost record itself give one message id."""
    by = {"did": "did:plc:klant2bbbbbbbbbbbbbbbbbb", "handle": "klant2.example.net"}
    post_uri = "at://did:plc:acmeacmeacmeacmeacmeacme/app.bsky.feed.post/3laaaaaaaaa2a"
    view = {
        "uri": post_uri,
        "cid": "bafyx",
        "author": {"did": "did:plc:acmeacmeacmeacmeacmeacme", "handle": "acme.example.com"},
        "record": {"$type": bluesky.POST, "text": "hi", "createdAt": "2025-05-01T07:00:00Z"},
    }
    item = {
        "post": view,
        "reason": {"$type": bluesky.REASON_REPOST, "by": by, "indexedAt": "2025-05-01T08:01:00Z"},
    }
    record = {
        "uri": f"at://{by['did']}/app.bsky.feed.repost/3lqqqqqqqqq2q",
        "value": {
            "$type": bluesky.REPOST,
            "subject": {"uri": post_uri, "cid": "bafyx"},
            "createdAt": "2025-05-01T08:01:00Z",
        },
    }
    context = ParseContext("x")
    from_feed = next(bluesky.parse(item, "line 1", context))
    from_record = next(bluesky.parse(record, "line 2", context))
    assert from_feed["message_id"] == from_record["message_id"]
    assert from_feed["message_id"].startswith("repost:3laaaaaaaaa2a:")


def test_sniff_claims_bluesky_shapes_only():
    assert bluesky.sniff({"feed": [], "cursor": "x"})
    assert bluesky.sniff(
        {"thread": {"$type": "app.bsky.feed.defs#notFoundPost", "uri": "at://x/y/z"}}
    )
    for other in (
        {"data": [{"id": "1", "text": "x"}], "meta": {}},
        {"id": "1", "created_at": "x", "account": {}, "content": ""},
        {"data": [{"created_time": "x", "id": "1"}]},
        {"uri": "https://example.com"},
        [],
        "feed",
        None,
    ):
        assert not bluesky.sniff(other)


# --- random and corrupted records ---------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


def _records() -> list:
    records = []
    for path in sorted(FIXTURES.iterdir()):
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".jsonl":
            records += [json.loads(line) for line in text.splitlines()]
        else:
            records.append(json.loads(text))
    return records


BASES = _records()
NAMES = [
    "feed",
    "post",
    "reply",
    "reason",
    "by",
    "record",
    "reply",
    "root",
    "parent",
    "uri",
    "author",
    "did",
    "handle",
    "text",
    "createdAt",
    "facets",
    "index",
    "byteStart",
    "byteEnd",
    "features",
    "langs",
    "embed",
    "thread",
    "replies",
    "value",
    "commit",
    "indexedAt",
    "likeCount",
    "$type",
    "subject",
    "records",
]


def corrupt(value, path: list[int], replacement, depth=0):
    """Replace one nested value (chosen by ``path``) or drop a key."""
    if depth >= len(path) or not isinstance(value, dict | list) or not value:
        return replacement
    if isinstance(value, list):
        i = path[depth] % len(value)
        return [*value[:i], corrupt(value[i], path, replacement, depth + 1), *value[i + 1 :]]
    keys = list(value)
    key = keys[path[depth] % len(keys)]
    out = dict(value)
    if replacement == "<drop>" and depth == len(path) - 1:
        del out[key]
    else:
        out[key] = corrupt(value[key], path, replacement, depth + 1)
    return out


def check(record):
    for item in bluesky.parse(record, "line 1", ParseContext("x", {}, "Europe/Amsterdam")):
        assert isinstance(item, dict | Bad)
        if isinstance(item, dict):
            assert isinstance(item["message_id"], str) and item["message_id"]
            assert item["created_at"] is None or item["created_at"].tzinfo is not None
            assert all(isinstance(m, str) for m in item.get("mentions") or [])
            for name in ("like_count", "share_count", "reply_count"):
                # a value that is not a count is passed on; the checks quarantine its record
                count, why = check_count(item.get(name))
                assert (count is None) or (why is None and 0 <= count < 2**63)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    base=st.sampled_from(BASES),
    path=st.lists(st.integers(0, 50), min_size=1, max_size=7),
    replacement=json_values | st.just("<drop>") | st.sampled_from(NAMES),
)
def test_corrupted_records_never_raise(base, path, replacement):
    check(corrupt(base, path, replacement))


@settings(max_examples=100, deadline=None)
@given(record=json_values | st.dictionaries(st.sampled_from(NAMES), json_values, max_size=6))
def test_random_records_never_raise(record):
    assert bluesky.sniff(record) in (True, False)
    check(record)


@pytest.mark.parametrize("record", [{"feed": "x"}, {"thread": []}, 3, [{"post": 1}]])
def test_unreadable_records_are_bad(record):
    items = list(bluesky.parse(record, "line 1", ParseContext("x")))
    assert items and all(isinstance(i, Bad) for i in items)
