"""Mastodon REST API statuses: timelines, account statuses, reply trees, search results.

Reads, one per line, as one document or as a top-level array: single Status entities;
lists of statuses (a page of ``/api/v1/accounts/:id/statuses`` or of a timeline);
``/api/v1/statuses/:id/context`` responses ``{"ancestors": […], "descendants": […]}``; and
``/api/v2/search`` responses (their ``statuses``).

Fields. ``text`` is ``content`` (or, for a deleted status, its plain ``text`` source) turned
from HTML into plain text with the standard library's html.parser: paragraphs become
blank-line separated, ``<br>`` a line break, entities are unescaped, and links keep their
whole text (Mastodon hides the ``https://`` and the end of long links in "invisible" spans;
they are kept). A content warning (``spoiler_text``) is part of what the author wrote and
comes first, followed by a blank line. A reblog (a status whose ``reblog`` is a status) is a
message by the reblogging account, like a retweet: ``retweeted_id`` is the reblogged status
and ``text`` "RT @<acct>: " + the reblogged status's text; the reblogged status (and a
quoted status, Mastodon 4.4+ ``quote.quoted_status``) is yielded as a message too.
``parent_id`` is ``in_reply_to_id``; ``mentions`` holds each mention's ``acct`` and full
address; ``like_count`` = favourites_count, ``share_count`` = reblogs_count, ``reply_count``
= replies_count, ``lang`` = language; ``edited_at`` is ignored (a status keeps its id when
edited).

Ids. Status ids are strings that the serving instance assigns (the same status has another
id on another instance), and ``in_reply_to_id`` is an id of the same instance, so
``message_id`` is the status ``id`` as served: parent links within a collection hold. The
``uri`` would be unique everywhere but holds the author's username
(``https://host/users/<name>/statuses/<id>``) and replies do not refer to it. With the
source option ``instance`` the ids become ``<instance>:<id>``: set it on every Mastodon
source (or none) when an edition mixes collections fetched from several instances.

Authors. Account ids are per instance too (and small on old instances: "1" on two servers
are two people), so ``author_id`` is the account's address ``username@domain`` (domain in
lower case), the same whichever instance served it: ``acct`` for remote accounts, ``acct`` +
"@" + the host of the account's ``url`` (or the ``instance`` option) for local ones. The
organisations sheet gives a Mastodon account's ``account_id`` in this form
(``Acme@mastodon.social``, as the profile shows it, without the leading "@"). The address
holds the username, but like every author id it reaches the store only as a pseudonym
(organisations' as they are). ``author_handle`` is ``acct``. ``in_reply_to_author_id`` is
the address of the account ``in_reply_to_account_id`` names, found among the status's
author, its mentions (Mastodon mentions the replied-to account) and the accounts of the same
response; when it is none of them it is left empty.

Threads. The API has no thread id. A status that is not a reply is its own thread. In a
context response every status belongs to the thread of the top of the chain: the first
ancestor (or, when that is itself a reply to a status the response lacks, the id it
replies to); with no ancestors, the requested status, which the response does not
contain but which the first descendant replies to. Other replies get no thread id; the
threads stage rebuilds it. A reply to a deleted status (``in_reply_to_id`` empty but
``in_reply_to_account_id`` set) has no parent and no thread.

Source options: ``instance`` (domain of the server the statuses were fetched from, e.g.
``mastodon.social``; optional; prefixes status ids and completes local accounts' addresses).

Follows the Mastodon API documentation (docs.joinmastodon.org): entities "Status",
"Account", "Status mention", "Context", "Quote"; methods "statuses" (context) and
"accounts" (statuses), "search".
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

from engbench.ingest.records import Bad, ParseContext
from engbench.ingest.timestamps import parse_timestamp

READER = "json"
MAX_COUNT = 2**63 - 1


# --- recognising the shapes -------------------------------------------------------------


def _is_status(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and "id" in value
        and isinstance(value.get("account"), dict)
        and "created_at" in value
        and ("content" in value or "reblog" in value)
    )


def sniff(record: Any) -> bool:
    if isinstance(record, list):
        return bool(record) and _is_status(record[0])
    if not isinstance(record, dict):
        return False
    if isinstance(record.get("ancestors"), list) and isinstance(record.get("descendants"), list):
        return True
    statuses = record.get("statuses")
    if isinstance(statuses, list) and isinstance(record.get("accounts"), list):
        return not statuses or _is_status(statuses[0])
    return _is_status(record)


# --- parsing ------------------------------------------------------------------------------


def parse(record: Any, location: str, context: ParseContext) -> Iterator[dict | Bad]:
    instance = _instance(context.options.get("instance"))
    if isinstance(record, list):
        group = [(f"{location}[{i}]", s) for i, s in enumerate(record)]
        yield from _Group(group, instance, context).messages()
    elif isinstance(record, dict) and ("ancestors" in record or "descendants" in record):
        ancestors, descendants = record.get("ancestors"), record.get("descendants")
        if not isinstance(ancestors or [], list) or not isinstance(descendants or [], list):
            yield Bad(location, "`ancestors` and `descendants` must be lists", "descendants")
            return
        group = [(f"{location}, ancestors[{i}]", s) for i, s in enumerate(ancestors or [])]
        group += [(f"{location}, descendants[{i}]", s) for i, s in enumerate(descendants or [])]
        root = _context_root(ancestors or [], descendants or [])
        yield from _Group(group, instance, context, thread_root=root).messages()
    elif isinstance(record, dict) and isinstance(record.get("statuses"), list):
        group = [(f"{location}, statuses[{i}]", s) for i, s in enumerate(record["statuses"])]
        yield from _Group(group, instance, context).messages()
    elif isinstance(record, dict) and (
        "account" in record or "content" in record or "reblog" in record
    ):
        yield from _Group([(location, record)], instance, context).messages()
    else:
        yield Bad(location, "not a Mastodon status, list of statuses, context or search response")


def _context_root(ancestors: list, descendants: list) -> str | None:
    """The thread root of a context response (see the module docstring)."""
    if ancestors:
        top = ancestors[0]
        if not isinstance(top, dict):
            return None
        return _raw_id(top.get("in_reply_to_id")) or (
            None if top.get("in_reply_to_account_id") is not None else _raw_id(top.get("id"))
        )
    first = descendants[0] if descendants else None
    return _raw_id(first.get("in_reply_to_id")) if isinstance(first, dict) else None


class _Group:
    """The statuses of one record: a lone status, a page, a context or search response."""

    def __init__(self, group, instance, context: ParseContext, thread_root: str | None = None):
        self.group = group
        self.instance = instance
        self.context = context
        self.thread_root = thread_root
        self.seen: set[str] = set()
        # account id (as served) → address, from every status and mention of the record
        self.addresses: dict[str, str] = {}
        for _, status in group:
            for inner in (status, _inner(status, "reblog"), _quoted_status(status)):
                if isinstance(inner, dict):
                    self._learn(inner)

    def _learn(self, status: dict) -> None:
        account = status.get("account")
        if isinstance(account, dict):
            self._remember(account)
        mentions = status.get("mentions")
        for mention in mentions if isinstance(mentions, list) else []:
            if isinstance(mention, dict):
                self._remember(mention)

    def _remember(self, account: dict) -> None:
        key, address = _raw_id(account.get("id")), self.address(account)
        if key and address:
            self.addresses.setdefault(key, address)

    def address(self, account: dict) -> str | None:
        """``username@domain`` of an Account or Status mention (the domain in lower case)."""
        acct = account.get("acct")
        if not isinstance(acct, str) or not acct.strip("@ "):
            return None
        acct = acct.strip().lstrip("@")
        if "@" in acct:
            username, _, domain = acct.partition("@")
            return f"{username}@{domain.lower()}"
        host = self.instance or _host(account.get("url"))
        return f"{acct}@{host}" if host else acct

    def messages(self) -> Iterator[dict | Bad]:
        for where, status in self.group:
            if not isinstance(status, dict):
                yield Bad(where, "expected a status object")
                continue
            yield from self._once(self.message(status, where, in_thread=True))
            reblog = status.get("reblog")
            if isinstance(reblog, dict):
                yield from self._once(self.message(reblog, f"{where}.reblog"))
            quoted = _quoted_status(status)
            if isinstance(quoted, dict):
                yield from self._once(self.message(quoted, f"{where}.quote.quoted_status"))

    def _once(self, message: dict | Bad) -> Iterator[dict | Bad]:
        if isinstance(message, dict):
            if message["message_id"] in self.seen:
                return
            self.seen.add(message["message_id"])
        yield message

    def _id(self, value: Any) -> str | None:
        raw = _raw_id(value)
        return f"{self.instance}:{raw}" if raw and self.instance else raw

    def message(self, status: dict, where: str, in_thread: bool = False) -> dict | Bad:
        message_id = self._id(status.get("id"))
        if message_id is None:
            return Bad(where, "status without an `id`", "id")
        account = status.get("account")
        if not isinstance(account, dict):
            return Bad(where, "status without an `account` object", "account")
        author = self.address(account)
        if author is None:
            return Bad(where, "status without `account.acct`", "account.acct")
        created = _time(status.get("created_at"), where, self.context)
        if isinstance(created, Bad):
            return created
        reblog = status.get("reblog")
        if reblog is not None and not isinstance(reblog, dict):
            return Bad(where, "`reblog` is neither null nor a status", "reblog")
        text = _status_text(reblog if reblog else status)
        if isinstance(text, Bad):
            return Bad(where, text.reason, text.field)
        if reblog:
            original = reblog.get("account")
            acct = original.get("acct") if isinstance(original, dict) else None
            acct = acct.strip().lstrip("@") if isinstance(acct, str) and acct.strip() else "user"
            text = f"RT @{acct}: {text or ''}"
        parent_id = self._id(status.get("in_reply_to_id"))
        replied_account = _raw_id(status.get("in_reply_to_account_id"))
        if in_thread and self.thread_root is not None:  # a status of a context response
            thread_id = self._id(self.thread_root)
        elif parent_id is None and replied_account is None:
            thread_id = message_id
        else:
            thread_id = None
        quote = _quote_id(status)
        handle = account.get("acct")
        return {
            "_location": where,
            "platform": "mastodon",
            "message_id": message_id,
            "author_id": author,
            "author_handle": handle.strip().lstrip("@") if isinstance(handle, str) else None,
            "created_at": created,
            "text": text,
            "thread_id": thread_id,
            "parent_id": parent_id,
            "in_reply_to_author_id": self._replied_author(status, replied_account),
            "retweeted_id": self._id(reblog.get("id")) if reblog else None,
            "quoted_id": self._id(quote),
            "lang": status.get("language") if isinstance(status.get("language"), str) else None,
            "like_count": _count(status.get("favourites_count")),
            "share_count": _count(status.get("reblogs_count")),
            "reply_count": _count(status.get("replies_count")),
            "mentions": self._mentions(status.get("mentions")),
        }

    def _replied_author(self, status: dict, account_id: str | None) -> str | None:
        if account_id is None:
            return None
        account = status.get("account")
        if isinstance(account, dict) and _raw_id(account.get("id")) == account_id:
            return self.address(account)
        mentions = status.get("mentions")
        for mention in mentions if isinstance(mentions, list) else []:
            if isinstance(mention, dict) and _raw_id(mention.get("id")) == account_id:
                return self.address(mention)
        return self.addresses.get(account_id)

    def _mentions(self, mentions: Any) -> list[str]:
        found: list[str] = []
        for mention in mentions if isinstance(mentions, list) else []:
            if not isinstance(mention, dict):
                continue
            for name in (mention.get("acct"), self.address(mention)):
                name = name.strip().lstrip("@") if isinstance(name, str) else ""
                if name and name not in found:
                    found.append(name)
        return found


# --- text ---------------------------------------------------------------------------------


class _PlainText(HTMLParser):
    """Mastodon's status HTML → plain text, the way Mastodon itself shows it as text."""

    BLOCKS = frozenset(
        ("p", "div", "blockquote", "pre", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6")
    )
    SKIP = frozenset(("script", "style", "template"))

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def _newlines(self, count: int) -> None:
        """End the text so far with ``count`` line breaks (none at the very start)."""
        have = 0
        for part in reversed(self.parts):
            stripped = part.rstrip("\n")
            have += len(part) - len(stripped)
            if stripped:
                break
        else:
            return  # nothing but line breaks so far
        if have < count:
            self.parts.append("\n" * (count - have))

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in self.BLOCKS:
            self._newlines(2)
        elif tag == "li":
            self._newlines(1)

    def handle_startendtag(self, tag, attrs):
        if tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self._newlines(2)
        elif tag == "li":
            self._newlines(1)

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


TAG = re.compile(r"<[^>]*>")


def html_to_text(content: str) -> str:
    """Plain text of Mastodon HTML content (``<p>`` → blank line, ``<br>`` → newline)."""
    if "<" not in content and "&" not in content:
        return content.strip()
    parser = _PlainText()
    try:
        parser.feed(content)
        parser.close()
        text = "".join(parser.parts)
    except Exception:  # html.parser gives up on some broken markup: strip tags instead
        text = html.unescape(TAG.sub(" ", content))
    return "\n".join(line.rstrip() for line in text.strip().split("\n"))


def _status_text(status: dict) -> str | Bad | None:
    content = status.get("content")
    if content is None:
        content = status.get("text")  # the source text of a deleted status
    if content is not None and not isinstance(content, str):
        return Bad("", "`content` is not a string", "content")
    spoiler = status.get("spoiler_text")
    spoiler = spoiler.strip() if isinstance(spoiler, str) else ""
    text = html_to_text(content) if isinstance(content, str) else None
    if spoiler:
        return f"{spoiler}\n\n{text}" if text else spoiler
    return text


# --- helpers ------------------------------------------------------------------------------


def _raw_id(value: Any) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _inner(status: Any, name: str) -> Any:
    return status.get(name) if isinstance(status, dict) else None


def _quoted_status(status: Any) -> Any:
    quote = _inner(status, "quote")
    return quote.get("quoted_status") if isinstance(quote, dict) else None


def _quote_id(status: dict) -> Any:
    quote = status.get("quote")
    if not isinstance(quote, dict):
        return None
    quoted = quote.get("quoted_status")
    if isinstance(quoted, dict):
        return quoted.get("id")
    return quote.get("quoted_status_id")  # a ShallowQuote


def _instance(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip().lower()
    return _host(value) if "//" in value else value.strip("/")


def _host(url: Any) -> str | None:
    if not isinstance(url, str) or "//" not in url:
        return None
    try:
        return urlsplit(url.strip()).hostname or None
    except ValueError:
        return None


def _time(value: Any, where: str, context: ParseContext):
    if value is None:
        return None
    try:
        parsed = parse_timestamp(value, context.timezone)
        parsed.astimezone(dt.UTC)
    except (ValueError, TypeError, OverflowError, OSError) as error:
        return Bad(where, f"created_at: {error}"[:300], "created_at", str(value)[:100])
    return parsed


def _count(value: Any) -> Any:
    """The count as given: one that is not a count quarantines the record in the checks."""
    return value
