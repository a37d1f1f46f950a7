"""The benchmark PDF, typeset with Typst: every number read from the results.

``summary_numbers`` picks the summary's numbers from the result tables and
records where each came from (so a test can check every one); ``typst_source``
writes the document; ``compile_pdf`` runs the Typst compiler bundled in the
``typst`` package (no LaTeX, no network). The document carries no creation
date, so the same results give the same bytes.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import typst

from engbench.report.text import TEXT

SPECIAL = "\\#*_`$@<>[]~=/-+\"'"


def esc(value) -> str:
    """Text safe inside Typst markup (organisation names, labels)."""
    return "".join(f"\\{c}" if c in SPECIAL else c for c in str(value))


def number(value: float, language: str, digits: int = 1, percent: bool = False) -> str:
    if value is None or pd.isna(value):
        return "–"
    text = f"{value * 100 if percent else value:,.{digits}f}"
    if language == "nl":
        text = text.replace(",", "\u2009").replace(".", ",")
    return text + ("%" if percent else "")


def duration(seconds: float, language: str) -> str:
    if seconds is None or pd.isna(seconds):
        return "–"
    if seconds < 60:
        return "< 1 min"
    if seconds < 3600:
        return f"{number(seconds / 60, language, 0)} min"
    return f"{number(seconds / 3600, language, 1)} {'uur' if language == 'nl' else 'h'}"


def _value(indicators: pd.DataFrame, org: str, platform: str, indicator: str) -> pd.Series:
    rows = indicators[
        (indicators["org_id"] == org)
        & (indicators["platform"] == platform)
        & (indicators["period"] == "edition")
        & (indicators["indicator"] == indicator)
    ]
    return (
        rows.iloc[0]
        if len(rows)
        else pd.Series({"estimate": float("nan"), "lower": float("nan"), "upper": float("nan")})
    )


def summary_numbers(
    indicators: pd.DataFrame,
    league: pd.DataFrame,
    coefficients: pd.DataFrame | None,
    language: str,
    by_type: pd.DataFrame | None = None,
) -> list[dict]:
    """The summary's numbers: label, formatted text, the value and where it comes from.

    With ``by_type`` (the per-type rates corrected for classification errors),
    the per-type response rates are the corrected edition-wide ones. Without
    ``coefficients`` (an edition without a panel) there is no loyalty number.
    """
    out = []

    def add(label, value, text, source):
        out.append(
            {
                "label": label,
                "value": None if pd.isna(value) else float(value),
                "text": text,
                "source": source,
            }
        )

    for indicator, label in (
        ("n_incoming", "incoming"),
        ("n_broadcasts", "broadcasts"),
        ("n_replies", "replies"),
    ):
        row = _value(indicators, "all", "all", indicator)
        add(
            label,
            row["estimate"],
            number(row["estimate"], language, 0),
            f"indicators: all/all/edition/{indicator}",
        )
    for indicator in (
        "response_rate",
        "response_rate_complaint",
        "response_rate_question",
        "response_rate_compliment",
        "response_rate_other",
        "dialogue_share",
    ):
        row = _value(indicators, "all", "all", indicator)
        source = f"indicators: all/all/edition/{indicator}"
        corrected = _corrected(by_type, indicator)
        if corrected is not None:
            row, source = corrected, f"response_rates_by_type: all/{indicator[14:]}/corrected"
        text = f"{number(row['estimate'], language, 1, True)} [{number(row['lower'], language, 1, True)}–{number(row['upper'], language, 1, True)}]"
        add(indicator, row["estimate"], text, source)
    row = _value(indicators, "all", "all", "response_time_webcare_median")
    add(
        "response_time_webcare_median",
        row["estimate"],
        duration(row["estimate"], language),
        "indicators: all/all/edition/response_time_webcare_median",
    )
    for _, row in league.sort_values("rank").head(3).iterrows():
        add(
            f"rank {int(row['rank'])}",
            row["index"],
            f"{esc(row.get('name', row['org_id']))} ({int(row['rank_lower'])}–{int(row['rank_upper'])})",
            f"engagement_index: {row['org_id']}",
        )
    if coefficients is None:
        return out
    main = coefficients[(coefficients["model"] == "ols_fe") & (coefficients["term"] == "follows")]
    if len(main):
        m = main.iloc[0]
        add(
            "follows (ols_fe)",
            m["estimate"],
            f"{number(m['estimate'], language, 2)} [{number(m['ci_low'], language, 2)}–{number(m['ci_high'], language, 2)}]",
            "coefficients: ols_fe/follows",
        )
    return out


def _corrected(by_type: pd.DataFrame | None, indicator: str) -> pd.Series | None:
    """The corrected edition-wide rate for ``response_rate_<type>``, if there is one."""
    if by_type is None or not indicator.startswith("response_rate_"):
        return None
    rows = by_type[(by_type["org_id"] == "all") & (by_type["type"] == indicator[14:])]
    if rows.empty or pd.isna(rows["corrected_rate"].iloc[0]):
        return None
    r = rows.iloc[0]
    return pd.Series(
        {
            "estimate": r["corrected_rate"],
            "lower": r["corrected_lower"],
            "upper": r["corrected_upper"],
        }
    )


def typst_source(
    config: dict,
    numbers: list[dict],
    tables: dict[str, pd.DataFrame],
    figures: dict[str, str],
    names: dict[str, str],
    methods: dict,
    language: str,
    panel: bool = True,
) -> str:
    """The document; without a ``panel`` the loyalty chapter is left out and the summary
    says the edition has no consumer panel."""
    t = TEXT[language]
    get = {n["label"]: n["text"] for n in numbers}
    corrected = any(n["source"].startswith("response_rates_by_type") for n in numbers)
    title = esc(config["edition"].get("title", "Dutch Engagement Benchmark"))
    period = f"{config['period']['start']} – {config['period']['end']}"
    lines = [
        '#set document(title: "' + config["edition"]["name"] + '", date: none)',
        f'#set text(lang: "{language}", size: 10pt)',
        '#set page(paper: "a4", margin: 2cm, numbering: "1")',
        '#set heading(numbering: "1.")',
        "#show heading.where(level: 1): it => { pagebreak(weak: true); it }",
        "#align(center + horizon)[",
        f'  #text(22pt, weight: "bold")[{title}] \\',
        f"  #v(0.5em) #text(13pt)[{esc(t['title_sub'])}] \\",
        f"  #v(1em) {esc(t['edition'])}: {esc(config['edition']['name'])} ({config['edition']['year']}) \\",
        f"  {esc(t['period'])}: {esc(period)}",
        "]",
        f"= {t['summary']}",
    ]
    if language == "nl":
        lines += [
            f"- Inkomende berichten aan de organisaties: *{get['incoming']}*; zendberichten {get['broadcasts']}, reacties {get['replies']}.",
            f"- Reactiepercentage: *{get['response_rate']}*; klachten {get['response_rate_complaint']}, vragen {get['response_rate_question']}, complimenten {get['response_rate_compliment']}, overig {get['response_rate_other']}{' (per type gecorrigeerd voor classificatiefouten)' if corrected else ''}.",
            f"- Mediane reactietijd binnen webcare-uren: *{get['response_time_webcare_median']}*.",
            f"- Aandeel reacties in wat organisaties plaatsen (dialoog): *{get['dialogue_share']}*.",
            f"- Hoogste engagementindex: {get.get('rank 1', '–')}; {get.get('rank 2', '–')}; {get.get('rank 3', '–')} (plaats-intervallen tussen haakjes).",
        ]
        if panel:
            lines.append(
                f"- Volgers zijn loyaler: verschil op de loyaliteitsschaal na correctie *{get.get('follows (ols_fe)', '–')}* (samenhang, geen causaal effect)."
            )
    else:
        lines += [
            f"- Incoming messages to the organisations: *{get['incoming']}*; broadcasts {get['broadcasts']}, replies {get['replies']}.",
            f"- Response rate: *{get['response_rate']}*; complaints {get['response_rate_complaint']}, questions {get['response_rate_question']}, compliments {get['response_rate_compliment']}, other {get['response_rate_other']}{' (per type corrected for classification errors)' if corrected else ''}.",
            f"- Median response time in webcare hours: *{get['response_time_webcare_median']}*.",
            f"- Share of replies in what organisations post (dialogue): *{get['dialogue_share']}*.",
            f"- Highest engagement index: {get.get('rank 1', '–')}; {get.get('rank 2', '–')}; {get.get('rank 3', '–')} (rank intervals in brackets).",
        ]
        if panel:
            lines.append(
                f"- Followers are more loyal: adjusted difference on the loyalty scale *{get.get('follows (ols_fe)', '–')}* (an association, not a causal effect)."
            )
    if not panel:
        lines.append(f"- {esc(t['no_panel'])}")
    chapters = [
        (t["dialogue"], ["dialogue_share", "monthly_volumes"], []),
        (t["webcare"], ["response_by_type", "response_times"], []),
        (t["engagement"], ["league_table"], ["league"]),
    ]
    if panel:
        chapters.append((t["loyalty"], ["loyalty_gap", "coefficients"], ["regression"]))
    for heading, figure_names, table_names in chapters:
        lines.append(f"= {heading}")
        for name in figure_names:
            if name in figures:
                lines.append(f'#figure(image("{figures[name]}", width: 100%))')
            if name == "response_by_type" and "response_by_type_corrected" in tables:
                corrected = tables["response_by_type_corrected"]
                lines.append(esc(t["by_type_corrected"]))
                lines.append(_table(corrected))
                lines.append(
                    esc(t["headline_corrected" if tables.get("corrected_used") else "headline_raw"])
                )
        for name in table_names:
            if name in tables:
                lines.append(_table(tables[name]))
    lines.append(f"= {t['profiles']}")
    for block in tables.get("profile_blocks", []):
        lines.append(_profile(block))
    lines.append(f"= {t['methods']}")
    for heading, body in methods.items():
        lines.append(f"== {esc(heading)}")
        for item in body:
            lines.append(f"- {esc(item)}")
    if "confusion" in figures:
        lines.append(f'#figure(image("{figures["confusion"]}", width: 60%))')
    return "\n".join(lines) + "\n"


def profile_blocks(
    indicators: pd.DataFrame,
    league: pd.DataFrame,
    descriptives: pd.DataFrame | None,
    names: dict[str, str],
    language: str,
) -> list[dict]:
    """One compact profile per organisation (in league order): its indicators with intervals,
    and, when the edition has a panel (``descriptives``), following and loyalty."""
    t = TEXT[language]
    gaps = None if descriptives is None else descriptives.set_index("org_id")
    out = []
    for _, rank in league.sort_values("rank").iterrows():
        org = rank["org_id"]

        def interval(indicator, percent=True, org=org):
            row = _value(indicators, org, "all", indicator)
            if percent:
                return (
                    f"{number(row['estimate'], language, 1, True)} "
                    f"[{number(row['lower'], language, 1, True)}–{number(row['upper'], language, 1, True)}]"
                )
            return f"{duration(row['estimate'], language)} [{duration(row['lower'], language)}–{duration(row['upper'], language)}]"

        rows = [
            (
                t["rank"],
                f"{int(rank['rank'])} ({int(rank['rank_lower'])}–{int(rank['rank_upper'])})",
            ),
            (
                t["incoming"],
                number(_value(indicators, org, "all", "n_incoming")["estimate"], language, 0),
            ),
            (t["response_rate"], interval("response_rate")),
            (t["to_complaints"], interval("response_rate_complaint")),
            (t["to_compliments"], interval("response_rate_compliment")),
            (t["median_time"], interval("response_time_webcare_median", percent=False)),
            (t["dialogue_share"], interval("dialogue_share")),
        ]
        if gaps is not None:
            g = gaps.loc[org] if org in gaps.index else pd.Series(dtype=float)
            rows += [
                (t["follow_share"], number(g.get("share_follows"), language, 1, True)),
                (
                    t["loyalty_pair"],
                    f"{number(g.get('loyalty_followers_weighted'), language, 2)} / "
                    f"{number(g.get('loyalty_non_followers_weighted'), language, 2)}",
                ),
            ]
        out.append({"name": names.get(org, org), "rows": rows})
    return out


def _profile(block: dict) -> str:
    cells = ", ".join(f"[{esc(k)}], [{esc(v)}]" for k, v in block["rows"])
    return (
        f'#block(breakable: false, below: 1.2em)[#text(11pt, weight: "bold")[{esc(block["name"])}]'
        f" #text(8.5pt)[#table(columns: (45%, 55%), stroke: none, inset: 2pt, {cells})]]"
    )


def _table(frame: pd.DataFrame, size: str = "8pt") -> str:
    cells = [f"[*{esc(c)}*]" for c in frame.columns]
    for row in frame.itertuples(index=False):
        cells += [f"[{esc(_format(v))}]" for v in row]
    return f"#text({size})[#table(columns: {len(frame.columns)}, stroke: 0.3pt, inset: 3pt, {', '.join(cells)})]"


def _format(value) -> str:
    if isinstance(value, float):
        return "–" if pd.isna(value) else f"{value:.3f}"
    return str(value)


def compile_pdf(source: str, folder: str | Path) -> bytes:
    """Compile ``source`` with ``folder`` as the root (figures are found relative to it)."""
    folder = Path(folder)
    path = folder / "report.typ"
    path.write_text(source, encoding="utf-8")
    return typst.compile(str(path), root=str(folder))
