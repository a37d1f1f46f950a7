"""Bluesky (AT Protocol): feeds, threads, post views and bare post records.

Reads, one per line or as one document:

- feed responses ``{"feed": [feedViewPost…], "cursor"}``: ``app.bsky.feed.getAuthorFeed``
  (also getTimeline, getFeed, getListFeed, getActorLikes), or one feedViewPost per line;
- ``app.bsky.feed.getPostThread`` responses ``{"thread": threadViewPost}``: the post, its
  ``parent`` chain and its ``replies`` tree;
- post-view lists ``{"posts": [postView…]}`` (``searchPosts``, ``getPosts``), or one postView
  per line;
- bare records from a repository: ``{"uri", "cid", "value" | "record"}`` per line, or
  ``com.atproto.repo.listRecords`` pages ``{"records": […]}``;
- Jetstream events ``{"did", "time_us", "kind": "commit", "commit": {…}}``.

Every full post view in a response is a message: the feed item's post, the hydrated
``reply.root`` / ``reply.parent`` views, every post of a thread. Views of posts that are
gone or hidden (``notFoundPost``, ``blockedPost``) are skipped; a view that is neither a
post view nor one of those is a Bad record. Within one response each post is yielded once.

Fields. ``created_at`` is the record's ``createdAt``; ``author_id`` the author's DID;
``author_handle`` the handle (to recognise organisation accounts); ``parent_id`` /
``thread_id`` come from ``record.reply.parent`` / ``record.reply.root`` (a post that is no
reply is its own thread); ``in_reply_to_author_id`` is the DID in the parent's at:// uri;
``quoted_id`` the post of an ``app.bsky.embed.record`` / ``recordWithMedia`` embed;
``mentions`` the handles of ``app.bsky.richtext.facet#mention`` facets (the facet's text,
``byteStart``..``byteEnd`` counted in UTF-8 bytes, without the "@"); ``lang`` the first of
``langs``; ``like_count`` = likeCount, ``share_count`` = repostCount + quoteCount,
``reply_count`` = replyCount. Other record types of a repository or Jetstream stream
(likes, follows, profiles, deletions …) are not messages and are skipped. The organisations
sheet gives a Bluesky account's ``account_id`` as its DID and ``handle`` as its handle;
records and Jetstream events name no handle, so there organisations are known by DID.

Ids. A post's at:// uri holds its author's DID (``at://did:plc:…/app.bsky.feed.post/<rkey>``),
and the DID is personal data that the message store must not hold for consumers. So the
message id is the uri's record key (the TID ``<rkey>``, unique in practice: a microsecond
timestamp plus a random clock id) and parent, thread, quote and repost ids use the same
key.

Reposts. A ``reasonRepost`` feed item (or an ``app.bsky.feed.repost`` record) is a message
by the reposting account, like a retweet: ``message_id`` is
``repost:<rkey of the post>:<16 hex digits of SHA-256 of "<reposter DID> <post uri>">`` (the
same from every shape, since older feed responses give the repost no uri of its own),
``retweeted_id`` the post, ``thread_id`` the repost itself, ``created_at`` the reason's
``indexedAt`` (a repost record's ``createdAt``), ``text`` "RT @<handle>: " + the post's
text, as for retweets (the finaliser masks the handle unless it is an organisation's); a
repost record carries no copy of the post, so its text is empty.

Source options: none.

Follows the AT Protocol lexicons published by Bluesky (github.com/bluesky-social/atproto,
``lexicons/app/bsky/feed/defs.json``, ``feed/post.json``, ``feed/repost.json``,
``feed/getAuthorFeed.json``, ``feed/getPostThread.json``, ``richtext/facet.json``,
``embed/record.json``), the "Post record" and "Rich text facets" guides at docs.bsky.app,
and the Jetstream README (github.com/bluesky-social/jetstream).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from typing import Any

from engbench.ingest.records import Bad, ParseContext
from engbench.ingest.timestamps import parse_timestamp

READER = "json"

POST = "app.bsky.feed.post"
REPOST = "app.bsky.feed.repost"
POST_VIEW = "app.bsky.feed.defs#postView"
THREAD_VIEW = "app.bsky.feed.defs#threadViewPost"
REASON_REPOST = "app.bsky.feed.defs#reasonRepost"
GONE = ("app.bsky.feed.defs#notFoundPost", "app.bsky.feed.defs#blockedPost")
MENTION = "app.bsky.richtext.facet#mention"
QUOTE_EMBEDS = ("app.bsky.embed.record", "app.bsky.embed.recordWithMedia")
MAX_COUNT = 2**63 - 1


# --- recognising the shapes -------------------------------------------------------------


def sniff(record: Any) -> bool:
    return isinstance(record, dict) and _shape(record, strict=True) is not None


def _shape(record: dict, strict: bool) -> str | None:
    """Which shape ``record`` has. ``strict`` (detection) also checks the first element;
    parsing does not, so that one damaged element is one Bad record, not a whole page."""
    feed = record.get("feed")
    if isinstance(feed, list):
        return "feed" if not strict or not feed or _is_feed_item(feed[0]) else None
    thread = record.get("thread")
    if isinstance(thread, dict):
        kind = thread.get("$type")
        known = isinstance(kind, str) and kind.startswith("app.bsky.feed.defs#")
        return "thread" if not strict or known or _is_post_view(thread.get("post")) else None
    for name, check in (("posts", _is_post_view), ("records", _is_repo_record)):
        items = record.get(name)
        if isinstance(items, list) and (not strict or (items and check(items[0]))):
            return name
    if _is_feed_item(record) or (not strict and "post" in record):
        return "feed_item"
    if _is_post_view(record) or (
        not strict and _is_at_uri(record.get("uri")) and "author" in record
    ):
        return "post_view"
    if _is_repo_record(record) or (
        not strict and _is_at_uri(record.get("uri")) and ("value" in record or "record" in record)
    ):
        return "repo_record"
    if _is_jetstream(record) or (not strict and "did" in record and "kind" in record):
        return "jetstream"
    return None


def _is_at_uri(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("at://")


def _is_post_view(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and _is_at_uri(value.get("uri"))
        and isinstance(value.get("record"), dict)
        and isinstance(value.get("author"), dict)
    )


def _is_feed_item(value: Any) -> bool:
    return isinstance(value, dict) and _is_post_view(value.get("post"))


def _is_repo_record(value: Any) -> bool:
    if not isinstance(value, dict) or not _is_at_uri(value.get("uri")):
        return False
    body = value.get("value", value.get("record"))
    return isinstance(body, dict) and isinstance(body.get("$type"), str)


def _is_jetstream(value: dict) -> bool:
    did = value.get("did")
    return (
        isinstance(did, str)
        and did.startswith("did:")
        and value.get("kind") in ("commit", "identity", "account")
        and "time_us" in value
    )


# --- parsing ------------------------------------------------------------------------------


def parse(record: Any, location: str, context: ParseContext) -> Iterator[dict | Bad]:
    if not isinstance(record, dict):
        yield Bad(location, "expected a JSON object (an AT Protocol response, view or record)")
        return
    reader = _Reader(location, context)
    shape = _shape(record, strict=False)
    if shape == "feed":
        for i, item in enumerate(record["feed"]):
            yield from reader.feed_item(item, f"{location}, feed[{i}]")
    elif shape == "feed_item":
        yield from reader.feed_item(record, location)
    elif shape == "thread":
        yield from reader.thread(record["thread"], f"{location}, thread")
    elif shape == "posts":
        for i, view in enumerate(record["posts"]):
            yield from reader.view(view, f"{location}, posts[{i}]")
    elif shape == "post_view":
        yield from reader.view(record, location)
    elif shape == "records":
        for i, item in enumerate(record["records"]):
            yield from reader.repo_record(item, f"{location}, records[{i}]")
    elif shape == "repo_record":
        yield from reader.repo_record(record, location)
    elif shape == "jetstream":
        yield from reader.jetstream(record, location)
    else:
        yield Bad(
            location,
            "not a Bluesky response, post view or record (no feed, thread, posts, records, "
            "post view, at:// record or Jetstream event)",
        )


class _Reader:
    """Turns the views and records of one response into messages, each post once."""

    def __init__(self, location: str, context: ParseContext):
        self.location = location
        self.context = context
        self.seen: set[str] = set()

    def _once(self, message: dict | Bad) -> Iterator[dict | Bad]:
        if isinstance(message, dict):
            if message["message_id"] in self.seen:
                return
            self.seen.add(message["message_id"])
        yield message

    def feed_item(self, item: Any, where: str) -> Iterator[dict | Bad]:
        if not isinstance(item, dict):
            yield Bad(where, "expected a feed item (feedViewPost) object")
            return
        post = item.get("post")
        reason = item.get("reason")
        if isinstance(reason, dict) and (
            reason.get("$type") == REASON_REPOST or ("by" in reason and "$type" not in reason)
        ):
            yield from self._once(_feed_repost(reason, post, f"{where}.reason", self.context))
        elif reason is not None and not isinstance(reason, dict):
            yield Bad(f"{where}.reason", "`reason` is not an object", "reason")
        # other reasons (reasonPin: a pinned post) leave the post an ordinary message
        yield from self.view(post, f"{where}.post", required=True)
        reply = item.get("reply")
        if isinstance(reply, dict):
            for name in ("root", "parent"):
                if reply.get(name) is not None:
                    yield from self.view(reply[name], f"{where}.reply.{name}")
        elif reply is not None:
            yield Bad(f"{where}.reply", "`reply` is not an object", "reply")

    def view(self, view: Any, where: str, required: bool = False) -> Iterator[dict | Bad]:
        if _is_gone(view) and not required:
            return
        if not isinstance(view, dict):
            yield Bad(where, "expected a post view object")
            return
        kind = view.get("$type")
        if kind is not None and kind != POST_VIEW:
            yield Bad(where, f"expected a post view, found {str(kind)[:80]!r}", "$type")
            return
        yield from self._once(_post_view(view, where, self.context))

    def thread(self, root: Any, where: str) -> Iterator[dict | Bad]:
        """The post of a threadViewPost, its parents and its replies, without recursion."""
        stack: list[tuple[Any, str, int]] = [(root, where, 0)]
        while stack:
            node, path, depth = stack.pop()
            if _is_gone(node):
                continue
            if not isinstance(node, dict):
                yield Bad(path, "expected a thread view (threadViewPost) object")
                continue
            kind = node.get("$type")
            if kind is not None and kind != THREAD_VIEW:
                yield Bad(path, f"expected a thread view, found {str(kind)[:80]!r}", "$type")
                continue
            yield from self.view(node.get("post"), f"{path}.post", required=True)
            deeper = path if depth < 6 else f"{where} (depth {depth})"
            replies = node.get("replies")
            if isinstance(replies, list):
                for i in range(len(replies) - 1, -1, -1):
                    stack.append((replies[i], f"{deeper}.replies[{i}]", depth + 1))
            elif replies is not None:
                yield Bad(f"{path}.replies", "`replies` is not a list", "replies")
            if node.get("parent") is not None:
                stack.append((node["parent"], f"{deeper}.parent", depth + 1))

    def repo_record(self, item: Any, where: str) -> Iterator[dict | Bad]:
        if not isinstance(item, dict):
            yield Bad(where, "expected a record object with `uri` and `value`")
            return
        body = item.get("value", item.get("record"))
        uri = item.get("uri")
        if not isinstance(body, dict) or not isinstance(uri, str):
            yield Bad(where, "expected a record with an at:// `uri` and a `value` object", "uri")
            return
        yield from self._record(uri, body, where)

    def jetstream(self, event: dict, where: str) -> Iterator[dict | Bad]:
        commit = event.get("commit")
        if event.get("kind") in ("identity", "account"):
            return  # identity and account events hold no messages
        if event.get("kind") != "commit":
            yield Bad(
                where, f"unknown Jetstream event kind {str(event.get('kind'))[:40]!r}", "kind"
            )
            return
        if not isinstance(commit, dict):
            yield Bad(where, "commit event without a `commit` object", "commit")
            return
        if commit.get("operation") not in ("create", "update"):
            return  # deletions
        parts = [event.get("did"), commit.get("collection"), commit.get("rkey")]
        if not all(isinstance(p, str) and p for p in parts):
            yield Bad(where, "commit event without did, collection or rkey", "commit")
            return
        body = commit.get("record")
        if not isinstance(body, dict):
            yield Bad(where, "commit event without a `record` object", "commit.record")
            return
        yield from self._record("at://" + "/".join(parts), body, where)

    def _record(self, uri: str, body: dict, where: str) -> Iterator[dict | Bad]:
        parts = _split(uri)
        kind = body.get("$type")
        collection = parts[1] if parts else None
        if kind == POST or (kind is None and collection == POST):
            yield from self._once(_from_record(uri, body, None, None, where, self.context))
        elif kind == REPOST or (kind is None and collection == REPOST):
            yield from self._once(_repost_record(uri, body, where, self.context))
        elif parts is None:
            yield Bad(where, "`uri` is not an at:// uri", "uri")
        # likes, follows, profiles and other record types are not messages


# --- messages -----------------------------------------------------------------------------


def _post_view(view: dict, where: str, context: ParseContext) -> dict | Bad:
    uri = view.get("uri")
    record = view.get("record")
    if not isinstance(record, dict):
        return Bad(where, "post view without a `record` object", "record")
    author = view.get("author")
    if not isinstance(author, dict):
        return Bad(where, "post view without an `author` object", "author")
    message = _from_record(uri, record, author.get("did"), author.get("handle"), where, context)
    if isinstance(message, dict):
        message["like_count"] = _count(view.get("likeCount"))
        reposts, quotes = _count(view.get("repostCount")), _count(view.get("quoteCount"))
        if not all(_is_count(c) for c in (reposts, quotes)):  # the checks name the bad one
            message["share_count"] = next(c for c in (reposts, quotes) if not _is_count(c))
        else:
            message["share_count"] = (
                None
                if reposts is None and quotes is None
                else (min((reposts or 0) + (quotes or 0), MAX_COUNT))
            )
        message["reply_count"] = _count(view.get("replyCount"))
    return message


def _from_record(uri, record: dict, did, handle, where: str, context: ParseContext) -> dict | Bad:
    parts = _split(uri)
    if parts is None or parts[1] != POST:
        return Bad(where, "no at:// uri of an app.bsky.feed.post record", "uri")
    author = did if _is_did(did) else parts[0]
    if not _is_did(author):
        return Bad(where, "no DID for the post's author", "author.did")
    text = record.get("text")
    if text is not None and not isinstance(text, str):
        return Bad(where, "`text` is not a string", "record.text")
    created = _time(record.get("createdAt"), where, "record.createdAt", context)
    if isinstance(created, Bad):
        return created
    message_id = parts[2]
    parent_id = thread_id = replied_author = None
    reply = record.get("reply")
    if reply is None:
        thread_id = message_id
    else:
        parent = _split(_ref_uri(reply, "parent"))
        root = _split(_ref_uri(reply, "root"))
        if parent is None or root is None:
            return Bad(where, "`reply` without at:// uris of root and parent", "record.reply")
        parent_id, thread_id = parent[2], root[2]
        replied_author = parent[0] if _is_did(parent[0]) else None
    langs = record.get("langs")
    lang = langs[0] if isinstance(langs, list) and langs and isinstance(langs[0], str) else None
    return {
        "_location": where,
        "platform": "bluesky",
        "message_id": message_id,
        "author_id": author,
        "author_handle": handle if isinstance(handle, str) else None,
        "created_at": created,
        "text": text,
        "thread_id": thread_id,
        "parent_id": parent_id,
        "in_reply_to_author_id": replied_author,
        "quoted_id": _quoted(record.get("embed")),
        "lang": lang,
        "mentions": _mentions(text, record.get("facets")),
    }


def _feed_repost(reason: dict, post: Any, where: str, context: ParseContext) -> dict | Bad:
    by = reason.get("by")
    if not isinstance(by, dict) or not _is_did(by.get("did")):
        return Bad(where, "repost without the reposting account's DID", "reason.by.did")
    if not isinstance(post, dict) or _split(post.get("uri")) is None:
        return Bad(where, "repost of a post without an at:// uri", "post.uri")
    created = _time(reason.get("indexedAt"), where, "reason.indexedAt", context)
    if isinstance(created, Bad):
        return created
    record = post.get("record") if isinstance(post.get("record"), dict) else {}
    author = post.get("author") if isinstance(post.get("author"), dict) else {}
    text, handle = record.get("text"), author.get("handle")
    handle = handle if isinstance(handle, str) and handle else "handle.invalid"
    text = f"RT @{handle}: {text}" if isinstance(text, str) else None
    return _repost(by["did"], by.get("handle"), post["uri"], created, text, where)


def _repost_record(uri: str, record: dict, where: str, context: ParseContext) -> dict | Bad:
    parts = _split(uri)
    if parts is None or not _is_did(parts[0]):
        return Bad(where, "repost record without an at:// uri naming its DID", "uri")
    subject = _ref_uri(record, "subject")
    if _split(subject) is None:
        return Bad(where, "repost record without the reposted post's uri", "subject.uri")
    created = _time(record.get("createdAt"), where, "createdAt", context)
    if isinstance(created, Bad):
        return created
    return _repost(parts[0], None, subject, created, None, where)


def _repost(did: str, handle, post_uri: str, created, text, where: str) -> dict:
    digest = hashlib.sha256(f"{did} {post_uri}".encode()).hexdigest()[:16]
    message_id = f"repost:{_split(post_uri)[2]}:{digest}"
    return {
        "_location": where,
        "platform": "bluesky",
        "message_id": message_id,
        "author_id": did,
        "author_handle": handle if isinstance(handle, str) else None,
        "created_at": created,
        "text": text,
        "thread_id": message_id,
        "retweeted_id": _split(post_uri)[2],
    }


# --- helpers ------------------------------------------------------------------------------


def _split(uri: Any) -> tuple[str, str, str] | None:
    """``at://<authority>/<collection>/<rkey>`` → (authority, collection, rkey)."""
    if not _is_at_uri(uri):
        return None
    parts = uri[5:].split("/")
    if len(parts) != 3 or not all(parts):
        return None
    return parts[0], parts[1], parts[2]


