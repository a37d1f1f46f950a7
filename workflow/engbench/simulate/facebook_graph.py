"""Write simulated Facebook traffic as Graph API page-feed responses, one per line.

Modelled on ``GET /v2.10/{page-id}/feed?fields=id,message,created_time,
updated_time,from,type,status_type,permalink_url,shares,
reactions.summary(true).limit(0),comments.summary(true){id,message,
created_time,from,like_count,comment_count,parent,comments{...}}``: each line
is one response with ``data`` (posts, newest first: the page's own posts and
visitor posts) and ``paging`` (cursors and ``next``). Comments nest under
their post, replies under their top-level comment with a ``parent`` object,
as the Graph API returns them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

import orjson
import pandas as pd

PAGE_SIZE = 25
GRAPH = "https://graph.facebook.com/v2.10/"


def facebook_files(
    messages: pd.DataFrame, accounts: pd.DataFrame, consumers: pd.DataFrame, orgs: pd.DataFrame
) -> dict[str, Iterator[bytes]]:
    """One feed archive per organisation page."""
    fb = messages[(messages["platform"] == "facebook") & messages["collected"]]
    names = dict(zip(consumers["user_id"], consumers["name"], strict=True))
    pages = accounts[accounts["platform"] == "facebook"].drop_duplicates("org_id")
    for a in pages.itertuples(index=False):
        names[a.account_id] = a.name
    files = {}
    for page in pages.itertuples(index=False):
        sel = fb[fb["org_id"] == page.org_id]
        files[page.org_id] = _responses(sel, names, page)
    return files


def _who(author_id: str, names: dict) -> dict:
    return {"name": names.get(author_id, ""), "id": author_id}


def _time(ts: pd.Timestamp) -> str:
    return ts.strftime("%Y-%m-%dT%H:%M:%S+0000")


def _responses(sel: pd.DataFrame, names: dict, page) -> Iterator[bytes]:
    by_id = {r.message_id: r for r in sel.itertuples(index=False)}
    children: dict[str, list] = defaultdict(list)
    posts = []
    for r in sorted(by_id.values(), key=lambda r: (r.created_at, r.message_id)):
        if r.fb_level == 0:
            posts.append(r)
        elif r.parent_id in by_id:
            children[r.parent_id].append(r)
    posts.reverse()  # newest first, as the feed edge returns them
    if not posts:
        yield orjson.dumps({"data": []}) + b"\n"
        return
    for start in range(0, len(posts), PAGE_SIZE):
        chunk = posts[start : start + PAGE_SIZE]
        data = [_post(p, children, names, page) for p in chunk]
        paging = {
            "cursors": {
                "before": _cursor(chunk[0].message_id),
                "after": _cursor(chunk[-1].message_id),
            }
        }
        if start + PAGE_SIZE < len(posts):
            paging["next"] = (
                f"{GRAPH}{page.account_id}/feed?limit={PAGE_SIZE}&after={paging['cursors']['after']}"
            )
        yield orjson.dumps({"data": data, "paging": paging}) + b"\n"


def _post(p, children, names, page) -> dict:
    comments = [_comment(c, children, names) for c in children.get(p.message_id, [])]
    last = max([p.created_at] + [c.created_at for c in children.get(p.message_id, [])])
    own = p.author_id == page.account_id
    post = {
        "id": p.message_id,
        "created_time": _time(p.created_at),
        "updated_time": _time(last),
        "from": _who(p.author_id, names),
        "message": p.text,
        "type": "link" if "https://" in p.text else "status",
        "status_type": ("shared_story" if "https://" in p.text else "mobile_status_update")
        if own
        else "wall_post",
        "permalink_url": f"https://www.facebook.com/{page.handle}/posts/{p.message_id.split('_')[1]}",
    }
    if not own:
        post["to"] = {"data": [{"name": page.name, "id": page.account_id}]}
    else:
        post["shares"] = {"count": int(p.share_count)}
    post["reactions"] = {
        "data": [],
        "summary": {"total_count": int(p.like_count), "viewer_reaction": "NONE"},
    }
    post["comments"] = _edge(comments, int(p.reply_count))
    return post


def _comment(c, children, names) -> dict:
    replies = children.get(c.message_id, [])
    out = {
        "id": c.message_id,
        "created_time": _time(c.created_at),
        "from": _who(c.author_id, names),
        "message": c.text,
        "like_count": int(c.like_count),
        "comment_count": len(replies),
    }
    if replies:
        out["comments"] = _edge([_reply(r, c, names) for r in replies], len(replies))
    return out


def _reply(r, parent, names) -> dict:
    return {
        "id": r.message_id,
        "created_time": _time(r.created_at),
        "from": _who(r.author_id, names),
        "message": r.text,
        "like_count": int(r.like_count),
        "comment_count": 0,
        "parent": {
            "created_time": _time(parent.created_at),
            "from": _who(parent.author_id, names),
            "message": parent.text,
            "id": parent.message_id,
        },
    }


def _edge(items: list, total: int) -> dict:
    edge = {
        "data": items,
        "summary": {"order": "chronological", "total_count": total, "can_comment": True},
    }
    if items:
        edge["paging"] = {
            "cursors": {"before": _cursor(items[0]["id"]), "after": _cursor(items[-1]["id"])}
        }
    return edge


def _cursor(message_id: str) -> str:
    import base64

    return base64.b64encode(message_id.encode()).decode().rstrip("=")
