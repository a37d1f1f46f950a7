"""X / Twitter API v2: search and timeline responses, as twarc2 writes them.

Reads response pages (``data`` + ``includes`` + ``meta`` [+ ``errors``]), one
per line or as one document, filter-stream lines (``data`` is one tweet), and
``twarc2 flatten`` output (one tweet per line with ``author`` expanded).
Expansions are resolved from ``includes``: authors' usernames (to recognise
organisation accounts), and the full text of retweeted tweets — v2 truncates a
retweet's own ``text`` to "RT @x: …", so the message keeps "RT @x: " followed
by the original's full text where the original is included. Referenced tweets
in ``includes.tweets`` are messages of the archive too and are ingested (those
not in the same page's ``data``); the merge keeps one copy. ``errors`` entries
describe tweets the API could not return (deleted, withheld): they are not
records and are not counted.

Documented at developer.x.com: "Tweet object", "Expansions", "Conversation id".
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import msgspec

from engbench.ingest.records import Bad, Block, ParseContext

READER = "json"
# What to tell a researcher whose every record lacks a field: the collection did not ask for it.
HINTS = {
    "author_id": "the collection did not request authors: recollect with expansions=author_id",
    "created_at": "the collection did not request times: recollect with tweet.fields=created_at,"
    "conversation_id,in_reply_to_user_id,referenced_tweets,public_metrics,lang",
}


def sniff(record: Any) -> bool:
    if not isinstance(record, dict):
        return False
    data = record.get("data")
    if isinstance(data, list):
        first = data[0] if data else {}
        return (
            (isinstance(first, dict) and "edit_history_tweet_ids" in first)
            or (
                "meta" in record
                and ("result_count" in record["meta"] or "newest_id" in record["meta"])
            )
            or ("includes" in record and isinstance(first, dict) and "text" in first)
        )
    if isinstance(data, dict):  # filter stream: one tweet per line
        return "text" in data and "id" in data
    return "edit_history_tweet_ids" in record or (
        "conversation_id" in record and "text" in record and "id" in record
    )


FIELDS = (
    "platform",
    "message_id",
    "author_id",
    "author_handle",
    "created_at",
    "text",
    "thread_id",
    "parent_id",
    "in_reply_to_author_id",
    "retweeted_id",
    "quoted_id",
    "lang",
    "like_count",
    "share_count",
    "reply_count",
    "mentions",
    "latest_version_id",
)


def parse(record: Any, location: str, context: ParseContext) -> Iterator[Block | Bad]:
    """One response page (or stream line, or flattened tweet) → a block of messages.

    Referenced tweets from ``includes.tweets`` are read too, except those that
    are also in the page's ``data``.
    """
    if not isinstance(record, dict):
        yield Bad(location, "expected a JSON object (a v2 response or tweet)")
        return
    data = record.get("data")
    if data is None and "id" in record and "text" in record:  # twarc2 flatten: a bare tweet
        yield from _block([record], {}, {}, location, None)
        return
    if data is None:
        if "meta" in record or "errors" in record:
            return  # a page without results (result_count 0) or only errors: nothing to read
        yield Bad(location, "no `data` in the response", "data", "")
        return
    tweets = data if isinstance(data, list) else [data]
    includes = record.get("includes") if isinstance(record.get("includes"), dict) else {}
    users = {u["id"]: u for u in _objects(includes.get("users")) if isinstance(u.get("id"), str)}
    included = {
        t["id"]: t for t in _objects(includes.get("tweets")) if isinstance(t.get("id"), str)
    }
    yield from _block(tweets, users, included, location, "data")
    in_data = {t.get("id") for t in _objects(tweets) if isinstance(t.get("id"), str)}
    extra = [t for i, t in included.items() if i not in in_data]
    yield from _block(extra, users, included, location, "includes.tweets")


def _objects(values) -> list[dict]:
    return [v for v in values if isinstance(v, dict)] if isinstance(values, list) else []


def _block(tweets, users, included, location, path) -> Iterator[Block | Bad]:
    rows, locations = [], []
    for i, tweet in enumerate(tweets):
        where = f"{location}, {path}[{i}]" if path else location
        if not isinstance(tweet, dict):
            yield Bad(where, "expected a tweet object")
            continue
        try:
            rows.append(_message(tweet, users, included))
        except (AttributeError, TypeError, ValueError) as error:
            yield Bad(where, f"malformed tweet: {error}", None, str(tweet.get("id")))
            continue
        locations.append(where)
    if rows:
        yield Block(dict(zip(FIELDS, map(list, zip(*rows, strict=True)), strict=True)), locations)


def _message(tweet: dict, users: dict, included: dict) -> tuple:
    parent = retweeted = quoted = None
    for ref in _objects(tweet.get("referenced_tweets")):
        kind = ref.get("type")
        if kind == "replied_to":
            parent = ref.get("id")
        elif kind == "retweeted":
            retweeted = ref.get("id")
            if "text" in ref:  # twarc2 flatten embeds the referenced tweet itself
                included = {**included, retweeted: ref}
        elif kind == "quoted":
            quoted = ref.get("id")
    author = tweet.get("author")  # twarc2 flatten puts the user object here
    author_id = tweet.get("author_id") or (author.get("id") if isinstance(author, dict) else None)
    user = (users.get(author_id) if isinstance(author_id, str) else None) or (
        author if isinstance(author, dict) else {}
    )
    text = tweet.get("text")
    if (
        isinstance(retweeted, str)
        and retweeted in included
        and isinstance(text, str)
        and text.startswith("RT @")
    ):
        original = included[retweeted]
        note = original.get("note_tweet")
        full = (
            note.get("text")
            if isinstance(note, dict) and note.get("text")
            else original.get("text")
        )
        text = f"RT @{text[4:].split(':', 1)[0]}: {full or ''}"
    else:
        note = tweet.get("note_tweet")
        if isinstance(note, dict) and note.get("text"):
            text = note["text"]  # long posts: the full text lives in note_tweet
    metrics = tweet.get("public_metrics") if isinstance(tweet.get("public_metrics"), dict) else {}
    entities = tweet.get("entities") if isinstance(tweet.get("entities"), dict) else {}
    mentions = [m.get("username") for m in _objects(entities.get("mentions"))]
    history = tweet.get("edit_history_tweet_ids")
    history = history if isinstance(history, list) else ()
    tweet_id = tweet.get("id")
    shares = metrics.get("retweet_count")
    if isinstance(shares, int) and isinstance(metrics.get("quote_count"), int):
        shares += metrics["quote_count"]
    return (
        "twitter",
        tweet_id,
        author_id,
        user.get("username"),
        tweet.get("created_at"),
        text,
        tweet.get("conversation_id"),
        parent,
        tweet.get("in_reply_to_user_id"),
        retweeted,
        quoted,
        tweet.get("lang"),
        metrics.get("like_count"),
        shares,
        metrics.get("reply_count"),
        mentions,
        history[-1] if len(history) > 1 and history[-1] != tweet_id else None,
    )


# -- typed fast path ----------------------------------------------------------------------
# The same reading as ``parse``, for response lines whose fields have the documented
# types: msgspec decodes only the fields used, straight into objects, which is several
# times cheaper than building dictionaries of every field. A line that does not fit
# (a number where an id string belongs, a flattened tweet, damage) returns None and is
# read by ``parse``.


class _Ref(msgspec.Struct):
    type: str | None = None
    id: str | None = None


class _Metrics(msgspec.Struct):
    retweet_count: int | None = None
    reply_count: int | None = None
    like_count: int | None = None
    quote_count: int | None = None


class _Mention(msgspec.Struct):
    username: str | None = None


class _Entities(msgspec.Struct):
    mentions: list[_Mention] = []


class _Note(msgspec.Struct):
    text: str | None = None


class _Tweet(msgspec.Struct):
    id: str | None = None
    text: str | None = None
    author_id: str | None = None
    conversation_id: str | None = None
    created_at: str | None = None
    lang: str | None = None
    in_reply_to_user_id: str | None = None
    referenced_tweets: list[_Ref] = []
    public_metrics: _Metrics | None = None
    entities: _Entities | None = None
    edit_history_tweet_ids: list[str] = []
    note_tweet: _Note | None = None


class _User(msgspec.Struct):
    id: str | None = None
    username: str | None = None


class _Includes(msgspec.Struct):
    users: list[_User] = []
    tweets: list[_Tweet] = []


class _Page(msgspec.Struct):
    data: list[_Tweet] | _Tweet | None = None
    includes: _Includes | None = None
    meta: dict | None = None
    errors: list | None = None


_DECODER = msgspec.json.Decoder(_Page)


def decode_line(line: bytes, location: str, context: ParseContext) -> list[Block] | None:
    """A JSONL line (one response) → blocks of messages, or None to read it with ``parse``."""
    try:
        page = _DECODER.decode(line)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None
    if page.data is None:
        return [] if page.meta is not None or page.errors is not None else None
    tweets = page.data if isinstance(page.data, list) else [page.data]
    includes = page.includes or _Includes()
    users = {u.id: u.username for u in includes.users}
    included = {t.id: t for t in includes.tweets if t.id is not None}
    blocks = [_typed_block(tweets, users, included, location, "data")]
    in_data = {t.id for t in tweets}
    extra = [t for i, t in included.items() if i not in in_data]
    if extra:
        blocks.append(_typed_block(extra, users, included, location, "includes.tweets"))
    return blocks


def _typed_block(tweets: list[_Tweet], users, included, location, path) -> Block:
    rows = []
    for t in tweets:
        parent = retweeted = quoted = None
        for ref in t.referenced_tweets:
            if ref.type == "replied_to":
                parent = ref.id
            elif ref.type == "retweeted":
                retweeted = ref.id
            elif ref.type == "quoted":
                quoted = ref.id
        text = t.text
        if retweeted is not None and retweeted in included and text and text.startswith("RT @"):
            original = included[retweeted]
            full = (
                original.note_tweet.text
                if original.note_tweet and original.note_tweet.text
                else original.text
            )
            text = f"RT @{text[4:].split(':', 1)[0]}: {full or ''}"
        elif t.note_tweet is not None and t.note_tweet.text:
            text = t.note_tweet.text
        m = t.public_metrics
        if m is not None:
            likes, replies = m.like_count, m.reply_count
            shares = m.retweet_count
            if shares is not None and m.quote_count is not None:
                shares += m.quote_count
        else:
            likes = shares = replies = None
        history = t.edit_history_tweet_ids
        rows.append(
            (
                "twitter",
                t.id,
                t.author_id,
                users.get(t.author_id),
                t.created_at,
                text,
                t.conversation_id,
                parent,
                t.in_reply_to_user_id,
                retweeted,
                quoted,
                t.lang,
                likes,
                shares,
                replies,
                [x.username for x in t.entities.mentions] if t.entities is not None else [],
                history[-1] if len(history) > 1 and history[-1] != t.id else None,
            )
        )
    locations = [f"{location}, {path}[{i}]" for i in range(len(rows))]
    return Block(dict(zip(FIELDS, map(list, zip(*rows, strict=True)), strict=True)), locations)
