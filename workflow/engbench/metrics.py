"""Webcare indicators per organisation × platform × period, with bootstrap intervals,
and the engagement index with an interval for every organisation's rank.

Indicators (defined in docs/design.md and docs/metrics.md; the report states the values used):

  n_broadcasts, n_replies, n_incoming      counts (no interval)
  dialogue_share                           replies / (broadcasts + replies)
  response_rate[_<type>]                   answered incoming / incoming (overall, per type)
  response_time_median, _p90               seconds to the response, 24/7 (answered only)
  response_time_webcare_median, _p90       the same, counting webcare hours only
  answered_within_1h, answered_within_24h  share of incoming answered within 1 h / 24 h
  engagement_per_broadcast                 median of likes + shares + replies per broadcast
  engagement_per_1000_followers            that median per 1,000 followers of the platform

Censored incoming messages (less than one answer window before the period's
end) are left out of rates and times. Quantiles are inverted-CDF quantiles (the
smallest value with at least that share of the data at or below it), the same
in the estimate and in every resample.

Uncertainty: a cluster bootstrap over **threads**. Messages in one thread are
dependent (a consumer who got an answer follows up and is answered again; the
replies under one broadcast share its audience), so whole threads are resampled,
with Poisson(1) weights per thread (the Poisson bootstrap, which needs no
per-cell multinomial and scales to large cells). Intervals are 95% percentile
intervals of the resampled statistic; the seed is fixed per cell, so reruns give
identical numbers.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Collection, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

INDEX_COMPONENTS = ("response_rate", "response_speed", "dialogue_share", "engagement")
EDITION = "edition"
ALL = "all"
CHUNK = 100  # resamples drawn at a time, at most
CHUNK_WEIGHTS = 16_000_000  # thread weights drawn at a time, at most (16 MB: a byte each)
DRAW_PIECE = 2**16  # uniforms drawn at a time, even (see _poisson_weights)
CACHE_BYTES = 2**20  # working set of one step of a block's sums and quantiles (a core's L2)
WINDOW = 64  # sorted values either side of a quantile's place searched per resample: this
WINDOW_SQRT = 12  # ... plus this many times the square root of the values (_quantile_windows)
# The columns the indicators read from the threads stage's messages and incoming tables.
MESSAGE_COLUMNS = [
    "org_id",
    "platform",
    "thread_id",
    "kind",
    "created_at",
    "like_count",
    "share_count",
    "reply_count",
]
INCOMING_COLUMNS = [
    "org_id",
    "platform",
    "thread_id",
    "created_at",
    "censored",
    "replied",
    "response_seconds",
    "response_seconds_webcare",
    "type",
]


def indicators(
    messages: pd.DataFrame,
    incoming: pd.DataFrame,
    followers: pd.DataFrame,
    timezone: str,
    n_resamples: int = 1000,
    seed: int = 2018,
    monthly: bool = True,
    log: Callable[[str], object] = lambda _: None,
    organisations: Collection[str] | None = None,
    types: Sequence[str] | None = None,
) -> tuple[pd.DataFrame, dict]:
    """The tidy indicator table and the resamples of the organisation-level cells.

    ``messages``: the threads stage's messages (kind, thread_id, org_id, platform,
    created_at, like/share/reply counts); ``incoming``: its incoming × organisation
    table; ``followers``: org_id, platform, followers.
    Returns (table with org_id, platform, period, indicator, estimate, lower, upper, n)
    and {(org_id, platform): {indicator: resampled values}} for the edition period.

    ``organisations``: compute only these organisations' cells (``ALL`` for the
    edition-wide ones); ``messages`` and ``incoming`` then need only hold their rows
    (``part``). ``types``: the message types of the whole edition (default: those in
    ``incoming``), so that every part has the same per-type indicators. Every cell has
    its own seed, so a cell's estimate and resamples do not depend on what else is computed.
    """
    org_msgs = messages[messages["kind"].isin(["broadcast", "reply"])]
    org_msgs = org_msgs[MESSAGE_COLUMNS].copy()
    org_msgs["engagement"] = (
        org_msgs[["like_count", "share_count", "reply_count"]].fillna(0).sum(axis=1)
    )
    inc = incoming[~incoming["censored"]].copy()
    for frame in (org_msgs, inc):
        frame["period"] = (
            pd.to_datetime(frame["created_at"], utc=True)
            .dt.tz_convert(timezone)
            .dt.strftime("%Y-%m")
        )
        frame["thread_key"] = frame["platform"] + "\x1f" + frame["thread_id"]
    follow = followers.groupby(["org_id", "platform"])["followers"].sum()
    if types is None:
        types = message_types(inc)

    o_cols = _columns(org_msgs, ["thread_key", "kind", "engagement"])
    n_cols = _columns(
        inc,
        ["thread_key", "replied", "response_seconds", "response_seconds_webcare"]
        + (["type"] if types else []),
    )
    o_groups = _cell_index(org_msgs, monthly)
    n_groups = _cell_index(inc, monthly)
    cells = sorted(set(o_groups) | set(n_groups))
    if organisations is not None:
        cells = [cell for cell in cells if cell[0] in set(organisations)]
    log(f"{len(cells)} cells, {n_resamples} resamples each")
    rows, resamples = [], {}
    empty = np.zeros(0, dtype=np.int64)
    for i, (org, platform, period) in enumerate(cells):
        o = {k: v[o_groups.get((org, platform, period), empty)] for k, v in o_cols.items()}
        n = {k: v[n_groups.get((org, platform, period), empty)] for k, v in n_cols.items()}
        n_followers = _followers(follow, org, platform)
        result, draws = _cell(
            o, n, types, n_followers, n_resamples, _seed(seed, org, platform, period)
        )
        for indicator, (estimate, lower, upper, count) in result.items():
            rows.append((org, platform, period, indicator, estimate, lower, upper, count))
        if period == EDITION:
            resamples[(org, platform)] = draws
        if (i + 1) % 200 == 0:
            log(f"{i + 1} of {len(cells)} cells done")
    table = pd.DataFrame(
        rows,
        columns=["org_id", "platform", "period", "indicator", "estimate", "lower", "upper", "n"],
    )
    return table, resamples


def message_types(incoming: pd.DataFrame) -> list[str]:
    """The message types present (sorted): each gets its own response rate."""
    return sorted(incoming["type"].dropna().unique()) if "type" in incoming else []


def _followers(follow: pd.Series, org: str, platform: str) -> float:
    """Followers of an organisation on a platform (summed over platforms for ``all``)."""
    if org == ALL:
        return np.nan
    if platform == ALL:
        values = follow[follow.index.get_level_values(0) == org]
        return float(values.sum()) if len(values) else np.nan
    return float(follow.get((org, platform), np.nan))


def _cell_index(frame: pd.DataFrame, monthly: bool) -> dict[tuple[str, str, str], np.ndarray]:
    """Row positions of every cell: organisation (or all) × platform (or all) × period."""
    groups = frame.groupby(["org_id", "platform", "period"], sort=True).indices
    parts: dict[tuple[str, str, str], list[np.ndarray]] = {}
    for (org, platform, month), rows in groups.items():
        for o, p in ((org, platform), (org, ALL), (ALL, platform), (ALL, ALL)):
            parts.setdefault((o, p, EDITION), []).append(rows)
            if monthly and (o, p) != (org, ALL):  # an organisation's months: per platform
                parts.setdefault((o, p, month), []).append(rows)
    return {key: np.sort(np.concatenate(v)) for key, v in parts.items()}


def _columns(frame: pd.DataFrame, names: list[str]) -> dict[str, np.ndarray]:
    return {name: frame[name].to_numpy() for name in names}


def _seed(seed, org, platform, period) -> int:
    digest = hashlib.sha256(f"{seed}|{org}|{platform}|{period}".encode()).digest()
    return int.from_bytes(digest[:8], "little")


# Ratio indicators: name → (denominator, numerator, complement) among the per-thread counts;
# the estimate is numerator / denominator, or 1 − that when ``complement``.
RATIOS = {
    "dialogue_share": ("org_messages", "broadcasts", True),
    "response_rate": ("incoming", "answered", False),
    "answered_within_1h": ("incoming", "within_1h", False),
    "answered_within_24h": ("incoming", "within_24h", False),
}


def _cell(o, n, types, n_followers, n_resamples, seed):
    """Estimates, intervals and resamples for one cell."""
    codes, uniques = pd.factorize(np.concatenate([o["thread_key"], n["thread_key"]]))
    t_org, t_inc = codes[: len(o["kind"])], codes[len(o["kind"]) :]
    n_threads = len(uniques)
    per_thread, ratios = _thread_counts(o, n, types, t_org, t_inc, n_threads)
    quantiles = _quantile_sets(o, n, t_org, t_inc)
    plan = _quantile_windows(quantiles, n_threads, per_thread)
    names = list(per_thread)
    sums = np.empty((n_threads, len(names)))
    for j, name in enumerate(names):
        sums[:, j] = per_thread[name]
    rng = np.random.default_rng(seed)
    draws = _resampled(sums, names, ratios, plan, n_resamples, rng)
    out = _estimates(o, n, sums, names, ratios, quantiles, draws)
    eb = out["engagement_per_broadcast"]
    scale = 1000.0 / n_followers if n_followers and n_followers > 0 else np.nan
    out["engagement_per_1000_followers"] = (eb[0] * scale, eb[1] * scale, eb[2] * scale, eb[3])
    draws["engagement_per_1000_followers"] = draws["engagement_per_broadcast"] * scale
    return out, draws


def _thread_counts(o, n, types, t_org, t_inc, n_threads) -> tuple[dict, dict]:
    """Per thread: the counts the ratios are made of; and the ratios (``RATIOS`` plus the
    response rate of each message type)."""
    is_broadcast = o["kind"] == "broadcast"
    replied = n["replied"].astype(bool)
    seconds = n["response_seconds"].astype(float)
    per_thread = {
        "broadcasts": np.bincount(t_org[is_broadcast], minlength=n_threads),
        "org_messages": np.bincount(t_org, minlength=n_threads),
        "incoming": np.bincount(t_inc, minlength=n_threads),
        "answered": np.bincount(t_inc[replied], minlength=n_threads),
        "within_1h": np.bincount(t_inc[replied & (seconds <= 3600)], minlength=n_threads),
        "within_24h": np.bincount(t_inc[replied & (seconds <= 86400)], minlength=n_threads),
    }
    ratios = dict(RATIOS)
    for t in types:
        of_type = n["type"] == t
        per_thread[f"incoming_{t}"] = np.bincount(t_inc[of_type], minlength=n_threads)
        per_thread[f"answered_{t}"] = np.bincount(t_inc[of_type & replied], minlength=n_threads)
        ratios[f"response_rate_{t}"] = (f"incoming_{t}", f"answered_{t}", False)
    return per_thread, ratios


def _quantile_sets(o, n, t_org, t_inc) -> dict:
    """The value sets whose quantiles are indicators: values sorted once, the thread of each
    value, and {indicator: quantile}."""
    is_broadcast = o["kind"] == "broadcast"
    replied = n["replied"].astype(bool)
    seconds = n["response_seconds"].astype(float)
    webcare = n["response_seconds_webcare"].astype(float)
    sets = {
        "response_time": (
            seconds[replied],
            t_inc[replied],
            {"response_time_median": 0.5, "response_time_p90": 0.9},
        ),
        "response_time_webcare": (
            webcare[replied],
            t_inc[replied],
            {"response_time_webcare_median": 0.5, "response_time_webcare_p90": 0.9},
        ),
        "engagement": (
            o["engagement"].astype(float)[is_broadcast],
            t_org[is_broadcast],
            {"engagement_per_broadcast": 0.5},
        ),
    }
    return {k: _sorted(values, thread, qs) for k, (values, thread, qs) in sets.items()}


def _resampled(sums, names, ratios, plan, n_resamples, rng) -> dict[str, np.ndarray]:
    """Every ratio and quantile (``_quantile_windows``) under ``n_resamples`` Poisson(1)
    weightings of the threads."""
    n_threads = len(sums)
    draws = {k: [] for k in list(ratios) + [entry[2] for entry in plan]}
    chunk = _chunk(n_threads)
    block = np.empty((min(chunk, n_resamples), n_threads), np.uint8)
    for start in range(0, n_resamples, chunk):
        b = min(chunk, n_resamples - start)
        weights = _poisson_weights(rng, b, n_threads, out=block)
        totals = _weighted_sums(weights, sums)
        for name, (denominator, numerator, complement) in ratios.items():
            den = totals[:, names.index(denominator)]
            num = totals[:, names.index(numerator)]
            with np.errstate(invalid="ignore", divide="ignore"):
                share = num / den
            draws[name].append(1 - share if complement else share)
        for values, thread, name, q, window, in_set, before in plan:
            total = totals[:, names.index(in_set)]
            ahead = totals[:, names.index(before)]
            draws[name].append(_windowed_quantile(values, thread, weights, q, window, total, ahead))
    return {k: np.concatenate(v) if v else np.zeros(0) for k, v in draws.items()}


def _quantile_windows(quantiles: dict, n_threads: int, per_thread: dict) -> list:
    """Where to look for each quantile in a resample. A window of the sorted values around
    the quantile's unweighted place, ``WINDOW`` + ``WINDOW_SQRT`` √n values either side
    (where a resample's quantile falls varies by about √n / 2 places among n unclustered
    values), and per thread two counts added to ``per_thread``: the set's values, and
    those before the window. Weighted like the ratios' counts, they give each resample's
    total weight and its cumulative weight up to the window, so the quantile is found
    within the window; a resample whose quantile falls outside it looks at the whole set.
    Returns [(values, thread, name, q, (lo, hi), in_set, before)], the last two names of
    ``per_thread`` entries."""
    plan = []
    for key, (values, thread, qs) in quantiles.items():
        n = len(values)
        in_set = f"{key} values"
        per_thread[in_set] = np.bincount(thread, minlength=n_threads)
        half = WINDOW + int(WINDOW_SQRT * math.sqrt(n))
        for name, q in qs.items():
            place = max(0, math.ceil(q * n) - 1)
            lo, hi = max(0, place - half), min(n, place + half + 1)
            before = f"{name} values before its window"
            per_thread[before] = np.bincount(thread[:lo], minlength=n_threads)
            plan.append((values, thread, name, q, (lo, hi), in_set, before))
    return plan


def _windowed_quantile(values, thread, weights, q, window, total, before) -> np.ndarray:
    """The ``q`` quantile of the sorted values under each row of thread weights, the same
    as ``_weighted_quantiles`` of the whole set, computed within ``window`` (lo, hi) of the
    sorted values given each row's total weight and its weight before the window (exact:
    integer counts below 2**24 in float32, as there). Rows whose quantile falls outside
    the window, and sets too large for float32 counts, take the whole set."""
    lo, hi = window
    total, before = total.astype(np.float32), before.astype(np.float32)
    if hi <= lo or total.max(initial=0) >= 2**24:
        return _resampled_quantiles(values, thread, weights, {"q": q})["q"]
    threshold = _threshold(q, total)
    cum = before[:, None] + np.cumsum(
        np.take(weights, thread[lo:hi], axis=1), axis=1, dtype=np.float32
    )
    reached = cum >= threshold[:, None]
    index = lo + reached.argmax(axis=1)
    inside = reached[:, -1] & (before < threshold if lo else True)
    found = values[np.minimum(index, len(values) - 1)].astype(float)
    if not inside.all():
        outside = np.flatnonzero(~inside)
        found[outside] = _resampled_quantiles(values, thread, weights[outside], {"q": q})["q"]
    found[total <= 0] = np.nan
    return found


def _chunk(n_threads: int) -> int:
    """Resamples per block: ``CHUNK``, fewer for a cell with many threads so a block's weights
    stay under ``CHUNK_WEIGHTS``. Always even, so the generator's stream of 16-bit draws
    is the same whatever the block size (it pairs them into 32-bit words per call)."""
    fits = CHUNK_WEIGHTS // max(n_threads, 1)
    return int(max(2, min(CHUNK, fits - fits % 2)))


def _weighted_sums(weights: np.ndarray, sums: np.ndarray) -> np.ndarray:
    """``weights @ sums`` (resamples × threads by threads × counts) summed over slices of
    threads that fit ``CACHE_BYTES``: the per-thread counts are read once per block of
    resamples, from cache rather than memory. Exact and so the same in any order: integer
    weights and counts, float64 sums far below 2**53."""
    b, n_threads = weights.shape
    totals = np.zeros((b, sums.shape[1]))
    step = max(1, CACHE_BYTES // (8 * (b + sums.shape[1])))
    for start in range(0, n_threads, step):
        part = weights[:, start : start + step].astype(np.float64)
        totals += part @ sums[start : start + step]
    return totals


def _resampled_quantiles(values, thread, weights: np.ndarray, qs: dict) -> dict:
    """``_weighted_quantiles`` of the sorted values under each resample's thread weights,
    a few resamples at a time so the weights gathered per value fit ``CACHE_BYTES``."""
    rows = max(1, CACHE_BYTES // (4 * max(len(values), 1)))
    parts = [
        _weighted_quantiles(values, np.take(weights[start : start + rows], thread, axis=1), qs)
        for start in range(0, len(weights), rows)
    ]
    return {name: np.concatenate([p[name] for p in parts]) for name in qs}


def _estimates(o, n, sums, names, ratios, quantiles, draws) -> dict[str, tuple]:
    """Indicator → (estimate, lower, upper, n): the counts, and every ratio and quantile
    with the 95% interval of its resamples."""
    n_broadcasts = int((o["kind"] == "broadcast").sum())
    n_replies = len(o["kind"]) - n_broadcasts
    n_incoming = len(n["replied"])
    out = {
        "n_broadcasts": (float(n_broadcasts), np.nan, np.nan, n_broadcasts),
        "n_replies": (float(n_replies), np.nan, np.nan, n_replies),
        "n_incoming": (float(n_incoming), np.nan, np.nan, n_incoming),
    }
    for name, (denominator, numerator, complement) in ratios.items():
        den = sums[:, names.index(denominator)].sum()
        num = sums[:, names.index(numerator)].sum()
        estimate = (1 - num / den if complement else num / den) if den else np.nan
        out[name] = (estimate, *_interval(draws[name]), int(den))
    for values, _, qs in quantiles.values():
        found = _weighted_quantiles(values, np.ones((1, len(values)), np.float32), qs)
        for name in qs:
            out[name] = (found[name][0], *_interval(draws[name]), len(values))
    return out


# Poisson(1) weights by table look-up of 16-bit uniforms: several times faster than
# Generator.poisson for the ~10^9 weights of a full edition, and exact to 1/65536 in
# each probability.
_POISSON_TABLE = np.searchsorted(
    np.cumsum([np.exp(-1.0) / math.factorial(k) for k in range(12)]) * 65536,
    np.arange(65536) + 0.5,
).astype(np.uint8)


def _poisson_weights(
    rng: np.random.Generator, b: int, n: int, out: np.ndarray | None = None
) -> np.ndarray:
    """``b`` × ``n`` Poisson(1) weights, one byte each, into ``out`` (rows reused from block
    to block) or a new array. Drawn in pieces of ``DRAW_PIECE`` so the 16-bit draws stay in
    cache; an even piece size keeps the generator's stream the same as one draw of b × n."""
    weights = np.empty((b, n), np.uint8) if out is None else out[:b]
    flat = weights.reshape(-1)
    for start in range(0, b * n, DRAW_PIECE):
        draws = rng.integers(0, 65536, size=min(DRAW_PIECE, b * n - start), dtype=np.uint16)
        np.take(_POISSON_TABLE, draws, out=flat[start : start + len(draws)])
    return weights


