"""The simulated conversations: who posts what, when, in reply to whom.

Messages are generated in rounds, as arrays: broadcasts; consumer messages
that open a conversation (mentions, replies and comments under broadcasts,
visitor posts); the organisations' responses; consumers' follow-ups and the
responses to those; reminders on unanswered complaints; retweets and chatter.
Every message keeps internal indices for its parent and thread root, so the
ground truth (true type, true first response) is exact.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from engbench.simulate.behaviour import FOLLOWUP_MIX, REPLY_TO_BROADCAST_MIX
from engbench.simulate.clock import (
    BROADCAST_HOURS_WEEKDAY,
    BROADCAST_HOURS_WEEKEND,
    BROADCAST_WEEKDAYS,
    CONSUMER_HOURS_WEEKDAY,
    CONSUMER_HOURS_WEEKEND,
    CONSUMER_WEEKDAYS,
    SCHEDULES,
    Period,
    WebcareClock,
    sample_times,
)
from engbench.simulate.text import TYPES

PLATFORMS = ("twitter", "facebook")
ROLES = ("broadcast", "reply", "incoming", "retweet", "chatter")
SUBKINDS = ("opener", "to_broadcast", "followup", "reminder")
BROADCAST, REPLY, INCOMING, RETWEET, CHATTER = range(5)
OPENER, TO_BROADCAST, FOLLOWUP, REMINDER = range(4)
COMPLAINT = 0

# Composition of an edition, as shares of the message target.
SHARE_OPENERS = 0.575
SHARE_BROADCASTS = 0.16
SHARE_RETWEETS = 0.05
SHARE_CHATTER = 0.04
# Broadcasts' split between Twitter and Facebook (of an organisation on both).
BROADCAST_PLATFORM_SPLIT = (0.5, 0.5)
P_FOLLOWUP = 0.30
P_REMINDER = 0.12
P_SECOND_ORG = 0.015
P_DELETED = 0.004
INCIDENTS_PER_ORG = 4


class _Rounds:
    """Accumulates rounds of messages as column arrays with global indices."""

    columns = (
        "platform",
        "org",
        "org2",
        "role",
        "sub",
        "account",
        "consumer",
        "t",
        "parent",
        "root",
        "type",
        "lang",
        "collected",
    )

    def __init__(self):
        self.parts: dict[str, list[np.ndarray]] = {c: [] for c in self.columns}
        self.size = 0

    def add(self, **arrays) -> np.ndarray:
        n = len(arrays["t"])
        idx = np.arange(self.size, self.size + n, dtype=np.int64)
        defaults = {
            "org2": -1,
            "sub": 0,
            "account": -1,
            "consumer": -1,
            "parent": -1,
            "type": -1,
            "lang": 0,
            "collected": True,
        }
        for c in self.columns:
            value = arrays.get(c, defaults.get(c))
            if c == "root" and value is None:
                value = idx
            self.parts[c].append(np.broadcast_to(np.asarray(value), (n,)).copy())
        self.size += n
        return idx

    def column(self, name: str) -> np.ndarray:
        return np.concatenate(self.parts[name]) if self.parts[name] else np.zeros(0)

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame({c: self.column(c) for c in self.columns})


def simulate_conversations(
    orgs: pd.DataFrame,
    behaviour: pd.DataFrame,
    accounts: pd.DataFrame,
    period: Period,
    n_messages: int,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """Generate the message table (internal indices, no ids or texts yet).

    ``orgs`` has one row per organisation (org_id, sector, …) aligned with
    ``behaviour``; ``accounts`` is the organisations sheet (one row per account).
    """
    n_orgs = len(orgs)
    end = period.end_utc
    acc = _account_lookup(orgs, accounts)
    rounds = _Rounds()
    clocks = {name: WebcareClock(SCHEDULES[name], period) for name in set(behaviour["schedule"])}

    # -- broadcasts -----------------------------------------------------------------------
    has = acc["has"]  # (n_orgs, 2) bool
    split = np.array(BROADCAST_PLATFORM_SPLIT)[None, :]
    bw = behaviour["broadcast_weight"].to_numpy()[:, None] * split * has
    n_broadcast = rng.multinomial(int(n_messages * SHARE_BROADCASTS), (bw / bw.sum()).ravel())
    n_broadcast = n_broadcast.reshape(n_orgs, 2)
    day_weights = BROADCAST_WEEKDAYS[period.weekdays()] * _season(period)
    b_idx = {}
    for o in range(n_orgs):
        for p in range(2):
            k = int(n_broadcast[o, p])
            t, _ = sample_times(
                rng, k, period, day_weights, BROADCAST_HOURS_WEEKDAY, BROADCAST_HOURS_WEEKEND
            )
            lang = (rng.random(k) < behaviour["english_share"].iat[o] * 0.4).astype(np.int8)
            b_idx[o, p] = rounds.add(
                platform=p, org=o, role=BROADCAST, account=acc["brand"][o, p], t=t, lang=lang
            )

    # -- consumer messages that open a conversation ---------------------------------------
    activity = behaviour["activity"].to_numpy()
    n_open = rng.multinomial(int(n_messages * SHARE_OPENERS), activity)
    openers = []
    for o in range(n_orgs):
        tw_share = behaviour["twitter_share"].iat[o] if has[o].all() else float(has[o, 0])
        k_tw = rng.binomial(n_open[o], tw_share)
        day_weights, incident_day = _consumer_days(period, rng)
        for p, k in ((0, k_tw), (1, n_open[o] - k_tw)):
            if k == 0 or not has[o, p]:
                continue
            share_to_b = (0.28 if p == 0 else 0.70) if len(b_idx[o, p]) else 0.0
            k_b = rng.binomial(k, share_to_b)
            openers.append(
                _openers(
                    rounds,
                    rng,
                    o,
                    p,
                    k - k_b,
                    period,
                    day_weights,
                    incident_day,
                    behaviour,
                    orgs,
                    n_orgs,
                )
            )
            if k_b:
                openers.append(
                    _replies_to_broadcasts(rounds, rng, o, p, k_b, b_idx[o, p], behaviour)
                )
    openers = np.concatenate(openers) if openers else np.zeros(0, dtype=np.int64)

    # -- responses, follow-ups, reminders --------------------------------------------------
    responded = _respond(rounds, rng, openers, behaviour, acc, clocks, end)
    followups = _followups(rounds, rng, responded, end)
    _respond(rounds, rng, followups, behaviour, acc, clocks, end)
    answered = np.zeros(rounds.size, dtype=bool)
    answered[rounds.column("parent")[rounds.column("role") == REPLY]] = True
    _reminders(rounds, rng, openers, answered, behaviour, acc, clocks, end)

    # -- retweets and chatter (Twitter only) -----------------------------------------------
    _retweets(rounds, rng, b_idx, orgs, n_orgs, int(n_messages * SHARE_RETWEETS), end)
    _chatter(rounds, rng, activity, has, period, int(n_messages * SHARE_CHATTER), behaviour)

    frame = rounds.frame()
    frame = frame[frame["t"] < end].copy()
    # a message whose parent fell outside the period cannot exist either
    keep = np.ones(rounds.size, dtype=bool)
    keep[:] = False
    keep[frame.index.to_numpy()] = True
    parent = frame["parent"].to_numpy()
    ok = (parent < 0) | keep[np.maximum(parent, 0)]
    return frame[ok]


# -- helpers -------------------------------------------------------------------------------


def _account_lookup(orgs: pd.DataFrame, accounts: pd.DataFrame) -> dict[str, np.ndarray]:
    """Per organisation and platform: brand account row and the account that replies."""
    n = len(orgs)
    brand = np.full((n, 2), -1, dtype=np.int64)
    replier = np.full((n, 2), -1, dtype=np.int64)
    position = {org_id: i for i, org_id in enumerate(orgs["org_id"])}
    for row, a in enumerate(accounts.itertuples(index=False)):
        if a.platform not in PLATFORMS:
            continue
        o, p = position[a.org_id], PLATFORMS.index(a.platform)
        if a.role == "brand" and brand[o, p] < 0:
            brand[o, p] = row
            if replier[o, p] < 0:
                replier[o, p] = row
        elif a.role == "webcare":
            replier[o, p] = row
    for o in range(n):
        for p in range(2):
            if brand[o, p] < 0:
                brand[o, p] = replier[o, p]
    return {"brand": brand, "replier": replier, "has": brand >= 0}


def _season(period: Period) -> np.ndarray:
    month = (pd.Timestamp(period.start) + pd.to_timedelta(np.arange(period.n_days), "D")).month
    return np.where(np.isin(month, [7, 8]), 0.8, 1.0) * np.where(month == 12, 0.9, 1.0)


def _consumer_days(period: Period, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Day weights for one organisation's consumers, with a few incidents (outages)."""
    weights = CONSUMER_WEEKDAYS[period.weekdays()] * _season(period)
    weights = weights * rng.lognormal(0, 0.15, period.n_days)
    incident = np.zeros(period.n_days, dtype=bool)
    for _ in range(rng.poisson(INCIDENTS_PER_ORG)):
        day = int(rng.integers(0, period.n_days))
        length = int(rng.integers(1, 3))
        weights[day : day + length] *= rng.uniform(3, 8)
        incident[day : day + length] = True
    return weights, incident


