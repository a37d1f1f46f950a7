"""x_archive: the X / Twitter account archive (data/tweets.js, tweet.js, deleted-tweets.js).

Real samples (../shared/fixtures/x-archive, see its SOURCES.md) are read in place. The
hand-written fixtures ``fixtures/x_archive/tweets.js`` (an edited tweet in both versions, a
self-reply, an answer to a consumer, one bare status as older exports wrote them) and
``like.js`` (an element of another archive file) follow X's documentation of the archive:
Help Center "How to download your X archive" and the archive's README.txt ("tweets.js":
``edit_info.initial`` / ``edit_info.edit.editControlInitial`` ``editTweetIds``, counts as
strings, no user object), with the Twitter API v1.1 "Tweet object" for the fields. Its people
and ids are invented.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engbench.ingest import twitter_v1, x_api_v2, x_archive
from engbench.ingest.canonical import RAW_FIELDS, Finaliser, OrganisationIndex
from engbench.ingest.detect import detect_format
from engbench.ingest.privacy import Pseudonymiser
from engbench.ingest.reading import iter_json
from engbench.ingest.records import Bad, IngestError, ParseContext
from tests.ingest.conftest import TEST_KEY, accounts_sheet

HERE = Path(__file__).parent / "fixtures" / "x_archive"
PSEUDONYM = re.compile(r"^u[0-9a-f]{16}$")
SHEET_HEADER = "org_id,name,sector,platform,handle,account_id\n"
SMITHJD = "smithjd_tweets.js"
OLD = "dsajgiouawj_tweet_oldformat.js"
DELETED = "alliepinnell_deleted-tweets.js"
OWNER_OF = {SMITHJD: "5838832", OLD: "4688937990"}  # the ids the owners' self-replies name


def _statuses(path: Path) -> list[dict]:
    """The archive's statuses, read independently of the parser."""
    text = path.read_text(encoding="utf-8")
    return [e.get("tweet", e) for e in json.loads(text[text.index("=") + 1 :])]


def _sheet(org_id: str, handle: str, account_id: str) -> pd.DataFrame:
    return accounts_sheet(
        f"{SHEET_HEADER}{org_id},{handle},telecom,twitter,{handle},{account_id}\n"
    )


def _assert_no_mentioned_handles(rows: pd.DataFrame, path: Path, owner: str):
    handles = {
        m["screen_name"].lower()
        for s in _statuses(path)
        for m in s["entities"]["user_mentions"]
        if m["id_str"] != owner
    }
    assert handles
    mentioned = set(rows.text.str.lower().str.findall(r"@([a-z0-9_]+)").explode().dropna())
    assert not mentioned & handles
    for column in ("author_id", "in_reply_to_author_id", "org_id", "parent_id", "message_id"):
        assert not set(rows[column].dropna().str.lower()) & handles, column


# ---------------------------------------------------------------- real samples


def test_newer_export_with_edit_info(ingest, fixtures_dir):
    path = fixtures_dir / "x-archive" / SMITHJD
    owner = OWNER_OF[SMITHJD]
    rows, summary, bad = ingest(path, options={"account_id": owner})
    assert summary.source_format == "x_archive" and not bad
    raw = _statuses(path)
    assert len(rows) == len(raw) == 1758
    assert rows.message_id.is_unique and list(rows.message_id) == [s["id_str"] for s in raw]
    # no sheet: the owner is an ordinary account, pseudonymised like anyone
    assert set(rows.author_id) == {rows.author_id.iloc[0]}
    assert PSEUDONYM.match(rows.author_id.iloc[0])
    assert not rows.is_org.any()
    assert rows.parent_id.notna().sum() == 160
    assert rows.in_reply_to_author_id.notna().sum() == 231
    in_file = rows[rows.parent_id.isin(set(rows.message_id))]
    assert len(in_file) == 19
    # the 19 replies to tweets in the file are self-replies: the same pseudonym both sides
    assert (in_file.in_reply_to_author_id == in_file.author_id).all()
    # 22 self-replies in all: 3 answer own tweets that are not in this archive file
    assert (rows.in_reply_to_author_id == rows.author_id).sum() == 22
    assert rows.thread_id.isna().all()
    assert rows.latest_version_id.isna().all()  # edit_info present, no tweet edited
    assert rows.text.str.startswith("RT @").sum() == 128  # retweets kept as the archive has them
    # counts are strings in the archive
    assert rows.like_count.sum() == sum(int(s["favorite_count"]) for s in raw)
    assert rows.share_count.sum() == sum(int(s["retweet_count"]) for s in raw)
    assert rows.reply_count.isna().all()
    # full_text is the text, @-mentions of other people masked
    blank = re.compile(r"@[A-Za-z0-9_]+")
    assert [blank.sub("@", t) for t in rows.text] == [blank.sub("@", s["full_text"]) for s in raw]
    assert str(rows.created_at.dtype) == "datetime64[us, UTC]"
    assert rows.created_at.min().year == 2007 and rows.created_at.max().year == 2022
    assert rows.lang.value_counts()["en"] == 1709
    _assert_no_mentioned_handles(rows, path, owner)


