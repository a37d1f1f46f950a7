"""The report's figures: one style, a colour-blind-safe palette (Okabe–Ito), PNG + PDF.

Every function takes result tables and the report's words (``text.TEXT[language]``) and
returns a matplotlib Figure whose numeric tick labels are in the report's number format
(``in_language``: nl ``−0,5`` and ``10.000``, en ``−0.5`` and ``10,000``); ``save`` writes it
as PNG (screen) and PDF (print) without timestamps, so the same results give the same files.
"""

from __future__ import annotations

import functools
import inspect
from pathlib import Path

import matplotlib
import matplotlib.lines
import matplotlib.patches
import matplotlib.ticker

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from engbench.metrics import edition_estimates
from engbench.report.scorecard import VALUES
from engbench.report.text import number

OKABE_ITO = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "sky": "#56B4E9",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "grey": "#999999",
}
TYPE_COLOURS = {
    "complaint": OKABE_ITO["vermillion"],
    "question": OKABE_ITO["blue"],
    "compliment": OKABE_ITO["green"],
    "other": OKABE_ITO["grey"],
}
STYLE = {
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.labelsize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "legend.frameon": False,
    "figure.dpi": 100,
    "savefig.dpi": 200,
    "savefig.bbox": "tight",
    "pdf.fonttype": 42,
    "svg.hashsalt": "engbench",
}


