"""fourcat_csv: CSV exports of 4CAT datasets.

No real sample is public, so the fixtures in fixtures/fourcat_csv/ are hand-written with the
columns 4CAT's data sources write (4CAT source, github.com/digitalmethodsinitiative/4cat):
``map_item`` of datasources/twitterv2/search_twitter.py (twitterv2.csv),
datasources/dmi-tcatv2/search_tcat_v2.py ``tweet_mapping`` (tcat.csv),
datasources/instagram/search_instagram.py (instagram.csv), datasources/bsky/search_bsky.py
(bluesky.csv) and datasources/facebook/search_facebook.py (facebook.csv); the minimum columns
are those the custom upload (datasources/custom/upload_csv.py) documents.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engbench.ingest import fourcat_csv
from engbench.ingest.detect import detect_format
from engbench.ingest.records import Bad, IngestError, ParseContext
from tests.ingest.conftest import accounts_sheet

FIXTURES = Path(__file__).parent / "fixtures" / "fourcat_csv"
SHEET = """org_id,name,sector,platform,handle,account_id
oranje_airways,Oranje Airways,airline,twitter,oranjeairways,117420369
railned,RailNed,rail,twitter,railned,2180484433
railned,RailNed,rail,bluesky,railned.bsky.social,did:plc:bbbbbbbbbbbbbbbbbbbbbbbb
modehuis,Modehuis M,retail,instagram,modehuis_m,modehuis_m
oranje_airways,Oranje Airways,airline,facebook,oranjeairways,oranjeairways
"""
CONSUMERS = (
    "fietsfan_88",
    "Fenna Fiets",
    "fietsvriend_nl",
    "reiziger_z",
    "Zeno Reiziger",
    "pendelaar_p",
    "Pim Pendelaar",
    "klant_k",
    "reiziger.bsky.social",
    "Reiziger R",
    "900000000000000001",
    "900000000000000002",
    "700000001",
)


def _no_consumer_anywhere(rows: pd.DataFrame) -> None:
    cells = rows.astype(str)
    for value in CONSUMERS:
        assert not cells.apply(lambda c, v=value: c.str.contains(v, regex=False)).any().any(), value


def test_twitter_v2_export(ingest):
    path = FIXTURES / "twitterv2.csv"
    assert detect_format(path) == "fourcat_csv"
    rows, summary, bad = ingest(
        path,
        options={"platform": "twitter"},
        accounts=accounts_sheet(SHEET),
        timezone="Europe/Amsterdam",
    )
    assert (summary.kept, bad) == (5, [])
    rows = rows.set_index("message_id")
    root, answer, follow_up, retweet, late = (
        rows.loc[f"171100000000000000{i}"] for i in range(1, 6)
    )
    # threads: conversation ids; 4CAT's Twitter exports hold no parent tweet id
    assert root["thread_id"] == "1711000000000000001" == answer["thread_id"]
    assert rows["parent_id"].isna().all()
    # unix_timestamp is used; `timestamp` alone is 4CAT's UTC, not the source's time zone
    assert root["created_at"] == dt.datetime(2023, 10, 8, 7, 15, 2, tzinfo=dt.UTC)
    assert late["created_at"] == dt.datetime(2023, 10, 8, 23, 30, tzinfo=dt.UTC)
    # organisation recognised by author_id; the consumer pseudonymised, addressed to it
    assert (answer["author_id"], answer["is_org"], answer["org_id"]) == (
        "117420369",
        True,
        "oranje_airways",
    )
    assert root["author_id"].startswith("u") and not root["is_org"]
    assert root["org_id"] == "oranje_airways" and follow_up["org_id"] == "oranje_airways"
    assert list(follow_up["addressed_org_ids"]) == ["oranje_airways"]
    # full text, masked consumer mentions, counts
    assert (
        retweet["text"].startswith("RT @oranjeairways: Vanaf vandaag")
        and len(retweet["text"]) > 140
    )
    assert follow_up["text"] == "@oranjeairways @user gedaan, dank!"
    assert answer["text"].startswith("@user Wat vervelend!")
    assert (retweet["share_count"], root["like_count"], root["reply_count"]) == (17, 2, 1)
    assert root["lang"] == "nl"
    assert str(rows["created_at"].dt.tz) == "UTC"
    _no_consumer_anywhere(rows.reset_index())


def test_tcat_export_has_parents(ingest):
    rows, _, bad = ingest(
        FIXTURES / "tcat.csv", options={"platform": "twitter"}, accounts=accounts_sheet(SHEET)
    )
    assert bad == []
    rows = rows.set_index("message_id")
    first, answer, thanks = (rows.loc[f"83700000000000000{i}"] for i in (1, 2, 3))
    assert pd.isna(first["parent_id"])
    assert answer["parent_id"] == "837000000000000001"
    assert thanks["parent_id"] == "837000000000000002"
    assert answer["is_org"] and answer["author_id"] == "2180484433"
    # the replied-to user id: pseudonymised for a consumer, kept for the organisation
    assert answer["in_reply_to_author_id"] == first["author_id"]
    assert thanks["in_reply_to_author_id"] == "2180484433"
    assert first["created_at"] == dt.datetime(2017, 3, 1, 10, 0, tzinfo=dt.UTC)  # epoch seconds
    _no_consumer_anywhere(rows.reset_index())


def test_instagram_export_parent_of_a_post_is_itself(ingest):
    rows, _, bad = ingest(
        FIXTURES / "instagram.csv",
        options={"platform": "instagram"},
        accounts=accounts_sheet(SHEET),
    )
    assert bad == []
    rows = rows.set_index("message_id")
    assert pd.isna(rows.loc["CPabc123XYZ", "parent_id"])  # 4CAT writes parent_id = id for posts
    assert rows.loc["17900000000000001", "parent_id"] == "CPabc123XYZ"
    assert rows.loc["17900000000000002", "parent_id"] == "17900000000000001"
    assert set(rows["thread_id"]) == {"CPabc123XYZ"}
    assert rows.loc["CPabc123XYZ", "is_org"] and rows.loc["CPabc123XYZ", "like_count"] == 812
    assert rows.loc["17900000000000001", "org_id"] == "modehuis"
    _no_consumer_anywhere(rows.reset_index())


def test_bluesky_export(ingest):
    rows, _, bad = ingest(
        FIXTURES / "bluesky.csv", options={"platform": "bluesky"}, accounts=accounts_sheet(SHEET)
    )
    assert bad == []
    rows = rows.set_index("message_id")
    root_uri = "at://did:plc:aaaaaaaaaaaaaaaaaaaaaaaa/app.bsky.feed.post/3kabc2root22a"
    root, reply = rows.iloc[0], rows.iloc[1]
    assert rows.index[0] == root_uri and set(rows["thread_id"]) == {root_uri}
    assert rows["parent_id"].isna().all()  # replied_to_post is a web link, not an id
    # `timestamp` is a float epoch here (no unix_timestamp): milliseconds survive
    assert root["created_at"] == dt.datetime(2024, 11, 20, 8, 0, 5, 250000, tzinfo=dt.UTC)
    assert reply["is_org"] and reply["org_id"] == "railned" and pd.isna(reply["lang"])
    assert root["org_id"] == "railned" and root["share_count"] == 3
    _no_consumer_anywhere(rows.reset_index())
    # the DID is pseudonymised as author, but a Bluesky post URI (the message id) contains it
    assert "did:plc:aaaaaaaaaaaaaaaaaaaaaaaa" not in set(rows["author_id"])


def test_facebook_export_without_thread_id(ingest):
    path = FIXTURES / "facebook.csv"
    with pytest.raises(IngestError, match="could not recognise"):
        detect_format(path)  # no thread_id column: 4CAT's Facebook import must be named
    rows, _, bad = ingest(
        path, fmt="fourcat_csv", options={"platform": "facebook"}, accounts=accounts_sheet(SHEET)
    )
    assert bad == []
    post = rows.iloc[0]
    assert post["thread_id"] == post["message_id"] == "1000000000000001"
    assert post["is_org"] and post["author_id"] == "oranjeairways"


def test_platform_is_required(ingest):
    with pytest.raises(IngestError, match=r"twitterv2\.csv.*`platform:`.*twitter, facebook"):
        ingest(FIXTURES / "twitterv2.csv")
    with pytest.raises(IngestError, match="found 'tiktok'"):
        ingest(FIXTURES / "twitterv2.csv", options={"platform": "tiktok"})


def test_missing_columns_are_named(ingest, tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("id,thread_id,author,text,date\n1,1,a,b,2020-01-01\n", encoding="utf-8")
    with pytest.raises(IngestError, match=r"export\.csv.*body, timestamp.*author, date, id"):
        ingest(path, fmt="fourcat_csv", options={"platform": "twitter"})


def test_bad_rows_are_quarantined(ingest, tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(
        "id,thread_id,author,body,timestamp,unix_timestamp\n"
        "1,1,a,hello,2020-01-01 10:00:00,1577872800\n"
        ",1,a,no id,2020-01-01 10:00:00,\n"
        "3,1,a,bad time,31/01/2020 10u,\n",
        encoding="utf-8",
    )
    rows, _, bad = ingest(path, options={"platform": "twitter"}, max_share=1)
    assert list(rows["message_id"]) == ["1"]
    assert [(b["location"], b["field"]) for b in bad] == [("line 3", "id"), ("line 4", "timestamp")]


def test_sniff_header():
    assert fourcat_csv.sniff_header(["id", "thread_id", "timestamp", "body", "author", "x"])
    assert not fourcat_csv.sniff_header(["id", "author", "body", "timestamp"])
    assert not fourcat_csv.sniff_header([])


COLUMNS = st.sampled_from(
    [
        "id",
        "thread_id",
        "author",
        "author_id",
        "body",
        "timestamp",
        "unix_timestamp",
        "created_at",
        "parent_id",
        "in_reply_to_status_id",
        "reply_to_id",
        "mentions",
        "like_count",
        "retweet_count",
        "quote_count",
        "num_likes",
        "language_guess",
        "languages",
    ]
)
VALUES = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.sampled_from(["0", "1.0", "nan", "inf", "-1e309", "1e30", "1696749302", "N/A", " , ,"]),
    st.integers().map(str),
    st.floats().map(str),
    st.datetimes().map(str),
)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(COLUMNS, VALUES, max_size=12) | st.none() | st.lists(st.text()))
def test_parse_never_raises(record):
    context = ParseContext("f.csv", options={"platform": "twitter"})
    for item in fourcat_csv.parse(record, "line 2", context):
        assert isinstance(item, dict | Bad)