def _mix(behaviour: pd.DataFrame, o: int) -> np.ndarray:
    return behaviour.loc[behaviour.index[o], [f"mix_{t}" for t in TYPES]].to_numpy(float)


def _openers(rounds, rng, o, p, k, period, day_weights, incident_day, behaviour, orgs, n_orgs):
    t, day = sample_times(
        rng, k, period, day_weights, CONSUMER_HOURS_WEEKDAY, CONSUMER_HOURS_WEEKEND
    )
    mix = _mix(behaviour, o)
    types = rng.choice(4, size=k, p=mix)
    in_incident = incident_day[day]
    incident_types = rng.choice(4, size=k, p=[0.8, 0.12, 0.02, 0.06])
    types = np.where(in_incident, incident_types, types).astype(np.int8)
    lang = (rng.random(k) < behaviour["english_share"].iat[o]).astype(np.int8)
    org2 = np.full(k, -1, dtype=np.int64)
    collected = np.ones(k, dtype=bool)
    if p == 0:
        if n_orgs > 1:
            second = rng.random(k) < P_SECOND_ORG
            same_sector = np.flatnonzero(
                (orgs["sector"].to_numpy() == orgs["sector"].iat[o]) & (np.arange(n_orgs) != o)
            )
            pool = same_sector if len(same_sector) else np.delete(np.arange(n_orgs), o)
            org2[second] = rng.choice(pool, size=int(second.sum()))
        collected = rng.random(k) >= P_DELETED
    return rounds.add(
        platform=p,
        org=o,
        org2=org2,
        role=INCOMING,
        sub=OPENER,
        t=t,
        type=types,
        lang=lang,
        collected=collected,
    )


