"""Threads and attribution: who answered whom, and how fast.

From the message store this stage derives, for every message, its thread (rebuilt
from parent links where a format has none) and its kind, and for every incoming
message × addressed organisation whether and when that organisation responded.

Definitions (defaults; the report states the values used):

- An organisation message is a **broadcast** when it replies to nobody, else a
  **reply**.
- An **incoming message** is written by a non-organisation account, is not a
  retweet (a retweet has no text of its own), and is addressed to an
  organisation: it mentions one of its handles, replies to one of its accounts,
  is on its page (``addressed_org_ids`` from ingest), or replies within a thread
  that belongs to the organisation (the thread's root is by it or addressed to
  it). A message addressed to two organisations is incoming for each.
- The **response** to an incoming message is the first message by any account of
  that organisation, in the same thread, that replies to a message of the
  incoming message's author (so: replies to it, or follows it in the thread
  addressed to its author), strictly after it and within the answer window.
  An answer in a new thread is not a response; an answer by another
  organisation is not one either. With ``response.definition: direct`` only a
  reply whose parent is the incoming message itself counts (the default,
  ``thread``, is the rule above).
- ``response_seconds`` is wall-clock time; ``response_seconds_webcare`` counts
  only time inside the configured webcare hours.
- An incoming message less than one answer window before the end of the
  period is **censored**: a response may exist after the archive ends. It is
  kept and flagged; the metrics leave censored messages out of rates and times.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from engbench.hours import OpeningHours, Schedule


@dataclass
class Threads:
    """Per-message derived columns, the incoming × organisation table, and counts."""

    messages: pd.DataFrame
    incoming: pd.DataFrame
    counts: dict


# The columns of the message store a thread needs from outside itself: parent links (a
# thread is rebuilt by following them across the whole store) and the parent's author.
INDEX_COLUMNS = ["platform", "message_id", "parent_id", "thread_id", "author_id", "is_org"]

# What counts as the response to an incoming message (config ``response.definition``): any
# later reply in its thread to its author, or only a direct reply to it.
DEFINITIONS = ("thread", "direct")


def rebuild_threads(messages: pd.DataFrame, parent: np.ndarray | None = None):
    """Thread id for every message, and whether its chain reaches a missing parent.

    Keeps the platform's thread id where there is one; otherwise follows
    ``parent_id`` up to the oldest ancestor in the store. A chain whose top
    parent is missing (deleted, not collected) is a thread rooted at that
    missing id, so its replies still group together. ``parent``: each message's
    parent's row position (NaN where none is in the store), if already known.
    """
    links = _links(messages)
    thread, missing = _rebuild(links, _parent_positions(links) if parent is None else parent)
    return (
        pd.Series(thread.to_numpy(zero_copy_only=False), index=messages.index, dtype=object),
        pd.Series(missing, index=messages.index),
    )


def _links(messages: pd.DataFrame | pa.Table) -> pa.Table:
    """The link columns (``INDEX_COLUMNS`` present) as arrow arrays: strings stay compact."""
    if isinstance(messages, pa.Table):
        return messages
    columns = {}
    for name in INDEX_COLUMNS:
        if name in messages:
            kind = pa.bool_() if name == "is_org" else pa.string()
            columns[name] = pa.array(messages[name].to_numpy(dtype=object), kind, from_pandas=True)
    return pa.table(columns)


def _column(links: pa.Table, name: str) -> pa.Array:
    return links.column(name).combine_chunks()


def _rebuild(links: pa.Table, parent: np.ndarray) -> tuple[pa.Array, np.ndarray]:
    """``rebuild_threads`` on arrow link columns: thread ids (arrow) and missing roots."""
    message_id, parent_id = _column(links, "message_id"), _column(links, "parent_id")
    has_parent = parent_id.is_valid().to_numpy(zero_copy_only=False)
    missing = has_parent & np.isnan(parent)
    up = np.where(np.isnan(parent), np.arange(len(parent)), parent).astype(np.int64)
    for _ in range(64):  # pointer jumping: doubles the distance each round
        nxt = up[up]
        if np.array_equal(nxt, up):
            break
        up = nxt
    else:  # parent links that form a cycle (damaged data): each such message roots itself
        cyclic = up[up] != up
        up[cyclic] = np.flatnonzero(cyclic)
    root_missing = missing[up]
    at = pa.array(up)
    rebuilt = pc.if_else(pa.array(root_missing), parent_id.take(at), message_id.take(at))
    return pc.coalesce(_column(links, "thread_id"), rebuilt), root_missing


def _parent_positions(links: pa.Table) -> np.ndarray:
    """Row position of each message's parent (the first row with that id), NaN if absent."""
    platform = _column(links, "platform")
    key = pc.binary_join_element_wise(platform, _column(links, "message_id"), "\x1f")
    parent = pc.fill_null(_column(links, "parent_id"), "\x00")
    parent_key = pc.binary_join_element_wise(platform, parent, "\x1f")
    position = pc.index_in(parent_key, value_set=key)
    return position.cast(pa.float64()).fill_null(np.nan).to_numpy(zero_copy_only=False)


