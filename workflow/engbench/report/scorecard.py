"""One scorecard per organisation: its indicators against the median organisation and its
sector, and one or two sentences saying where it stands.

``rows`` gives, per indicator, the organisation's edition estimate with its interval, the
median over all organisations, and its sector's lowest, median and highest organisation;
``sentences`` compares its response rate with the median organisation and its sector's
median, and its median response time with the median organisation's (wording chosen from
the numbers; every number recorded in ``Findings.numbers`` with its source).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from engbench.metrics import ALL
from engbench.report.findings import Findings
from engbench.report.text import TEXT, duration, number

SHARES = (
    "response_rate",
    "response_rate_complaint",
    "response_rate_question",
    "response_rate_compliment",
    "response_rate_other",
    "dialogue_share",
)
TIME = "response_time_webcare_median"
# What a scorecard figure draws per indicator: the organisation's estimate and interval, the
# median organisation, the sector's band and median.
VALUES = ["estimate", "lower", "upper", "median", "sector_low", "sector_median", "sector_high"]
COLUMNS = ["indicator", *VALUES, "sector_organisations"]


def _edition(indicators: pd.DataFrame) -> pd.DataFrame:
    cells = indicators[
        (indicators["period"] == "edition")
        & (indicators["platform"] == ALL)
        & (indicators["org_id"] != ALL)
    ]
    return cells.set_index(["org_id", "indicator"])[["estimate", "lower", "upper"]]


def rows(
    indicators: pd.DataFrame, league: pd.DataFrame, sectors: dict[str, str], org: str
) -> pd.DataFrame:
    """The scorecard's rows for ``org``: the shares, the median response time (seconds) and
    the engagement index (from ``league``), each against all organisations and the sector."""
    cells = _edition(indicators)
    index = league.set_index("org_id")
    peers = [o for o in index.index if sectors.get(o) == sectors.get(org)]
    out = []
    for indicator in (*SHARES, TIME, "index"):
        if indicator == "index":
            values = index["index"]
            own = index.loc[org, ["index", "index_lower", "index_upper"]].to_numpy(float)
        else:
            if (org, indicator) not in cells.index:
                continue
            values = cells.xs(indicator, level="indicator")["estimate"]
            own = cells.loc[(org, indicator)].to_numpy(float)
        sector = values.reindex(peers).dropna()
        out.append(
            [
                indicator,
                *own,
                float(values.dropna().median()),
                float(sector.min()) if len(sector) else np.nan,
                float(sector.median()) if len(sector) else np.nan,
                float(sector.max()) if len(sector) else np.nan,
                len(sector),
            ]
        )
    return pd.DataFrame(out, columns=COLUMNS)


def sentences(out: Findings, card: pd.DataFrame, org: str, name: str, sector: str) -> list[str]:
    """One or two sentences: the response rate against the median organisation and the
    sector's median, the median response time against the median organisation's."""
    language = out.language
    b = TEXT[language]["benchmarks"]
    s = b["sentences"]
    sector_name = b["sectors"].get(sector, str(sector).replace("_", " "))
    card = card.set_index("indicator")
    said = []
    if "response_rate" in card.index:
        r = card.loc["response_rate"]
        source = f"scorecard: {org}/response_rate"

        def pct(label, column):
            return out.add(
                f"{org} {label}", r[column], number(r[column], language, 1, True),
                f"{source}/{column}",
            )  # fmt: skip

        rate, median = pct("response_rate", "estimate"), pct("median response_rate", "median")
        key = "above" if rate != median and r["estimate"] > r["median"] else "below"
        if rate == median:
            key = "equal"
        first = s[f"scorecard_{key}"].format(name=name, rate=rate, median=median)
        if r["sector_organisations"] <= 1:
            first += s["scorecard_sector_alone"].format(sector=sector_name)
        else:
            sector_median = pct("sector median response_rate", "sector_median")
            key = (
                "equal"
                if sector_median == rate
                else "above"
                if r["estimate"] > r["sector_median"]
                else "below"
            )
            first += s[f"scorecard_sector_{key}"].format(
                sector=sector_name, sector_median=sector_median
            )
        said.append(first)
    if TIME in card.index and np.isfinite(card.loc[TIME, "estimate"]):
        r = card.loc[TIME]
        time = out.add(
            f"{org} {TIME}", r["estimate"], duration(r["estimate"], language),
            f"scorecard: {org}/{TIME}/estimate",
        )  # fmt: skip
        median = out.add(
            f"{org} median {TIME}", r["median"], duration(r["median"], language),
            f"scorecard: {org}/{TIME}/median",
        )  # fmt: skip
        key = "equal" if time == median else "faster" if r["estimate"] < r["median"] else "slower"
        said.append(s[f"scorecard_time_{key}"].format(time=time, median=median))
    return said