def save(
    figure: plt.Figure, stem: str | Path, pdf: bool = True, dpi: int | None = None
) -> list[Path]:
    """Write ``stem``.png and (``pdf``) ``stem``.pdf (no creation dates: reruns give the same
    bytes); ``dpi`` overrides the PNG's resolution (the style's 200 by default)."""
    stem = Path(stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    paths = [stem.with_suffix(".png"), stem.with_suffix(".pdf")][: 2 if pdf else 1]
    figure.savefig(paths[0], metadata={"Software": None}, **({"dpi": dpi} if dpi else {}))
    if pdf:
        figure.savefig(paths[1], metadata={"Creator": None, "Producer": None, "CreationDate": None})
    plt.close(figure)
    return paths


class LocaleNumbers(matplotlib.ticker.Formatter):
    """Tick labels through the report's one number format (``text.number``) in ``language``,
    every tick of an axis with the same decimals: as few as its values need (at most 3)."""

    def __init__(self, language: str):
        self.language = language
        self.digits = 0

    def set_locs(self, locs):
        super().set_locs(locs)
        values = np.asarray([v for v in locs if np.isfinite(v)], dtype=float)
        self.digits = next(
            (d for d in range(4) if np.allclose(np.round(values, d), values, rtol=0, atol=1e-9)),
            3,
        )

    def __call__(self, value, pos=None):
        return number(value, self.language, self.digits)


# the formatters matplotlib gives a numeric axis (text labels such as names and months
# come as a FixedFormatter or a FuncFormatter over the labels, and are left alone)
NUMERIC = (matplotlib.ticker.ScalarFormatter, matplotlib.ticker.LogFormatter)
FIGURES: list[str] = []  # the figures the report draws, each through ``in_language``


def numbers_in_language(figure: plt.Figure, language: str) -> plt.Figure:
    """Every numeric axis (major ticks with a number formatter, not fixed text labels such
    as names or months) of every panel of ``figure`` in ``language``'s number format."""
    for ax in figure.axes:
        for axis in (ax.xaxis, ax.yaxis):
            if isinstance(axis.get_major_formatter(), NUMERIC):
                axis.set_major_formatter(LocaleNumbers(language))
    return figure


def in_language(draw):
    """A figure function whose figure gets the report's number format: the language is the
    one of its ``text`` (the catalogue names it; English without)."""
    signature = inspect.signature(draw)
    FIGURES.append(draw.__name__)

    @functools.wraps(draw)
    def drawn(*args, **kwargs):
        text = signature.bind(*args, **kwargs).arguments["text"]
        return numbers_in_language(draw(*args, **kwargs), text.get("language", "en"))

    return drawn


ROW = 0.22  # inches per organisation in the per-organisation charts: 28 fit half a page


def _figure(width: float, height: float):
    plt.rcParams.update(STYLE)
    return plt.subplots(figsize=(width, height))


def _estimates(ax, estimate, lower, upper, y) -> None:
    """Point estimates with their intervals, one per row. Drawn apart: a percentile
    bootstrap interval need not contain its estimate (an index standardised over few
    organisations, a cell with little data), and the figure shows it as it is."""
    ax.hlines(y, lower, upper, color=OKABE_ITO["sky"], linewidth=1.5)
    ax.plot(estimate, y, "o", color=OKABE_ITO["blue"], ms=4)


@in_language
def league_table(league: pd.DataFrame, names: dict[str, str], text: dict) -> plt.Figure:
    """Engagement index per organisation with its interval, and the rank interval as text."""
    data = league.sort_values("index")
    fig, ax = _figure(6.5, ROW * len(data) + 1.0)
    y = np.arange(len(data))
    _estimates(ax, data["index"], data["index_lower"], data["index_upper"], y)
    ax.set_yticks(
        y,
        [
            f"{names.get(o, o)}  ({_rank(r, lo, hi)})"
            for o, r, lo, hi in zip(
                data["org_id"], data["rank"], data["rank_lower"], data["rank_upper"], strict=True
            )
        ],
    )
    ax.axvline(0, color=OKABE_ITO["grey"], lw=0.8)
    ax.set_xlabel(text["index_axis"])
    ax.set_title(text["league_title"])
    return fig


COMPONENT_COLOURS = {
    "response_rate": OKABE_ITO["blue"],
    "response_speed": OKABE_ITO["orange"],
    "dialogue_share": OKABE_ITO["green"],
    "engagement": OKABE_ITO["purple"],
}


@in_language
def index_decomposition(
    contributions: pd.DataFrame, names: dict[str, str], text: dict
) -> plt.Figure:
    """Each organisation's engagement index as the sum of its components' contributions
    (weight × z-score ÷ sum of weights; ``metrics.index_contributions``): bars to the right
    raise the index, bars to the left lower it; the dot is the index. League order."""
    data = contributions.iloc[::-1].reset_index(drop=True)  # rank 1 at the top
    fig, ax = _figure(6.5, (ROW + 0.04) * len(data) + 1.4)
    y = np.arange(len(data))
    positive, negative = np.zeros(len(data)), np.zeros(len(data))
    for component, colour in COMPONENT_COLOURS.items():
        values = data[component].to_numpy(float)
        left = np.where(values >= 0, positive, negative)
        ax.barh(y, values, left=left, color=colour, height=0.6, label=text["components"][component])
        positive += np.where(values >= 0, values, 0)
        negative += np.where(values < 0, values, 0)
    ax.plot(data["index"], y, "o", color="black", ms=4, label=text["index"])
    ax.axvline(0, color=OKABE_ITO["grey"], lw=0.8)
    ax.set_yticks(y, [names.get(o, o) for o in data["org_id"]])
    ax.set_xlabel(text["contribution_axis"])
    ax.set_title(text["decomposition_title"])
    ax.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, -0.12 - 0.6 / max(len(data), 1)),
        ncol=3,
        fontsize=8,
    )
    return fig


def _legend_below(ax, rows: int, columns: int) -> None:
    """The legend under the axis title, where it covers no organisation's row."""
    ax.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, -0.12 - 0.6 / max(rows, 1)),
        ncol=columns,
        fontsize=8,
    )


def _league_rows(ids, order: list[str] | None, key=None) -> list:
    """Rows top to bottom in league order (rank 1 at the top: the last y position), organisations
    outside ``order`` after it; without ``order`` sorted by ``key`` (a Series over ``ids``)."""
    ids = list(ids)
    if order is None:
        return list(key.loc[ids].sort_values().index) if key is not None else ids
    ranked = [o for o in order if o in ids] + sorted(o for o in ids if o not in order)
    return ranked[::-1]