def _sorted(
    values: np.ndarray, thread: np.ndarray, qs: dict
) -> tuple[np.ndarray, np.ndarray, dict]:
    order = np.argsort(values, kind="stable")
    return values[order], thread[order], qs


def _weighted_quantiles(sorted_values: np.ndarray, weights: np.ndarray, qs: dict) -> dict:
    """Inverted-CDF quantiles of sorted values under each row of weights (NaN if no weight)."""
    b = weights.shape[0]
    if len(sorted_values) == 0:
        return {name: np.full(b, np.nan) for name in qs}
    cum = np.cumsum(weights, axis=1, dtype=np.float32)  # exact: integer weights, sums < 2**24
    total = cum[:, -1]
    out = {}
    for name, q in qs.items():
        index = (cum >= _threshold(q, total)[:, None]).argmax(axis=1)
        found = sorted_values[np.minimum(index, len(sorted_values) - 1)].astype(float)
        found[total <= 0] = np.nan
        out[name] = found
    return out


def _threshold(q: float, total: np.ndarray) -> np.ndarray:
    """The cumulative weight a ``q`` quantile must reach under each row's ``total`` (float32,
    as the cumulative sums): one rule for the whole-set and the windowed search."""
    return q * total - 1e-6


def _interval(draws: np.ndarray) -> tuple[float, float]:
    finite = draws[np.isfinite(draws)]
    if len(finite) < 10:
        return np.nan, np.nan
    low, high = np.percentile(finite, [2.5, 97.5])
    return float(low), float(high)


