"""Assemble a simulated edition: authors, platform ids, texts, metrics and truth.

``simulate_edition`` is the simulator's one entry point. It returns an
``Edition`` whose ``messages`` table is the complete truth (every message with
its role, true type, whether it was collected), ``incoming`` gives each
incoming message × addressed organisation with its true first response, and
``panel`` the consumer survey. The writers in ``x_api_v2``,
``facebook_graph`` and ``panel`` turn it into the raw files.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from engbench.organisations import organisation_table
from engbench.simulate.behaviour import draw_behaviour
from engbench.simulate.clock import Period
from engbench.simulate.conversations import (
    BROADCAST,
    CHATTER,
    FOLLOWUP,
    INCOMING,
    OPENER,
    PLATFORMS,
    REMINDER,
    REPLY,
    RETWEET,
    ROLES,
    SUBKINDS,
    simulate_conversations,
)
from engbench.simulate.panel import PanelData, simulate_panel
from engbench.simulate.text import LANGS, TYPES, TextGenerator

TWITTER_EPOCH_MS = 1288834974657


@dataclass
class Edition:
    """A simulated edition and its ground truth."""

    messages: pd.DataFrame
    incoming: pd.DataFrame
    consumers: pd.DataFrame
    accounts: pd.DataFrame
    organisations: pd.DataFrame
    behaviour: pd.DataFrame
    panel: PanelData
    settings: dict = field(default_factory=dict)


def simulate_edition(
    accounts: pd.DataFrame,
    period_start: str,
    period_end: str,
    timezone: str,
    seed: int,
    n_messages: int,
    n_respondents: int,
    follow_up: dict | None = None,
    base_accounts: pd.DataFrame | None = None,
) -> Edition:
    """Simulate an edition for the organisations sheet ``accounts``.

    ``follow_up`` (with ``base_accounts``, the base edition's sheet): a later edition of
    the same organisations — see :func:`follow_up_behaviour`."""
    rng = np.random.default_rng(seed)
    period = Period(
        dt.date.fromisoformat(period_start), dt.date.fromisoformat(period_end), timezone
    )
    orgs = _with_followers(organisation_table(accounts))
    if follow_up:
        behaviour = follow_up_behaviour(
            orgs, _with_followers(organisation_table(base_accounts)), follow_up, rng
        )
    else:
        behaviour = draw_behaviour(orgs, rng)
    raw = simulate_conversations(orgs, behaviour, accounts, period, n_messages, rng)
    texts = TextGenerator(seed)
    consumers, author = _assign_consumers(raw, rng, texts)
    messages = _platform_view(raw, author, consumers, accounts, orgs, rng)
    _write_texts(messages, raw, consumers, accounts, orgs, texts, author)
    _engagement(messages, accounts, orgs, behaviour, rng)
    incoming = _incoming_truth(raw, author, messages, orgs["org_id"].to_numpy(dtype=object))
    panel = simulate_panel(orgs, n_respondents, rng)
    settings = {
        "seed": seed,
        "n_messages_target": n_messages,
        "n_respondents": n_respondents,
        "period_start": period_start,
        "period_end": period_end,
        "timezone": timezone,
    }
    if follow_up:
        base = organisation_table(base_accounts)
        settings["follow_up"] = follow_up_truth(orgs, base, follow_up)
    return Edition(messages, incoming, consumers, accounts, orgs, behaviour, panel, settings)


def _with_followers(orgs: pd.DataFrame) -> pd.DataFrame:
    for column in ("followers_twitter", "followers_facebook"):
        if column not in orgs:
            orgs[column] = np.nan
    return orgs


def follow_up_behaviour(
    orgs: pd.DataFrame, base: pd.DataFrame, follow_up: dict, rng: np.random.Generator
) -> pd.DataFrame:
    """The behaviour of a follow-up edition's organisations, with known changes.

    Organisations in the base edition keep its behaviour exactly (drawn again from the base
    sheet ``base`` and ``follow_up["base_seed"]``, as the base edition drew it); an
    organisation that is new (an entrant) draws its own, with the median activity of the
    others. Then the known changes: ``respond`` {org_id: Δ} adds Δ to every response
    probability of that organisation (clipped to 0.01–0.99); ``speed`` {org_id: factor}
    multiplies its response delays; ``twitter_share`` multiplies every organisation's
    share of traffic on Twitter (the platform mix shifts). Organisations of the base sheet
    missing from ``orgs`` have left."""
    drawn = draw_behaviour(base, np.random.default_rng(follow_up["base_seed"]))
    kept = drawn[drawn["org_id"].isin(orgs["org_id"])]
    entrants = orgs[~orgs["org_id"].isin(base["org_id"])].reset_index(drop=True)
    parts = [kept]
    if len(entrants):
        new = draw_behaviour(entrants, rng)
        new["activity"] = float(kept["activity"].median()) if len(kept) else 1.0
        parts.append(new)
    out = pd.concat(parts, ignore_index=True)
    out = out.set_index("org_id").loc[orgs["org_id"]].reset_index()
    out["activity"] = out["activity"] / out["activity"].sum()
    respond = [c for c in out.columns if c.startswith("p_respond_")]
    for org, delta in (follow_up.get("respond") or {}).items():
        row = out["org_id"] == org
        out.loc[row, respond] = np.clip(out.loc[row, respond] + delta, 0.01, 0.99)
    for org, factor in (follow_up.get("speed") or {}).items():
        out.loc[out["org_id"] == org, "delay_median_s"] *= factor
    out["twitter_share"] = np.clip(
        out["twitter_share"] * follow_up.get("twitter_share", 1.0), 0.05, 0.95
    )
    return out


def follow_up_truth(orgs: pd.DataFrame, base: pd.DataFrame, follow_up: dict) -> dict:
    """The known changes of a follow-up edition, for truth/changes.json."""
    return {
        "base_seed": follow_up["base_seed"],
        "leavers": sorted(set(base["org_id"]) - set(orgs["org_id"])),
        "entrants": sorted(set(orgs["org_id"]) - set(base["org_id"])),
        "respond": dict(sorted((follow_up.get("respond") or {}).items())),
        "speed": dict(sorted((follow_up.get("speed") or {}).items())),
        "twitter_share": follow_up.get("twitter_share", 1.0),
        "unchanged": sorted(
            set(orgs["org_id"])
            & set(base["org_id"])
            - set(follow_up.get("respond") or {})
            - set(follow_up.get("speed") or {})
        ),
    }


def _assign_consumers(raw: pd.DataFrame, rng, texts: TextGenerator):
    """Draw consumer authors: heavy users write many messages, most write one or two."""
    n = len(raw)
    author = np.full(n, -1, dtype=np.int64)
    role, sub = raw["role"].to_numpy(), raw["sub"].to_numpy()
    fresh = ((role == INCOMING) & (sub <= 1)) | (role == RETWEET) | (role == CHATTER)
    rows = []
    offset = 0
    for p in range(len(PLATFORMS)):
        for li, lang in enumerate(LANGS):
            sel = np.flatnonzero(
                fresh & (raw["platform"].to_numpy() == p) & (raw["lang"].to_numpy() == li)
            )
            if len(sel) == 0:
                continue
            size = max(5, int(len(sel) * 0.45))
            weights = 1.0 / (np.arange(size) + 5.0) ** 0.9
            author[sel] = offset + rng.choice(size, size=len(sel), p=weights / weights.sum())
            for _ in range(size):
                name, handle = texts.person(lang)
                rows.append((PLATFORMS[p], lang, name, handle))
            offset += size
    consumers = pd.DataFrame(rows, columns=["platform", "lang", "name", "handle"])
    # unique handles per platform; user ids as the platforms issue them
    dup = consumers.groupby(["platform", "handle"]).cumcount()
    consumers["handle"] = np.where(
        dup > 0, consumers["handle"].str[:12] + dup.astype(str), consumers["handle"]
    )
    tw_ids = _distinct_integers(rng, 10**7, 10**9, len(consumers))
    new_accounts = rng.random(len(consumers)) < 0.35
    tw_ids = np.where(new_accounts, 700_000_000_000_000_000 + tw_ids * 97, tw_ids)
    fb_ids = 100_000_000_000_000 + _distinct_integers(rng, 0, 10**12, len(consumers))
    consumers["user_id"] = np.where(consumers["platform"] == "twitter", tw_ids, fb_ids).astype(str)
    # follow-ups and reminders come from the consumer who opened the conversation
    position = pd.Series(np.arange(n), index=raw.index)
    parent_pos = position.reindex(raw["parent"].to_numpy()).to_numpy()
    followup = np.flatnonzero((role == INCOMING) & (sub == FOLLOWUP))
    reminder = np.flatnonzero((role == INCOMING) & (sub == REMINDER))
    author[reminder] = author[parent_pos[reminder].astype(np.int64)]
    grandparent = parent_pos[parent_pos[followup].astype(np.int64)].astype(np.int64)
    author[followup] = author[grandparent]
    return consumers, author


def _platform_view(raw, author, consumers, accounts, orgs, rng) -> pd.DataFrame:
    """Ids, parents and threads as each platform records them."""
    n = len(raw)
    position = pd.Series(np.arange(n), index=raw.index)
    parent = position.reindex(raw["parent"].to_numpy()).fillna(-1).to_numpy().astype(np.int64)
    root = position.reindex(raw["root"].to_numpy()).fillna(-1).to_numpy().astype(np.int64)
    platform = raw["platform"].to_numpy()
    role = raw["role"].to_numpy()
    t = raw["t"].to_numpy()
    ids = np.empty(n, dtype=object)

    # Twitter: snowflake ids from the millisecond timestamp.
    tw = np.flatnonzero(platform == 0)
    ms = t[tw] * 1000 + rng.integers(0, 1000, len(tw))
    snowflake = ((ms - TWITTER_EPOCH_MS) << 22) | (rng.integers(0, 1024, len(tw)) << 12)
    snowflake |= rng.integers(0, 4096, len(tw))
    snowflake = _unique(snowflake)  # collisions are vanishingly rare
    ids[tw] = snowflake.astype(str)

    # Facebook: posts "<page>_<post>", comments "<post>_<comment>"; replies to a
    # comment hang under the top-level comment, as the Graph API records them.
    fb = np.flatnonzero(platform == 1)
    level = np.full(n, -1, dtype=np.int8)
    fb_parent = np.full(n, -1, dtype=np.int64)
    sub = raw["sub"].to_numpy()
    for i in fb:  # parents always come before children
        if role[i] == BROADCAST or (role[i] == INCOMING and sub[i] == OPENER):
            level[i] = 0
        else:
            p = parent[i]
            if level[p] == 0:
                level[i], fb_parent[i] = 1, p
            elif level[p] == 1:
                level[i], fb_parent[i] = 2, p
            else:
                level[i], fb_parent[i] = 2, fb_parent[p]
    page_id = _page_ids(raw, accounts, orgs)
    number = 1_000_000_000_000_000 + t[fb] * 1000 + rng.integers(0, 1000, len(fb))
    number = _unique(number)
    post_number = np.zeros(n, dtype=np.int64)
    post_number[fb] = number
    is_post = level[fb] == 0
    ids[fb[is_post]] = [
        f"{pg}_{num}" for pg, num in zip(page_id[fb[is_post]], number[is_post], strict=True)
    ]
    top = fb[~is_post]
    post_of = root[top]
    ids[top] = [
        f"{post_number[r]}_{post_number[i] % 10**10}" for r, i in zip(post_of, top, strict=True)
    ]

    parent_view = np.where(platform == 0, parent, fb_parent)
    parent_view = np.where(role == RETWEET, -1, parent_view)
    is_org = np.isin(role, (BROADCAST, REPLY))
    account = raw["account"].to_numpy()
    author_id = np.where(
        is_org,
        accounts["account_id"].to_numpy(dtype=object)[np.maximum(account, 0)],
        consumers["user_id"].to_numpy(dtype=object)[np.maximum(author, 0)],
    )
    org_ids = orgs["org_id"].to_numpy(dtype=object)
    org2 = raw["org2"].to_numpy()
    out = pd.DataFrame(
        {
            "platform": np.array(PLATFORMS, dtype=object)[platform],
            "message_id": ids,
            "thread_id": ids[root],
            "parent_id": np.where(parent_view >= 0, ids[np.maximum(parent_view, 0)], None),
            "retweeted_id": np.where(role == RETWEET, ids[np.maximum(parent, 0)], None),
            "author_id": author_id,
            "is_org": is_org,
            "org_id": org_ids[raw["org"].to_numpy()],
            "org2_id": np.where(org2 >= 0, org_ids[np.maximum(org2, 0)], None),
            "role": np.array(ROLES, dtype=object)[role],
            "subkind": np.where(role == INCOMING, np.array(SUBKINDS, dtype=object)[sub], None),
            "type": np.where(
                role == INCOMING, np.array(TYPES, dtype=object)[raw["type"].clip(0)], None
            ),
            "answered_type": np.where(
                role == REPLY, np.array(TYPES, dtype=object)[raw["type"].clip(0)], None
            ),
            "lang": np.array(LANGS, dtype=object)[raw["lang"].to_numpy()],
            "created_at": pd.to_datetime(t, unit="s", utc=True),
            "collected": raw["collected"].to_numpy(),
            "fb_level": level,
        }
    )
    out["_account"] = account
    out["_consumer"] = author
    out["_parent"] = parent
    out["_root"] = root
    return out


def _page_ids(raw, accounts, orgs) -> np.ndarray:
    org_index = raw["org"].to_numpy()
    pages = accounts[accounts["platform"] == "facebook"].drop_duplicates("org_id")
    by_org = dict(zip(pages["org_id"], pages["account_id"], strict=True))
    return np.array([by_org.get(o, "0") for o in orgs["org_id"]], dtype=object)[org_index]


def _distinct_integers(rng, low: int, high: int, size: int) -> np.ndarray:
    """``size`` distinct random integers in [low, high), in draw order: a value that
    repeats an earlier one is drawn again."""
    values = rng.integers(low, high, size)
    while len(repeats := _repeats(values)):
        values[repeats] = rng.integers(low, high, len(repeats))
    return values


def _unique(values: np.ndarray) -> np.ndarray:
    """``values`` made distinct: a value that repeats an earlier one is raised by 1 until
    none does."""
    values = values.copy()
    while len(repeats := _repeats(values)):
        values[repeats] += 1
    return values


def _repeats(values: np.ndarray) -> np.ndarray:
    """Positions (ascending) of the values equal to a value at an earlier position; one
    sort, so O(n log n)."""
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    return np.sort(order[1:][ordered[1:] == ordered[:-1]])


def _write_texts(messages, raw, consumers, accounts, orgs, texts: TextGenerator, author) -> None:
    """Fill ``text`` for every message, in index order (deterministic)."""
    n = len(messages)
    role = raw["role"].to_numpy()
    sub = raw["sub"].to_numpy()
    mtype = raw["type"].to_numpy()
    lang = messages["lang"].to_numpy()
    platform = raw["platform"].to_numpy()
    org = raw["org"].to_numpy()
    org2 = raw["org2"].to_numpy()
    parent = messages["_parent"].to_numpy()
    account = raw["account"].to_numpy()
    sectors = orgs["sector"].to_numpy()
    names = orgs["name"].to_numpy()
    handles = accounts["handle"].to_numpy()
    brand_handle = _brand_handles(orgs, accounts)
    c_handle = consumers["handle"].to_numpy()
    c_name = consumers["name"].to_numpy()
    c_platform = consumers["platform"].to_numpy()
    out = np.empty(n, dtype=object)
    rng = texts.rng
    tw_pool = np.flatnonzero(c_platform == "twitter")
    fb_pool = np.flatnonzero(c_platform == "facebook")
    for i in range(n):
        o = org[i]
        sector, brand = sectors[o], names[o]
        r = role[i]
        if r == BROADCAST:
            out[i] = texts.broadcast_text(lang[i], sector, brand)
        elif r == REPLY:
            addressee = author[parent[i]]
            first = c_name[addressee].split(" ")[0] if addressee >= 0 else ""
            text = texts.reply_text(TYPES[mtype[i]], lang[i], sector, brand, first)
            if platform[i] == 0 and addressee >= 0:
                text = f"@{c_handle[addressee]} {text}"
            out[i] = text
        elif r == INCOMING:
            kind = "consumer" if sub[i] in (0, 1) else "followup"
            if platform[i] == 0:
                friend = (
                    "@" + c_handle[tw_pool[rng.randrange(len(tw_pool))]] if len(tw_pool) else ""
                )
            else:
                friend = c_name[fb_pool[rng.randrange(len(fb_pool))]] if len(fb_pool) else ""
            text = texts.consumer_text(kind, TYPES[mtype[i]], lang[i], sector, brand, friend)
            if platform[i] == 0:
                if sub[i] == FOLLOWUP:
                    prefix = "@" + handles[account[parent[i]]]
                else:
                    prefix = "@" + brand_handle[o]
                    if org2[i] >= 0:
                        prefix += " @" + brand_handle[org2[i]]
                if sub[i] == OPENER and org2[i] < 0 and rng.random() < 0.15:
                    text = f"{text} {prefix}"
                else:
                    text = f"{prefix} {text}"
            out[i] = text
        elif r == RETWEET:
            original = out[parent[i]]
            full = f"RT @{brand_handle[o]}: {original}"
            out[i] = full if len(full) <= 140 else full[:139] + "…"
        else:
            out[i] = texts.chatter_text(lang[i], sector, brand)
    messages["text"] = out


def _brand_handles(orgs, accounts) -> np.ndarray:
    tw = accounts[(accounts["platform"] == "twitter")].sort_values("role", kind="stable")
    first = tw.drop_duplicates("org_id")
    by_org = dict(zip(first["org_id"], first["handle"], strict=True))
    return np.array([by_org.get(o, o) for o in orgs["org_id"]], dtype=object)


def _engagement(messages, accounts, orgs, behaviour, rng) -> None:
    """Like, share and reply counts as the platforms would report them."""
    n = len(messages)
    parent = messages["_parent"].to_numpy()
    role = messages["role"].to_numpy()
    children = np.bincount(parent[(parent >= 0) & (role != "retweet")], minlength=n)
    retweets = np.bincount(parent[(parent >= 0) & (role == "retweet")], minlength=n)
    org_index = (
        pd.Series(np.arange(len(orgs)), index=orgs["org_id"]).reindex(messages["org_id"]).to_numpy()
    )
    followers = np.where(
        messages["platform"] == "twitter",
        orgs["followers_twitter"].fillna(1000).to_numpy(float)[org_index],
        orgs["followers_facebook"].fillna(1000).to_numpy(float)[org_index],
    )
    rate = behaviour["engagement_rate"].to_numpy()[org_index]
    fb_boost = np.where(messages["platform"] == "facebook", 2.5, 1.0)
    mean_likes = np.where(role == "broadcast", followers * rate * fb_boost, 0.4)
    likes = rng.negative_binomial(2, 2 / (2 + mean_likes))
    shares = np.where(role == "broadcast", rng.poisson(mean_likes * 0.15) + retweets, 0)
    messages["like_count"] = likes.astype(np.int64)
    messages["share_count"] = shares.astype(np.int64)
    messages["reply_count"] = children.astype(np.int64)


def _incoming_truth(raw, author, messages, org_ids: np.ndarray) -> pd.DataFrame:
    """Each incoming message × addressed organisation with its true first response.

    The response is the first message of that organisation in the same thread
    that answers the same consumer (replies to one of the consumer's messages),
    after the incoming message — whatever the delay; the answer window is
    applied by whoever reads the truth.
    """
    role = raw["role"].to_numpy()
    parent = messages["_parent"].to_numpy()
    root = messages["_root"].to_numpy()
    t = raw["t"].to_numpy()
    inc = np.flatnonzero(role == INCOMING)
    org2 = raw["org2"].to_numpy()
    second = inc[org2[inc] >= 0]
    pairs = pd.DataFrame(
        {
            "row": np.concatenate([inc, second]),
            "org": np.concatenate([raw["org"].to_numpy()[inc], org2[second]]),
        }
    )
    pairs["platform"] = raw["platform"].to_numpy()[pairs["row"]]
    pairs["root"] = root[pairs["row"]]
    pairs["consumer"] = author[pairs["row"]]
    pairs["t"] = t[pairs["row"]]
    rep = np.flatnonzero(role == REPLY)
    replies = pd.DataFrame(
        {
            "reply_row": rep,
            "org": raw["org"].to_numpy()[rep],
            "platform": raw["platform"].to_numpy()[rep],
            "root": root[rep],
            "consumer": author[parent[rep]],
            "t": t[rep],
        }
    )
    keys = ["platform", "org", "root", "consumer"]
    pairs = pairs.sort_values("t", kind="stable")
    replies = replies.sort_values("t", kind="stable")
    matched = pd.merge_asof(
        pairs, replies, on="t", by=keys, direction="forward", allow_exact_matches=False
    )
    matched = matched.sort_values(["row", "org"], kind="stable").reset_index(drop=True)
    reply_row = matched["reply_row"].to_numpy()
    has = ~np.isnan(reply_row)
    reply_row = np.where(has, reply_row, 0).astype(np.int64)
    created_at = messages["created_at"].array  # stays datetime64 (to_numpy: Timestamp objects)
    first_at = created_at[reply_row]
    row = matched["row"].to_numpy()
    truth = pd.DataFrame(
        {
            "platform": messages["platform"].to_numpy()[row],
            "message_id": messages["message_id"].to_numpy()[row],
            "org_id": org_ids[matched["org"].to_numpy()],
        }
    )
    truth["type"] = messages["type"].to_numpy()[row]
    truth["subkind"] = messages["subkind"].to_numpy()[row]
    truth["lang"] = messages["lang"].to_numpy()[row]
    truth["created_at"] = created_at[row]
    truth["collected"] = messages["collected"].to_numpy()[row]
    truth["responded"] = has
    truth["first_response_id"] = np.where(has, messages["message_id"].to_numpy()[reply_row], None)
    truth["first_response_at"] = pd.Series(first_at).where(has).to_numpy()
    delta = (truth["first_response_at"] - truth["created_at"]).dt.total_seconds()
    truth["response_seconds"] = delta.astype("Float64")
    truth["created_at"] = pd.to_datetime(truth["created_at"], utc=True)
    truth["first_response_at"] = pd.to_datetime(truth["first_response_at"], utc=True)
    return truth
