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

import json
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
    if is_v1_status(record):
        yield Bad(
            location,
            "this line is a Twitter API v1.1 status (id_str, user, created_at "
            f"{record.get('created_at')!r}) in an X API v2 file: give v1.1 files their own "
            "source with `format: twitter_v1`, or split this file",
            "data",
            str(record.get("id_str")),
        )
        return
    data = record.get("data")
    if data is None and "id" in record and "text" in record:  # twarc2 flatten: a bare tweet
        yield from _block([record], {}, {}, location, None)
        return
    if data is None:
        if "meta" in record or "errors" in record:
            return  # a page without results (result_count 0) or only errors: nothing to read
        keys = ", ".join(sorted(str(k) for k in record)[:8])
        yield Bad(location, f"no `data` in the response (keys: {keys})", "data", "")
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


def _shares(retweets, quotes):
    """Retweets + quotes; a value that is not a count is passed on for the checks to name."""
    for value in (retweets, quotes):
        if value is not None and (type(value) is not int or value < 0):
            return value
    if retweets is not None and quotes is not None:
        return retweets + quotes
    return retweets


def is_v1_status(record: dict) -> bool:
    """A Twitter API v1.1 status: ``id_str``, a ``user`` object, a legacy ``created_at``."""
    created = record.get("created_at")
    return (
        "id_str" in record
        and isinstance(record.get("user"), dict)
        and isinstance(created, str)
        and created[:3].isalpha()
    )


def salvage(
    line: bytes, location: str, context: ParseContext, bad: Bad, after_damage: bool = False
) -> Iterator[Block | Bad]:
    """A response line that is not valid JSON: the tweets that can still be read, and one
    ``Bad`` for what cannot (counting the tweets known to be lost, at least one).

    Python's JSON reader is tried first: it takes what orjson refuses but is readable
    (bytes that are not UTF-8 in one text, a number beyond 64 bits); the tweets with such
    values are then quarantined one by one by the checks. Otherwise (a line cut off, or
    damaged in the middle) every complete tweet and user object in the line is read.
    """
    text = line.decode("utf-8", "surrogateescape")
    try:
        page = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        page = None
    if isinstance(page, dict):
        yield from parse(page, location, context)
        return
    # A line that starts inside an object, right after a damaged line, continues the tweet
    # cut there: that tweet is counted once, with the line before.
    continues = after_damage and not text.lstrip().startswith("{")
    tweets, users, lost, damage, cut = _recover(text, continues)
    if not tweets:
        if continues and not cut:
            yield Bad(
                location,
                "this line holds only the end of the page cut on the line before (the rest "
                f"of the tweet cut there, counted there; includes, meta) ({bad.reason})",
                None,
                text[:200],
                messages=0,
            )
        else:
            yield bad
        return
    page = {"data": tweets, "includes": {"users": users}}
    yield from parse(page, f"{location}, recovered", context)
    yield Bad(
        location,
        f"line {'cut off' if cut else 'damaged'} at character {damage:,}: {len(tweets)} complete "
        "tweets read from it; "
        + (
            "it continues the tweet cut at the end of the line before (counted there); "
            if continues
            else ""
        )
        + (
            "the tweet at the cut and the rest of the page (its includes and meta) are lost"
            if cut
            else f"{lost} tweet(s) at the damage could not be read"
            if lost
            else "nothing else is lost"
        )
        + f" ({bad.reason})",
        None,
        text[max(0, damage - 100) : damage + 100].encode("utf-8", "replace").decode("utf-8"),
        messages=lost,
    )


TWEET_MARK = '"edit_history_tweet_ids"'


def _recover(text: str, continues: bool = False) -> tuple[list[dict], list[dict], int, int, bool]:
    """Complete tweet and user objects in a damaged line; the tweets known to be lost (tweet
    markers outside what was read, at least 1; for a line that ``continues`` one cut before
    it, its head is not counted); where the first damage is; whether the line ends inside an
    object (cut off)."""
    decoder = json.JSONDecoder()
    tweets: list[dict] = []
    users: list[dict] = []
    unread: list[str] = []  # the text between objects that held tweets or users
    damage = None
    done = 0  # end of the last object holding tweets or users
    last = 0  # end of the last object read at all (tweets, users, or structure: meta …)
    i = text.find("{")
    while i != -1:
        try:
            obj, end = decoder.raw_decode(text, i)
        except (json.JSONDecodeError, RecursionError):
            if damage is None and i > 0:  # at 0: the page itself, which is what is damaged
                damage = i
            i = text.find("{", i + 1)
            continue
        before = len(tweets) + len(users)
        _collect(obj, tweets, users)
        if len(tweets) + len(users) > before:
            unread.append(text[done:i])
            done = end
        last = end
        i = text.find("{", end)
    unread.append(text[done:])
    cut = bool(text[last:].strip(" ,]}\r\n\t")) or not text.rstrip().endswith("}")
    marks = [part.count(TWEET_MARK) for part in unread]
    tail = max(marks[-1], 1 if cut else 0) if len(marks) > 1 else 0
    head = 0 if continues else marks[0]  # a continued tweet is counted with the line before
    lost = head + sum(marks[1:-1]) + tail
    if not continues:
        lost = max(1, lost)
    return tweets, users, lost, last if damage is None else damage, cut


def _collect(obj, tweets: list, users: list, depth: int = 0) -> None:
    if isinstance(obj, dict):
        if (
            isinstance(obj.get("id"), str)
            and "text" in obj
            and ("author_id" in obj or "created_at" in obj or "edit_history_tweet_ids" in obj)
        ):
            tweets.append(obj)
        elif isinstance(obj.get("id"), str) and "username" in obj:
            users.append(obj)
        elif depth < 3:
            for value in obj.values():
                _collect(value, tweets, users, depth + 1)
    elif isinstance(obj, list) and depth < 3:
        for value in obj:
            _collect(value, tweets, users, depth + 1)


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
    shares = _shares(metrics.get("retweet_count"), metrics.get("quote_count"))
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
    except (msgspec.DecodeError, msgspec.ValidationError, UnicodeDecodeError):
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
            shares = _shares(m.retweet_count, m.quote_count)
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
