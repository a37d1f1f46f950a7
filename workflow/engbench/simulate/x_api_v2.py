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
    collection made with one query per organisation.
    """
    messages = messages.assign(parent_author_id=parent_authors(messages))
    tw = messages[(messages["platform"] == "twitter") & messages["collected"]]
    users = _user_objects(accounts, consumers)
    handle_to_id = {u["username"].lower(): uid for uid, u in users.items()}
    objects = {}
    for row in tw.itertuples(index=False):
        objects[row.message_id] = _tweet_object(row, handle_to_id)
    all_tw = messages[messages["platform"] == "twitter"]
    exists = set(tw["message_id"])
    files = {}
    for org_id in orgs["org_id"]:
        sel = tw[(tw["org_id"] == org_id) | (tw["org2_id"] == org_id)]
        if not (
            accounts[(accounts["org_id"] == org_id) & (accounts["platform"] == "twitter")]
        ).empty:
            files[org_id] = _pages(sel, objects, users, exists, all_tw)
    return files


def _tweet_object(row, handle_to_id) -> dict:
    text = row.text
    obj = {
        "id": row.message_id,
        "text": text,
        "author_id": row.author_id,
        "conversation_id": row.thread_id,
        "created_at": row.created_at.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "lang": row.lang,
        "public_metrics": {
            "retweet_count": int(row.share_count),
            "reply_count": int(row.reply_count),
            "like_count": int(row.like_count),
            "quote_count": 0,
        },
        "edit_history_tweet_ids": [row.message_id],
        "possibly_sensitive": False,
        "reply_settings": "everyone",
        "source": (ORG_SOURCES if row.is_org else CONSUMER_SOURCES)[int(row.message_id[-3:]) % 5],
    }
    refs = []
    if isinstance(row.parent_id, str):
        refs.append({"type": "replied_to", "id": row.parent_id})
    if isinstance(row.retweeted_id, str):
        refs.append({"type": "retweeted", "id": row.retweeted_id})
    if refs:
        obj["referenced_tweets"] = refs
    if isinstance(row.parent_id, str) and isinstance(row.parent_author_id, str):
        obj["in_reply_to_user_id"] = row.parent_author_id
    entities = {}
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


def _user_objects(accounts: pd.DataFrame, consumers: pd.DataFrame) -> dict[str, dict]:
    users = {}
    for a in accounts[accounts["platform"] == "twitter"].itertuples(index=False):
        users[a.account_id] = {
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
    for uid, name, handle in zip(tw["user_id"], tw["name"], tw["handle"], strict=True):
        n = int(uid[-4:])
        users[uid] = {
            "id": uid,
            "name": name,
            "username": handle,
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
    return users


def _pages(sel: pd.DataFrame, objects, users, exists, all_tw) -> Iterator[bytes]:
    order = sel.sort_values("created_at", ascending=False, kind="stable")
    ids = order["message_id"].tolist()
    if not ids:
        yield orjson.dumps({"meta": {"result_count": 0}, "__twarc": TWARC}) + b"\n"
        return
    for start in range(0, len(ids), PAGE_SIZE):
        page_ids = ids[start : start + PAGE_SIZE]
        data = [objects[i] for i in page_ids]
        referenced, errors = [], []
        seen = set()
        for tweet in data:
            for ref in tweet.get("referenced_tweets", []):
                rid = ref["id"]
                if rid in seen:
                    continue
                seen.add(rid)
                if rid in exists:
                    referenced.append(objects[rid])
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
            "includes": {"users": [users[u] for u in unique_users]},
        }
        if referenced:
            page["includes"]["tweets"] = referenced
        if errors:
            page["errors"] = errors
        meta = {"newest_id": page_ids[0], "oldest_id": page_ids[-1], "result_count": len(page_ids)}
        if start + PAGE_SIZE < len(ids):
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


def parent_authors(messages: pd.DataFrame) -> np.ndarray:
    """The author id of each message's parent (None where there is no parent)."""
    by_id = pd.Series(messages["author_id"].to_numpy(), index=messages["message_id"].to_numpy())
    key = messages["platform"].to_numpy() + ":" + messages["parent_id"].fillna("").to_numpy()
    full = pd.Series(
        by_id.to_numpy(),
        index=messages["platform"].to_numpy() + ":" + messages["message_id"].to_numpy(),
    )
    out = full.reindex(key).to_numpy(dtype=object)
    out[messages["parent_id"].isna().to_numpy()] = None
    return out
