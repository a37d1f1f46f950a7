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

import numpy as np
import orjson
import pandas as pd

PAGE_SIZE = 25
GRAPH = "https://graph.facebook.com/v2.10/"


def facebook_files(
    messages: pd.DataFrame, accounts: pd.DataFrame, consumers: pd.DataFrame, orgs: pd.DataFrame
) -> dict[str, Iterator[bytes]]:
    """One feed archive per organisation page, written response by response; a page's
    messages are read from ``messages`` when its archive is written."""
    fb = messages[(messages["platform"] == "facebook") & messages["collected"]]
    names = dict(zip(consumers["user_id"], consumers["name"], strict=True))
    pages = accounts[accounts["platform"] == "facebook"].drop_duplicates("org_id")
    for a in pages.itertuples(index=False):
        names[a.account_id] = a.name
    org = fb["org_id"].to_numpy(dtype=object)
    files = {}
    for page in pages.itertuples(index=False):
        files[page.org_id] = _responses(fb, np.flatnonzero(org == page.org_id), names, page)
    return files


class _Feed:
    """Facebook messages as plain arrays."""

    def __init__(self, fb: pd.DataFrame):
        self.id = fb["message_id"].to_numpy(dtype=object)
        self.parent_id = fb["parent_id"].to_numpy(dtype=object)
        self.author_id = fb["author_id"].to_numpy(dtype=object)
        self.text = fb["text"].to_numpy(dtype=object)
        self.level = fb["fb_level"].to_numpy()
        self.likes = fb["like_count"].to_numpy(dtype=np.int64).tolist()
        self.shares = fb["share_count"].to_numpy(dtype=np.int64).tolist()
        self.replies = fb["reply_count"].to_numpy(dtype=np.int64).tolist()
        utc = fb["created_at"].dt.tz_convert(None).to_numpy()
        self.t = utc.view(np.int64)
        self.time = np.char.add(
            np.datetime_as_string(utc.astype("datetime64[s]"), unit="s"), "+0000"
        ).astype(object)


def _who(author_id: str, names: dict) -> dict:
    return {"name": names.get(author_id, ""), "id": author_id}


def _responses(messages: pd.DataFrame, rows: np.ndarray, names: dict, page) -> Iterator[bytes]:
    """The feed responses of one page: its posts newest first, ``PAGE_SIZE`` a response;
    ``rows`` are the page's messages in ``messages``."""
    fb = _Feed(messages.iloc[rows])
    parent = pd.Index(fb.id).get_indexer(fb.parent_id)
    children: dict[int, list[int]] = defaultdict(list)
    posts = []
    for i in sorted(range(len(fb.id)), key=lambda i: (fb.t[i], fb.id[i])):
        if fb.level[i] == 0:
            posts.append(i)
        elif parent[i] >= 0:
            children[int(parent[i])].append(i)
    posts.reverse()  # newest first, as the feed edge returns them
    if not posts:
        yield orjson.dumps({"data": []}) + b"\n"
        return
    for start in range(0, len(posts), PAGE_SIZE):
        chunk = posts[start : start + PAGE_SIZE]
        data = [_post(fb, p, children, names, page) for p in chunk]
        paging = {
            "cursors": {
                "before": _cursor(fb.id[chunk[0]]),
                "after": _cursor(fb.id[chunk[-1]]),
            }
        }
        if start + PAGE_SIZE < len(posts):
            paging["next"] = (
                f"{GRAPH}{page.account_id}/feed?limit={PAGE_SIZE}&after={paging['cursors']['after']}"
            )
        yield orjson.dumps({"data": data, "paging": paging}) + b"\n"


def _post(fb: _Feed, p: int, children, names, page) -> dict:
    comments = [_comment(fb, c, children, names) for c in children.get(p, [])]
    last = max([p, *children.get(p, [])], key=lambda i: fb.t[i])
    own = fb.author_id[p] == page.account_id
    text = fb.text[p]
    post = {
        "id": fb.id[p],
        "created_time": fb.time[p],
        "updated_time": fb.time[last],
        "from": _who(fb.author_id[p], names),
        "message": text,
        "type": "link" if "https://" in text else "status",
        "status_type": ("shared_story" if "https://" in text else "mobile_status_update")
        if own
        else "wall_post",
        "permalink_url": f"https://www.facebook.com/{page.handle}/posts/{fb.id[p].split('_')[1]}",
    }
    if not own:
        post["to"] = {"data": [{"name": page.name, "id": page.account_id}]}
    else:
        post["shares"] = {"count": fb.shares[p]}
    post["reactions"] = {
        "data": [],
        "summary": {"total_count": fb.likes[p], "viewer_reaction": "NONE"},
    }
    post["comments"] = _edge(comments, fb.replies[p])
    return post


def _comment(fb: _Feed, c: int, children, names) -> dict:
    replies = children.get(c, [])
    out = {
        "id": fb.id[c],
        "created_time": fb.time[c],
        "from": _who(fb.author_id[c], names),
        "message": fb.text[c],
        "like_count": fb.likes[c],
        "comment_count": len(replies),
    }
    if replies:
        out["comments"] = _edge([_reply(fb, r, c, names) for r in replies], len(replies))
    return out


def _reply(fb: _Feed, r: int, parent: int, names) -> dict:
    return {
        "id": fb.id[r],
        "created_time": fb.time[r],
        "from": _who(fb.author_id[r], names),
        "message": fb.text[r],
        "like_count": fb.likes[r],
        "comment_count": 0,
        "parent": {
            "created_time": fb.time[parent],
            "from": _who(fb.author_id[parent], names),
            "message": fb.text[parent],
            "id": fb.id[parent],
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
