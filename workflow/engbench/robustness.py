"""Robustness of the definitions: the headline figures under the alternatives.

The response rate and the median response time depend on choices a reader may make
differently (docs/metrics.md). ``table`` recomputes them under each alternative, one at a
time, from the threads stage's own tables (the response matching run again in memory,
``threads.responses``), as point estimates:

- the other response definition (``direct``: only a reply to the message itself;
  ``thread``: the first reply in its thread to its author);
- answer windows of 1, 3 and 7 days (the censored tail moves with the window);
- the response time counted in webcare hours instead of 24/7 (the rate does not change);
- the censored tail kept (an incoming message too close to the period's end counts as
  unanswered unless answered) instead of left out.

For each: the edition-wide response rate and median response time (over incoming
message × organisation pairs, as the metrics), the spread across organisations (median,
minimum and maximum of the per-organisation values; each organisation's median time, like
the edition's, an observed value as in the metrics) and the rank correlation (Spearman)
of the organisations' response rates with the main definition's: how much the league
changes. The first row is the main definition (the configured one), as the metrics use it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from engbench import threads

WINDOWS = (1, 3, 7)  # answer windows (days) shown beside the configured one
INCOMING_COLUMNS = [
    "platform",
    "message_id",
    "org_id",
    "thread_id",
    "author_id",
    "created_at",
    "replied",
    "first_reply_id",
    "first_reply_at",
    "response_seconds",
    "response_seconds_webcare",
    "censored",
]
COLUMNS = [
    "alternative",
    "definition",
    "answer_window_days",
    "hours",
    "censored",
    "incoming",
    "response_rate",
    "median_response_minutes",
    "organisations",
    "rate_org_median",
    "rate_org_min",
    "rate_org_max",
    "minutes_org_median",
    "minutes_org_min",
    "minutes_org_max",
    "rank_correlation",
]


def alternatives(definition: str, answer_window_days: float) -> list[dict]:
    """The alternatives in the table's order, the main definition first. ``alternative``
    names each (``main``, ``definition``, ``window``, ``webcare_hours``, ``censored_kept``);
    ``hours`` is ``24/7`` or ``webcare``; ``censored`` is ``left out`` or ``kept``."""
    main = {
        "alternative": "main",
        "definition": definition,
        "answer_window_days": float(answer_window_days),
        "hours": "24/7",
        "censored": "left out",
    }
    other = next(d for d in threads.DEFINITIONS if d != definition)
    rows = [main, main | {"alternative": "definition", "definition": other}]
    rows += [
        main | {"alternative": "window", "answer_window_days": float(days)}
        for days in WINDOWS
        if days != answer_window_days
    ]
    rows += [main | {"alternative": "webcare_hours", "hours": "webcare"}]
    rows += [main | {"alternative": "censored_kept", "censored": "kept"}]
    return rows


def table(
    messages: pd.DataFrame,
    incoming: pd.DataFrame,
    definition: str,
    answer_window_days: float,
    timezone: str,
    period_end: str,
) -> pd.DataFrame:
    """The headline figures under each of ``alternatives`` (see the module).

    ``messages``, ``incoming``: the threads stage's tables, derived with ``definition`` and
    ``answer_window_days``; ``period_end``: the period's exclusive end, a local date in
    ``timezone``. One row per alternative, ``COLUMNS``; rates as shares, times in minutes."""
    end = pd.Timestamp(period_end).tz_localize(timezone).tz_convert("UTC")
    created = pd.to_datetime(incoming["created_at"], utc=True)
    prepared = None
    rows, main_rates = [], None
    for alt in alternatives(definition, answer_window_days):
        window = alt["answer_window_days"]
        same = alt["definition"] == definition and window == answer_window_days
        if same:
            pairs = incoming
        else:
            if prepared is None:
                prepared = threads.response_messages(messages)
            pairs = threads.responses(prepared, incoming, window, alt["definition"])
        censored = (created > end - pd.Timedelta(days=window)).to_numpy()
        kept = np.ones(len(pairs), dtype=bool) if alt["censored"] == "kept" else ~censored
        seconds = "response_seconds_webcare" if alt["hours"] == "webcare" else "response_seconds"
        counted = pd.DataFrame(
            {
                "org_id": pairs["org_id"].to_numpy(dtype=object)[kept],
                "replied": pairs["replied"].to_numpy(dtype=bool)[kept],
                "minutes": pairs[seconds].to_numpy(dtype=float)[kept] / 60,
            }
        )
        rates, minutes = _by_organisation(counted)
        if main_rates is None:
            main_rates = rates
        rows.append(
            alt
            | {
                "incoming": len(counted),
                "response_rate": _mean(counted["replied"]),
                "median_response_minutes": observed_median(counted["minutes"]),
                "organisations": len(rates),
                "rate_org_median": _median(rates),
                "rate_org_min": _extreme(rates, "min"),
                "rate_org_max": _extreme(rates, "max"),
                "minutes_org_median": _median(minutes),
                "minutes_org_min": _extreme(minutes, "min"),
                "minutes_org_max": _extreme(minutes, "max"),
                "rank_correlation": rank_correlation(main_rates, rates),
            }
        )
    return pd.DataFrame(rows, columns=COLUMNS)


def _by_organisation(counted: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Each organisation's response rate and median response time (minutes)."""
    grouped = counted.groupby("org_id", sort=True)
    rates = grouped["replied"].mean().astype(float)
    minutes = grouped["minutes"].agg(observed_median).astype(float)  # NaN: none answered
    return rates, minutes


