"""twitter_v1: Twitter API v1.1 statuses (twarc 1, search / premium search, timelines).

Real samples (../shared/fixtures/twitter-v1, see its SOURCES.md) are read in place. The
hand-written fixture ``fixtures/twitter_v1/extended_retweet_quote_reply.jsonl`` follows the
Twitter API v1.1 documentation at developer.x.com: "Tweet object", "Extended Tweets"
(compatibility mode ``extended_tweet.full_text`` and ``tweet_mode=extended`` ``full_text``),
"Retweets" (``retweeted_status``), "Quote Tweets" (``quoted_status``) and the streaming
message types (``delete``, ``limit``). Its people and ids are invented.
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
from engbench.ingest.records import Bad, ParseContext
from tests.ingest.conftest import TEST_KEY, accounts_sheet

HERE = Path(__file__).parent / "fixtures" / "twitter_v1"
HANDWRITTEN = HERE / "extended_retweet_quote_reply.jsonl"
TO_DEV = "twitterruby_premium_search_to_TwitterDev_2017.json"
FROM_DEV = "twitterruby_premium_search_from_TwitterDev_2017.json"
PSEUDONYM = re.compile(r"^u[0-9a-f]{16}$")
SHEET_HEADER = "org_id,name,sector,platform,handle,account_id\n"


# ---------------------------------------------------------------- helpers


def _statuses(path: Path) -> list[dict]:
    """Top-level statuses of a sample, read independently of the parser."""
    data = json.loads(path.read_bytes())
    if isinstance(data, dict):
        return data.get("results") or data.get("statuses") or []
    return data


def _embedded(status: dict):
    yield status
    for key in ("retweeted_status", "quoted_status"):
        if isinstance(status.get(key), dict):
            yield from _embedded(status[key])


def _user_id(path: Path, screen_name: str) -> str:
    for status in _statuses(path):
        if status["user"]["screen_name"] == screen_name:
            return status["user"]["id_str"]
    raise AssertionError(f"{screen_name} not in {path.name}")


def _sheet(org_id: str, handle: str, account_id: str) -> pd.DataFrame:
    return accounts_sheet(
        f"{SHEET_HEADER}{org_id},{handle},technology,twitter,{handle},{account_id}\n"
    )


def _without_mentions(text: str) -> str:
    """Texts compared with their @-mentions blanked (the finaliser masks consumers' handles)."""
    return re.sub(r"@[A-Za-z0-9_]+", "@", text)


def _full_text(status: dict) -> str:
    return (status.get("extended_tweet") or {}).get("full_text") or status.get(
        "full_text", status.get("text")
    )


def _assert_no_consumer_handles(rows: pd.DataFrame, paths: list[Path], org_ids: set[str]):
    """No consumer username anywhere: not in any column, not as an @-mention in a text."""
    handles: set[str] = set()
    for path in paths:
        for top in _statuses(path):
            for status in _embedded(top):
                user = status.get("user") or {}
                if user.get("id_str") not in org_ids and user.get("screen_name"):
                    handles.add(user["screen_name"].lower())
                for mention in (status.get("entities") or {}).get("user_mentions", []):
                    if mention["id_str"] not in org_ids:
                        handles.add(mention["screen_name"].lower())
    assert handles
    for column in rows.columns.difference(["platform", "source_format", "source_file", "lang"]):
        values = rows[column].dropna().astype(str).str.lower()
        if column == "text":
            mentioned = set(values.str.findall(r"@([a-z0-9_]+)").explode().dropna())
            assert not mentioned & handles
        else:
            assert not set(values) & handles, column


# ---------------------------------------------------------------- real samples


def test_twitterdev_pair_org_consumers_and_cross_file_replies(ingest, fixtures_dir):
    folder = fixtures_dir / "twitter-v1"
    dev_id = _user_id(folder / FROM_DEV, "TwitterDev")
    assert dev_id == "2244994945"
    sheet = _sheet("twitterdev", "TwitterDev", dev_id)
    inbound, s_in, bad_in = ingest(folder / TO_DEV, accounts=sheet)
    outbound, s_out, bad_out = ingest(folder / FROM_DEV, accounts=sheet)
    assert s_in.source_format == s_out.source_format == "twitter_v1"
    assert not bad_in and not bad_out
    # 100 consumer tweets + 1 embedded quoted status
    assert len(inbound) == 101 and inbound.message_id.nunique() == 101
    # 58 TwitterDev tweets + 11 retweeted originals + 5 quoted + 1 quoted inside a retweet
    assert len(outbound) == 75 and outbound.message_id.nunique() == 72

    raw_from = _statuses(folder / FROM_DEV)
    own = outbound[outbound.is_org]
    assert len(own) == 58
    assert set(own.message_id) == {s["id_str"] for s in raw_from}
    assert (own.author_id == dev_id).all() and (own.org_id == "twitterdev").all()
    assert own.text.str.contains(r"\^[A-Z]{2}", regex=True).sum() == 37  # agents' initials
    assert own.parent_id.notna().sum() == 37

    assert not inbound.is_org.any()
    assert inbound.author_id.str.match(PSEUDONYM).all()
    assert outbound.loc[~outbound.is_org, "author_id"].str.match(PSEUDONYM).all()
    assert "_location" not in inbound.columns and "mentions" not in inbound.columns
    # every inbound tweet replies to TwitterDev: addressed to it, the org id kept, not pseudonymised
    raw_to = _statuses(folder / TO_DEV)
    top = inbound[inbound.message_id.isin({s["id_str"] for s in raw_to})]
    assert len(top) == 100
    assert (top.in_reply_to_author_id == dev_id).all()
    assert top.addressed_org_ids.map(lambda orgs: list(orgs) == ["twitterdev"]).all()
    assert (top.org_id == "twitterdev").all()

    # replies link across the two files (SOURCES.md: 6 answers in _to, 15 _to replies to _from)
    union = pd.concat([inbound, outbound]).drop_duplicates("message_id")
    in_ids, out_ids = set(inbound.message_id), set(own.message_id)
    assert own.parent_id.isin(in_ids).sum() == 6
    assert top.parent_id.isin(out_ids).sum() == 15
    assert inbound.parent_id.notna().sum() == 19
    resolved = union[union.parent_id.isin(set(union.message_id))]
    assert len(resolved) == 21
    # an answer's in_reply_to_author_id is the consumer's pseudonym, as in the consumer's row
    answers = own[own.parent_id.isin(in_ids)].merge(
        inbound[["message_id", "author_id"]], left_on="parent_id", right_on="message_id"
    )
    assert len(answers) == 6
    assert (answers.in_reply_to_author_id == answers.author_id_y).all()

    # full text: the 22 extended tweets of _to keep extended_tweet.full_text
    extended = {
        s["id_str"]: s["extended_tweet"]["full_text"] for s in raw_to if "extended_tweet" in s
    }
    assert len(extended) == 22
    texts = inbound.set_index("message_id").text
    for tweet_id, full in extended.items():
        assert _without_mentions(texts[tweet_id]) == _without_mentions(full)
    assert inbound.text.str.len().gt(140).sum() == 21

    # retweets: "RT @<original author>: " + the original's full text
    retweets = outbound[outbound.retweeted_id.notna()]
    assert len(retweets) == 11
    originals = {s["id_str"]: s["retweeted_status"] for s in raw_from if "retweeted_status" in s}
    for row in retweets.itertuples():
        original = originals[row.message_id]
        expected = f"RT @{original['user']['screen_name']}: {_full_text(original)}"
        assert row.retweeted_id == original["id_str"]
        assert _without_mentions(row.text) == _without_mentions(expected)
    # quote tweets: 5 quoting + 1 retweet of a quote tweet (its quoted_status_id_str)
    assert outbound.quoted_id.notna().sum() == 7
    assert inbound.quoted_id.notna().sum() == 1

    assert str(inbound.created_at.dtype) == "datetime64[us, UTC]"
    assert inbound.created_at.min() == pd.Timestamp("2017-11-11 00:15:12", tz="UTC")
    assert inbound.created_at.max() == pd.Timestamp("2017-11-19 17:32:25", tz="UTC")
    assert outbound.created_at.max() == pd.Timestamp("2017-11-17 11:53:49", tz="UTC")
    # premium search counts: retweet_count + quote_count; reply_count present
    assert outbound.reply_count.notna().all() and inbound.reply_count.sum() == 11
    assert inbound.share_count.sum() == 2 and inbound.like_count.sum() == 28
    assert set(inbound.lang) >= {"en", "und", "in", "es", "fr"}
    _assert_no_consumer_handles(union, [folder / TO_DEV, folder / FROM_DEV], org_ids={dev_id})


def test_mentions_timeline(ingest, fixtures_dir):
    path = fixtures_dir / "twitter-v1" / "pythontwitter_get_mentions.json"
    rows, summary, bad = ingest(path)
    assert summary.source_format == "twitter_v1" and not bad
    assert len(rows) == 21  # 19 mentions + 2 embedded quoted statuses
    raw = _statuses(path)
    top = rows[rows.message_id.isin({s["id_str"] for s in raw})]
    assert len(top) == 19
    assert top.parent_id.notna().sum() == 13
    assert rows.quoted_id.notna().sum() == 2
    assert rows.thread_id.isna().all()  # v1.1 has no conversation id
    assert not rows.is_org.any() and rows.author_id.str.match(PSEUDONYM).all()
    assert rows.reply_count.isna().all()  # not in the 2015 API
    assert rows.created_at.max() == pd.Timestamp("2015-12-13 21:14:54", tz="UTC")
    _assert_no_consumer_handles(rows, [path], org_ids=set())


def test_user_timeline_of_an_organisation_account(ingest, fixtures_dir):
    path = fixtures_dir / "twitter-v1" / "pythontwitter_get_user_timeline.json"
    owner = _user_id(path, "dewitt")
    rows, _, bad = ingest(path, accounts=_sheet("dewitt_inc", "dewitt", owner))
    assert not bad and len(rows) == 21  # 20 statuses + 1 embedded quoted status
    own = rows[rows.is_org]
    assert len(own) == 20 and (own.author_id == owner).all()
    assert own.parent_id.notna().sum() == 8
    assert rows.loc[~rows.is_org, "author_id"].str.match(PSEUDONYM).all()
    # replies to other people: their ids are pseudonymised
    replied = own.in_reply_to_author_id.dropna()
    assert len(replied) >= 8
    assert replied[replied != owner].str.match(PSEUDONYM).all()


def test_tweepy_user_timeline_org_outbound(ingest, fixtures_dir):
    path = fixtures_dir / "twitter-v1" / "tweepy_v1_user_timeline_Twitter_2020-12.json"
    owner = _user_id(path, "Twitter")
    rows, summary, bad = ingest(path, accounts=_sheet("twitter_inc", "Twitter", owner))
    assert summary.source_format == "twitter_v1" and not bad
    assert len(rows) == 20 and rows.is_org.all() and (rows.author_id == owner).all()
    assert rows.parent_id.notna().sum() == 19
    replied = rows.in_reply_to_author_id.dropna()
    assert (replied == owner).sum() == 3  # a thread of its own: self-replies keep the org id
    assert replied[replied != owner].str.match(PSEUDONYM).sum() == 16  # consumers pseudonymised
    assert rows.created_at.min() == pd.Timestamp("2020-12-21 22:10:32", tz="UTC")
    raw = {s["id_str"]: s for s in _statuses(path)}
    for row in rows.itertuples():
        status = raw[row.message_id]
        assert row.like_count == status["favorite_count"]
        assert row.share_count == status["retweet_count"] + status.get("quote_count", 0)
    _assert_no_consumer_handles(rows, [path], org_ids={owner})


def test_search_response_with_retweets_and_quotes(ingest, fixtures_dir):
    path = fixtures_dir / "twitter-v1" / "pythontwitter_get_search_raw.json"
    rows, summary, bad = ingest(path)
    assert summary.source_format == "twitter_v1" and not bad
    raw = _statuses(path)
    assert len(raw) == 100
    # 100 statuses + 74 retweeted + 12 quoted originals; 3 quoted statuses inside retweets
    # come without a user object (2016 API) and are references only
    assert len(rows) == 186 and rows.message_id.nunique() == 173
    assert rows.retweeted_id.notna().sum() == 74
    assert rows.quoted_id.notna().sum() == 16
    retweets = {s["id_str"]: s for s in raw if "retweeted_status" in s}
    for row in rows[rows.retweeted_id.notna()].itertuples():
        original = retweets[row.message_id]["retweeted_status"]
        assert row.text.startswith("RT @")
        expected = f"RT @x: {_full_text(original)}"
        assert _without_mentions(row.text) == _without_mentions(expected)
    assert rows.lang.nunique() >= 8
    assert rows.created_at.max() == pd.Timestamp("2016-01-23 20:19:45", tz="UTC")
    _assert_no_consumer_handles(rows, [path], org_ids=set())


# ---------------------------------------------------------------- hand-written fixture


def test_extended_retweet_quote_reply_full_text_rules(ingest):
    sheet = _sheet("brandcare", "BrandCare", "1000000001")
    rows, summary, bad = ingest(HANDWRITTEN, accounts=sheet)
    assert summary.source_format == "twitter_v1"
    assert not bad
    # 4 statuses (delete and limit notices are not messages) + the retweeted and quoted copy
    assert len(rows) == 6 and rows.message_id.nunique() == 4
    by_id = rows.drop_duplicates("message_id").set_index("message_id")
    complaint = by_id.loc["1050118621198921728"]
    full = (
        "@BrandCare my parcel 12345 has been stuck in the depot since Monday and nobody answers "
        "the phone. The tracking page says delivered but it is not here. Can you check what "
        "happened? @user had the same"
    )
    assert complaint.text == full  # extended_tweet.full_text; the consumer's handle masked
    assert complaint.parent_id == "1050100000000000001"
    assert complaint.in_reply_to_author_id == "1000000001"
    assert list(complaint.addressed_org_ids) == ["brandcare"]
    assert complaint.org_id == "brandcare" and not complaint.is_org
    assert (complaint.like_count, complaint.share_count, complaint.reply_count) == (2, 2, 1)
    assert complaint.created_at == pd.Timestamp("2018-10-10 20:19:24", tz="UTC")

    retweet = by_id.loc["1050120045001502720"]
    assert retweet.text == "RT @user: " + full  # the original's full text, not the cut RT text
    assert retweet.retweeted_id == "1050118621198921728"
    assert retweet.author_id != complaint.author_id

    quote = by_id.loc["1050129411712790528"]
    assert quote.text == "Same here with my order, three weeks now. https://t.co/QqQqQqQqQq"
    assert quote.quoted_id == "1050118621198921728"
    assert pd.isna(quote.retweeted_id)

    answer = by_id.loc["1050132798521004032"]
    assert answer.is_org and answer.author_id == "1000000001"
    assert answer.text.startswith("@user Sorry to hear that!") and answer.text.endswith("^KM")
    assert answer.parent_id == "1050118621198921728"
    assert answer.in_reply_to_author_id == complaint.author_id  # same pseudonym
    assert rows.thread_id.isna().all()
    assert rows.author_id.str.match(PSEUDONYM).sum() == 5  # the org's answer keeps its id
    text = " ".join(rows.text)
    for consumer in ("alice_example", "bob_example", "carol_example"):
        assert consumer not in text


def test_locations_and_embedded_statuses():
    line = HANDWRITTEN.read_text().splitlines()[1]
    out = list(twitter_v1.parse(json.loads(line), "line 2", ParseContext("x.jsonl")))
    assert [o["_location"] for o in out] == ["line 2", "line 2.retweeted_status"]
    page = {"statuses": [json.loads(line)], "search_metadata": {"count": 1}}
    out = list(twitter_v1.parse(page, "document", ParseContext("x.json")))
    assert out[0]["_location"] == "document, statuses[0]"
    assert out[0]["mentions"] == ["alice_example", "BrandCare", "bob_example"]
    assert list(twitter_v1.parse({"statuses": []}, "document", ParseContext("x"))) == []


def test_sniff_claims_v1_and_nothing_else(fixtures_dir):
    status = json.loads(HANDWRITTEN.read_text().splitlines()[0])
    assert twitter_v1.sniff(status)
    assert twitter_v1.sniff({"statuses": [status], "search_metadata": {}})
    assert twitter_v1.sniff({"results": [status], "requestParameters": {}})
    assert twitter_v1.sniff([status])
    assert not x_api_v2.sniff(status) and not x_archive.sniff(status)
    archive_status = {k: v for k, v in status.items() if k != "user"}
    assert not twitter_v1.sniff({"tweet": archive_status})
    for name in ("pythontwitter_get_search_raw.json", TO_DEV, "pythontwitter_get_mentions.json"):
        assert detect_format(fixtures_dir / "twitter-v1" / name) == "twitter_v1"
    for other in ("twitter-v2", "mastodon", "bluesky", "facebook-graph", "x-archive"):
        for path in sorted((fixtures_dir / other).glob("*.js*")):
            first = next(r for r in iter_json(path) if not isinstance(r, Bad))[1]
            assert not twitter_v1.sniff(first), path


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
        "user",
        "text",
        "full_text",
        "extended_tweet",
        "entities",
        "retweeted_status",
        "quoted_status",
        "quoted_status_id_str",
        "in_reply_to_status_id_str",
        "in_reply_to_user_id_str",
        "favorite_count",
        "retweet_count",
        "quote_count",
        "lang",
    ]
)
STATUSES = [json.loads(line) for line in HANDWRITTEN.read_text().splitlines()]