def _replies_to_broadcasts(rounds, rng, o, p, k, broadcasts, behaviour):
    parent = rng.choice(broadcasts, size=k)
    t_parent = rounds.column("t")[parent]
    delay = rng.lognormal(np.log(50 * 60), 1.4, k).astype(np.int64) + 5
    types = rng.choice(4, size=k, p=REPLY_TO_BROADCAST_MIX).astype(np.int8)
    lang = (rng.random(k) < behaviour["english_share"].iat[o] * 0.6).astype(np.int8)
    return rounds.add(
        platform=p,
        org=o,
        role=INCOMING,
        sub=TO_BROADCAST,
        t=t_parent + delay,
        parent=parent,
        root=rounds.column("root")[parent],
        type=types,
        lang=lang,
    )


def _respond(rounds, rng, incoming, behaviour, acc, clocks, end) -> np.ndarray:
    """Each organisation addressed by an incoming message may answer it.

    Returns the indices of the new replies.
    """
    if len(incoming) == 0:
        return np.zeros(0, dtype=np.int64)
    col = {c: rounds.column(c) for c in ("platform", "org", "org2", "t", "root", "type", "lang")}
    pairs_msg = [incoming]
    pairs_org = [col["org"][incoming]]
    has2 = incoming[col["org2"][incoming] >= 0]
    pairs_msg.append(has2)
    pairs_org.append(col["org2"][has2])
    msg = np.concatenate(pairs_msg)
    org = np.concatenate(pairs_org)
    platform = col["platform"][msg]
    mtype = col["type"][msg]
    p = np.zeros(len(msg))
    for pi, pname in enumerate(PLATFORMS):
        for ti, tname in enumerate(TYPES):
            sel = (platform == pi) & (mtype == ti)
            p[sel] = behaviour[f"p_respond_{pname}_{tname}"].to_numpy()[org[sel]]
    answer = (rng.random(len(msg)) < p) & acc["has"][org, platform]
    msg, org, platform = msg[answer], org[answer], platform[answer]
    t0 = col["t"][msg]
    median = behaviour["delay_median_s"].to_numpy()[org]
    sigma = behaviour["delay_sigma"].to_numpy()[org]
    work = (median * np.exp(sigma * rng.standard_normal(len(msg)))).astype(np.int64) + 30
    t_reply = np.empty(len(msg), dtype=np.int64)
    schedule = behaviour["schedule"].to_numpy()[org]
    for name, clock in clocks.items():
        sel = schedule == name
        t_reply[sel] = clock.advance(t0[sel], work[sel])
    late = rng.random(len(msg)) < behaviour["p_late"].to_numpy()[org]
    late_delay = behaviour["late_median_s"].to_numpy()[org] * rng.lognormal(0, 0.6, len(msg))
    t_reply = np.where(late, t0 + late_delay.astype(np.int64), t_reply)
    keep = t_reply < end
    msg, org, platform, t_reply = msg[keep], org[keep], platform[keep], t_reply[keep]
    return rounds.add(
        platform=platform,
        org=org,
        role=REPLY,
        account=acc["replier"][org, platform],
        t=t_reply,
        parent=msg,
        root=col["root"][msg],
        type=col["type"][msg],
        lang=col["lang"][msg],
    )


