"""Write simulated tweets as twarc2 output: X API v2 search responses, one per line.

Modelled on the documented v2 response (``GET /2/tweets/search/all`` with
``expansions=author_id,referenced_tweets.id,referenced_tweets.id.author_id,
in_reply_to_user_id,entities.mentions.username``): each line is one page with
``data`` (tweet objects, newest first), ``includes.users``,
``includes.tweets`` (the referenced tweets), ``errors`` for referenced tweets
that no longer exist (deleted), ``meta`` (``result_count``, ``newest_id``,
``oldest_id``, ``next_token``) and twarc's ``__twarc`` envelope.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import numpy as np
import orjson
import pandas as pd

PAGE_SIZE = 100
MENTION = re.compile(r"@(\w{1,15})")
HASHTAG = re.compile(r"#(\w*[^\W\d_]\w*)")
URL = re.compile(r"https://t\.co/\w+")
CONSUMER_SOURCES = (
    "Twitter for iPhone",
    "Twitter for Android",
    "Twitter Web Client",
    "Twitter Lite",
    "TweetDeck",
)
ORG_SOURCES = ("OBI4wan", "Coosto", "Sprinklr", "Conversocial", "Hootsuite")
TWARC = {
    "url": "https://api.twitter.com/2/tweets/search/all",
    "version": "2.14.0",
    "retrieved_at": "2018-01-15T09:00:00+00:00",
}


def twitter_files(
    messages: pd.DataFrame, accounts: pd.DataFrame, consumers: pd.DataFrame, orgs: pd.DataFrame
) -> dict[str, Iterator[bytes]]:
    """One twarc2 file per organisation: the collected tweets from, to and about it.

    A tweet that mentions two organisations is in both files, as in a real
    collection made with one query per organisation. Each file is written page
    by page: tweet and user objects are built for the page at hand (and kept only
    while a later page of the same file may still reference them), so memory does
    not grow with the edition.
    """
    users = _Users(accounts, consumers)
    tw = messages[messages["platform"] == "twitter"]
    referenced_rows = _referenced_rows(tw)
    collected = tw["collected"].to_numpy(dtype=bool)
    org_code = pd.Index(orgs["org_id"])
    first = org_code.get_indexer(tw["org_id"])
    second = org_code.get_indexer(tw["org2_id"].fillna(""))
    files = {}
    for o, org_id in enumerate(orgs["org_id"]):
        rows = np.flatnonzero(collected & ((first == o) | (second == o)))
        if not (
            accounts[(accounts["org_id"] == org_id) & (accounts["platform"] == "twitter")]
        ).empty:
            files[org_id] = _pages(tw, rows, referenced_rows, users)
    return files


def _referenced_rows(tw: pd.DataFrame) -> np.ndarray:
    """Rows (in ``tw``) of each tweet's parent and retweeted tweet, -1 where none."""
    index = pd.Index(tw["message_id"])
    return np.stack([index.get_indexer(tw["parent_id"]), index.get_indexer(tw["retweeted_id"])])