# Rows hashed at a time for the shard of each message (the hash needs Python strings).
HASH_BLOCK = 200_000


def thread_index_table(links: pa.Table, n_shards: int = 1) -> pa.Table:
    """``thread_index`` on arrow link columns, returning an arrow table: the edition's ids
    are held as arrow strings (a few dozen bytes a message), never as Python objects."""
    parent = _parent_positions(links)
    thread, missing = _rebuild(links, parent)
    at = pa.array(parent, pa.float64(), from_pandas=True).cast(pa.int64())  # NaN → null
    parent_author = _column(links, "author_id").take(at)
    parent_is_org = pc.fill_null(_column(links, "is_org").take(at), False)
    key = pc.binary_join_element_wise(_column(links, "platform"), thread, "\x1f")
    shard = np.empty(len(parent), dtype=np.int64)
    for start in range(0, len(parent), HASH_BLOCK):
        block = key.slice(start, HASH_BLOCK).to_numpy(zero_copy_only=False)
        hashed = pd.util.hash_array(block, categorize=False) % np.uint64(max(n_shards, 1))
        shard[start : start + len(block)] = hashed.astype(np.int64)
    return pa.table(
        {
            "thread_id": thread,
            "missing_parent": pa.array(missing, pa.bool_()),
            "parent_author_id": parent_author,
            "parent_is_org": parent_is_org,
            "shard": shard,
        }
    )


def thread_index(links: pd.DataFrame, n_shards: int = 1) -> pd.DataFrame:
    """What each message needs from the rest of the store, and its shard.

    ``links``: the store's ``INDEX_COLUMNS``, in store order. Returns, row for row: the
    rebuilt ``thread_id``, ``missing_parent``, the parent's author and whether that is an
    organisation (``parent_author_id``, ``parent_is_org``; missing where the parent is not in
    the store) and ``shard``, a hash of platform and thread modulo ``n_shards``: a thread is
    never split between shards, so each shard is derived alone (``derive_shard``).
    """
    table = thread_index_table(_links(links.reset_index(drop=True)), n_shards)
    return pd.DataFrame(
        {
            "thread_id": table.column("thread_id").to_numpy(zero_copy_only=False),
            "missing_parent": table.column("missing_parent").to_numpy(zero_copy_only=False),
            "parent_author_id": table.column("parent_author_id").to_numpy(zero_copy_only=False),
            "parent_is_org": table.column("parent_is_org").to_numpy(zero_copy_only=False),
            "shard": table.column("shard").to_numpy(),
        }
    )


def derive(
    messages: pd.DataFrame,
    answer_window_days: float,
    webcare_hours: Schedule,
    timezone: str,
    period_end: str,
    definition: str = "thread",
) -> Threads:
    """Threads, kinds, incoming pairs and responses for a message store.

    ``period_end`` is the period's (exclusive) end, a local date in ``timezone``. The same
    as ``derive_shard`` on the whole store with its ``thread_index``.
    """
    m = messages.reset_index(drop=True)
    index = thread_index(m[INDEX_COLUMNS]).drop(columns="shard")
    m = pd.concat([m.drop(columns="thread_id"), index], axis=1)[
        [*messages.columns, *[c for c in index.columns if c not in messages.columns]]
    ]
    return derive_shard(
        m, answer_window_days, webcare_hours, timezone, period_end, definition=definition
    )


