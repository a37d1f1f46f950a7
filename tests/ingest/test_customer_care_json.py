"""customer_care_json: IBM's Twitter customer-care conversations (dialogHeader / dialogContent).

Real samples: customer-care-ibm/test.json and dev.json (IBM/twitter-customer-care-document-
prediction, Apache-2.0). The hand-written fixture follows the same repository's README schema.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engbench.ingest import customer_care_json
from engbench.ingest.detect import detect_format
from engbench.ingest.records import Bad, ParseContext
from tests.ingest.conftest import accounts_sheet

FIXTURES = Path(__file__).parent / "fixtures" / "customer_care_json"
SHEET = """org_id,name,sector,platform,handle,account_id
org_hp,HP,tech,twitter,HPSupport,HPSupport
org_apple,Apple,tech,twitter,AppleSupport,AppleSupport
org_amazon,Amazon,retail,twitter,AmazonHelp,AmazonHelp
"""
ORGS = {"HPSupport", "AppleSupport", "AmazonHelp"}
# file → conversations, dialogContent turns, distinct threads (two conversations can share a
# first tweet), per SOURCES.md and counted in the files
COUNTS = {"test.json": (500, 639, 499), "dev.json": (525, 686, 523)}


def _conversations(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))


def _client_handles(conversations: list[dict]) -> set[str]:
    return {
        turn[key]
        for conv in conversations
        for turn in conv["dialogContent"]
        for key in turn
        if key.startswith("client")
    }


@pytest.mark.parametrize("name", sorted(COUNTS))
def test_real_sample(ingest, fixtures_dir, name):
    path = fixtures_dir / "customer-care-ibm" / name
    conversations = _conversations(path)
    n_conv, n_turns, n_threads = COUNTS[name]
    assert len(conversations) == n_conv
    assert sum(len(c["dialogContent"]) for c in conversations) == n_turns
    assert detect_format(path) == "customer_care_json"

    rows, summary, bad = ingest(path, accounts=accounts_sheet(SHEET))
    # every turn, plus the agentURL reply of every conversation
    assert (summary.read, summary.kept, bad) == (n_turns + n_conv, n_turns + n_conv, [])
    assert (rows["platform"] == "twitter").all()
    assert rows["message_id"].str.fullmatch(r"\d{18,19}").all()
    assert rows["thread_id"].nunique() == n_threads
    # reconstructed links: every message but the first of a conversation has the previous one
    with_parent = rows[rows["parent_id"].notna()]
    assert len(with_parent) == n_turns  # n_turns + n_conv messages, n_conv first turns
    assert with_parent["parent_id"].isin(set(rows["message_id"])).all()
    assert (rows["thread_id"].notna()).all()
    assert str(rows["created_at"].dt.tz) == "UTC"

    # organisations: agent turns of the sheet's accounts and their companies' agentURL replies
    expected_org = sum(
        turn.get("agent") in ORGS for c in conversations for turn in c["dialogContent"]
    ) + sum(c["dialogHeader"]["company"] in ORGS for c in conversations)
    assert rows["is_org"].sum() == expected_org
    assert set(rows.loc[rows["is_org"], "author_id"]) <= ORGS
    assert rows.loc[rows["is_org"], "org_id"].notna().all()

    # no client handle anywhere: pseudonymised authors, masked @-mentions
    handles = _client_handles(conversations)
    for column in ("author_id", "in_reply_to_author_id"):
        assert not handles & set(rows[column].dropna())
    assert rows.loc[~rows["is_org"], "author_id"].str.fullmatch(r"u[0-9a-f]{16}").all()
    texts = "\n".join(rows["text"].dropna())
    mentioned = {m.lower() for m in re.findall(r"(?<![\w@])@(\w+)", texts)}  # not e-mail
    assert not {h.lower() for h in handles} & mentioned


def test_agent_url_reply_is_the_last_turn(ingest, fixtures_dir):
    path = fixtures_dir / "customer-care-ibm" / "test.json"
    first = _conversations(path)[0]
    rows, _, _ = ingest(path)
    reply = rows.set_index("message_id").loc[first["agentURL"]["tweet_ID"]]
    last_turn = first["dialogContent"][-1]["tweet_ID"]
    assert reply["parent_id"] == last_turn
    assert reply["thread_id"] == first["dialogContent"][0]["tweet_ID"]
    assert reply["text"].startswith("@user ")  # the client's handle is masked
    # its time comes from the Snowflake id: conversationDateTime + duration (00:42:26) agrees
    assert reply["created_at"].floor("s") == dt.datetime(2020, 1, 12, 15, 32, 37, tzinfo=dt.UTC)
    # and every agentURL reply comes after the turn it follows
    by_id = rows.set_index("message_id")["created_at"]
    for conv in _conversations(path):
        assert by_id[conv["agentURL"]["tweet_ID"]] > by_id[conv["dialogContent"][-1]["tweet_ID"]]


def test_hand_written_conversations(ingest):
    """Fixture after the README schema of IBM/twitter-customer-care-document-prediction."""
    path = FIXTURES / "conversations.json"
    sheet = accounts_sheet(
        "org_id,name,sector,platform,handle,account_id\n"
        "oranje,Oranje Airways,airline,twitter,oranjecare,oranjecare\n"
        "railned,RailNed,rail,twitter,railnedhelp,railnedhelp\n"
    )
    rows, summary, bad = ingest(path, accounts=sheet)
    assert (summary.kept, bad) == (8, [])  # 5 turns + 3 agentURL replies
    rows = rows.set_index("message_id")
    conv = _conversations(path)[1]
    ids = [t["tweet_ID"] for t in conv["dialogContent"]] + [conv["agentURL"]["tweet_ID"]]
    client, agent, client1, reply = (rows.loc[i] for i in ids)
    assert pd.isna(client["parent_id"])
    assert (agent["parent_id"], client1["parent_id"]) == (ids[0], ids[1])
    assert reply["parent_id"] == ids[2] and set(rows.loc[ids, "thread_id"]) == {ids[0]}
    # the agent turn is by another brand's account than the conversation's company
    assert (agent["author_id"], agent["org_id"], agent["is_org"]) == (
        "railnedhelp",
        "railned",
        True,
    )
    assert (reply["author_id"], reply["org_id"]) == ("oranjecare", "oranje")
    # client turns: pseudonymised, addressed to the company (and the agent they answer)
    assert client["author_id"].startswith("u") and client["org_id"] == "oranje"
    assert list(client["addressed_org_ids"]) == ["oranje"]
    assert client1["author_id"].startswith("u") and client1["author_id"] != client["author_id"]
    assert "railned" in list(client1["addressed_org_ids"])
    assert client1["in_reply_to_author_id"] == "railnedhelp"
    assert agent["in_reply_to_author_id"] == client["author_id"]  # same pseudonym
    assert client1["text"] == "@user @oranjecare same question here"
    assert reply["created_at"] == dt.datetime(2020, 9, 1, 9, 30, tzinfo=dt.UTC)
    for handle in ("fietsfan_88", "reiziger_z", "meelezer_m", "appgebruiker"):
        assert not rows.astype(str).apply(lambda c, h=handle: c.str.contains(h)).any().any()


def test_sniff():
    conv = _conversations(FIXTURES / "conversations.json")
    assert customer_care_json.sniff(conv[0]) and customer_care_json.sniff(conv)
    for other in ({"data": []}, {"dialogHeader": {}}, [], [1], "x", None, {"dialogContent": []}):
        assert not customer_care_json.sniff(other)


def test_damaged_turns_are_bad_records():
    conv = _conversations(FIXTURES / "conversations.json")[1]
    conv["dialogContent"][0]["datetime"] = "yesterday"
    conv["dialogContent"][1] = {"speaker": "x", "message": "?"}
    conv["agentURL"]["tweet_ID"] = "12"
    out = list(customer_care_json.parse(conv, "$[1]", ParseContext("f.json")))
    bad = [o for o in out if isinstance(o, Bad)]
    assert [b.location for b in bad] == [
        "$[1].dialogContent[0]",
        "$[1].dialogContent[1]",
        "$[1].agentURL",
    ]
    assert [b.field for b in bad] == ["datetime", "client", "tweet_ID"]
    assert [o["message_id"] for o in out if isinstance(o, dict)] == [
        conv["dialogContent"][2]["tweet_ID"]
    ]


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)
TURN_KEYS = st.sampled_from(["client", "client1", "agent", "datetime", "message", "tweet_ID", "x"])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        JSON,
        st.fixed_dictionaries(
            {
                "dialogHeader": st.one_of(JSON, st.fixed_dictionaries({"company": JSON})),
                "dialogContent": st.one_of(
                    JSON, st.lists(st.dictionaries(TURN_KEYS, JSON, max_size=6), max_size=4)
                ),
                "agentURL": st.one_of(JSON, st.fixed_dictionaries({"tweet_ID": JSON})),
            }
        ),
    )
)
def test_parse_never_raises(record):
    for item in customer_care_json.parse(record, "$[0]", ParseContext("f.json")):
        assert isinstance(item, dict | Bad)
