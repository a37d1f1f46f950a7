"""What a format parser yields, and the canonical message table it maps to.

A parser turns one raw record into a ``dict`` of *raw fields* (below) or a
``Bad`` record. ``canonical.finalise`` then pseudonymises, attributes the
message to organisations and checks the required fields, giving one row of the
canonical message table (``MESSAGE_SCHEMA``).

Raw fields a parser may fill (all optional except the first four):

    platform, message_id, author_id, created_at (tz-aware datetime)
    text, thread_id, parent_id, lang, like_count, share_count, reply_count,
    author_handle        the author's username, to recognise organisation accounts
                         (dropped: consumers' usernames are never kept)
    in_reply_to_author_id, retweeted_id, quoted_id,
    mentions             list of mentioned usernames (dropped after attribution)
    page_id              the page/account whose timeline the message is on (Facebook)
    latest_version_id    for an edited tweet: the id of its newest version
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

PLATFORMS = ("twitter", "facebook", "instagram", "bluesky", "mastodon")

# The canonical message table (docs/design.md) plus the attribution fields that the
# threads stage needs. Names may grow, never change meaning.
MESSAGE_SCHEMA = pa.schema(
    [
        pa.field("platform", pa.string(), nullable=False),
        pa.field("message_id", pa.string(), nullable=False),
        pa.field("thread_id", pa.string()),
        pa.field("parent_id", pa.string()),
        pa.field("author_id", pa.string(), nullable=False),
        pa.field("org_id", pa.string()),
        pa.field("is_org", pa.bool_(), nullable=False),
        pa.field("created_at", pa.timestamp("us", tz="UTC"), nullable=False),
        pa.field("text", pa.string()),
        pa.field("lang", pa.string()),
        pa.field("like_count", pa.int64()),
        pa.field("share_count", pa.int64()),
        pa.field("reply_count", pa.int64()),
        pa.field("in_reply_to_author_id", pa.string()),
        pa.field("retweeted_id", pa.string()),
        pa.field("quoted_id", pa.string()),
        pa.field("addressed_org_ids", pa.list_(pa.string())),
        pa.field("source_format", pa.string(), nullable=False),
        pa.field("source_file", pa.string(), nullable=False),
    ]
)
COLUMNS = MESSAGE_SCHEMA.names
# Kept in the per-file tables for the merge step only.
FILE_SCHEMA = MESSAGE_SCHEMA.append(pa.field("latest_version_id", pa.string()))


@dataclass(frozen=True)
class Bad:
    """A record that could not be used: where it is, what is wrong, and a raw snippet.

    The snippet may name a consumer: it goes to the quarantine file (in the edition's
    private folder) only; ``reason`` reaches the shareable summary, so it never quotes a
    value of a field in ``privacy.PERSONAL_RAW_FIELDS``.

    ``messages``: how many messages it held, as far as can be told (a damaged response
    page: the tweets known to be lost; at least 1). Accounting and the quarantine limit
    count messages.
    """

    location: str
    reason: str
    field: str | None = None
    snippet: str = ""
    messages: int = 1

    def as_dict(self, source_file: str) -> dict[str, Any]:
        return {
            "source_file": source_file,
            "location": self.location,
            "field": self.field,
            "reason": self.reason,
            "messages": self.messages,
            "snippet": self.snippet[:500],
        }


@dataclass
class ParseContext:
    """What a parser may need beyond the record itself.

    ``options`` are the source's settings from the config (``account``,
    ``columns``, ``platform``, ``timezone`` …); ``timezone`` applies to
    timestamps without one.
    """

    source_file: str
    options: dict[str, Any] = field(default_factory=dict)
    timezone: str = "UTC"


@dataclass
class Block:
    """Many messages at once, as columns of raw fields (a fast path for large formats).

    ``columns`` maps raw field names to equal-length lists; ``locations`` gives
    each message's location.
    """

    columns: dict[str, list]
    locations: list[str]


class IngestError(ValueError):
    """A file cannot be ingested; the message names the file, the place and the field."""
