"""The findings in words: each chapter's opening text, the summary page and the captions.

Every sentence is chosen from the results, never fixed: if complaints get the highest
response rate at k of n organisations the text says so with k and n; if the follower
effect's interval includes zero it says there is no evidence. Every number a sentence
prints is recorded with its value and its source (``Findings.numbers``), written to
``findings.json`` beside the report, so a test can trace each one back to the result
tables. The sentences' words live in the catalogue (``text.TEXT[language]["findings"]``).

Sources, as ``kind: key``:

- ``indicators: org/platform/period/indicator[/lower|/upper]`` (estimate by default)
- ``coefficients: model/term[/ci_low|/ci_high|/n_respondents]`` (estimate by default)
- ``response_rates_by_type: org/type/corrected[/lower|/upper]``
- ``engagement_index: org_id/column``
- ``sector_benchmarks: sector/indicator/median|best``, ``platforms: platform/indicator
  [/lower|/upper|/organisations_ahead|/organisations_both]``, ``type_mix: sector/type/share``,
  ``outside_hours: org/column`` (``engbench.comparison``'s tables)
- ``robustness: row/column`` (``engbench.robustness.table``; row 0 the main definition)
- ``count: rule`` — a count over organisations (``highest_type_counts``), recomputed by
  the tests
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from engbench.comparison import sector_benchmarks
from engbench.metrics import edition_estimates
from engbench.report.text import TEXT, duration, number, period

TYPES = ("complaint", "question", "compliment", "other")
ALL = "all"


@dataclass
class Findings:
    """The generated text and the numbers in it."""

    language: str
    numbers: list[dict] = field(default_factory=list)
    chapters: dict[str, list[str]] = field(default_factory=dict)
    studied: str = ""
    key_findings: list[str] = field(default_factory=list)
    advice: list[str] = field(default_factory=list)
    platforms: list[str] = field(default_factory=list)
    benchmarks: dict[str, str] = field(default_factory=dict)

    def add(self, label: str, value, text: str, source: str) -> str:
        """Record a number the text prints; return its text."""
        self.numbers.append(
            {
                "label": label,
                "value": None if value is None or pd.isna(value) else float(value),
                "text": text,
                "source": source,
            }
        )
        return text

    def to_json(self) -> dict:
        return {
            "studied": self.studied,
            "key_findings": self.key_findings,
            "advice": self.advice,
            "chapters": self.chapters,
            "benchmarks": self.benchmarks,
            "numbers": self.numbers,
        }


def _cell(indicators: pd.DataFrame, org: str, indicator: str, platform: str = ALL) -> pd.Series:
    rows = indicators[
        (indicators["org_id"] == org)
        & (indicators["platform"] == platform)
        & (indicators["period"] == "edition")
        & (indicators["indicator"] == indicator)
    ]
    if rows.empty:
        return pd.Series({"estimate": np.nan, "lower": np.nan, "upper": np.nan})
    return rows.iloc[0]


def highest_type_counts(indicators: pd.DataFrame) -> dict[str, int]:
    """Counts over organisations: where complaints get the highest response
    rate of the four types, where questions get a higher rate than compliments, where
    replies are most of what the organisation posts, and how many there are."""
    wide = edition_estimates(indicators).drop(index=ALL, errors="ignore")
    columns = [f"response_rate_{t}" for t in TYPES if f"response_rate_{t}" in wide]
    rates = wide[columns]
    complaint = rates.get("response_rate_complaint")
    with_complaints = (
        rates.dropna(subset=["response_rate_complaint"])
        if complaint is not None
        else rates.iloc[:0]
    )
    others = with_complaints.drop(columns="response_rate_complaint")
    complaint_highest = (
        int(
            (
                with_complaints["response_rate_complaint"].to_numpy()[:, None]
                > others.fillna(-1).to_numpy()
            )
            .all(axis=1)
            .sum()
        )
        if len(with_complaints)
        else 0
    )
    both = wide.dropna(
        subset=[c for c in ("response_rate_question", "response_rate_compliment") if c in wide]
    )
    question_over_compliment = (
        int((both["response_rate_question"] > both["response_rate_compliment"]).sum())
        if {"response_rate_question", "response_rate_compliment"} <= set(wide)
        else 0
    )
    dialogue = (
        wide["dialogue_share"].dropna() if "dialogue_share" in wide else pd.Series(dtype=float)
    )
    return {
        "organisations": len(wide),
        "with_complaints": len(with_complaints),
        "complaint_highest": complaint_highest,
        "with_question_and_compliment": len(both),
        "question_over_compliment": question_over_compliment,
        "with_dialogue_share": len(dialogue),
        "mostly_replies": int((dialogue > 0.5).sum()),
    }


def findings(
    indicators: pd.DataFrame,
    league: pd.DataFrame,
    coefficients: pd.DataFrame | None,
    by_type: pd.DataFrame | None,
    names: dict[str, str],
    config: dict,
    language: str,
) -> Findings:
    """The report's text from its results (``by_type`` None: raw per-type rates only)."""
    t = TEXT[language]["findings"]
    out = Findings(language)

    def pct(org, indicator, label=None, bounds=True):
        row = _cell(indicators, org, indicator)
        source = f"indicators: {org}/all/edition/{indicator}"
        label = label or f"{org} {indicator}"
        text = out.add(label, row["estimate"], number(row["estimate"], language, 1, True), source)
        if not bounds:
            return text
        low = out.add(
            f"{label} lower",
            row["lower"],
            number(row["lower"], language, 1, True),
            source + "/lower",
        )
        high = out.add(
            f"{label} upper",
            row["upper"],
            number(row["upper"], language, 1, True),
            source + "/upper",
        )
        return f"{text} [{low}–{high}]"

    def count(rule, value):
        return out.add(rule, value, number(value, language, 0), f"count: {rule}")

    counts = highest_type_counts(indicators)
    n_orgs = count("organisations", counts["organisations"])
    platforms = sorted(set(indicators["platform"]) - {ALL})
    out.platforms = platforms
    platform_names = (
        TEXT[language]["and"].join(p.capitalize() for p in platforms)
        if len(platforms) < 3
        else ", ".join(p.capitalize() for p in platforms)
    )

    # Dialogue: broadcast or reply?
    share = _cell(indicators, ALL, "dialogue_share")["estimate"]
    dialogue = [
        (t["dialogue_mostly_replies"] if share > 0.5 else t["dialogue_mostly_broadcasts"]).format(
            share=pct(ALL, "dialogue_share", "dialogue_share"),
            k=count("mostly_replies", counts["mostly_replies"]),
            n=count("with_dialogue_share", counts["with_dialogue_share"]),
        )
    ]
    out.chapters["dialogue"] = dialogue

    # Webcare: how much is answered, and which types (webcare or webcure?)
    rate = _cell(indicators, ALL, "response_rate")["estimate"]
    webcare = [
        (t["most_unanswered"] if rate < 0.5 else t["most_answered"]).format(
            rate=pct(ALL, "response_rate", "response_rate"),
            incoming=out.add(
                "n_incoming",
                _cell(indicators, ALL, "n_incoming")["estimate"],
                number(_cell(indicators, ALL, "n_incoming")["estimate"], language, 0),
                "indicators: all/all/edition/n_incoming",
            ),
        )
    ]
    k, n = counts["complaint_highest"], counts["with_complaints"]
    if n:
        key = (
            "complaints_highest_all"
            if k == n
            else "complaints_highest_most"
            if k > n / 2
            else "complaints_highest_few"
        )
        webcare.append(
            t[key].format(k=count("complaint_highest", k), n=count("with_complaints", n))
        )
    kq, nq = counts["question_over_compliment"], counts["with_question_and_compliment"]
    if nq:
        key = "questions_over_compliments" if kq > nq / 2 else "compliments_over_questions"
        webcare.append(
            t[key].format(
                k=count("question_over_compliment", kq),
                rest=count("compliment_not_below_question", nq - kq),
                n=count("with_question_and_compliment", nq),
            )
        )
    median = _cell(indicators, ALL, "response_time_webcare_median")["estimate"]
    time = out.add(
        "response_time_webcare_median",
        median,
        duration(median, language),
        "indicators: all/all/edition/response_time_webcare_median",
    )
    typical = organisations_median(indicators, "response_time_webcare_median")
    if pd.isna(typical):
        webcare.append(t["median_time"].format(time=time))
    else:
        webcare.append(
            t["median_time_organisations"].format(
                time=time,
                org_time=out.add(
                    "response_time_webcare_median median organisation",
                    typical,
                    duration(typical, language),
                    "sector_benchmarks: all/response_time_webcare_median/median",
                ),
            )
        )
    out.chapters["webcare"] = webcare

    # Engagement: who leads, and how sure is the order?
    ranked = league.sort_values("rank")
    engagement = []
    if len(ranked):
        first = ranked.iloc[0]
        name = names.get(first["org_id"], first["org_id"])
        upper = out.add(
            "rank 1 upper",
            first["rank_upper"],
            number(first["rank_upper"], language, 0),
            f"engagement_index: {first['org_id']}/rank_upper",
        )
        engagement.append(
            (t["leader_certain"] if first["rank_upper"] == 1 else t["leader_uncertain"]).format(
                name=name, upper=upper
            )
        )
        overlapping = int((ranked["rank_upper"] - ranked["rank_lower"] > 0).sum())
        engagement.append(
            t["ranks_overlap"].format(
                k=count("rank_interval_wider_than_one", overlapping), n=n_orgs
            )
        )
    out.chapters["engagement"] = engagement

    # Loyalty: are followers more loyal, and does dialogue strengthen it?
    loyalty = []
    follows = _coefficient(coefficients, "ols_fe", "follows")
    if follows is not None:
        source = "coefficients: ols_fe/follows"
        low, high = (
            out.add(f"follows {c}", follows[c], number(follows[c], language, 2), f"{source}/{c}")
            for c in ("ci_low", "ci_high")
        )
        estimate = number(follows["estimate"], language, 2)
        effect = f"{out.add('follows', follows['estimate'], estimate, source)} [{low}–{high}]"
        key = (
            "followers_more_loyal"
            if follows["ci_low"] > 0
            else "followers_less_loyal"
            if follows["ci_high"] < 0
            else "followers_no_evidence"
        )
        loyalty.append(t[key].format(effect=effect))
        cross = [
            _coefficient(coefficients, "cross_level", term)
            for term in ("follows:dialogue_c", "follows:response_c")
        ]
        cross = [c for c in cross if c is not None]
        if cross:
            zero = all(c["ci_low"] <= 0 <= c["ci_high"] for c in cross)
            loyalty.append(t["cross_level_zero" if zero else "cross_level_nonzero"])
    out.chapters["loyalty"] = loyalty

    # The summary page: what was studied, key findings, what organisations can do.
    respondents = (
        out.add(
            "n_respondents",
            follows["n_respondents"],
            number(follows["n_respondents"], language, 0),
            "coefficients: ols_fe/follows/n_respondents",
        )
        if follows is not None
        else None
    )
    out.studied = t["studied"].format(
        n=n_orgs,
        platforms=platform_names,
        period=period(config["period"]["start"], config["period"]["end"], language),
    ) + (
        " " + t["studied_panel"].format(n=respondents)
        if respondents
        else " " + t["studied_no_panel"]
    )
    out.key_findings = [webcare[0], *webcare[1:3], dialogue[0], *loyalty[:1]][:5]
    advice = []
    if counts["with_question_and_compliment"] and rate < 0.5:
        advice.append(t["advice_answer_more"])
    if n and k > n / 2:
        advice.append(t["advice_beyond_complaints"])
    if share <= 0.5:
        advice.append(t["advice_listen"])
    if median is not None and not pd.isna(median) and median > 3600:
        advice.append(t["advice_faster"])
    out.advice = advice or [t["advice_keep"]]
    return out