def _followups(rounds, rng, replies, end) -> np.ndarray:
    if len(replies) == 0:
        return replies
    follow = replies[rng.random(len(replies)) < P_FOLLOWUP]
    col = {c: rounds.column(c) for c in ("platform", "org", "t", "root", "lang", "parent")}
    t = col["t"][follow] + rng.lognormal(np.log(25 * 60), 1.2, len(follow)).astype(np.int64) + 10
    types = rng.choice(4, size=len(follow), p=FOLLOWUP_MIX).astype(np.int8)
    keep = t < end
    follow = follow[keep]
    return rounds.add(
        platform=col["platform"][follow],
        org=col["org"][follow],
        role=INCOMING,
        sub=FOLLOWUP,
        t=t[keep],
        parent=follow,
        root=col["root"][follow],
        type=types[keep],
        lang=col["lang"][follow],
    )


def _reminders(rounds, rng, openers, answered, behaviour, acc, clocks, end) -> None:
    mtype = rounds.column("type")
    unanswered = openers[(~answered[openers]) & (mtype[openers] == COMPLAINT)]
    remind = unanswered[rng.random(len(unanswered)) < P_REMINDER]
    col = {c: rounds.column(c) for c in ("platform", "org", "t", "root", "lang")}
    t = col["t"][remind] + rng.lognormal(np.log(5 * 3600), 0.8, len(remind)).astype(np.int64) + 60
    keep = t < end
    remind = remind[keep]
    new = rounds.add(
        platform=col["platform"][remind],
        org=col["org"][remind],
        role=INCOMING,
        sub=REMINDER,
        t=t[keep],
        parent=remind,
        root=col["root"][remind],
        type=COMPLAINT,
        lang=col["lang"][remind],
    )
    _respond(rounds, rng, new, behaviour, acc, clocks, end)


def _retweets(rounds, rng, b_idx, orgs, n_orgs, n_retweets, end) -> None:
    tweets = [b_idx[o, 0] for o in range(n_orgs) if len(b_idx[o, 0])]
    if not tweets or n_retweets == 0:
        return
    broadcasts = np.concatenate(tweets)
    followers = orgs["followers_twitter"].fillna(1000).to_numpy(float)
    weight = np.sqrt(followers[rounds.column("org")[broadcasts]]) * rng.gamma(
        0.5, 1.0, len(broadcasts)
    )
    counts = rng.multinomial(n_retweets, weight / weight.sum())
    parent = np.repeat(broadcasts, counts)
    t = rounds.column("t")[parent] + rng.lognormal(np.log(2 * 3600), 1.5, len(parent)).astype(
        np.int64
    )
    keep = t < end
    parent = parent[keep]
    rounds.add(
        platform=0,
        org=rounds.column("org")[parent],
        role=RETWEET,
        t=t[keep],
        parent=parent,
        lang=rounds.column("lang")[parent],
    )


def _chatter(rounds, rng, activity, has, period, n_chatter, behaviour) -> None:
    weight = activity * has[:, 0]
    if weight.sum() == 0 or n_chatter == 0:
        return
    counts = rng.multinomial(n_chatter, weight / weight.sum())
    day_weights = CONSUMER_WEEKDAYS[period.weekdays()]
    for o in np.flatnonzero(counts):
        k = int(counts[o])
        t, _ = sample_times(
            rng, k, period, day_weights, CONSUMER_HOURS_WEEKDAY, CONSUMER_HOURS_WEEKEND
        )
        lang = (rng.random(k) < behaviour["english_share"].iat[o]).astype(np.int8)
        rounds.add(platform=0, org=o, role=CHATTER, t=t, lang=lang)
