"""Benchmarks a reader compares against: sectors, platforms, what consumers send, and
answers outside webcare hours.

Each function takes the metrics' or the classify stage's tables and returns a long table
with numbers as numbers (the report formats them, the workbook keeps them):

- ``sector_benchmarks``: per sector (and ``all`` organisations) the median and the best
  organisation's value of each benchmark indicator (edition estimates, all platforms);
  "best" is the highest value, for the median response time the lowest.
- ``platforms``: Twitter and Facebook side by side, all organisations together, with
  intervals, and how many organisations with both platforms do better on each.
- ``type_mix``: what consumers send: the predicted types' counts and shares, edition-wide
  and per sector, over the same incoming messages as every other figure of the report
  (the censored tail left out, as in ``n_incoming`` and the per-type response rates): the
  table's total is then the summary's number of incoming messages, and its shares weigh
  the per-type response rates of the same messages (Σ share × rate = the response rate).
- ``outside_hours``: per organisation and ``all``: incoming messages that arrive outside
  the webcare hours and on closed days, their response rates beside those arriving inside
  the hours, and the share of answers given outside the hours (answered, uncensored
  messages only, as in the response rate).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from engbench.metrics import ALL, edition_estimates

TYPES = ("complaint", "question", "compliment", "other")
BENCHMARK_INDICATORS = (
    "response_rate",
    "response_time_webcare_median",
    "dialogue_share",
    *(f"response_rate_{t}" for t in TYPES),
)
LOWER_IS_BETTER = frozenset({"response_time_webcare_median"})
PLATFORM_INDICATORS = (
    "n_incoming",
    "n_broadcasts",
    "n_replies",
    "response_rate",
    "response_time_webcare_median",
    "dialogue_share",
    *(f"response_rate_{t}" for t in TYPES),
)


def sector_benchmarks(indicators: pd.DataFrame, sectors: dict[str, str]) -> pd.DataFrame:
    """Per sector (``all`` first, then sectors in alphabetical order) and indicator: the
    number of organisations with a value, their median, the best value and its organisation
    (ties: the first organisation in alphabetical order)."""
    wide = edition_estimates(indicators).drop(index=ALL, errors="ignore").sort_index()
    groups = {ALL: list(wide.index)}
    for org in wide.index:
        groups.setdefault(sectors.get(org) or "", []).append(org)
    groups = {ALL: groups.pop(ALL)} | dict(sorted(groups.items()))
    rows = []
    for sector, orgs in groups.items():
        for indicator in BENCHMARK_INDICATORS:
            if indicator not in wide:
                continue
            values = wide.loc[orgs, indicator].dropna()
            if values.empty:
                continue
            best = values.idxmin() if indicator in LOWER_IS_BETTER else values.idxmax()
            rows.append(
                {
                    "sector": sector,
                    "indicator": indicator,
                    "organisations": len(values),
                    "median": float(values.median()),
                    "best": float(values.loc[best]),
                    "best_org_id": best,
                }
            )
    return pd.DataFrame(
        rows, columns=["sector", "indicator", "organisations", "median", "best", "best_org_id"]
    )


def platforms(indicators: pd.DataFrame) -> pd.DataFrame:
    """Per indicator and platform (all organisations together) the estimate with its
    interval, and ``organisations_ahead``: of the organisations with a value on every
    platform, how many do better on this platform than on all the others (higher, or
    for the median response time lower)."""
    edition = indicators[(indicators["period"] == "edition") & (indicators["platform"] != ALL)]
    names = sorted(set(edition["platform"]))
    rows = []
    for indicator in PLATFORM_INDICATORS:
        cells = edition[edition["indicator"] == indicator]
        if cells.empty:
            continue
        wide = cells[cells["org_id"] != ALL].pivot_table(
            index="org_id", columns="platform", values="estimate"
        )
        both = wide.reindex(columns=names).dropna()
        for platform in names:
            row = cells[(cells["org_id"] == ALL) & (cells["platform"] == platform)]
            others = both.drop(columns=platform)
            if indicator in LOWER_IS_BETTER:
                ahead = (both[platform].to_numpy()[:, None] < others.to_numpy()).all(axis=1)
            else:
                ahead = (both[platform].to_numpy()[:, None] > others.to_numpy()).all(axis=1)
            rows.append(
                {
                    "indicator": indicator,
                    "platform": platform,
                    "estimate": float(row["estimate"].iloc[0]) if len(row) else np.nan,
                    "lower": float(row["lower"].iloc[0]) if len(row) else np.nan,
                    "upper": float(row["upper"].iloc[0]) if len(row) else np.nan,
                    "organisations_both": len(both),
                    "organisations_ahead": int(ahead.sum()) if len(both) else 0,
                }
            )
    return pd.DataFrame(
        rows,
        columns=[
            "indicator",
            "platform",
            "estimate",
            "lower",
            "upper",
            "organisations_both",
            "organisations_ahead",
        ],
    )


def type_mix(incoming: pd.DataFrame, sectors: dict[str, str]) -> pd.DataFrame:
    """Per sector (``all`` first) and message type: incoming messages and their share of
    the sector's incoming messages (the classifier's predicted type); censored messages
    (``censored``, the last answer window) left out, as in the metrics."""
    if "censored" in incoming:
        incoming = incoming[~incoming["censored"].astype(bool)]
    frame = incoming[["org_id", "type"]].assign(sector=incoming["org_id"].map(sectors).fillna(""))
    rows = []
    groups = [(ALL, frame), *sorted(frame.groupby("sector"), key=lambda g: g[0])]
    for sector, part in groups:
        total = len(part)
        counts = part["type"].value_counts()
        for t in [*TYPES, *sorted(set(counts.index) - set(TYPES))]:
            n = int(counts.get(t, 0))
            rows.append(
                {
                    "sector": sector,
                    "type": t,
                    "messages": n,
                    "share": n / total if total else np.nan,
                }
            )
    return pd.DataFrame(rows, columns=["sector", "type", "messages", "share"])


def open_at(times: pd.Series, schedule: dict, timezone: str) -> tuple[np.ndarray, np.ndarray]:
    """For each moment (UTC timestamps): inside the webcare hours, and on a closed day
    (local weekday without hours). Missing moments are neither."""
    local = pd.DatetimeIndex(times).tz_convert(timezone)
    weekday = np.asarray(local.day_of_week)
    minute = np.asarray(local.hour) * 60 + np.asarray(local.minute)
    inside = np.zeros(len(local), dtype=bool)
    closed = np.zeros(len(local), dtype=bool)
    present = ~np.asarray(pd.isna(local))
    for day, hours in schedule.items():
        on_day = present & (weekday == day)
        if hours is None:
            closed |= on_day
        else:
            inside |= on_day & (minute >= hours[0]) & (minute < hours[1])
    return inside, closed


def outside_hours(
    incoming: pd.DataFrame, schedule: dict, timezone: str, organisations: list[str] | None = None
) -> pd.DataFrame:
    """Per organisation (in ``organisations`` order, default alphabetical) and ``all``:
    uncensored incoming messages, those arriving outside the webcare hours and on closed
    days, the response rate of each group, and of the answered ones the share answered
    outside the webcare hours (the first reply's moment)."""
    kept = incoming[~incoming["censored"].astype(bool)]
    arrived_inside, arrived_closed = open_at(kept["created_at"], schedule, timezone)
    answered_inside, _ = open_at(kept["first_reply_at"], schedule, timezone)
    replied = kept["replied"].astype(bool).to_numpy()
    frame = pd.DataFrame(
        {
            "org_id": kept["org_id"].to_numpy(),
            "replied": replied,
            "inside": arrived_inside,
            "outside": ~arrived_inside,
            "closed": arrived_closed,
            "answer_outside": replied & ~answered_inside,
        }
    )
    orgs = organisations if organisations is not None else sorted(set(frame["org_id"]))
    rows = []
    for org in [ALL, *orgs]:
        part = frame if org == ALL else frame[frame["org_id"] == org]

        def rate(mask, part=part):
            n = int(mask.sum())
            return float(part["replied"][mask].mean()) if n else np.nan

        n_answered = int(part["replied"].sum())
        rows.append(
            {
                "org_id": org,
                "incoming": len(part),
                "outside_hours": int(part["outside"].sum()),
                "closed_days": int(part["closed"].sum()),
                "share_outside_hours": float(part["outside"].mean()) if len(part) else np.nan,
                "response_rate_inside": rate(part["inside"]),
                "response_rate_outside": rate(part["outside"]),
                "response_rate_closed_days": rate(part["closed"]),
                "answered": n_answered,
                "answered_outside_hours": int(part["answer_outside"].sum()),
                "share_answers_outside_hours": float(part["answer_outside"].sum() / n_answered)
                if n_answered
                else np.nan,
            }
        )
    return pd.DataFrame(rows)