def _rank(rank, low, high) -> str:
    return f"{int(rank)}" if low == high else f"{int(rank)}: {int(low)}–{int(high)}"


@in_language
def response_by_type(
    indicators: pd.DataFrame, names: dict[str, str], text: dict, order: list[str] | None = None
) -> plt.Figure:
    """Response rate per message type per organisation: webcare or webcure? Rows in league
    ``order`` (org_ids, rank 1 first) when given, else by the complaint rate."""
    table = edition_estimates(indicators).drop(index="all", errors="ignore")
    table = table[[c for c in table if c.startswith("response_rate_")]].dropna(how="all")
    table = table.loc[_league_rows(table.index, order, table.get("response_rate_complaint"))]
    fig, ax = _figure(6.5, ROW * len(table) + 1.2)
    y = np.arange(len(table))
    for t, colour in TYPE_COLOURS.items():
        column = f"response_rate_{t}"
        if column in table:
            ax.plot(table[column] * 100, y, "o", color=colour, label=text["types"][t], ms=4)
    ax.set_yticks(y, [names.get(o, o) for o in table.index])
    ax.set_xlim(0, 100)
    ax.set_xlabel(text["response_rate_axis"])
    ax.set_title(text["by_type_title"])
    ax.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, -0.12 - 0.6 / max(len(table), 1)),
        ncol=4,
        fontsize=8,
    )
    return fig


@in_language
def response_times(
    incoming: pd.DataFrame, names: dict[str, str], text: dict, order: list[str] | None = None
) -> plt.Figure:
    """Distribution of response times in webcare hours per organisation (log scale); rows in
    league ``order`` when given, else by the median."""
    answered = incoming[incoming["replied"] & ~incoming["censored"]]
    medians = answered.groupby("org_id")["response_seconds_webcare"].median()
    order = _league_rows(medians.index, order, medians)
    fig, ax = _figure(6.5, ROW * len(order) + 1.2)
    data = [
        np.maximum(
            answered.loc[answered["org_id"] == o, "response_seconds_webcare"].to_numpy() / 60, 0.5
        )
        for o in order
    ]
    ax.boxplot(
        data,
        orientation="horizontal",
        whis=(5, 95),
        showfliers=False,
        widths=0.6,
        medianprops={"color": OKABE_ITO["vermillion"]},
        boxprops={"color": OKABE_ITO["blue"]},
    )
    ax.set_yticks(np.arange(1, len(order) + 1), [names.get(o, o) for o in order])
    ax.set_xscale("log")
    hour = text.get("hour", "h")
    ax.set_xticks(
        [1, 10, 60, 600, 1440], ["1 min", "10 min", f"1 {hour}", f"10 {hour}", f"24 {hour}"]
    )
    ax.set_xlabel(text["response_time_axis"])
    ax.set_title(text["times_title"])
    return fig


@in_language
def dialogue_share(
    indicators: pd.DataFrame, names: dict[str, str], text: dict, order: list[str] | None = None
) -> plt.Figure:
    """Broadcasts vs replies: the share of each organisation's messages that are replies;
    rows in league ``order`` when given, else by the share."""
    table = edition_estimates(indicators).drop(index="all", errors="ignore")
    table = table.loc[_league_rows(table.index, order, table["dialogue_share"])]
    fig, ax = _figure(6.5, ROW * len(table) + 1.2)
    y = np.arange(len(table))
    share = table["dialogue_share"] * 100
    ax.barh(y, share, color=OKABE_ITO["green"], label=text["replies"])
    ax.barh(
        y, 100 - share, left=share, color=OKABE_ITO["grey"], alpha=0.6, label=text["broadcasts"]
    )
    ax.set_yticks(y, [names.get(o, o) for o in table.index])
    ax.set_xlim(0, 100)
    ax.set_xlabel(text["share_axis"])
    ax.set_title(text["dialogue_title"])
    _legend_below(ax, len(table), 2)
    return fig