def organisations_median(indicators: pd.DataFrame, indicator: str) -> float:
    """The median organisation's value of ``indicator`` (each organisation counted once, as
    ``comparison.sector_benchmarks``'s ``all`` row); NaN without organisations' values."""
    table = sector_benchmarks(indicators, {})
    row = table[(table["sector"] == ALL) & (table["indicator"] == indicator)]
    return float(row["median"].iloc[0]) if len(row) else np.nan


def _coefficient(coefficients: pd.DataFrame | None, model: str, term: str) -> pd.Series | None:
    if coefficients is None:
        return None
    rows = coefficients[(coefficients["model"] == model) & (coefficients["term"] == term)]
    return rows.iloc[0] if len(rows) else None


def robustness_sentence(
    robustness: pd.DataFrame, language: str, out: Findings | None = None
) -> str:
    """One sentence on how much the headline moves under the alternative definitions
    (``engbench.robustness.table``): the range of the edition-wide response rate and median
    response time against the main definition's, and how much the league's order changes
    (lowest rank correlation: at least 0.9 hardly, at least 0.7 somewhat, else
    considerably). With ``out`` the sentence goes into ``out.benchmarks["robustness"]`` and
    every number it prints into ``out.numbers``, sourced ``robustness: <row>/<column>`` (the
    table's row, 0 the main definition; times in minutes)."""
    from engbench.report.tables import robustness_rows
    from engbench.robustness import moves

    t = TEXT[language]
    out = out if out is not None else Findings(language)
    m = moves(robustness)
    if "rate_low" not in m:
        return ""
    rows = robustness_rows(robustness, t, language)
    r = m["correlation_min"]
    level = "hardly" if r >= 0.9 else "somewhat" if r >= 0.7 else "much"

    def cell(row, column, text):
        value = robustness[column].iloc[row] if row is not None else np.nan
        return out.add(f"robustness {row} {column}", value, text, f"robustness: {row}/{column}")

    def rate(key, row):
        return cell(row, "response_rate", number(m[key], language, 1, True))

    def minutes(key, row):
        value = m.get(key, np.nan)
        return cell(row, "median_response_minutes", duration(value * 60, language))

    others = robustness["rank_correlation"].iloc[1:].to_numpy(dtype=float)
    lowest = int(np.nanargmin(others)) + 1 if np.isfinite(others).any() else None
    sentence = t["robustness_moves"].format(
        rate=rate("rate", 0),
        rate_low=rate("rate_low", m["rate_low_row"]),
        rate_high=rate("rate_high", m["rate_high_row"]),
        rate_low_row=rows[m["rate_low_row"]],
        rate_high_row=rows[m["rate_high_row"]],
        minutes=minutes("minutes", 0),
        minutes_low=minutes("minutes_low", m.get("minutes_low_row")),
        minutes_high=minutes("minutes_high", m.get("minutes_high_row")),
        order=t["robustness_order"][level] if np.isfinite(r) else t["robustness_order"]["hardly"],
        correlation=cell(lowest, "rank_correlation", number(r, language, 2)),
    )
    out.benchmarks["robustness"] = sentence
    return sentence


