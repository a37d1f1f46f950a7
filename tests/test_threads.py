"""Threads, attribution and responses on small hand-built threads (one case per rule)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from engbench.config import parse_webcare_hours
from engbench.threads import derive, rebuild_threads

A, B = "111", "222"  # organisation account ids (orgs "a" and "b")
HOURS = parse_webcare_hours(
    {
        "monday": "08:00-22:00",
        "tuesday": "08:00-22:00",
        "wednesday": "08:00-22:00",
        "thursday": "08:00-22:00",
        "friday": "08:00-22:00",
        "saturday": "09:00-18:00",
        "sunday": "closed",
    }
)
ALWAYS = parse_webcare_hours(
    {
        d: "00:00-24:00"
        for d in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    }
)


def message(
    mid,
    author,
    at,
    parent=None,
    thread=None,
    org=None,
    addressed=(),
    reply_to=None,
    retweet=None,
    platform="twitter",
    text="…",
):
    is_org = author in (A, B)
    return {
        "platform": platform,
        "message_id": mid,
        "thread_id": thread,
        "parent_id": parent,
        "author_id": author,
        "org_id": {A: "a", B: "b"}.get(author, org),
        "is_org": is_org,
        "created_at": pd.Timestamp(at, tz="UTC"),
        "text": text,
        "lang": "nl",
        "like_count": 0,
        "share_count": 0,
        "reply_count": 0,
        "in_reply_to_author_id": reply_to,
        "retweeted_id": retweet,
        "quoted_id": None,
        "addressed_org_ids": list(addressed),
    }


def run(rows, hours=HOURS, window=7):
    store = pd.DataFrame(rows)
    result = derive(store, window, hours, "Europe/Amsterdam", "2017-11-01")
    pairs = result.incoming.set_index(["message_id", "org_id"])
    return result, pairs


def test_reply_to_a_reply_is_answered_in_turn():
    rows = [
        message("m1", "c1", "2017-03-01 10:00", thread="m1", addressed=["a"]),
        message("r1", A, "2017-03-01 10:20", parent="m1", thread="m1", reply_to="c1"),
        message(
            "m2", "c1", "2017-03-01 10:30", parent="r1", thread="m1", reply_to=A, addressed=["a"]
        ),
        message("r2", A, "2017-03-01 11:30", parent="m2", thread="m1", reply_to="c1"),
    ]
    result, pairs = run(rows)
    assert pairs.loc[("m1", "a"), "first_reply_id"] == "r1"
    assert pairs.loc[("m1", "a"), "response_seconds"] == 20 * 60
    assert pairs.loc[("m2", "a"), "first_reply_id"] == "r2"
    assert pairs.loc[("m2", "a"), "response_seconds"] == 3600
    kinds = result.messages.set_index("message_id")["kind"]
    assert list(kinds[["m1", "r1", "m2", "r2"]]) == ["incoming", "reply", "incoming", "reply"]


def test_a_consumer_reply_in_the_organisations_thread_is_incoming_without_a_mention():
    rows = [
        message("b1", A, "2017-03-01 09:00", thread="b1"),  # a broadcast
        message("m1", "c1", "2017-03-01 10:00", parent="b1", thread="b1"),  # no mention
        message("r1", A, "2017-03-01 10:05", parent="m1", thread="b1", reply_to="c1"),
    ]
    result, pairs = run(rows)
    assert pairs.loc[("m1", "a"), "replied"]
    assert result.messages.set_index("message_id").loc["b1", "kind"] == "broadcast"


def test_an_answer_after_the_window_is_no_response():
    rows = [
        message("m1", "c1", "2017-03-01 10:00", thread="m1", addressed=["a"]),
        message("r1", A, "2017-03-09 10:00", parent="m1", thread="m1", reply_to="c1"),
    ]
    _, pairs = run(rows)
    assert not pairs.loc[("m1", "a"), "replied"]
    assert np.isnan(pairs.loc[("m1", "a"), "response_seconds"])
    _, longer = run(rows, window=10)
    assert longer.loc[("m1", "a"), "response_seconds"] == 8 * 86400


def test_an_answer_by_another_organisation_does_not_count():
    rows = [
        message("m1", "c1", "2017-03-01 10:00", thread="m1", addressed=["a"]),
        message("r1", B, "2017-03-01 10:05", parent="m1", thread="m1", reply_to="c1"),
    ]
    _, pairs = run(rows)
    assert list(pairs.index) == [("m1", "a")]
    assert not pairs.loc[("m1", "a"), "replied"]


def test_an_answer_in_a_new_thread_to_the_same_author_does_not_count():
    rows = [
        message("m1", "c1", "2017-03-01 10:00", thread="m1", addressed=["a"]),
        message("n1", A, "2017-03-01 10:10", thread="n1", text="@user we sent you a DM"),
    ]
    result, pairs = run(rows)
    assert not pairs.loc[("m1", "a"), "replied"]
    assert result.messages.set_index("message_id").loc["n1", "kind"] == "broadcast"


def test_a_message_to_two_organisations_counts_for_each():
    rows = [
        message("m1", "c1", "2017-03-01 10:00", thread="m1", addressed=["a", "b"]),
        message("r1", A, "2017-03-01 10:30", parent="m1", thread="m1", reply_to="c1"),
    ]
    result, pairs = run(rows)
    assert set(pairs.index) == {("m1", "a"), ("m1", "b")}
    assert pairs.loc[("m1", "a"), "replied"] and not pairs.loc[("m1", "b"), "replied"]
    assert result.counts["addressed_to_two_or_more"] == 2


def test_a_missing_parent_is_handled_and_counted():
    rows = [  # v1.1-style: no thread ids; the consumer's first tweet was deleted
        message("m2", "c1", "2017-03-01 10:30", parent="gone", reply_to=A, addressed=["a"]),
        message("r2", A, "2017-03-01 10:40", parent="m2", reply_to="c1"),
        message("m3", "c1", "2017-03-01 10:50", parent="r2", reply_to=A, addressed=["a"]),
    ]
    result, pairs = run(rows)
    threads = result.messages.set_index("message_id")["thread_id"]
    assert set(threads) == {"gone"}
    assert pairs.loc[("m2", "a"), "first_reply_id"] == "r2"
    assert result.counts["missing_parent_messages"] == 3


def test_threads_are_rebuilt_from_parents_where_the_format_has_none():
    store = pd.DataFrame(
        [
            message("x1", "c1", "2017-03-01"),
            message("x2", A, "2017-03-02", parent="x1"),
            message("x3", "c1", "2017-03-03", parent="x2"),
            message("x4", A, "2017-03-04", parent="x3"),
        ]
    )
    threads, missing = rebuild_threads(store)
    assert list(threads) == ["x1"] * 4 and not missing.any()


def test_retweets_and_chatter_are_not_incoming():
    rows = [
        message("b1", A, "2017-03-01 09:00", thread="b1"),
        message("rt", "c1", "2017-03-01 09:10", thread="rt", retweet="b1", addressed=["a"]),
        message("ch", "c2", "2017-03-01 09:20", thread="ch", text="the brand again"),
    ]
    result, pairs = run(rows)
    assert pairs.empty
    assert set(result.messages["kind"]) == {"broadcast", "other"}


def test_response_time_across_the_october_2017_dst_change():
    # 02:30 CEST (00:30 UTC) → answered at 03:30 CET (02:30 UTC): two real hours
    rows = [
        message("m1", "c1", "2017-10-29 00:30", thread="m1", addressed=["a"]),
        message("r1", A, "2017-10-29 02:30", parent="m1", thread="m1", reply_to="c1"),
    ]
    _, pairs = run(rows, hours=ALWAYS)
    assert pairs.loc[("m1", "a"), "response_seconds"] == 7200
    assert (
        pairs.loc[("m1", "a"), "response_seconds_webcare"] == 7200
    )  # the repeated hour counts once per instant


def test_webcare_hours_spanning_a_weekend():
    # Friday 21:30 CET → Monday 09:00 CET: Fri 30 min + Sat 9 h (09–18) + Sun closed + Mon 1 h
    rows = [
        message("m1", "c1", "2017-02-03 20:30", thread="m1", addressed=["a"]),
        message("r1", A, "2017-02-06 08:00", parent="m1", thread="m1", reply_to="c1"),
    ]
    _, pairs = run(rows)
    assert pairs.loc[("m1", "a"), "response_seconds"] == (2 * 24 + 11.5) * 3600
    assert pairs.loc[("m1", "a"), "response_seconds_webcare"] == 10.5 * 3600


def test_facebook_follow_up_under_the_organisations_own_comment():
    # a visitor post; the page answers with a comment; the consumer replies under that comment
    # (Graph API: parent = the page's comment); the page answers under it again
    fb = dict(platform="facebook", thread="p1")
    rows = [
        message("p1", "c1", "2017-03-01 10:00", addressed=["a"], **fb),
        message("k1", A, "2017-03-01 10:30", parent="p1", **fb),
        message("k2", "c1", "2017-03-01 11:00", parent="k1", addressed=["a"], **fb),
        message("k3", A, "2017-03-01 11:10", parent="k1", **fb),
    ]
    _, pairs = run(rows)
    assert pairs.loc[("p1", "a"), "first_reply_id"] == "k1"
    assert pairs.loc[("k2", "a"), "first_reply_id"] == "k3"
    assert pairs.loc[("k2", "a"), "response_seconds"] == 600


def test_messages_near_the_end_are_flagged_censored():
    rows = [
        message("m1", "c1", "2017-10-28 10:00", thread="m1", addressed=["a"]),
        message("m2", "c1", "2017-10-20 10:00", thread="m2", addressed=["a"]),
    ]
    _, pairs = run(rows)
    assert pairs.loc[("m1", "a"), "censored"] and not pairs.loc[("m2", "a"), "censored"]


@pytest.mark.parametrize("window", [1, 7])
def test_first_reply_is_the_earliest(window):
    rows = [
        message("m1", "c1", "2017-03-01 10:00", thread="m1", addressed=["a"]),
        message("r2", A, "2017-03-01 12:00", parent="m1", thread="m1", reply_to="c1"),
        message("r1", A, "2017-03-01 11:00", parent="m1", thread="m1", reply_to="c1"),
    ]
    _, pairs = run(rows, window=window)
    assert pairs.loc[("m1", "a"), "first_reply_id"] == "r1"


def _direct_and_thread_store():
    """An incoming message answered in its thread but not directly, one answered directly,
    and one answered only by a reply to the author's follow-up."""
    return [
        # c1: answered directly
        message("m1", "c1", "2017-03-01 10:00", thread="m1", addressed=["a"]),
        message("r1", A, "2017-03-01 10:20", parent="m1", thread="m1", reply_to="c1"),
        # c2: writes twice; the organisation answers the second message only
        message("m2", "c2", "2017-03-02 10:00", thread="m2", addressed=["a"]),
        message("m3", "c2", "2017-03-02 10:05", parent="m2", thread="m2", addressed=["a"]),
        message("r2", A, "2017-03-02 11:00", parent="m3", thread="m2", reply_to="c2"),
        # c3: never answered
        message("m4", "c3", "2017-03-03 10:00", thread="m4", addressed=["a"]),
    ]