def test_org_sheet_naming_the_account_makes_every_tweet_the_orgs(ingest, fixtures_dir):
    path = fixtures_dir / "x-archive" / SMITHJD
    owner = OWNER_OF[SMITHJD]
    rows, _, bad = ingest(
        path, options={"account_id": owner}, accounts=_sheet("acme", "acme", owner)
    )
    assert not bad and len(rows) == 1758
    assert rows.is_org.all() and (rows.author_id == owner).all() and (rows.org_id == "acme").all()
    self_replies = rows[rows.in_reply_to_author_id == owner]
    assert len(self_replies) == 22  # the org's own id, not pseudonymised
    others = rows.in_reply_to_author_id.dropna()
    assert others[others != owner].str.match(PSEUDONYM).all()
    assert rows.addressed_org_ids.map(len).eq(0).all()  # it never addresses itself


def test_older_export_tweet_js(ingest, fixtures_dir):
    path = fixtures_dir / "x-archive" / OLD
    owner = OWNER_OF[OLD]
    rows, summary, bad = ingest(path, options={"account_id": int(owner)})  # YAML gives an int
    assert summary.source_format == "x_archive" and not bad
    assert len(rows) == 1163 and rows.message_id.is_unique
    assert rows.parent_id.notna().sum() == 241
    in_file = rows[rows.parent_id.isin(set(rows.message_id))]
    assert len(in_file) == 111  # a self-thread
    assert (in_file.in_reply_to_author_id == in_file.author_id).all()
    assert (rows.in_reply_to_author_id == rows.author_id).sum() == 111
    assert rows.latest_version_id.isna().all()  # no edit_info in this generation
    assert rows.lang.value_counts()["ja"] == 1071
    assert rows.created_at.min().year == 2016 and rows.created_at.max().year == 2020
    assert rows.text.notna().all()
    _assert_no_mentioned_handles(rows, path, owner)


def test_deleted_tweets_are_messages(ingest, fixtures_dir):
    path = fixtures_dir / "x-archive" / DELETED
    rows, summary, bad = ingest(path, options={"account_id": "1000000001"})
    assert summary.source_format == "x_archive" and not bad
    assert len(rows) == 1
    row = rows.iloc[0]
    assert row.message_id == "1830828196125622656"
    assert row.created_at == pd.Timestamp("2024-09-03 04:40:31", tz="UTC")
    assert row.text.startswith("RT @user: ") and pd.isna(row.lang)
    assert (row.like_count, row.share_count) == (0, 0)
    assert pd.isna(row.latest_version_id)


def test_missing_account_id_names_the_file_and_the_option(ingest, fixtures_dir):
    path = fixtures_dir / "x-archive" / DELETED
    with pytest.raises(IngestError) as error:
        ingest(path)
    message = str(error.value)
    assert str(path) in message
    assert "X archives carry no author; set `account_id:` (the account's numeric id)" in message
    assert "on this source" in message
    with pytest.raises(IngestError, match="not a numeric account id"):
        ingest(path, options={"account_id": "@someone"})


# ---------------------------------------------------------------- hand-written fixtures


