"""Twitter API v1.1 status objects, as twarc 1, DMI-TCAT and older archives hold them.

Reads one status per line (JSONL, e.g. ``twarc search`` / ``twarc timeline``),
a JSON list of statuses (``statuses/user_timeline``, ``mentions_timeline``), a
standard search response (``{"statuses": [...], "search_metadata": ...}``) and
a premium / enterprise search response (``{"results": [...], "next",
"requestParameters"}``), one per line or as one document.

Fields: the id is ``id_str`` (the numeric ``id`` only when ``id_str`` is
absent: JavaScript tools round it); ``created_at`` in the legacy form ("Wed Oct
10 20:19:24 +0000 2018"); the text is the full text — ``extended_tweet.full_text``
(compatibility mode) or ``full_text`` (``tweet_mode=extended``) over the
truncated ``text``; a retweet's text is "RT @<original author>: " followed by
the original's full text. ``in_reply_to_status_id_str`` is the parent and
``in_reply_to_user_id_str`` the author replied to; v1.1 has no conversation id,
so ``thread_id`` stays empty (the threads stage rebuilds threads from parents).
``retweeted_status`` and ``quoted_status`` (or ``quoted_status_id_str``) give
``retweeted_id`` and ``quoted_id``; the embedded statuses are messages of the
archive too and are yielded as well (the merge keeps one copy) — except an
embedded status without a ``user`` object (the API sent a quoted status inside
a retweet that way in 2016): with no author it is a reference only. Mentions come
from ``entities.user_mentions`` (``extended_tweet.entities`` when present; a
retweet adds the original's). Counts: ``favorite_count`` → likes,
``retweet_count`` + ``quote_count`` → shares, ``reply_count`` where present
(as the API reports them: a retweet carries the original's ``retweet_count``).
Streaming notices (``delete``, ``limit``, ``scrub_geo``, ``status_withheld`` …)
are not messages and are skipped, like a search page without results.

Source options: none.

Documented at developer.x.com (Twitter API v1.1 docs): "Tweet object", "User
object", "Entities", "Extended Tweets", "Retweets" (retweeted_status),
"Quote Tweets", "Standard search API" (GET search/tweets), "Premium search
APIs" (results / next / requestParameters) and "Streaming message types".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from engbench.ingest.records import Bad, ParseContext
from engbench.ingest.timestamps import parse_timestamp

READER = "json"

LEGACY_DATE = re.compile(r"^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} [+-]\d{4} \d{4}$")
# Streaming API messages that are not statuses ("Streaming message types").
NOTICES = frozenset(
    (
        "delete",
        "limit",
        "scrub_geo",
        "status_withheld",
        "user_withheld",
        "disconnect",
        "warning",
        "friends",
        "friends_str",
        "event",
        "control",
    )
)
MAX_DEPTH = 3  # a status embeds a retweeted status, which may embed a quoted one


def sniff(record: Any) -> bool:
    if isinstance(record, dict):
        for key in ("statuses", "results"):
            if isinstance(record.get(key), list):
                return bool(record[key]) and _is_status(record[key][0])
        return _is_status(record)
    if isinstance(record, list) and record:
        return _is_status(record[0])
    return False


def _is_status(obj: Any) -> bool:
    return (
        isinstance(obj, dict)
        and "id_str" in obj
        and is_legacy_date(obj.get("created_at"))
        and isinstance(obj.get("user"), dict)
    )


def is_legacy_date(value: Any) -> bool:
    return isinstance(value, str) and LEGACY_DATE.match(value.strip()) is not None


def parse(record: Any, location: str, context: ParseContext) -> Iterator[dict | Bad]:
    if isinstance(record, list):
        statuses, path = record, location
    elif isinstance(record, dict):
        if (
            "data" in record
            or "edit_history_tweet_ids" in record
            or ("author_id" in record and "user" not in record)
        ):
            yield Bad(
                location,
                "this line is an X API v2 response or tweet (data, author_id, "
                "edit_history_tweet_ids) in a Twitter API v1.1 file: give v2 files their own "
                "source with `format: x_api_v2`, or split this file",
                None,
                _snippet(record.get("id") or record.get("data"))[:100],
            )
            return
        key = next((k for k in ("statuses", "results") if k in record), None)
        if key is not None:
            statuses, path = record[key], f"{location}, {key}"
            if statuses is None:
                return  # a page without results
            if not isinstance(statuses, list):
                yield Bad(location, f"`{key}` is not a list", key, _snippet(statuses))
                return
        elif "id_str" in record or "id" in record or "created_at" in record:
            yield from _status(record, location, context, 0)
            return
        elif record.keys() & NOTICES:
            return  # a streaming notice (deleted tweet, rate limit …): not a message
        else:
            keys = ", ".join(sorted(str(k) for k in record)[:8])
            yield Bad(location, f"not a v1.1 status or search response (keys: {keys})")
            return
    else:
        yield Bad(location, "expected a JSON object (a v1.1 status or search response)")
        return
    for i, status in enumerate(statuses):
        yield from _status(status, f"{path}[{i}]", context, 0)


def _status(status: Any, where: str, context: ParseContext, depth: int) -> Iterator[dict | Bad]:
    if not isinstance(status, dict):
        yield Bad(where, "expected a status object", None, _snippet(status))
        return
    try:
        yield _message(status, where, context)
    except (ValueError, TypeError, AttributeError, KeyError, OverflowError) as error:
        yield Bad(where, f"unreadable status: {error}", None, _snippet(status.get("id_str")))
    if depth >= MAX_DEPTH:
        return
    for key in ("retweeted_status", "quoted_status"):
        embedded = status.get(key)
        if isinstance(embedded, dict) and not isinstance(embedded.get("user"), dict):
            continue  # an embed without its author (quoted in a retweet, 2016): a reference only
        if embedded is not None:
            yield from _status(embedded, f"{where}.{key}", context, depth + 1)


def _message(status: dict, where: str, context: ParseContext) -> dict | Bad:
    message_id, problem = ident(status, "id_str", "id")
    if problem:
        return Bad(where, problem, "id_str", _snippet(status.get("id")))
    created = status.get("created_at")
    try:
        created_at = parse_timestamp(created, context.timezone) if created else None
    except (ValueError, TypeError, OverflowError, OSError) as error:
        return Bad(where, f"created_at: {error}", "created_at", _snippet(created))
    user = status.get("user") if isinstance(status.get("user"), dict) else {}
    author_id, _ = ident(user, "id_str", "id")
    text = full_text(status)
    mentions = mention_handles(status)
    retweeted = status.get("retweeted_status")
    retweeted_id = None
    if isinstance(retweeted, dict):
        retweeted_id, _ = ident(retweeted, "id_str", "id")
        original_user = retweeted.get("user") if isinstance(retweeted.get("user"), dict) else {}
        handle = _str(original_user.get("screen_name"))
        if handle is None and isinstance(text, str) and text.startswith("RT @"):
            handle = text[4:].split(":", 1)[0]  # trimmed user: the handle is in the own text
        original_text = full_text(retweeted)
        if handle and original_text is not None:
            text = f"RT @{handle}: {original_text}"
        mentions = _unique([*mentions, handle, *mention_handles(retweeted)])
    quoted = status.get("quoted_status")
    quoted_id, _ = ident(status, "quoted_status_id_str", "quoted_status_id")
    if quoted_id is None and isinstance(quoted, dict):
        quoted_id, _ = ident(quoted, "id_str", "id")
    parent_id, _ = ident(status, "in_reply_to_status_id_str", "in_reply_to_status_id")
    reply_to, _ = ident(status, "in_reply_to_user_id_str", "in_reply_to_user_id")
    return {
        "_location": where,
        "platform": "twitter",
        "message_id": message_id,
        "author_id": author_id,
        "author_handle": _str(user.get("screen_name")),
        "created_at": created_at,
        "text": text,
        "thread_id": None,
        "parent_id": parent_id,
        "in_reply_to_author_id": reply_to,
        "retweeted_id": retweeted_id,
        "quoted_id": quoted_id,
        "lang": _str(status.get("lang")),
        "like_count": count(status.get("favorite_count")),
        "share_count": count_sum(status.get("retweet_count"), status.get("quote_count")),
        "reply_count": count(status.get("reply_count")),
        "mentions": [m for m in mentions if m],
    }


# Helpers shared with x_archive (the account archive holds v1.1-like statuses).


def ident(obj: dict, str_key: str, int_key: str) -> tuple[str | None, str | None]:
    """An id as a string: ``<x>_str`` over the numeric field; (id, problem)."""
    value = obj.get(str_key)
    if isinstance(value, str) and value.strip():
        return value.strip(), None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value), None
    number = obj.get(int_key)
    if isinstance(number, int) and not isinstance(number, bool):
        return str(number), None
    if isinstance(number, str) and number.strip().isdigit():
        return number.strip(), None
    if isinstance(number, float):
        return None, f"`{int_key}` is a floating-point number (digits lost), `{str_key}` missing"
    return None, None


def full_text(status: dict) -> str | None:
    extended = status.get("extended_tweet")
    if isinstance(extended, dict) and isinstance(extended.get("full_text"), str):
        return extended["full_text"]
    if isinstance(status.get("full_text"), str):
        return status["full_text"]
    text = status.get("text")
    return text if isinstance(text, str) else None


def mention_handles(status: dict) -> list[str]:
    extended = status.get("extended_tweet")
    entities = extended.get("entities") if isinstance(extended, dict) else None
    if not isinstance(entities, dict):
        entities = status.get("entities")
    mentions = entities.get("user_mentions") if isinstance(entities, dict) else None
    if not isinstance(mentions, list):
        return []
    return _unique([_str(m.get("screen_name")) for m in mentions if isinstance(m, dict)])


def count(value: Any) -> Any:
    """A count as an int (the archive writes counts as strings); a value that is not a count
    is passed on as it is, for the canonical checks to quarantine the record, naming it."""
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return value


def count_sum(*values: Any) -> Any:
    counts = [count(v) for v in values]
    if any(
        c is not None and (isinstance(c, bool) or not isinstance(c, int) or c < 0) for c in counts
    ):
        return next(c for c in counts if c is not None and not (type(c) is int and c >= 0))
    present = [c for c in counts if c is not None]
    return sum(present) if present else None


def _str(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _unique(values: list) -> list:
    return [v for i, v in enumerate(values) if v and v not in values[:i]]


def _snippet(value: Any) -> str:
    return repr(value)[:300]