def derive_shard(
    m: pd.DataFrame,
    answer_window_days: float,
    webcare_hours: Schedule,
    timezone: str,
    period_end: str,
    keep_rows: bool = False,
    definition: str = "thread",
) -> Threads:
    """``derive`` for messages that already carry their ``thread_index`` columns: a whole
    store, or one shard of it (whole threads). Messages keep their order; the incoming
    table follows it (and, within a message, its organisations' order); with ``keep_rows``
    it has a column ``row``, its message's position in ``m``."""
    period_end_utc = pd.Timestamp(period_end).tz_localize(timezone).tz_convert("UTC")
    m = m.reset_index(drop=True)
    kind = _kinds(m)
    pairs = _incoming_pairs(m)
    pairs = _responses(m, pairs, answer_window_days, definition)
    pairs = _webcare_times(pairs, webcare_hours, timezone)
    window = pd.Timedelta(days=answer_window_days)
    pairs["censored"] = pairs["created_at"] > period_end_utc - window
    is_incoming = np.zeros(len(m), dtype=bool)
    is_incoming[pairs["row"].to_numpy(dtype=np.int64)] = True
    if not keep_rows:
        pairs = pairs.drop(columns="row")
    kind[is_incoming] = "incoming"
    m = m.drop(columns=["parent_author_id", "parent_is_org"])
    m.insert(m.columns.get_loc("missing_parent") + 1, "kind", kind)
    counts = {
        "messages": len(m),
        "broadcasts": int((kind == "broadcast").sum()),
        "replies": int((kind == "reply").sum()),
        "incoming_messages": int(is_incoming.sum()),
        "incoming_pairs": len(pairs),
        "addressed_to_two_or_more": int(
            pairs.duplicated(["platform", "message_id"], keep=False).sum()
        ),
        "missing_parent_messages": int(m["missing_parent"].sum()),
        "censored_pairs": int(pairs["censored"].sum()),
    }
    return Threads(m, pairs, counts)


def _kinds(m: pd.DataFrame) -> np.ndarray:
    """broadcast / reply for organisation messages; other until incoming is known."""
    is_org = m["is_org"].to_numpy(dtype=bool)
    return np.where(is_org, np.where(m["parent_id"].isna(), "broadcast", "reply"), "other").astype(
        object
    )


def _incoming_pairs(m: pd.DataFrame) -> pd.DataFrame:
    """One row per incoming message × organisation it is addressed to: the organisations it
    addresses itself, then (for a reply) those its thread belongs to. ``row``: the message's
    position in ``m``."""
    is_candidate = ~m["is_org"].to_numpy(dtype=bool) & m["retweeted_id"].isna().to_numpy()
    candidates = m.loc[is_candidate, ["platform", "thread_id", "parent_id", "addressed_org_ids"]]
    direct = candidates["addressed_org_ids"].explode().dropna()
    direct = pd.DataFrame({"row": direct.index.to_numpy(np.int64), "org_id": direct.to_numpy()})
    direct["order"] = direct.groupby("row").cumcount()
    replies = candidates[candidates["parent_id"].notna()]
    owners = _thread_orgs(m)
    in_thread = (
        pd.DataFrame(
            {
                "row": replies.index.to_numpy(np.int64),
                "platform": replies["platform"].to_numpy(dtype=object),
                "thread_id": replies["thread_id"].to_numpy(dtype=object),
            }
        )
        .merge(owners, on=["platform", "thread_id"], how="inner", sort=False)
        .sort_values(["row", "owner_order"], kind="stable")
    )
    in_thread = in_thread.drop_duplicates(["row", "org_id"])
    in_thread = in_thread.merge(direct[["row", "org_id"]], how="left", indicator=True)
    in_thread = in_thread[in_thread["_merge"] == "left_only"]
    in_thread["order"] = 1_000_000 + in_thread["owner_order"]
    pairs = pd.concat([direct, in_thread[["row", "org_id", "order"]]], ignore_index=True)
    pairs = pairs.sort_values(["row", "order"], kind="stable")
    cols = ["platform", "message_id", "thread_id", "author_id", "created_at", "text", "lang"]
    cols += [c for c in ("type",) if c in m]
    out = m.loc[pairs["row"].to_numpy(), cols].reset_index(drop=True)
    out.insert(2, "org_id", pairs["org_id"].to_numpy(dtype=object))
    out["row"] = pairs["row"].to_numpy()
    return out