def test_edits_self_replies_and_handle_from_options(ingest):
    rows, summary, bad = ingest(
        HERE / "tweets.js",
        options={"account_id": "1000000001", "account_handle": "@brandcare"},
        accounts=_sheet("brandcare", "brandcare", "1000000001"),
    )
    assert summary.source_format == "x_archive" and not bad
    assert len(rows) == 5 and rows.is_org.all() and (rows.author_id == "1000000001").all()
    by_id = rows.set_index("message_id")
    first, latest = by_id.loc["1590000000000000001"], by_id.loc["1590000000000000099"]
    assert first.latest_version_id == "1590000000000000099"  # edit_info.initial.editTweetIds
    assert pd.isna(latest.latest_version_id)  # already the newest (edit_info.edit)
    assert (first.like_count, first.share_count) == (3, 1)
    assert (latest.like_count, latest.share_count) == (12, 4)
    own_reply = by_id.loc["1590000000000000100"]
    assert own_reply.parent_id == "1590000000000000099"
    assert own_reply.in_reply_to_author_id == "1000000001"
    assert pd.isna(own_reply.latest_version_id)
    answer = by_id.loc["1590000000000000200"]
    assert answer.text == "@user Thanks, we have passed it on to our colleagues. ^JD"
    assert PSEUDONYM.match(answer.in_reply_to_author_id)
    assert answer.parent_id == "1589999999999999999"
    bare = by_id.loc["1590000000000000300"]  # an element without the {"tweet": …} wrapper
    assert bare.created_at == pd.Timestamp("2022-11-09 07:30:00", tz="UTC")


def test_account_recognised_by_handle_alone(ingest):
    sheet = _sheet("brandcare", "BrandCare", "1000000999")  # sheet's id differs
    rows, _, _ = ingest(
        HERE / "tweets.js",
        options={"account_id": "1000000001", "account_handle": "brandcare"},
        accounts=sheet,
    )
    assert rows.is_org.all() and (rows.org_id == "brandcare").all()
    rows, _, _ = ingest(HERE / "tweets.js", options={"account_id": "1000000001"}, accounts=sheet)
    assert not rows.is_org.any()


def test_other_archive_files_are_refused_with_a_reason(ingest):
    with pytest.raises(IngestError, match=r"holding `like`, not a tweet"):
        ingest(HERE / "like.js", options={"account_id": "1000000001"})


def test_sniff_and_detection(fixtures_dir):
    for name in (SMITHJD, OLD, DELETED):
        path = fixtures_dir / "x-archive" / name
        assert detect_format(path) == "x_archive"
        first = next(r for r in iter_json(path) if not isinstance(r, Bad))[1]
        assert x_archive.sniff(first) and x_archive.sniff([first])
        assert not twitter_v1.sniff(first) and not x_api_v2.sniff(first)
        assert x_archive.sniff(first["tweet"])  # a bare archive status: string counts, no user
    for other in ("twitter-v1", "twitter-v2", "mastodon", "bluesky", "facebook-graph"):
        for path in sorted((fixtures_dir / other).glob("*.js*")):
            first = next(r for r in iter_json(path) if not isinstance(r, Bad))[1]
            assert not x_archive.sniff(first), path


# ---------------------------------------------------------------- robustness

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=12,
)
KEYS = st.sampled_from(
    [
        "id_str",
        "id",
        "created_at",
        "full_text",
        "entities",
        "edit_info",
        "favorite_count",
        "retweet_count",
        "in_reply_to_status_id_str",
        "in_reply_to_user_id_str",
        "lang",
    ]
)
_TWEETS_JS = (HERE / "tweets.js").read_text(encoding="utf-8")
ELEMENTS = json.loads(_TWEETS_JS[_TWEETS_JS.index("=") + 1 :])


def _corrupt(data):
    element = json.loads(json.dumps(data.draw(st.sampled_from(ELEMENTS))))
    status = element.get("tweet", element)
    for _ in range(data.draw(st.integers(1, 4))):
        key = data.draw(KEYS)
        if data.draw(st.booleans()):
            status[key] = data.draw(JSON)
        else:
            status.pop(key, None)
    if data.draw(st.booleans()) and "tweet" in element:
        element["tweet"] = data.draw(JSON) if data.draw(st.booleans()) else status
    return element


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_parse_never_raises_on_random_or_corrupted_records(data):
    record = data.draw(JSON) if data.draw(st.booleans()) else _corrupt(data)
    options = data.draw(
        st.sampled_from([{"account_id": "1000000001", "account_handle": "brandcare"}, {}])
    )
    x_archive.sniff(record)
    out = list(x_archive.parse(record, "$[0]", ParseContext("tweets.js", options=options)))
    assert len(out) == 1 and all(isinstance(o, dict | Bad) for o in out)
    rows = [o for o in out if isinstance(o, dict)]
    if rows:
        columns = {name: [r.get(name) for r in rows] for name in RAW_FIELDS}
        finalise = Finaliser(OrganisationIndex(None), Pseudonymiser(TEST_KEY), "x_archive", "x")
        table, bad = finalise(columns, [r["_location"] for r in rows])
        assert table.num_rows + len(bad) == len(rows)
