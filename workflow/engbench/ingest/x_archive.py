"""X / Twitter account archive: the tweets an organisation downloads of its own account.

Reads the archive's tweet files — ``data/tweets.js``, ``tweets-part1.js`` …,
the older ``tweet.js`` and ``deleted-tweets.js`` — each a JavaScript assignment
``window.YTD.tweets.part0 = [ {"tweet": {...}}, ... ]`` (``reading.iter_json``
streams the array's elements). Each element wraps one status in ``tweet``;
older generations hold the status object directly. The status is v1.1-like
(see ``twitter_v1``) with three differences: counts and indices are strings,
there is no ``user`` object (every tweet is the archive owner's), and the text
is ``full_text``. Replies give ``in_reply_to_status_id_str`` (parent) and
``in_reply_to_user_id_str``; mentions come from ``entities.user_mentions``.
Newer exports carry ``edit_info`` (``initial.editTweetIds`` on a first version,
``edit.editControlInitial.editTweetIds`` on a later one): when the last id of
that list is another tweet, it is ``latest_version_id``. Tweets in
``deleted-tweets.js`` (with ``deleted_at``) were posted all the same and are
read like the others. The archive keeps retweets only as their own "RT @x: …"
text (often cut at 140 characters), with no id of the original, and quote
tweets only as a link: ``retweeted_id`` and ``quoted_id`` stay empty.
Elements of the archive's other files (``like``, ``account``,
``direct_messages`` …) are not tweets and are quarantined with that reason.

Source options:
    account_id       required: the archive owner's numeric account id (the
                     ``accountId`` in the archive's ``data/account.js``); every
                     tweet's author.
    account_handle   optional: the owner's username, to recognise the account
                     on the organisations sheet by handle as well as by id.

Documented by X: Help Center "How to download your X archive" and the
archive's own ``README.txt`` ("tweets.js", "deleted-tweets.js": the tweet
fields), which refer to the Twitter API v1.1 "Tweet object" for the fields.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from engbench.ingest.records import Bad, IngestError, ParseContext
from engbench.ingest.timestamps import parse_timestamp
from engbench.ingest.twitter_v1 import (
    count,
    count_sum,
    full_text,
    ident,
    is_legacy_date,
    mention_handles,
)

READER = "json"


def sniff(record: Any) -> bool:
    """An archive element ``{"tweet": {...}}``, or a bare archive status (string counts)."""
    if isinstance(record, list):
        return bool(record) and sniff(record[0])
    if not isinstance(record, dict):
        return False
    status = record.get("tweet")
    if isinstance(status, dict) and len(record) == 1:
        return "id_str" in status and is_legacy_date(status.get("created_at"))
    return (
        "user" not in record
        and "id_str" in record
        and "full_text" in record
        and is_legacy_date(record.get("created_at"))
        and isinstance(record.get("favorite_count", record.get("retweet_count")), str)
    )


def check_file(path: str | Path, context: ParseContext) -> None:
    account = context.options.get("account_id")
    if account is None or not str(account).strip():
        raise IngestError(
            f"{path}: X archives carry no author; set `account_id:` (the account's numeric id) "
            "on this source (it is the `accountId` in the archive's data/account.js)"
        )
    if isinstance(account, bool) or not str(account).strip().isdigit():
        raise IngestError(
            f"{path}: `account_id: {account}` is not a numeric account id; set `account_id:` to "
            "the account's numeric id (the `accountId` in the archive's data/account.js) and "
            "the username, if wanted, as `account_handle:`"
        )


def parse(record: Any, location: str, context: ParseContext) -> Iterator[dict | Bad]:
    if not isinstance(record, dict):
        yield Bad(
            location, 'expected an archive element {"tweet": {...}}', None, repr(record)[:300]
        )
        return
    status = record.get("tweet", record)
    if not isinstance(status, dict):
        yield Bad(location, "`tweet` is not an object", "tweet", repr(status)[:300])
        return
    if "tweet" not in record and "id_str" not in record and "id" not in record:
        keys = ", ".join(sorted(str(k) for k in record)[:5])
        yield Bad(
            location,
            f"an archive element holding `{keys}`, not a tweet: only data/tweets.js (tweet.js, "
            "tweets-partN.js) and deleted-tweets.js hold tweets",
        )
        return
    try:
        yield _message(status, location, context)
    except (ValueError, TypeError, AttributeError, KeyError, OverflowError) as error:
        yield Bad(location, f"unreadable tweet: {error}", None, repr(status.get("id_str"))[:300])


def _message(status: dict, where: str, context: ParseContext) -> dict | Bad:
    account = context.options.get("account_id")
    if account is None or isinstance(account, bool) or not str(account).strip():
        return Bad(
            where,
            "X archives carry no author; set `account_id:` (the account's numeric id) "
            "on this source",
            "author_id",
        )
    message_id, problem = ident(status, "id_str", "id")
    if problem:
        return Bad(where, problem, "id_str", repr(status.get("id"))[:300])
    created = status.get("created_at")
    try:
        created_at = parse_timestamp(created, context.timezone) if created else None
    except (ValueError, TypeError, OverflowError, OSError) as error:
        return Bad(where, f"created_at: {error}", "created_at", repr(created)[:300])
    handle = context.options.get("account_handle")
    if handle is not None:
        handle = str(handle).strip().lstrip("@") or None
    parent_id, _ = ident(status, "in_reply_to_status_id_str", "in_reply_to_status_id")
    reply_to, _ = ident(status, "in_reply_to_user_id_str", "in_reply_to_user_id")
    latest = _latest_version(status.get("edit_info"))
    return {
        "_location": where,
        "platform": "twitter",
        "message_id": message_id,
        "author_id": str(account).strip(),
        "author_handle": handle,
        "created_at": created_at,
        "text": full_text(status),
        "thread_id": None,
        "parent_id": parent_id,
        "in_reply_to_author_id": reply_to,
        "lang": status.get("lang") if isinstance(status.get("lang"), str) else None,
        "like_count": count(status.get("favorite_count")),
        "share_count": count_sum(status.get("retweet_count"), status.get("quote_count")),
        "reply_count": count(status.get("reply_count")),
        "mentions": mention_handles(status),
        "latest_version_id": latest if latest != message_id else None,
    }


def _latest_version(edit_info: Any) -> str | None:
    """The last of ``editTweetIds`` (``initial`` on a first version, ``edit`` on later ones)."""
    if not isinstance(edit_info, dict):
        return None
    control = edit_info.get("initial")
    if not isinstance(control, dict):
        edit = edit_info.get("edit")
        control = edit.get("editControlInitial") if isinstance(edit, dict) else None
    ids = control.get("editTweetIds") if isinstance(control, dict) else None
    if not isinstance(ids, list) or not ids:
        return None
    last = ids[-1]
    if isinstance(last, int) and not isinstance(last, bool):
        return str(last)
    if isinstance(last, str) and last.strip():
        return last.strip()
    return None
