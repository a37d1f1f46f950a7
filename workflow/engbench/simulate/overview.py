"""An overview of a simulated edition: counts and a figure for the HTML report."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd

# Okabe–Ito: distinguishable with colour-vision deficiencies and in grey print.
ROLE_COLOURS = {
    "incoming": "#0072B2",
    "reply": "#E69F00",
    "broadcast": "#009E73",
    "retweet": "#CC79A7",
    "chatter": "#999999",
}


def simulated_counts(messages: pd.DataFrame) -> pd.DataFrame:
    """Messages per organisation × platform × role, collected and deleted."""
    counts = (
        messages.groupby(["org_id", "platform", "role", "collected"])
        .size()
        .unstack("collected", fill_value=0)
        .rename(columns={True: "collected", False: "deleted"})
    )
    for column in ("collected", "deleted"):
        if column not in counts:
            counts[column] = 0
    return counts[["collected", "deleted"]].reset_index()


def volume_figure(messages: pd.DataFrame, timezone: str) -> plt.Figure:
    """Weekly volumes per platform and role, and each organisation's share."""
    local = messages["created_at"].dt.tz_convert(timezone).dt.tz_localize(None)
    week = local.dt.to_period("W-SUN").dt.start_time
    weekly = messages.assign(week=week).groupby(["platform", "week", "role"]).size()
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.8), width_ratios=[1, 1, 0.8])
    for ax, platform in zip(axes[:2], ("twitter", "facebook"), strict=True):
        if platform in weekly.index.get_level_values(0):
            table = weekly[platform].unstack("role", fill_value=0)
            for role, colour in ROLE_COLOURS.items():
                if role in table:
                    ax.plot(table.index, table[role], label=role, color=colour, lw=1.5)
        ax.set_title(f"{platform.capitalize()}: messages per week")
        ax.tick_params(axis="x", labelrotation=45)
        ax.grid(alpha=0.3)
    axes[0].legend(frameon=False, fontsize=8)
    share = messages["org_id"].value_counts(normalize=True).sort_values()
    axes[2].barh(share.index, share.to_numpy() * 100, color="#0072B2")
    axes[2].set_title("Share of all messages (%)")
    axes[2].tick_params(axis="y", labelsize=6)
    fig.tight_layout()
    return fig


def study_patterns(
    messages: pd.DataFrame,
    incoming: pd.DataFrame,
    organisations: pd.DataFrame,
    window_seconds: float = 7 * 86400,
) -> dict:
    """The truth of an edition in the figures the 2018 study reported (docs/simulator.md,
    "Calibration"): the share of incoming messages answered within ``window_seconds``,
    overall, per platform and per type; per type and sector; the spread of organisations'
    response rates; and the share of broadcasts in organisations' own posts per platform.

    ``messages``, ``incoming`` and ``organisations`` are the truth tables (or an
    ``Edition``'s ``messages``, ``incoming`` and ``organisations``).
    """
    answered = incoming["responded"] & (incoming["response_seconds"] <= window_seconds).fillna(
        False
    )
    inc = incoming.assign(answered=answered.astype(bool)).merge(
        organisations[["org_id", "sector"]], on="org_id", validate="many_to_one"
    )
    by_org = inc.groupby("org_id")["answered"].mean()
    own = messages[messages["role"].isin(["broadcast", "reply"])]
    broadcast = (own["role"] == "broadcast").groupby(own["platform"]).mean()
    by_sector = inc.groupby(["sector", "type"])["answered"].mean().unstack("type")
    return {
        "messages": len(messages),
        "collected": int(messages["collected"].sum()),
        "incoming": len(inc),
        "answered": float(inc["answered"].mean()),
        "answered_by_platform": inc.groupby("platform")["answered"].mean().to_dict(),
        "answered_by_type": inc.groupby("type")["answered"].mean().to_dict(),
        "type_share": inc["type"].value_counts(normalize=True).to_dict(),
        "answered_by_sector_type": by_sector,
        "org_rate_min": float(by_org.min()),
        "org_rate_median": float(by_org.median()),
        "org_rate_max": float(by_org.max()),
        "orgs_answering_most": int((by_org > 0.5).sum()),
        "broadcast_share": {
            **broadcast.to_dict(),
            "all": float((own["role"] == "broadcast").mean()),
        },
    }