# the columns ``responses`` reads from the threads stage's messages table
RESPONSE_COLUMNS = [*INDEX_COLUMNS, "org_id", "created_at", "in_reply_to_author_id"]
# the columns of the incoming table that ``responses`` derives again
RESPONSE_FIELDS = ["replied", "first_reply_id", "first_reply_at", "response_seconds"]


def response_messages(messages: pd.DataFrame) -> pd.DataFrame:
    """What ``responses`` needs of the threads stage's messages table (at least
    ``RESPONSE_COLUMNS``, threads already rebuilt): those columns and each message's
    parent's author, prepared once for several definitions or windows."""
    m = messages[RESPONSE_COLUMNS].reset_index(drop=True)
    index = thread_index(m[INDEX_COLUMNS])
    m["parent_author_id"] = index["parent_author_id"].to_numpy(dtype=object)
    m["parent_is_org"] = index["parent_is_org"].to_numpy(dtype=bool)
    return m


def responses(
    messages: pd.DataFrame,
    incoming: pd.DataFrame,
    answer_window_days: float,
    definition: str = "thread",
) -> pd.DataFrame:
    """The incoming table's responses again, under another definition or answer window.

    ``messages``: from ``response_messages``; ``incoming``: the threads stage's incoming
    table. Returns ``incoming`` with ``RESPONSE_FIELDS`` derived anew (``censored`` and
    ``response_seconds_webcare`` are dropped: they depend on the window and the hours)."""
    pairs = incoming.drop(
        columns=[*RESPONSE_FIELDS, "response_seconds_webcare", "censored"], errors="ignore"
    ).reset_index(drop=True)
    return _responses(messages, pairs, answer_window_days, definition)


def _thread_orgs(m: pd.DataFrame) -> pd.DataFrame:
    """The organisations each thread belongs to (platform, thread_id, org_id, owner_order):
    its root's author, or those its root addresses.

    A thread whose root is missing (deleted, not collected) belongs to nobody: its
    messages are incoming only where they address an organisation themselves."""
    roots = m[(m["message_id"] == m["thread_id"]).to_numpy()]
    roots = roots.drop_duplicates(["platform", "thread_id"], keep="last")
    by_org = roots[roots["is_org"].to_numpy(dtype=bool)]
    own = pd.DataFrame(
        {
            "platform": by_org["platform"].to_numpy(dtype=object),
            "thread_id": by_org["thread_id"].to_numpy(dtype=object),
            "org_id": by_org["org_id"].to_numpy(dtype=object),
            "owner_order": 0,
        }
    )
    to_org = roots[~roots["is_org"].to_numpy(dtype=bool)]
    addressed = to_org["addressed_org_ids"].explode().dropna()
    addressed = pd.DataFrame(
        {
            "platform": to_org.loc[addressed.index, "platform"].to_numpy(dtype=object),
            "thread_id": to_org.loc[addressed.index, "thread_id"].to_numpy(dtype=object),
            "org_id": addressed.to_numpy(dtype=object),
            "_root": addressed.index.to_numpy(),
        }
    )
    addressed["owner_order"] = addressed.groupby("_root").cumcount()
    return pd.concat([own, addressed.drop(columns="_root")], ignore_index=True)


