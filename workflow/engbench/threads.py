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
  organisation is not one either.
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

from engbench.hours import OpeningHours, Schedule


@dataclass
class Threads:
    """Per-message derived columns, the incoming × organisation table, and counts."""

    messages: pd.DataFrame
    incoming: pd.DataFrame
    counts: dict


def rebuild_threads(messages: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Thread id for every message, and whether its chain reaches a missing parent.

    Keeps the platform's thread id where there is one; otherwise follows
    ``parent_id`` up to the oldest ancestor in the store. A chain whose top
    parent is missing (deleted, not collected) is a thread rooted at that
    missing id, so its replies still group together.
    """
    key = messages["platform"] + "\x1f" + messages["message_id"]
    position = pd.Series(np.arange(len(messages)), index=key.to_numpy())
    position = position[~position.index.duplicated()]
    parent_key = messages["platform"] + "\x1f" + messages["parent_id"].fillna("\x00")
    parent = position.reindex(parent_key.to_numpy()).to_numpy()
    has_parent = messages["parent_id"].notna().to_numpy()
    missing = has_parent & np.isnan(parent)
    up = np.where(np.isnan(parent), np.arange(len(messages)), parent).astype(np.int64)
    for _ in range(64):  # pointer jumping: doubles the distance each round
        nxt = up[up]
        if np.array_equal(nxt, up):
            break
        up = nxt
    else:  # parent links that form a cycle (damaged data): each such message roots itself
        cyclic = up[up] != up
        up[cyclic] = np.flatnonzero(cyclic)
    root_message = messages["message_id"].to_numpy()[up]
    root_missing = missing[up]
    root_parent = messages["parent_id"].to_numpy()[up]
    rebuilt = np.where(root_missing, root_parent, root_message)
    thread = messages["thread_id"].where(
        messages["thread_id"].notna(), pd.Series(rebuilt, index=messages.index)
    )
    return thread, pd.Series(root_missing, index=messages.index)


def derive(
    messages: pd.DataFrame,
    answer_window_days: float,
    webcare_hours: Schedule,
    timezone: str,
    period_end: str,
) -> Threads:
    """Threads, kinds, incoming pairs and responses for a message store.

    ``period_end`` is the period's (exclusive) end, a local date in ``timezone``.
    """
    period_end_utc = pd.Timestamp(period_end).tz_localize(timezone).tz_convert("UTC")
    m = messages.reset_index(drop=True).copy()
    m["thread_id"], m["missing_parent"] = rebuild_threads(m)
    m["kind"] = _kinds(m)
    pairs = _incoming_pairs(m)
    pairs = _responses(m, pairs, answer_window_days)
    pairs = _webcare_times(pairs, webcare_hours, timezone)
    window = pd.Timedelta(days=answer_window_days)
    pairs["censored"] = pairs["created_at"] > period_end_utc - window
    incoming_messages = set(zip(pairs["platform"], pairs["message_id"], strict=True))
    is_incoming = pd.Series(
        [(p, i) in incoming_messages for p, i in zip(m["platform"], m["message_id"], strict=True)],
        index=m.index,
    )
    m.loc[is_incoming, "kind"] = "incoming"
    counts = {
        "messages": len(m),
        "broadcasts": int((m["kind"] == "broadcast").sum()),
        "replies": int((m["kind"] == "reply").sum()),
        "incoming_messages": int(is_incoming.sum()),
        "incoming_pairs": len(pairs),
        "addressed_to_two_or_more": int(
            pairs.duplicated(["platform", "message_id"], keep=False).sum()
        ),
        "missing_parent_messages": int(m["missing_parent"].sum()),
        "censored_pairs": int(pairs["censored"].sum()),
    }
    return Threads(m, pairs, counts)


def _kinds(m: pd.DataFrame) -> pd.Series:
    """broadcast / reply for organisation messages; other until incoming is known."""
    kind = np.where(m["is_org"], np.where(m["parent_id"].isna(), "broadcast", "reply"), "other")
    return pd.Series(kind, index=m.index)


def _incoming_pairs(m: pd.DataFrame) -> pd.DataFrame:
    """One row per incoming message × organisation it is addressed to."""
    root_orgs = _thread_orgs(m)
    candidates = m[~m["is_org"] & m["retweeted_id"].isna()]
    rows = []
    for direct, is_reply, thread_key, idx in zip(
        candidates["addressed_org_ids"],
        candidates["parent_id"].notna(),
        candidates["platform"] + "\x1f" + candidates["thread_id"],
        candidates.index,
        strict=True,
    ):
        orgs = list(direct) if direct is not None else []
        if is_reply:
            for org in root_orgs.get(thread_key, ()):
                if org not in orgs:
                    orgs.append(org)
        for org in orgs:
            rows.append((idx, org))
    pairs = pd.DataFrame(rows, columns=["row", "org_id"])
    cols = ["platform", "message_id", "thread_id", "author_id", "created_at", "text", "lang"]
    cols += [c for c in ("type",) if c in m]
    out = m.loc[pairs["row"], cols].reset_index(drop=True)
    out.insert(2, "org_id", pairs["org_id"].to_numpy())
    return out


def _thread_orgs(m: pd.DataFrame) -> dict[str, tuple[str, ...]]:
    """The organisations a thread belongs to: its root's author, or those its root addresses."""
    roots = m[m["message_id"] == m["thread_id"]]
    out: dict[str, tuple[str, ...]] = {}
    for platform, thread, is_org, org, addressed in zip(
        roots["platform"],
        roots["thread_id"],
        roots["is_org"],
        roots["org_id"],
        roots["addressed_org_ids"],
        strict=True,
    ):
        key = f"{platform}\x1f{thread}"
        out[key] = (org,) if is_org else tuple(addressed if addressed is not None else ())
    # a thread whose root is missing (deleted, not collected) belongs to nobody: its
    # messages are incoming only where they address an organisation themselves
    return out


def _responses(m: pd.DataFrame, pairs: pd.DataFrame, answer_window_days: float) -> pd.DataFrame:
    """First response of the addressed organisation within the window, per incoming pair."""
    org_msgs = m[m["is_org"] & m["parent_id"].notna()].copy()
    org_msgs["addressee"] = _addressees(m, org_msgs)
    replies = org_msgs[
        ["platform", "org_id", "thread_id", "addressee", "created_at", "message_id"]
    ].rename(
        columns={"created_at": "reply_at", "message_id": "first_reply_id", "addressee": "author_id"}
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
    out = pairs.copy()
    out["replied"] = within.fillna(False).to_numpy(dtype=bool)
    out["first_reply_id"] = matched["first_reply_id"].where(within).to_numpy()
    out["first_reply_at"] = matched["reply_at"].where(within).to_numpy()
    out["response_seconds"] = seconds.where(within).to_numpy()
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
    key = (m["platform"] + "\x1f" + m["message_id"]).to_numpy()
    author_of = pd.Series(m["author_id"].to_numpy(), index=key)
    is_org_of = pd.Series(m["is_org"].to_numpy(), index=key)
    author_of = author_of[~author_of.index.duplicated()]
    is_org_of = is_org_of[~is_org_of.index.duplicated()]
    parent_key = (org_msgs["platform"] + "\x1f" + org_msgs["parent_id"]).to_numpy()
    parent_author = author_of.reindex(parent_key).to_numpy(dtype=object)
    parent_is_org = is_org_of.reindex(parent_key).fillna(False).to_numpy(dtype=bool)
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