def rank_correlation(main: pd.Series, other: pd.Series) -> float:
    """Spearman's rank correlation of two per-organisation series over the organisations
    in both (average ranks for ties); NaN with fewer than two or no variation."""
    both = pd.concat([main.rename("main"), other.rename("other")], axis=1, join="inner")
    if len(both) < 2:
        return float("nan")
    ranks = both.rank(method="average")
    if (ranks.std() == 0).any():
        return float("nan")
    return float(np.corrcoef(ranks["main"], ranks["other"])[0, 1])


def observed_median(values: pd.Series) -> float:
    """The median response time as the metrics compute it: the inverted-CDF quantile, an
    observed value (docs/metrics.md); NaN where nothing was answered."""
    values = values.dropna().to_numpy(dtype=float)
    return float(np.quantile(values, 0.5, method="inverted_cdf")) if len(values) else np.nan


def _mean(values: pd.Series) -> float:
    return float(values.mean()) if len(values) else float("nan")


def _median(values: pd.Series) -> float:
    values = values.dropna()
    return float(values.median()) if len(values) else float("nan")


def _extreme(values: pd.Series, how: str) -> float:
    values = values.dropna()
    return float(getattr(values, how)()) if len(values) else float("nan")


def moves(robustness: pd.DataFrame) -> dict:
    """How far the headline moves: the main response rate and median time, the lowest and
    highest under the alternatives (with which), and the lowest rank correlation."""
    main = robustness.iloc[0]
    others = robustness.iloc[1:]
    out = {
        "rate": float(main["response_rate"]),
        "minutes": float(main["median_response_minutes"]),
        "correlation_min": float(others["rank_correlation"].min()) if len(others) else np.nan,
    }
    for key, column in (("rate", "response_rate"), ("minutes", "median_response_minutes")):
        values = others[column].to_numpy(dtype=float)
        if np.isfinite(values).any():
            low, high = int(np.nanargmin(values)), int(np.nanargmax(values))
            out[f"{key}_low"], out[f"{key}_high"] = float(values[low]), float(values[high])
            # positions in the whole table (the main definition is row 0)
            out[f"{key}_low_row"], out[f"{key}_high_row"] = low + 1, high + 1
    return out