@in_language
def monthly_volumes(indicators: pd.DataFrame, text: dict) -> plt.Figure:
    rows = indicators[
        (indicators["org_id"] == "all")
        & (indicators["platform"] == "all")
        & (indicators["period"] != "edition")
    ]
    table = rows.pivot_table(index="period", columns="indicator", values="estimate").sort_index()
    fig, ax = _figure(6.5, 2.8)
    for column, colour, label in (
        ("n_incoming", OKABE_ITO["blue"], text["incoming"]),
        ("n_replies", OKABE_ITO["orange"], text["replies"]),
        ("n_broadcasts", OKABE_ITO["green"], text["broadcasts"]),
    ):
        if column in table:
            ax.plot(
                np.arange(len(table)), table[column], marker="o", ms=3, color=colour, label=label
            )
    ax.set_xticks(
        np.arange(len(table)),
        [f"{text['months_short'][int(p[5:7]) - 1]} {p[:4]}" for p in table.index.astype(str)],
    )
    ax.set_ylabel(text["messages_axis"])
    ax.set_title(text["monthly_title"])
    ax.tick_params(axis="x", labelrotation=45)
    ax.legend(fontsize=8)
    return fig


@in_language
def loyalty_gap(
    descriptives: pd.DataFrame, names: dict[str, str], text: dict, order: list[str] | None = None
) -> plt.Figure:
    """Loyalty of followers and non-followers per organisation; rows in league ``order``
    when given, else by the followers' loyalty."""
    by_org = descriptives.set_index("org_id")
    data = by_org.loc[
        _league_rows(by_org.index, order, by_org["loyalty_followers_weighted"])
    ].reset_index()
    fig, ax = _figure(6.5, ROW * len(data) + 1.2)
    y = np.arange(len(data))
    for who, colour, offset in (
        ("followers", OKABE_ITO["blue"], 0.15),
        ("non_followers", OKABE_ITO["orange"], -0.15),
    ):
        mean = data[f"loyalty_{who}_weighted"]
        ax.errorbar(
            mean,
            y + offset,
            xerr=[
                mean - data[f"loyalty_{who}_weighted_lower"],
                data[f"loyalty_{who}_weighted_upper"] - mean,
            ],
            fmt="o",
            ms=3,
            color=colour,
            capsize=1.5,
            label=text[who],
        )
    ax.set_yticks(y, [names.get(o, o) for o in data["org_id"]])
    ax.set_xlabel(text["loyalty_axis"])
    ax.set_title(text["loyalty_title"])
    _legend_below(ax, len(data), 2)
    return fig


LINEAR_MODELS = ("ols_fe", "mixed", "platforms", "cross_level", "ipw")


@in_language
def coefficients(table: pd.DataFrame, text: dict) -> plt.Figure:
    """Following in the models on the loyalty scale (the logits are in the regression table)."""
    rows = table[table["term"].str.contains("follows") & table["model"].isin(LINEAR_MODELS)].iloc[
        ::-1
    ]
    fig, ax = _figure(6.5, 0.3 * len(rows) + 1.2)
    y = np.arange(len(rows))
    _estimates(ax, rows["estimate"], rows["ci_low"], rows["ci_high"], y)
    ax.axvline(0, color=OKABE_ITO["grey"], lw=0.8)
    ax.set_yticks(
        y,
        [
            f"{text['models_short'].get(m, m)}: {text['variables'].get(t, t)}"
            for m, t in zip(rows["model"], rows["term"], strict=True)
        ],
    )
    ax.set_xlabel(text["coefficient_axis"])
    ax.set_title(text["coefficients_title"])
    return fig