def _responses(
    m: pd.DataFrame, pairs: pd.DataFrame, answer_window_days: float, definition: str = "thread"
) -> pd.DataFrame:
    """First response of the addressed organisation within the window, per incoming pair.

    ``definition``: ``thread``, the first reply in the same thread that answers the incoming
    message's author (``_addressees``); ``direct``, only a reply whose parent is the
    incoming message itself."""
    if definition not in DEFINITIONS:
        raise ValueError(f"unknown response definition {definition!r}: one of {DEFINITIONS}")
    org_msgs = m[m["is_org"] & m["parent_id"].notna()].copy()
    if definition == "direct":
        replies = org_msgs[["platform", "org_id", "parent_id", "created_at", "message_id"]].rename(
            columns={"created_at": "reply_at", "message_id": "first_reply_id"}
        )
        pairs = pairs.assign(parent_id=pairs["message_id"])
        keys = ["platform", "org_id", "parent_id"]
    else:
        org_msgs["addressee"] = _addressees(m, org_msgs)
        replies = org_msgs[
            ["platform", "org_id", "thread_id", "addressee", "created_at", "message_id"]
        ].rename(
            columns={
                "created_at": "reply_at",
                "message_id": "first_reply_id",
                "addressee": "author_id",
            }
        )
        replies = replies.dropna(subset=["author_id"])
        keys = ["platform", "org_id", "thread_id", "author_id"]
    left = _as_str(pairs.assign(_order=np.arange(len(pairs))), keys).sort_values(
        "created_at", kind="stable"
    )
    right = _as_str(replies, keys).sort_values("reply_at", kind="stable")
    matched = pd.merge_asof(
        left,
        right,
        left_on="created_at",
        right_on="reply_at",
        by=keys,
        direction="forward",
        allow_exact_matches=False,
    ).sort_values("_order")
    seconds = (matched["reply_at"] - matched["created_at"]).dt.total_seconds()
    within = seconds <= answer_window_days * 86400
    out = pairs.drop(columns="parent_id") if definition == "direct" else pairs.copy()
    # the same types whatever the content (a shard may have no answer at all)
    out["replied"] = within.fillna(False).to_numpy(dtype=bool)
    out["first_reply_id"] = matched["first_reply_id"].where(within).to_numpy(dtype=object)
    first_reply_at = matched["reply_at"].where(within).astype(pairs["created_at"].dtype)
    out["first_reply_at"] = pd.Series(first_reply_at.array, index=out.index)
    out["response_seconds"] = seconds.where(within).to_numpy(dtype=float)
    return out


def _addressees(m: pd.DataFrame, org_msgs: pd.DataFrame) -> np.ndarray:
    """Whom each organisation reply answers.

    The author of the message it replies to; where the platform says so
    (``in_reply_to_author_id``) and the parent is not in the store, that account.
    On Facebook, where every reply in a comment thread hangs under the top-level
    comment, a reply under the organisation's own comment answers the latest
    other participant who wrote under that comment before it. (On Twitter a reply
    to the organisation's own tweet continues its own thread: it answers nobody new.)
    """
    parent_author = org_msgs["parent_author_id"].to_numpy(dtype=object)
    parent_is_org = org_msgs["parent_is_org"].to_numpy(dtype=bool)
    addressee = np.where(
        pd.isna(parent_author),
        org_msgs["in_reply_to_author_id"].to_numpy(dtype=object),
        parent_author,
    )
    own = np.flatnonzero(parent_is_org & (org_msgs["platform"] == "facebook").to_numpy())
    if len(own):
        under = m[~m["is_org"] & m["parent_id"].notna()][
            ["platform", "parent_id", "created_at", "author_id"]
        ]
        asking = org_msgs.iloc[own][["platform", "parent_id", "created_at"]].assign(_i=own)
        found = pd.merge_asof(
            _as_str(asking, ["platform", "parent_id"]).sort_values("created_at", kind="stable"),
            _as_str(under, ["platform", "parent_id"]).sort_values("created_at", kind="stable"),
            on="created_at",
            by=["platform", "parent_id"],
            direction="backward",
            allow_exact_matches=False,
        )
        addressee[found["_i"].to_numpy()] = found["author_id"].to_numpy(dtype=object)
    return addressee


def _webcare_times(pairs: pd.DataFrame, webcare_hours: Schedule, timezone: str) -> pd.DataFrame:
    """Response time counted only inside the configured webcare hours."""
    pairs["response_seconds_webcare"] = np.nan
    answered = pairs["replied"].to_numpy()
    if not answered.any():
        return pairs
    start = _epoch_seconds(pairs.loc[answered, "created_at"])
    end = _epoch_seconds(pairs.loc[answered, "first_reply_at"])
    origin = int(start.min()) - 86400
    days = int((end.max() - origin) // 86400) + 2
    hours = OpeningHours(webcare_hours, origin, days, timezone)
    pairs.loc[answered, "response_seconds_webcare"] = hours.open_seconds(start, end).astype(float)
    return pairs


def _as_str(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Key columns with one string dtype on both sides of a merge (empty frames included)."""
    return frame.astype({c: "str" for c in columns})


def _epoch_seconds(times: pd.Series) -> np.ndarray:
    times = pd.to_datetime(times, utc=True)
    return ((times - pd.Timestamp(0, tz="UTC")) // pd.Timedelta(seconds=1)).to_numpy(dtype=np.int64)
