"""Twitter customer-care conversations in IBM's conversation JSON.

The shape of IBM's "Twitter customer care document prediction" dataset
(github.com/IBM/twitter-customer-care-document-prediction, files
``train/dev/test.json``, described in its README): a JSON array of
conversations, each::

    {"dialogHeader": {"company", "sessionID", "conversationDateTime", "duration",
                      "messageCount"},
     "dialogContent": [{"client" | "client1" | "agent": <handle>, "datetime",
                        "message", "tweet_ID"}, …],
     "agentURL": {"tweet_ID", "turn", "url", "url_utterance", "doc_id"}}

Each turn of ``dialogContent`` is a message (platform twitter, message_id
``tweet_ID``, text ``message``). A client turn (``client``, or ``client1``,
``client2`` … for other users who joined in) is written by that user: author_id
and author_handle are the handle (the finaliser pseudonymises it); it is
addressed to the conversation's company and to the accounts it @-mentions. An
agent turn is written by the account named in ``agent`` — the company's handle,
or another brand's (``AmazonHelp`` answering in an ``AppleSupport``
conversation) — falling back to ``dialogHeader.company``; with account_id =
handle in the organisations sheet it is recognised as the organisation's.

``agentURL`` is the agent's reply that points the client to a support document
(the dataset's prediction target): the turn after the last one of
``dialogContent`` (``messageCount`` counts it). It is a message too, by the
company, text ``url_utterance``; the dataset gives no time for it, so created_at
is read from its tweet id (a Snowflake id holds its creation time in
milliseconds since 2010-11-04T01:42:54.657Z: developer.x.com, "Twitter IDs").

The data hold no reply links: parent_id (the previous turn's tweet id),
in_reply_to_author_id (the previous turn's author) and thread_id (the first
turn's tweet id) are reconstructed from turn order. In a few conversations the
agentURL reply is addressed to another user than the last turn's, so these links
are approximate. Links in the texts are as the dataset gives them (its authors
replaced them by web.archive.org copies). The same tweet can appear in two
conversations; the merge keeps one copy.

No source options.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from engbench.ingest.privacy import MENTION
from engbench.ingest.records import Bad, ParseContext
from engbench.ingest.timestamps import parse_timestamp

READER = "json"

TWITTER_EPOCH_MS = 1288834974657  # Snowflake epoch: 2010-11-04T01:42:54.657Z
FIRST_SNOWFLAKE = 1 << 32  # smaller ids predate Snowflake and hold no time


def sniff(record: Any) -> bool:
    if isinstance(record, list):
        record = record[0] if record else None
    return (
        isinstance(record, dict)
        and isinstance(record.get("dialogHeader"), dict)
        and isinstance(record.get("dialogContent"), list)
    )


def sniff_header(columns) -> bool:
    return False


def parse(record: Any, location: str, context: ParseContext) -> Iterator[dict | Bad]:
    if isinstance(record, list):
        for i, conversation in enumerate(record):
            yield from _conversation(conversation, f"{location}[{i}]", context)
    else:
        yield from _conversation(record, location, context)


def _conversation(conv: Any, where: str, context: ParseContext) -> Iterator[dict | Bad]:
    if not isinstance(conv, dict) or not isinstance(conv.get("dialogContent"), list):
        yield Bad(where, "expected a conversation with `dialogContent`", "dialogContent")
        return
    header = conv.get("dialogHeader") if isinstance(conv.get("dialogHeader"), dict) else {}
    company = _str(header.get("company"))
    thread_id = None
    previous_id = previous_author = None
    seen: set[str] = set()
    for i, turn in enumerate(conv["dialogContent"]):
        twhere = f"{where}.dialogContent[{i}]"
        if not isinstance(turn, dict):
            yield Bad(twhere, "expected a turn object")
            continue
        role = next((k for k in turn if k == "agent" or str(k).startswith("client")), None)
        if role is None:
            yield Bad(twhere, "turn has neither `client` nor `agent`", "client")
            continue
        author = _str(turn.get(role)) or (company if role == "agent" else None)
        message_id = _str(turn.get("tweet_ID"))
        text = turn.get("message") if isinstance(turn.get("message"), str) else None
        try:
            stamp = turn.get("datetime")
            created = parse_timestamp(stamp, "UTC") if stamp else _snowflake_time(message_id)
        except (ValueError, TypeError, OverflowError, OSError) as error:
            yield Bad(twhere, f"datetime: {error}", "datetime", str(turn.get("datetime"))[:100])
            continue
        mentions = _mentions(text)
        if role != "agent" and company:
            mentions.insert(0, company)
        thread_id = thread_id or message_id
        seen.add(message_id)
        yield {
            **_message(twhere, message_id, author, created, text, mentions),
            "thread_id": thread_id,
            "parent_id": previous_id,
            "in_reply_to_author_id": previous_author,
        }
        previous_id, previous_author = message_id or previous_id, author
    reply = conv.get("agentURL")
    if not isinstance(reply, dict) or reply.get("tweet_ID") in (None, ""):
        return
    awhere = f"{where}.agentURL"
    message_id = _str(reply.get("tweet_ID"))
    if message_id is not None and message_id in seen:
        return  # the reply is already one of the turns
    try:
        created = _snowflake_time(message_id)
    except (ValueError, TypeError, OverflowError, OSError) as error:
        yield Bad(awhere, f"tweet_ID: {error}", "tweet_ID", str(message_id)[:100])
        return
    text = reply.get("url_utterance") if isinstance(reply.get("url_utterance"), str) else None
    yield {
        **_message(awhere, message_id, company, created, text, _mentions(text)),
        "thread_id": thread_id or message_id,
        "parent_id": previous_id,
        "in_reply_to_author_id": previous_author,
    }


def _message(where, message_id, author, created, text, mentions) -> dict:
    return {
        "_location": where,
        "platform": "twitter",
        "message_id": message_id,
        "author_id": author,
        "author_handle": author,
        "created_at": created,
        "text": text,
        "mentions": mentions,
    }


def _str(value) -> str | None:
    if isinstance(value, bool) or value is None or isinstance(value, dict | list):
        return None
    if isinstance(value, float):
        return None  # a float id has lost its digits
    text = str(value).strip().lstrip("@")
    return text or None


def _mentions(text: str | None) -> list[str]:
    return MENTION.findall(text) if text and "@" in text else []


def _snowflake_time(tweet_id: str | None) -> dt.datetime:
    """The creation time a Snowflake tweet id carries (ms since the Twitter epoch)."""
    if tweet_id is None or not tweet_id.isdigit():
        raise ValueError(f"no datetime, and tweet id {tweet_id!r} is not a number")
    number = int(tweet_id)
    if number < FIRST_SNOWFLAKE:
        raise ValueError(f"no datetime, and tweet id {tweet_id} predates Snowflake ids")
    return dt.datetime.fromtimestamp(((number >> 22) + TWITTER_EPOCH_MS) / 1000, dt.UTC)