class _Tweets:
    """Some Twitter messages as plain arrays; ``object(i)`` is tweet ``i``'s v2 object.

    Holds the tweets of one archive, the tweets they reference and those tweets'
    parents (for ``in_reply_to_user_id``): ``rows`` of ``tw``, in order.
    """

    def __init__(self, tw: pd.DataFrame, rows: np.ndarray, handle_to_id: dict[str, str]):
        tw = tw.iloc[rows]
        self.handle_to_id = handle_to_id
        self.id = tw["message_id"].to_numpy(dtype=object)
        self.text = tw["text"].to_numpy(dtype=object)
        self.author_id = tw["author_id"].to_numpy(dtype=object)
        self.thread_id = tw["thread_id"].to_numpy(dtype=object)
        self.lang = tw["lang"].to_numpy(dtype=object)
        self.parent_id = tw["parent_id"].to_numpy(dtype=object)
        self.retweeted_id = tw["retweeted_id"].to_numpy(dtype=object)
        self.is_org = tw["is_org"].to_numpy(dtype=bool)
        self.collected = tw["collected"].to_numpy(dtype=bool)
        counts = tw[["share_count", "reply_count", "like_count"]].to_numpy(dtype=np.int64)
        self.counts = counts.tolist()
        utc = tw["created_at"].dt.tz_convert(None).to_numpy()
        self.time = utc.view(np.int64)
        self.created_at = np.char.add(
            np.datetime_as_string(utc.astype("datetime64[s]"), unit="s"), ".000Z"
        ).astype(object)
        index = pd.Index(self.id)
        self.parent = index.get_indexer(tw["parent_id"])
        self.retweeted = index.get_indexer(tw["retweeted_id"])

    def references(self, i: int) -> list[tuple[str, int]]:
        """Tweet ``i``'s referenced tweets: (id, row or -1), in ``referenced_tweets`` order."""
        refs = []
        if isinstance(self.parent_id[i], str):
            refs.append((self.parent_id[i], int(self.parent[i])))
        if isinstance(self.retweeted_id[i], str):
            refs.append((self.retweeted_id[i], int(self.retweeted[i])))
        return refs

    def object(self, i: int) -> dict:
        text, message_id = self.text[i], self.id[i]
        retweets, replies, likes = self.counts[i]
        obj = {
            "id": message_id,
            "text": text,
            "author_id": self.author_id[i],
            "conversation_id": self.thread_id[i],
            "created_at": self.created_at[i],
            "lang": self.lang[i],
            "public_metrics": {
                "retweet_count": retweets,
                "reply_count": replies,
                "like_count": likes,
                "quote_count": 0,
            },
            "edit_history_tweet_ids": [message_id],
            "possibly_sensitive": False,
            "reply_settings": "everyone",
            "source": (ORG_SOURCES if self.is_org[i] else CONSUMER_SOURCES)[
                int(message_id[-3:]) % 5
            ],
        }
        refs = []
        parent_id = self.parent_id[i]
        if isinstance(parent_id, str):
            refs.append({"type": "replied_to", "id": parent_id})
        if isinstance(self.retweeted_id[i], str):
            refs.append({"type": "retweeted", "id": self.retweeted_id[i]})
        if refs:
            obj["referenced_tweets"] = refs
        if isinstance(parent_id, str) and self.parent[i] >= 0:
            obj["in_reply_to_user_id"] = self.author_id[self.parent[i]]
        entities = {}
        handle_to_id = self.handle_to_id
        mentions = [
            {
                "start": m.start(),
                "end": m.end(),
                "username": m.group(1),
                "id": handle_to_id[m.group(1).lower()],
            }
            for m in MENTION.finditer(text)
            if m.group(1).lower() in handle_to_id
        ]
        if mentions:
            entities["mentions"] = mentions
        hashtags = [
            {"start": m.start(), "end": m.end(), "tag": m.group(1)} for m in HASHTAG.finditer(text)
        ]
        if hashtags:
            entities["hashtags"] = hashtags
        urls = [
            {
                "start": m.start(),
                "end": m.end(),
                "url": m.group(0),
                "expanded_url": "https://www.example.nl/" + m.group(0)[-10:],
                "display_url": "example.nl/…",
            }
            for m in URL.finditer(text)
        ]
        if urls:
            entities["urls"] = urls
        if entities:
            obj["entities"] = entities
        return obj


class _Users:
    """The Twitter users (accounts, then consumers): ids, handles and v2 user objects."""

    def __init__(self, accounts: pd.DataFrame, consumers: pd.DataFrame):
        self.accounts = {}
        for a in accounts[accounts["platform"] == "twitter"].itertuples(index=False):
            self.accounts[a.account_id] = {
                "id": a.account_id,
                "name": a.name if a.role == "brand" else f"{a.name} Klantenservice",
                "username": a.handle,
                "created_at": "2009-03-12T10:15:00.000Z",
                "description": f"Het officiële account van {a.name}.",
                "protected": False,
                "verified": True,
                "public_metrics": {
                    "followers_count": int(a.followers) if pd.notna(a.followers) else 0,
                    "following_count": 1200,
                    "tweet_count": 25000,
                    "listed_count": 800,
                },
            }
        tw = consumers[consumers["platform"] == "twitter"]
        self.names = tw["name"].to_numpy(dtype=object)
        self.handles = tw["handle"].to_numpy(dtype=object)
        # user id -> consumer row, or -1 for an account; a later entry wins, as in a dict
        self.row = dict.fromkeys(self.accounts, -1)
        self.row.update(zip(tw["user_id"].to_numpy(dtype=object), range(len(tw)), strict=True))
        handle = {uid: u["username"] for uid, u in self.accounts.items()}
        self.handle_to_id = {
            (handle[uid] if r < 0 else self.handles[r]).lower(): uid for uid, r in self.row.items()
        }

    def __contains__(self, user_id: str) -> bool:
        return user_id in self.row

    def object(self, user_id: str) -> dict:
        r = self.row[user_id]
        if r < 0:
            return self.accounts[user_id]
        n = int(user_id[-4:])
        return {
            "id": user_id,
            "name": self.names[r],
            "username": self.handles[r],
            "created_at": f"201{n % 7}-0{1 + n % 9}-1{n % 10}T12:00:00.000Z",
            "description": "",
            "protected": False,
            "verified": False,
            "public_metrics": {
                "followers_count": n % 900,
                "following_count": n % 700,
                "tweet_count": n % 5000,
                "listed_count": n % 5,
            },
        }


