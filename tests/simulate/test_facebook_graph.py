"""The simulated Facebook archive follows the Graph API page-feed response."""

from __future__ import annotations

import datetime as dt
import json

import orjson
import pytest


def responses(outdir, org_id):
    path = outdir / "raw" / "facebook" / f"{org_id}.jsonl"
    return [orjson.loads(line) for line in path.read_bytes().splitlines()]


def graph_time(value: str) -> dt.datetime:
    return dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z")


@pytest.fixture(scope="module")
def feed(wide_edition):
    _, outdir = wide_edition
    return responses(outdir, "railned")


def test_responses_have_data_and_paging(feed):
    assert len(feed) > 1
    for i, response in enumerate(feed):
        assert set(response) == {"data", "paging"}
        assert len(response["data"]) <= 25
        assert set(response["paging"]["cursors"]) == {"before", "after"}
        assert ("next" in response["paging"]) == (i < len(feed) - 1)


def test_posts_comments_and_replies(wide_edition, feed):
    edition, _ = wide_edition
    page = edition.accounts.query("org_id == 'railned' and platform == 'facebook'").iloc[0]
    posts = [p for r in feed for p in r["data"]]
    times = [graph_time(p["created_time"]) for p in posts]
    assert times == sorted(times, reverse=True)
    n_replies = 0
    visitor_posts = 0
    for post in posts:
        assert post["id"].startswith(page["account_id"] + "_")
        assert set(post["from"]) == {"name", "id"}
        assert post["reactions"]["summary"]["total_count"] >= 0
        if post["from"]["id"] != page["account_id"]:
            visitor_posts += 1
            assert post["to"]["data"][0]["id"] == page["account_id"]
        for comment in post["comments"]["data"]:
            assert comment["id"].startswith(post["id"].split("_")[1] + "_")
            assert graph_time(comment["created_time"]) > graph_time(post["created_time"])
            assert comment["comment_count"] == len(comment.get("comments", {}).get("data", []))
            for reply in comment.get("comments", {}).get("data", []):
                n_replies += 1
                assert reply["parent"]["id"] == comment["id"]
                assert graph_time(reply["created_time"]) > graph_time(comment["created_time"])
    assert n_replies > 0
    assert visitor_posts > 0


def test_field_names_match_real_graph_response(wide_edition, fixtures_dir):
    sample = json.loads(
        (
            fixtures_dir / "facebook-graph" / "european_commission_page_posts_2014-03.json"
        ).read_text()
    )
    real_post_keys = set().union(*(p.keys() for p in sample["data"]))
    real_comment_keys = set().union(
        *(c.keys() for p in sample["data"] for c in p.get("comments", {}).get("data", []))
    )
    # Graph API v2.10 fields the simulated collection requests (absent from the 2014 sample)
    requested = {"reactions", "permalink_url", "to", "comment_count", "comments", "parent"}
    _, outdir = wide_edition
    for response in responses(outdir, "railned"):
        for post in response["data"]:
            assert set(post) <= real_post_keys | requested, set(post) - real_post_keys
            for comment in post["comments"]["data"]:
                assert set(comment) <= real_comment_keys | requested, (
                    set(comment) - real_comment_keys
                )
