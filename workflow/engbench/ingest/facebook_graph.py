"""Facebook Graph API page feeds: posts with nested comments and comment replies.

Reads ``/{page-id}/feed`` or ``/posts`` responses (``data`` + ``paging``), one
per line or as one document, or a bare list of posts. A comment's parent is its
post; a reply's parent is the comment it hangs under (``parent.id`` where the
collection requested it). The thread is the post. Every message on the page's
timeline is addressed to the page's organisation (``page_id``): the page is the
first part of a post id (``<page>_<post>``), else the recipient of a visitor post.

Documented at developers.facebook.com: Graph API reference "Page Feed", "Post",
"Comment" (fields ``from``, ``message``, ``created_time``, ``parent``,
``comment_count``, ``like_count``, ``reactions.summary``, ``shares``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import msgspec

from engbench.ingest.records import Bad, Block, ParseContext

READER = "json"


def sniff(record: Any) -> bool:
    posts = record.get("data") if isinstance(record, dict) else record
    if not isinstance(posts, list) or not posts or not isinstance(posts[0], dict):
        return False
    return "created_time" in posts[0] and "id" in posts[0]


def parse(record: Any, location: str, context: ParseContext) -> Iterator[dict | Bad]:
    if isinstance(record, dict) and "data" in record:
        posts, path = record["data"], "data"
    elif isinstance(record, dict) and "created_time" in record:
        posts, path = [record], ""
    elif isinstance(record, list):
        posts, path = record, ""
    else:
        yield Bad(location, "expected a Graph API response with `data`", "data")
        return
    if not isinstance(posts, list):
        yield Bad(location, "`data` is not a list", "data")
        return
    for i, post in enumerate(posts):
        where = f"{location}, {path}[{i}]" if path else f"{location}[{i}]"
        if not isinstance(post, dict):
            yield Bad(where, "expected a post object")
            continue
        page_id = _page_of(post)
        yield _message(post, where, context, page_id, thread_id=post.get("id"), parent_id=None)
        for j, comment in enumerate(_edge(post, "comments")):
            cwhere = f"{where}.comments[{j}]"
            if not isinstance(comment, dict):
                yield Bad(cwhere, "expected a comment object")
                continue
            yield _message(comment, cwhere, context, page_id, post.get("id"), post.get("id"))
            for k, reply in enumerate(_edge(comment, "comments")):
                rwhere = f"{cwhere}.comments[{k}]"
                if not isinstance(reply, dict):
                    yield Bad(rwhere, "expected a comment object")
                    continue
                parent = _obj(reply.get("parent")).get("id") or comment.get("id")
                yield _message(reply, rwhere, context, page_id, post.get("id"), parent)


def _edge(obj: dict, name: str) -> list:
    edge = obj.get(name)
    if isinstance(edge, dict):
        edge = edge.get("data")
    return edge if isinstance(edge, list) else []


def _obj(value) -> dict:
    return value if isinstance(value, dict) else {}


def _page_of(post: dict) -> str | None:
    """The page whose feed holds the post: the first part of ``<page>_<post>`` ids."""
    post_id = str(post.get("id") or "")
    if "_" in post_id:
        return post_id.split("_", 1)[0]
    recipients = _obj(post.get("to")).get("data")
    if isinstance(recipients, list) and recipients and isinstance(recipients[0], dict):
        return recipients[0].get("id")
    return _obj(post.get("from")).get("id")


def _message(obj, where, context, page_id, thread_id, parent_id) -> dict:
    author = _obj(obj.get("from"))
    reactions = _obj(obj.get("reactions") or obj.get("likes"))
    likes = _obj(reactions.get("summary")).get("total_count")
    if likes is None:
        likes = obj.get("like_count")
    replies = _obj(_obj(obj.get("comments")).get("summary")).get("total_count")
    return {
        "_location": where,
        "platform": "facebook",
        "message_id": obj.get("id"),
        "author_id": author.get("id"),
        "created_at": obj.get("created_time"),
        "text": obj.get("message") if obj.get("message") is not None else obj.get("story"),
        "thread_id": thread_id,
        "parent_id": parent_id,
        "page_id": page_id,
        "like_count": likes,
        "share_count": _obj(obj.get("shares")).get("count"),
        "reply_count": replies if replies is not None else obj.get("comment_count"),
    }


# -- typed fast path (see x_api_v2): responses whose fields have the documented types ------


class _Who(msgspec.Struct):
    id: str | None = None


class _Count(msgspec.Struct):
    count: int | None = None


class _Summary(msgspec.Struct):
    total_count: int | None = None


class _Reactions(msgspec.Struct):
    summary: _Summary | None = None


class _Recipients(msgspec.Struct):
    data: list[_Who] = []


class _Reply(msgspec.Struct):
    id: str | None = None
    created_time: str | None = None
    message: str | None = None
    story: str | None = None
    like_count: int | None = None
    comment_count: int | None = None
    parent: _Who | None = None
    from_: _Who | None = msgspec.field(default=None, name="from")


class _ReplyEdge(msgspec.Struct):
    data: list[_Reply] = []


class _Comment(msgspec.Struct):
    id: str | None = None
    created_time: str | None = None
    message: str | None = None
    story: str | None = None
    like_count: int | None = None
    comment_count: int | None = None
    from_: _Who | None = msgspec.field(default=None, name="from")
    comments: _ReplyEdge | None = None


class _CommentEdge(msgspec.Struct):
    data: list[_Comment] = []
    summary: _Summary | None = None


class _Post(msgspec.Struct):
    id: str | None = None
    created_time: str | None = None
    message: str | None = None
    story: str | None = None
    from_: _Who | None = msgspec.field(default=None, name="from")
    to: _Recipients | None = None
    shares: _Count | None = None
    reactions: _Reactions | None = None
    likes: _Reactions | None = None
    comments: _CommentEdge | None = None


class _Feed(msgspec.Struct):
    data: list[_Post] | None = None


_DECODER = msgspec.json.Decoder(_Feed)
FIELDS = (
    "platform",
    "message_id",
    "author_id",
    "created_at",
    "text",
    "thread_id",
    "parent_id",
    "page_id",
    "like_count",
    "share_count",
    "reply_count",
)


def decode_line(line: bytes, location: str, context: ParseContext) -> list[Block] | None:
    """A JSONL line (one feed response) → a block of messages, or None to read it with ``parse``."""
    try:
        feed = _DECODER.decode(line)
    except (msgspec.DecodeError, msgspec.ValidationError, UnicodeDecodeError):
        return None
    if feed.data is None:
        return None
    rows, locations = [], []
    for i, post in enumerate(feed.data):
        where = f"{location}, data[{i}]"
        if post.id and "_" in post.id:
            page = post.id.split("_", 1)[0]
        elif post.to is not None and post.to.data:
            page = post.to.data[0].id
        else:
            page = post.from_.id if post.from_ else None
        reactions = post.reactions or post.likes
        likes = reactions.summary.total_count if reactions and reactions.summary else None
        edge = post.comments
        rows.append(
            (
                "facebook",
                post.id,
                post.from_.id if post.from_ else None,
                post.created_time,
                post.message if post.message is not None else post.story,
                post.id,
                None,
                page,
                likes,
                post.shares.count if post.shares else None,
                edge.summary.total_count if edge and edge.summary else None,
            )
        )
        locations.append(where)
        for j, c in enumerate(edge.data if edge else ()):
            rows.append(
                (
                    "facebook",
                    c.id,
                    c.from_.id if c.from_ else None,
                    c.created_time,
                    c.message if c.message is not None else c.story,
                    post.id,
                    post.id,
                    page,
                    c.like_count,
                    None,
                    c.comment_count,
                )
            )
            locations.append(f"{where}.comments[{j}]")
            for k, r in enumerate(c.comments.data if c.comments else ()):
                rows.append(
                    (
                        "facebook",
                        r.id,
                        r.from_.id if r.from_ else None,
                        r.created_time,
                        r.message if r.message is not None else r.story,
                        post.id,
                        (r.parent.id if r.parent and r.parent.id else c.id),
                        page,
                        r.like_count,
                        None,
                        r.comment_count,
                    )
                )
                locations.append(f"{where}.comments[{j}].comments[{k}]")
    if not rows:
        return []
    return [Block(dict(zip(FIELDS, map(list, zip(*rows, strict=True)), strict=True)), locations)]