def _pages(
    tw: pd.DataFrame, rows: np.ndarray, referenced_rows: np.ndarray, users: _Users
) -> Iterator[bytes]:
    """The search responses for the tweets ``rows`` of ``tw``: newest first, ``PAGE_SIZE``
    a page; ``referenced_rows`` as ``_referenced_rows`` gives them."""
    if len(rows) == 0:
        yield orjson.dumps({"meta": {"result_count": 0}, "__twarc": TWARC}) + b"\n"
        return
    refs = referenced_rows[:, rows].ravel()
    refs = refs[refs >= 0]
    their_parents = referenced_rows[0, refs]
    held = np.unique(np.concatenate([rows, refs, their_parents[their_parents >= 0]]))
    tweets = _Tweets(tw, held, users.handle_to_id)
    rows = np.searchsorted(held, rows)
    rows = rows[np.argsort(-tweets.time[rows], kind="stable")].tolist()
    # tweets built as the referenced tweet of a newer one, until their own page comes
    referenced_later: dict[int, dict] = {}
    for start in range(0, len(rows), PAGE_SIZE):
        page_rows = rows[start : start + PAGE_SIZE]
        page_objects = {i: referenced_later.pop(i, None) or tweets.object(i) for i in page_rows}
        data = list(page_objects.values())
        referenced, errors = [], []
        seen = set()
        for i in page_rows:
            for rid, r in tweets.references(i):
                if rid in seen:
                    continue
                seen.add(rid)
                if r >= 0 and tweets.collected[r]:
                    obj = page_objects.get(r) or referenced_later.get(r)
                    if obj is None:
                        obj = referenced_later[r] = tweets.object(r)
                    referenced.append(obj)
                else:
                    errors.append(_not_found(rid))
        user_ids = []
        for tweet in data + referenced:
            user_ids.append(tweet["author_id"])
            user_ids.extend(m["id"] for m in tweet.get("entities", {}).get("mentions", []))
            if "in_reply_to_user_id" in tweet:
                user_ids.append(tweet["in_reply_to_user_id"])
        unique_users = list(dict.fromkeys(u for u in user_ids if u in users))
        page = {
            "data": data,
            "includes": {"users": [users.object(u) for u in unique_users]},
        }
        if referenced:
            page["includes"]["tweets"] = referenced
        if errors:
            page["errors"] = errors
        page_ids = [tweets.id[i] for i in page_rows]
        meta = {"newest_id": page_ids[0], "oldest_id": page_ids[-1], "result_count": len(page_ids)}
        if start + PAGE_SIZE < len(rows):
            meta["next_token"] = _token(page_ids[-1])
        page["meta"] = meta
        page["__twarc"] = TWARC
        yield orjson.dumps(page) + b"\n"


def _not_found(tweet_id: str) -> dict:
    return {
        "value": tweet_id,
        "detail": f"Could not find tweet with referenced_tweets.id: [{tweet_id}].",
        "title": "Not Found Error",
        "resource_type": "tweet",
        "parameter": "referenced_tweets.id",
        "resource_id": tweet_id,
        "type": "https://api.twitter.com/2/problems/resource-not-found",
    }


def _token(last_id: str) -> str:
    value = int(last_id)
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    out = []
    for _ in range(12):
        value, r = divmod(value, 36)
        out.append(alphabet[r])
    return "b26v89c19zqg8o3f" + "".join(out)
