"""4CAT CSV exports: one row per item, as 4CAT's "Download csv" writes a dataset.

4CAT (the Digital Methods Initiative's Capture and Analysis Toolkit,
github.com/digitalmethodsinitiative/4cat) flattens every item of a dataset with
its data source's ``map_item``; the CSV holds those columns. What this parser
relies on, by data source (source code of 4CAT, ``datasources/*/``):

- every data source: ``id``, ``author`` (a username), ``body``, and ``timestamp``
  (custom upload, ``datasources/custom/upload_csv.py``, documents the minimum
  ``id, thread_id, author, body, subject, timestamp`` with ``timestamp`` as
  ``YYYY-mm-dd HH:MM:SS``); most also ``thread_id`` and ``unix_timestamp``.
- X/Twitter (``twitterv2/search_twitter.py``, ``twitter-import/search_twitter.py``):
  ``thread_id`` = conversation id, ``author_id``, ``author_fullname``,
  ``language_guess``, ``retweet_count``, ``reply_count``, ``like_count``,
  ``quote_count``, ``mentions`` (comma-separated usernames), ``replied_user`` (a
  username). No column holds the id of the tweet replied to, so parent_id is
  None for these exports; the thread (conversation) is kept.
- DMI-TCAT bins through 4CAT (``dmi-tcatv2/search_tcat_v2.py``):
  ``in_reply_to_status_id`` (parent), ``reply_to_id`` (replied-to user id),
  ``reply_to`` (a username). Note that 4CAT sets TCAT's ``thread_id`` to the
  parent, not the conversation root; it is kept as written.
- Instagram via instaloader (``instagram/search_instagram.py``): ``parent_id``
  (a post's own id for posts, the comment for replies), ``timestamp`` as epoch
  seconds, ``num_likes``, ``num_comments``, ``mentioned``.
- Bluesky (``bsky/search_bsky.py``): ``id`` and ``thread_id`` are at:// URIs,
  ``author_id`` the DID, ``timestamp`` epoch seconds (a float), ``created_at``
  ISO 8601, ``repost_count``, ``quote_count``; ``replied_to_post`` is a web link,
  not an id, so parent_id stays None.
- Facebook via Zeeschuimer (``facebook/search_facebook.py``): no ``thread_id``
  and no ``author_id``: a post is its own thread and ``author`` is the id.

Read as: message_id ``id``; thread_id ``thread_id`` (a root has thread_id ==
id; missing → the id); parent_id the first non-empty of ``in_reply_to_status_id``,
``in_reply_to_tweet_id``, ``in_reply_to_id``, ``parent_id`` that differs from
the id; author_id ``author_id`` else ``author``; author_handle ``author``;
created_at ``unix_timestamp`` when present (4CAT's ``timestamp`` strings were
formatted on the server and one version of the custom upload wrote minutes as
the hour, ``%H:%I:%S``), else ``timestamp`` (a string without zone is UTC, as
4CAT writes it; or epoch seconds), else ``created_at``. Usernames in
``mentions``, ``mentioned``, ``replied_user``, ``reply_to`` and
``replied_to_user`` are used only to recognise organisations (dropped after).

Source options: ``platform`` (required: 4CAT exports do not say which platform
the items come from; one of ``records.PLATFORMS``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from engbench.ingest.reading import csv_header, head
from engbench.ingest.records import PLATFORMS, Bad, IngestError, ParseContext
from engbench.ingest.timestamps import parse_timestamp

READER = "csv"

SNIFF_COLUMNS = frozenset({"id", "thread_id", "author", "body", "timestamp"})
PARENT_COLUMNS = ("in_reply_to_status_id", "in_reply_to_tweet_id", "in_reply_to_id", "parent_id")
REPLY_TO_USER_ID = ("reply_to_id", "in_reply_to_user_id")
USERNAME_COLUMNS = ("mentions", "mentioned", "replied_user", "reply_to", "replied_to_user")
TIME_COLUMNS = ("unix_timestamp", "timestamp", "created_at")
LIKES = ("like_count", "num_likes", "likes")
REPLIES = ("reply_count", "num_comments", "num_replies")
SHARES = ("retweet_count", "repost_count", "quote_count")
LANG = ("language_guess", "lang", "language", "languages")


def sniff(record: Any) -> bool:
    return False


def sniff_header(columns: list[str]) -> bool:
    return {str(c).strip() for c in columns} >= SNIFF_COLUMNS


def check_file(path: str | Path, context: ParseContext) -> None:
    platform = context.options.get("platform")
    if platform not in PLATFORMS:
        found = f" (found {platform!r})" if platform is not None else ""
        raise IngestError(
            f"{path}: a 4CAT export does not say which platform its items come from; set "
            f"`platform:` for this source to one of {', '.join(PLATFORMS)}{found}."
        )
    if not head(path, 4096).lstrip(b"\xef\xbb\xbf \t\r\n"):
        return  # empty: nothing to check, ingest reports it as empty
    columns = set(csv_header(path))
    missing = [c for c in ("id", "author", "body") if c not in columns]
    if not columns & set(TIME_COLUMNS):
        missing.append("timestamp (or unix_timestamp)")
    if missing:
        raise IngestError(
            f"{path}: not a 4CAT export: column(s) {', '.join(missing)} missing; the file has "
            f"{', '.join(sorted(columns)) or 'no columns'}. For another tool's CSV use "
            "`format: mapped_table` with a `columns:` mapping."
        )


def parse(record: Any, location: str, context: ParseContext) -> Iterator[dict | Bad]:
    if not isinstance(record, dict):
        yield Bad(location, "expected a CSV row")
        return
    row = {str(k).strip(): _clean(v) for k, v in record.items() if k is not None}
    message_id = _id(row.get("id"))
    if message_id is None:
        yield Bad(location, "column id is empty", "id", _snippet(row))
        return
    try:
        created, column = _created(row)
    except (ValueError, TypeError, OverflowError, OSError) as error:
        column = next((c for c in TIME_COLUMNS if row.get(c)), "timestamp")
        yield Bad(location, f"column {column}: {error}", column, str(row.get(column))[:100])
        return
    if created is None:
        yield Bad(location, "no timestamp (columns unix_timestamp, timestamp)", "timestamp")
        return
    parent = next((_id(row.get(c)) for c in PARENT_COLUMNS if _id(row.get(c))), None)
    mentions = []
    for column in USERNAME_COLUMNS:
        mentions.extend(
            u.strip().lstrip("@") for u in (row.get(column) or "").split(",") if u.strip()
        )
    lang = next((row[c] for c in LANG if row.get(c)), None)
    if lang:
        lang = lang.split(",")[0].strip()
        lang = None if lang.upper() in ("N/A", "UND", "UNKNOWN") else lang
    yield {
        "_location": location,
        "platform": context.options.get("platform"),
        "message_id": message_id,
        "thread_id": _id(row.get("thread_id")) or message_id,
        "parent_id": parent if parent != message_id else None,
        "author_id": _id(row.get("author_id")) or row.get("author"),
        "author_handle": row.get("author"),
        "created_at": created,
        "text": row.get("body"),
        "lang": lang,
        "like_count": _first_count(row, LIKES),
        "reply_count": _first_count(row, REPLIES),
        "share_count": _sum_counts(row, SHARES),
        "in_reply_to_author_id": next(
            (_id(row[c]) for c in REPLY_TO_USER_ID if _id(row.get(c))), None
        ),
        "mentions": mentions,
    }


def _clean(value) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _id(value: str | None) -> str | None:
    """An id as text; ``0`` (4CAT's "no reply") is no id, ``123.0`` is ``123``."""
    if not value:
        return None
    if value.endswith(".0") and value[:-2].isdigit():
        value = value[:-2]
    return None if value == "0" else value


def _created(row: dict) -> tuple[dt.datetime | None, str]:
    for column in TIME_COLUMNS:
        value = row.get(column)
        if not value:
            continue
        number = _number(value)
        if number is not None:
            seconds = number / 1000 if number > 1e11 else number
            return dt.datetime.fromtimestamp(seconds, dt.UTC), column
        # 4CAT formats timestamps in UTC without a zone: read them as UTC.
        return parse_timestamp(value, "UTC"), column
    return None, ""


def _number(value: str) -> float | None:
    try:
        number = float(value)
    except ValueError:
        return None
    return number if number == number and abs(number) != float("inf") else None


def _count(value: str | None) -> int | str | None:
    """A count; a value that is not one is passed on for the checks to quarantine the row."""
    if value is None or not value.strip():
        return None
    number = _number(value)
    if number is not None and number >= 0 and float(number).is_integer() and number < 2**63:
        return int(number)
    return value


def _first_count(row: dict, columns: tuple[str, ...]) -> int | str | None:
    return next((_count(row[c]) for c in columns if _count(row.get(c)) is not None), None)


def _sum_counts(row: dict, columns: tuple[str, ...]) -> int | str | None:
    counts = [n for n in (_count(row.get(c)) for c in columns) if n is not None]
    bad = [n for n in counts if isinstance(n, str)]
    if bad:
        return bad[0]
    return sum(counts) if counts else None


def _snippet(row: dict) -> str:
    safe = {k: row.get(k) for k in ("id", "thread_id", "timestamp", "unix_timestamp") if row.get(k)}
    return repr(safe)[:300]