def test_direct_definition_counts_only_replies_to_the_message_itself():
    store = pd.DataFrame(_direct_and_thread_store())
    args = (7, HOURS, "Europe/Amsterdam", "2017-11-01")
    thread = derive(store, *args).incoming.set_index("message_id")
    direct = derive(store, *args, definition="direct").incoming.set_index("message_id")
    assert thread["replied"].to_dict() == {"m1": True, "m2": True, "m3": True, "m4": False}
    assert direct["replied"].to_dict() == {"m1": True, "m2": False, "m3": True, "m4": False}
    assert thread.loc["m2", "first_reply_id"] == "r2"
    assert direct.loc["m3", "response_seconds"] == 55 * 60
    assert pd.isna(direct.loc["m2", "response_seconds_webcare"])


def test_default_definition_is_the_thread_rule():
    store = pd.DataFrame(_direct_and_thread_store())
    args = (7, HOURS, "Europe/Amsterdam", "2017-11-01")
    default = derive(store, *args)
    explicit = derive(store, *args, definition="thread")
    pd.testing.assert_frame_equal(default.incoming, explicit.incoming)
    pd.testing.assert_frame_equal(default.messages, explicit.messages)
    with pytest.raises(ValueError, match="unknown response definition"):
        derive(store, *args, definition="nearest")


@pytest.mark.parametrize("definition", ["thread", "direct"])
@pytest.mark.parametrize("window", [1 / 48, 1, 7])
def test_responses_again_from_the_stage_tables_equal_derive(definition, window):
    from engbench.threads import RESPONSE_FIELDS, response_messages, responses

    store = pd.DataFrame(_direct_and_thread_store())
    whole = derive(store, window, HOURS, "Europe/Amsterdam", "2017-11-01", definition=definition)
    main = derive(store, 7, HOURS, "Europe/Amsterdam", "2017-11-01")
    again = responses(response_messages(main.messages), main.incoming, window, definition)
    pd.testing.assert_frame_equal(again[RESPONSE_FIELDS], whole.incoming[RESPONSE_FIELDS])