@in_language
def confusion(matrix: pd.DataFrame, text: dict) -> plt.Figure:
    fig, ax = _figure(4.2, 3.6)
    values = matrix.to_numpy(float)
    shares = values / values.sum(axis=1, keepdims=True)
    ax.imshow(shares, cmap="Blues", vmin=0, vmax=1)
    labels = [text["types"][t] for t in matrix.columns]
    ax.set_xticks(range(len(labels)), labels, rotation=30)
    ax.set_yticks(range(len(labels)), [text["types"][t] for t in matrix.index])
    for i in range(len(labels)):
        for j in range(len(labels)):
            ax.text(
                j,
                i,
                f"{int(values[i, j])}",
                ha="center",
                va="center",
                color="white" if shares[i, j] > 0.5 else "black",
                fontsize=8,
            )
    ax.grid(False)
    ax.set_xlabel(text["predicted"])
    ax.set_ylabel(text["coded"])
    ax.set_title(text["confusion_title"])
    return fig


@in_language
def scorecard(card: pd.DataFrame, text: dict) -> plt.Figure:
    """One organisation's scorecard (``report.scorecard.rows``): per indicator its estimate
    with interval (dot), the median of all organisations (line), its sector's lowest to
    highest organisation (grey band) and the sector's median (diamond); the shares on one
    axis in per cent, the median response time (minutes, log scale) and the engagement
    index on their own."""
    b = text["benchmarks"]
    labels = b["indicators"]
    panels = [
        ([i for i in card["indicator"] if i not in ("response_time_webcare_median", "index")], 100),
        (["response_time_webcare_median"], 1 / 60),
        (["index"], 1),
    ]
    panels = [
        (names, scale) for names, scale in panels if names and set(names) & set(card["indicator"])
    ]
    heights = [len(names) for names, _ in panels]
    plt.rcParams.update(STYLE)
    fig, axes = plt.subplots(
        len(panels),
        1,
        figsize=(6.5, 0.32 * sum(heights) + 0.55 * len(panels) + 0.4),
        gridspec_kw={"height_ratios": [h + 0.8 for h in heights]},
        squeeze=False,
    )
    rows = card.set_index("indicator")
    for ax, (names, scale) in zip(axes[:, 0], panels, strict=True):
        names = [n for n in names if n in rows.index]
        part = rows.loc[names] * 1.0
        y = np.arange(len(names))[::-1]
        values = part[VALUES] * scale
        for yi, (_, r) in zip(y, values.iterrows(), strict=True):
            ax.add_patch(
                matplotlib.patches.Rectangle(
                    (r["sector_low"], yi - 0.3), r["sector_high"] - r["sector_low"], 0.6,
                    color="#dddddd", zorder=0, linewidth=0,
                )
            )  # fmt: skip
            ax.plot([r["median"]] * 2, [yi - 0.35, yi + 0.35], color="black", linewidth=1.2)
        ax.plot(values["sector_median"], y, "D", color=OKABE_ITO["orange"], ms=4, zorder=2)
        _estimates(ax, values["estimate"], values["lower"], values["upper"], y)
        ax.set_yticks(y, [labels.get(n, n) for n in names])
        ax.set_ylim(-0.6, len(names) - 0.4)
        if names[0] == "response_time_webcare_median":
            ax.set_xlim(0, np.nanmax(values.to_numpy(dtype=float)) * 1.1 or 1)
            ax.set_xlabel(b["scorecard_axis_time"], fontsize=8)
        elif names[0] == "index":
            ax.axvline(0, color=OKABE_ITO["grey"], linewidth=0.5)
        else:
            ax.set_xlim(0, 100)
            ax.set_xlabel(b["scorecard_axis_share"], fontsize=8)
        ax.grid(axis="y", visible=False)
    handles = [
        matplotlib.lines.Line2D([], [], color="black", linewidth=1.2, label=b["scorecard_median"]),
        matplotlib.patches.Patch(color="#dddddd", label=b["scorecard_sector"]),
    ]
    axes[0, 0].legend(
        handles, [h.get_label() for h in handles], loc="lower center",
        bbox_to_anchor=(0.5, 1.0), ncol=2, fontsize=8,
    )  # fmt: skip
    fig.tight_layout()
    return fig