def benchmark_sentences(
    out: Findings,
    sectors: pd.DataFrame | None,
    platforms: pd.DataFrame | None,
    mix: pd.DataFrame | None,
    hours: pd.DataFrame | None,
    names: dict[str, str],
) -> Findings:
    """One sentence per benchmark table (``engbench.comparison``), its wording chosen from
    the data, into ``out.benchmarks`` (keyed by the table's name); every number it prints
    into ``out.numbers`` with its source."""
    language = out.language
    b = TEXT[language]["benchmarks"]
    s = b["sentences"]

    def sector_name(code):
        return b["sectors"].get(code, str(code).replace("_", " "))

    def pct(label, value, source):
        return out.add(label, value, number(value, language, 1, True), source)

    if sectors is not None and len(sectors):
        rates = sectors[sectors["indicator"] == "response_rate"].set_index("sector")
        if ALL in rates.index:
            overall = rates.loc[ALL]
            median = pct(
                "sector all median response_rate",
                overall["median"],
                "sector_benchmarks: all/response_rate/median",
            )
            best_value = pct(
                "sector all best response_rate",
                overall["best"],
                "sector_benchmarks: all/response_rate/best",
            )
            best_org = overall["best_org_id"]
            own = rates.drop(index=ALL)
            if len(own) > 1:
                low, high = own["median"].idxmin(), own["median"].idxmax()
                best_sector = next(
                    (sec for sec in own.index if own.loc[sec, "best_org_id"] == best_org), ""
                )
                out.benchmarks["sector_benchmarks"] = s["sector_spread"].format(
                    median=median,
                    low=pct(
                        f"sector {low} median response_rate",
                        own.loc[low, "median"],
                        f"sector_benchmarks: {low}/response_rate/median",
                    ),
                    low_sector=sector_name(low),
                    high=pct(
                        f"sector {high} median response_rate",
                        own.loc[high, "median"],
                        f"sector_benchmarks: {high}/response_rate/median",
                    ),
                    high_sector=sector_name(high),
                    best=names.get(best_org, best_org),
                    best_sector=sector_name(best_sector),
                    best_value=best_value,
                )
            else:
                out.benchmarks["sector_benchmarks"] = s["sector_one"].format(
                    sector=sector_name(own.index[0] if len(own) else ""),
                    median=median,
                    best=names.get(best_org, best_org),
                    best_value=best_value,
                )

    if platforms is not None and len(platforms):
        rates = platforms[platforms["indicator"] == "response_rate"].set_index("platform")
        if len(rates) >= 2:
            ordered = rates.sort_values("estimate", ascending=False)
            higher, lower = ordered.index[0], ordered.index[1]

            def rate(p):
                return pct(
                    f"{p} response_rate",
                    rates.loc[p, "estimate"],
                    f"platforms: {p}/response_rate",
                )

            equal = rates.loc[higher, "estimate"] == rates.loc[lower, "estimate"]
            out.benchmarks["platforms"] = s[
                "platform_equal" if equal else "platform_higher"
            ].format(
                higher=higher.capitalize(),
                lower=lower.capitalize(),
                higher_rate=rate(higher),
                lower_rate=rate(lower),
                k=out.add(
                    f"{higher} organisations_ahead response_rate",
                    rates.loc[higher, "organisations_ahead"],
                    number(rates.loc[higher, "organisations_ahead"], language, 0),
                    f"platforms: {higher}/response_rate/organisations_ahead",
                ),
                n=out.add(
                    "organisations_both response_rate",
                    rates.loc[higher, "organisations_both"],
                    number(rates.loc[higher, "organisations_both"], language, 0),
                    f"platforms: {higher}/response_rate/organisations_both",
                ),
            )

    if mix is not None and len(mix):
        shares = mix[mix["sector"] == ALL].set_index("type")["share"]
        if len(shares) and shares.notna().any():
            top = shares.idxmax()

            def share(t):
                return pct(f"type_mix all {t}", shares.get(t, np.nan), f"type_mix: all/{t}/share")

            types = TEXT[language]["types"]
            if top == "complaint":
                text = s["type_mix_complaints"].format(
                    share=share("complaint"),
                    question=share("question"),
                    compliment=share("compliment"),
                )
            else:
                text = s["type_mix_other"].format(
                    top=types.get(top, top), top_share=share(top), share=share("complaint")
                )
            out.benchmarks["type_mix"] = text

    if hours is not None and len(hours):
        row = hours.set_index("org_id").loc[ALL]

        def part(column):
            return pct(f"outside_hours all {column}", row[column], f"outside_hours: all/{column}")

        less = row["response_rate_outside"] < row["response_rate_inside"]
        out.benchmarks["outside_hours"] = s["hours_less" if less else "hours_more"].format(
            share=part("share_outside_hours"),
            outside=part("response_rate_outside"),
            inside=part("response_rate_inside"),
            answers=part("share_answers_outside_hours"),
        )
    return out