def _is_did(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("did:") and len(value) > 4


def _is_gone(view: Any) -> bool:
    """notFoundPost / blockedPost: a post that is deleted or hidden from the viewer."""
    if not isinstance(view, dict):
        return False
    return view.get("$type") in GONE or (
        "$type" not in view and (view.get("notFound") is True or view.get("blocked") is True)
    )


def _ref_uri(holder: Any, name: str) -> Any:
    ref = holder.get(name) if isinstance(holder, dict) else None
    return ref.get("uri") if isinstance(ref, dict) else None


def _quoted(embed: Any) -> str | None:
    if not isinstance(embed, dict) or embed.get("$type") not in QUOTE_EMBEDS:
        return None
    inner = embed.get("record")
    if embed.get("$type") == "app.bsky.embed.recordWithMedia" and isinstance(inner, dict):
        inner = inner.get("record")  # recordWithMedia.record is an app.bsky.embed.record
    parts = _split(inner.get("uri") if isinstance(inner, dict) else None)
    return parts[2] if parts and parts[1] == POST else None


def _mentions(text: Any, facets: Any) -> list[str]:
    """Handles of the mention facets: the text between byteStart and byteEnd (UTF-8 bytes)."""
    if not isinstance(text, str) or not isinstance(facets, list):
        return []
    data = text.encode("utf-8", "surrogatepass")
    found = []
    for facet in facets:
        if not isinstance(facet, dict) or not isinstance(facet.get("features"), list):
            continue
        if not any(isinstance(f, dict) and f.get("$type") == MENTION for f in facet["features"]):
            continue
        index = facet.get("index")
        start = index.get("byteStart") if isinstance(index, dict) else None
        end = index.get("byteEnd") if isinstance(index, dict) else None
        if not (type(start) is int and type(end) is int and 0 <= start < end <= len(data)):
            continue
        piece = data[start:end].decode("utf-8", "replace").strip()
        if piece.startswith("@") and len(piece) > 1:
            found.append(piece[1:])
    return found


def _time(value: Any, where: str, name: str, context: ParseContext):
    if value is None:
        return None
    try:
        parsed = parse_timestamp(value, context.timezone)
    except (ValueError, TypeError, OverflowError, OSError) as error:
        return Bad(where, f"{name}: {error}"[:300], name, _clip(value))
    try:
        parsed.astimezone(dt.UTC)
    except (OverflowError, ValueError) as error:
        return Bad(where, f"{name}: {error}"[:300], name, _clip(value))
    return parsed


def _count(value: Any) -> Any:
    """The count as given: one that is not a count quarantines the record in the checks."""
    return value


def _is_count(value: Any) -> bool:
    return value is None or (type(value) is int and 0 <= value <= MAX_COUNT)


def _clip(value: Any) -> str:
    return str(value)[:100]