def _corrupt(data):
    record = json.loads(json.dumps(data.draw(st.sampled_from(STATUSES))))
    for _ in range(data.draw(st.integers(1, 4))):
        target = record
        if data.draw(st.booleans()) and isinstance(record.get("retweeted_status"), dict):
            target = record["retweeted_status"]
        key = data.draw(KEYS)
        if data.draw(st.booleans()):
            target[key] = data.draw(JSON)
        else:
            target.pop(key, None)
    wrap = data.draw(st.sampled_from(["bare", "statuses", "results", "list"]))
    if wrap == "list":
        return [record]
    return record if wrap == "bare" else {wrap: [record, data.draw(JSON)]}


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_parse_never_raises_on_random_or_corrupted_records(data):
    record = data.draw(JSON) if data.draw(st.booleans()) else _corrupt(data)
    twitter_v1.sniff(record)
    out = list(twitter_v1.parse(record, "line 1", ParseContext("random.jsonl")))
    assert all(isinstance(o, dict | Bad) for o in out)
    rows = [o for o in out if isinstance(o, dict)]
    if rows:  # and what it yields goes through the finaliser
        columns = {name: [r.get(name) for r in rows] for name in RAW_FIELDS}
        finalise = Finaliser(OrganisationIndex(None), Pseudonymiser(TEST_KEY), "twitter_v1", "x")
        table, bad = finalise(columns, [r["_location"] for r in rows])
        assert table.num_rows + len(bad) == len(rows)


@pytest.mark.parametrize("value", [None, 1, "x", [], [1, None], {"delete": {}}, {"statuses": 5}])
def test_parse_odd_values(value):
    out = list(twitter_v1.parse(value, "line 1", ParseContext("x")))
    assert all(isinstance(o, Bad) for o in out)