def organisation_groups(org_ids, n_groups: int) -> dict[str, list[str]]:
    """The organisations in ``n_groups`` groups of (almost) equal size, each computed by its
    own job (``part``): {"g1": [...], ...}, sorted org ids dealt out in turn. Fewer groups
    when there are fewer organisations; none for an edition without organisations."""
    orgs = sorted(set(org_ids) - {ALL})
    n = max(1, min(n_groups, len(orgs)))
    return {f"g{k + 1}": orgs[k::n] for k in range(n)} if orgs else {}


def read_rows(
    messages: str | Path, incoming: str | Path, organisations: Collection[str] | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The columns the indicators read (``MESSAGE_COLUMNS``, ``INCOMING_COLUMNS``) of the
    organisations' messages and incoming pairs, from the threads and classify stages'
    parquet files; ``None``: every organisation's."""
    where = [("org_id", "in", sorted(organisations))] if organisations is not None else []
    org_messages = pq.read_table(
        messages, columns=MESSAGE_COLUMNS, filters=[("kind", "in", ["broadcast", "reply"]), *where]
    ).to_pandas()
    columns = [c for c in INCOMING_COLUMNS if c in pq.read_schema(incoming).names]
    pairs = pq.read_table(incoming, columns=columns, filters=where or None).to_pandas()
    return org_messages, pairs


def edition_types(incoming: str | Path) -> list[str]:
    """The message types of the whole edition (``message_types`` of its incoming file)."""
    if "type" not in pq.read_schema(incoming).names:
        return []
    return message_types(pq.read_table(incoming, columns=["type"]).to_pandas())


def part(
    messages: str | Path,
    incoming: str | Path,
    followers: pd.DataFrame,
    organisations: Collection[str],
    timezone: str,
    n_resamples: int = 1000,
    seed: int = 2018,
    monthly: bool = True,
    log: Callable[[str], object] = lambda _: None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The indicators of some organisations' cells (``[ALL]``: the edition-wide cells) read
    from the threads and classify stages' files, and their resamples (``resamples_table``).
    What a ``metrics_part`` job computes; ``combine`` puts the parts together."""
    org_messages, pairs = read_rows(
        messages, incoming, None if ALL in organisations else organisations
    )
    log(f"{len(org_messages):,} organisation messages, {len(pairs):,} incoming pairs")
    table, resampled = indicators(
        org_messages,
        pairs,
        followers,
        timezone,
        n_resamples=n_resamples,
        seed=seed,
        monthly=monthly,
        log=log,
        organisations=organisations,
        types=edition_types(incoming),
    )
    return table, resamples_table(resampled)


def combine(
    tables: Sequence[pd.DataFrame], resampled: Sequence[pd.DataFrame], weights: dict[str, float]
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The parts' indicator tables and resamples as one of each, in the order ``indicators``
    gives them for the whole edition at once, and the league (``engagement_index``)."""
    table = pd.concat(tables, ignore_index=True)
    table = table.sort_values(["org_id", "platform", "period"], kind="stable")
    table = table.reset_index(drop=True)
    resamples = pd.concat(resampled, ignore_index=True)
    keys = ["org_id", "platform", "indicator", "resample"]
    resamples = resamples.sort_values(keys, kind="stable").reset_index(drop=True)
    league = engagement_index(table, resamples_dict(resamples), weights)
    return table, resamples, league


def resamples_table(resamples: dict) -> pd.DataFrame:
    """The bootstrap resamples of :func:`indicators` in long form: one row per organisation
    (or ``all``) × platform (or ``all``) × indicator × resample, with columns org_id,
    platform, indicator, resample (int, 0-based: the i-th weighting of the cell's threads)
    and value (float64, so ``resamples_dict`` gives them back exactly; NaN where the
    resample has no value, e.g. no answered message). The series stage pairs resample i of
    one edition with resample i of the next."""
    parts = {"org_id": [], "platform": [], "indicator": [], "resample": [], "value": []}
    for (org, platform), draws in sorted(resamples.items()):
        for indicator, values in sorted(draws.items()):
            values = np.asarray(values, dtype=np.float64)
            parts["org_id"].append(np.full(len(values), org, dtype=object))
            parts["platform"].append(np.full(len(values), platform, dtype=object))
            parts["indicator"].append(np.full(len(values), indicator, dtype=object))
            parts["resample"].append(np.arange(len(values), dtype=np.int64))
            parts["value"].append(values)
    if not parts["value"]:
        return pd.DataFrame(
            {
                "org_id": pd.Series(dtype=object),
                "platform": pd.Series(dtype=object),
                "indicator": pd.Series(dtype=object),
                "resample": pd.Series(dtype=np.int64),
                "value": pd.Series(dtype=np.float64),
            }
        )
    return pd.DataFrame({k: np.concatenate(v) for k, v in parts.items()})


def resamples_dict(table: pd.DataFrame) -> dict:
    """{(org_id, platform): {indicator: values in resample order}}: ``resamples_table``
    read back, as ``engagement_index`` takes it."""
    out: dict = {}
    table = table.sort_values("resample", kind="stable")
    for (org, platform, name), rows in table.groupby(["org_id", "platform", "indicator"]):
        out.setdefault((org, platform), {})[name] = rows["value"].to_numpy(dtype=np.float64)
    return out


def edition_estimates(table: pd.DataFrame, platform: str = ALL) -> pd.DataFrame:
    """The edition view of the indicator table: one row per organisation (and ``all``), one
    column per indicator, the estimate for the whole period on ``platform`` (default: all
    platforms together). Organisations and indicators without any estimate are left out."""
    edition = table[(table["period"] == EDITION) & (table["platform"] == platform)]
    return edition.pivot_table(index="org_id", columns="indicator", values="estimate")


def engagement_index(
    table: pd.DataFrame,
    resamples: dict,
    weights: dict[str, float],
    platform: str = ALL,
) -> pd.DataFrame:
    """The league table: weighted mean of standardised indicators, its interval, rank intervals.

    Components per organisation (edition period, ``platform``): response rate;
    response speed = −log10(median response time in webcare hours + 60 s);
    dialogue share; engagement = log10(engagement per 1,000 followers + 0.01).
    Each is standardised across organisations (z-score) in the estimate and in
    every resample; a missing component (no answers, no followers) takes the
    worst value among the organisations. Rank 1 is the highest index; equal indices (in
    the estimate or in a resample) are ranked in org_id order, never shared (``_ranks``).
    """
    edition = table[(table["period"] == EDITION) & (table["platform"] == platform)]
    orgs = sorted(set(edition["org_id"]) - {ALL})
    if not orgs:
        return pd.DataFrame()
    estimate = edition_estimates(table, platform).reindex(orgs)
    point = _components(
        {
            c: estimate[c].to_numpy(float) if c in estimate else np.full(len(orgs), np.nan)
            for c in (
                "response_rate",
                "response_time_webcare_median",
                "dialogue_share",
                "engagement_per_1000_followers",
            )
        }
    )
    n_resamples = min(len(next(iter(resamples[(o, platform)].values()))) for o in orgs)
    draw = {
        c: np.column_stack([resamples[(o, platform)][c][:n_resamples] for o in orgs])
        for c in (
            "response_rate",
            "response_time_webcare_median",
            "dialogue_share",
            "engagement_per_1000_followers",
        )
    }
    replicate = _components(draw)
    total = sum(weights.values())
    index = sum(weights[c] * _z(point[c]) for c in INDEX_COMPONENTS) / total
    index_draws = sum(weights[c] * _z(replicate[c]) for c in INDEX_COMPONENTS) / total
    rank = _ranks(index[None, :])[0]
    rank_draws = _ranks(index_draws)
    out = pd.DataFrame(
        {
            "org_id": orgs,
            "platform": platform,
            "index": index,
            "index_lower": np.percentile(index_draws, 2.5, axis=0),
            "index_upper": np.percentile(index_draws, 97.5, axis=0),
            "rank": rank,
            "rank_lower": np.percentile(rank_draws, 2.5, axis=0, method="inverted_cdf"),
            "rank_upper": np.percentile(rank_draws, 97.5, axis=0, method="inverted_cdf"),
        }
    )
    for c in INDEX_COMPONENTS:
        out[c] = point[c]
    return out.sort_values(["rank", "org_id"]).reset_index(drop=True)


def index_contributions(league: pd.DataFrame, weights: dict[str, float]) -> pd.DataFrame:
    """Each organisation's engagement index taken apart: per component (``INDEX_COMPONENTS``)
    its weight × z-score ÷ the sum of the weights, as ``engagement_index`` adds them up (the
    league's component columns are the unstandardised components). The contributions of an
    organisation sum to its index. One row per organisation, in the league's order."""
    total = sum(weights.values())
    out = league[["org_id"]].copy()
    for c in INDEX_COMPONENTS:
        out[c] = weights[c] * _z(league[c].to_numpy(float)) / total
    out["index"] = out[list(INDEX_COMPONENTS)].sum(axis=1)
    return out.reset_index(drop=True)


def _components(values: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    speed = -np.log10(values["response_time_webcare_median"] + 60.0)
    engagement = np.log10(values["engagement_per_1000_followers"] + 0.01)
    components = {
        "response_rate": values["response_rate"],
        "response_speed": speed,
        "dialogue_share": values["dialogue_share"],
        "engagement": engagement,
    }
    for name, x in components.items():
        x = np.array(x, dtype=float)
        worst = np.nanmin(x, axis=-1, keepdims=True) if np.isfinite(x).any() else np.zeros_like(x)
        components[name] = np.where(np.isfinite(x), x, worst)
    return components


def _z(x: np.ndarray) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    sd = x.std(axis=-1, keepdims=True)
    return np.where(sd > 0, (x - mean) / np.where(sd > 0, sd, 1), 0.0)


def _ranks(index: np.ndarray) -> np.ndarray:
    """Rank 1 = highest, per row; ranks 1 to n without gaps. Ties do not share a rank: of
    equal indices the one in the earlier column (the organisation whose org_id sorts
    first) gets the better rank."""
    order = (-index).argsort(axis=1, kind="stable")
    ranks = np.empty_like(order)
    rows = np.arange(index.shape[0])[:, None]
    ranks[rows, order] = np.arange(1, index.shape[1] + 1)[None, :]
    return ranks
