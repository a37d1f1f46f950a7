"""The simulated Twitter archive follows the X API v2 search response as twarc2 writes it."""

from __future__ import annotations

import datetime as dt

import orjson
import pytest

TWEET_REQUIRED = {
    "id",
    "text",
    "author_id",
    "conversation_id",
    "created_at",
    "lang",
    "public_metrics",
    "edit_history_tweet_ids",
}


def pages(outdir, org_id):
    return [
        orjson.loads(line)
        for line in (outdir / "raw" / "twitter" / f"{org_id}.jsonl").read_bytes().splitlines()
    ]


@pytest.fixture(scope="module")
def railned(test_edition):
    _, outdir = test_edition
    return pages(outdir, "railned")


def test_each_line_is_a_search_response_page(railned):
    assert len(railned) > 1
    for i, page in enumerate(railned):
        assert set(page) <= {"data", "includes", "errors", "meta", "__twarc"}
        assert page["meta"]["result_count"] == len(page["data"]) <= 100
        assert page["meta"]["newest_id"] == page["data"][0]["id"]
        assert page["meta"]["oldest_id"] == page["data"][-1]["id"]
        assert ("next_token" in page["meta"]) == (i < len(railned) - 1)
        assert "version" in page["__twarc"]


def test_pages_are_newest_first_and_ids_are_time_ordered_snowflakes(railned):
    tweets = [t for p in railned for t in p["data"]]
    times = [t["created_at"] for t in tweets]
    assert times == sorted(times, reverse=True)
    for t in tweets:
        created = dt.datetime.strptime(t["created_at"], "%Y-%m-%dT%H:%M:%S.000Z")
        snowflake_ms = (int(t["id"]) >> 22) + 1288834974657
        assert abs(snowflake_ms / 1000 - created.replace(tzinfo=dt.UTC).timestamp()) < 1


def test_tweet_objects_and_expansions(railned):
    for page in railned:
        users = {u["id"]: u for u in page["includes"]["users"]}
        included = {t["id"]: t for t in page["includes"].get("tweets", [])}
        missing = {e["resource_id"] for e in page.get("errors", [])}
        for tweet in page["data"]:
            assert set(tweet) >= TWEET_REQUIRED
            assert set(tweet["public_metrics"]) == {
                "retweet_count",
                "reply_count",
                "like_count",
                "quote_count",
            }
            assert tweet["author_id"] in users
            for mention in tweet.get("entities", {}).get("mentions", []):
                assert tweet["text"][mention["start"] : mention["end"]] == "@" + mention["username"]
                assert users[mention["id"]]["username"] == mention["username"]
            for ref in tweet.get("referenced_tweets", []):
                assert ref["type"] in {"replied_to", "retweeted", "quoted"}
                assert (ref["id"] in included) != (ref["id"] in missing)
                if ref["type"] == "replied_to" and ref["id"] in included:
                    assert tweet["in_reply_to_user_id"] == included[ref["id"]]["author_id"]
                    assert tweet["conversation_id"] == included[ref["id"]]["conversation_id"]
                if ref["type"] == "retweeted":
                    assert tweet["text"].startswith("RT @")
                    assert tweet["conversation_id"] == tweet["id"]
            if "referenced_tweets" not in tweet:
                assert tweet["conversation_id"] == tweet["id"]


def test_deleted_parents_are_reported_as_errors(wide_edition):
    edition, outdir = wide_edition
    deleted = set(edition.messages.loc[~edition.messages["collected"], "message_id"])
    assert deleted
    errors = []
    for path in (outdir / "raw" / "twitter").glob("*.jsonl"):
        for line in path.read_bytes().splitlines():
            errors += orjson.loads(line).get("errors", [])
    assert errors
    for error in errors:
        assert error["title"] == "Not Found Error"
        assert error["parameter"] == "referenced_tweets.id"
        assert error["resource_id"] in deleted


def test_two_organisation_mentions_appear_in_both_archives(wide_edition):
    edition, outdir = wide_edition
    m = edition.messages
    shared = m[m["org2_id"].notna() & m["collected"] & (m["platform"] == "twitter")].iloc[0]
    for org_id in (shared["org_id"], shared["org2_id"]):
        ids = {t["id"] for p in pages(outdir, org_id) for t in p.get("data", [])}
        assert shared["message_id"] in ids


def test_field_names_match_real_twarc2_output(test_edition, fixtures_dir):
    """Every field we write exists in real twarc2 output (tests/README: no fields of our own)."""
    real_tweet_keys, real_user_keys, real_page_keys = set(), set(), set()
    for path in (fixtures_dir / "twitter-v2").glob("twarc*.jsonl"):
        for line in path.read_bytes().splitlines():
            try:
                page = orjson.loads(line)
            except orjson.JSONDecodeError:
                continue
            if (
                not isinstance(page, dict)
                or "data" not in page
                or not isinstance(page["data"], list)
            ):
                continue
            real_page_keys |= set(page)
            for tweet in page["data"] + page.get("includes", {}).get("tweets", []):
                real_tweet_keys |= set(tweet)
            for user in page.get("includes", {}).get("users", []):
                real_user_keys |= set(user)
    assert real_tweet_keys, "no twarc2 pages found among the samples"
    _, outdir = test_edition
    for page in pages(outdir, "railned"):
        assert set(page) <= real_page_keys
        for tweet in page["data"]:
            assert set(tweet) <= real_tweet_keys, set(tweet) - real_tweet_keys
        for user in page["includes"]["users"]:
            assert set(user) <= real_user_keys, set(user) - real_user_keys
