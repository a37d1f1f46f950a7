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

from engbench.report.findings import Findings, organisations_median
from engbench.report.scorecard import SHARES
from engbench.report.text import TEXT, duration, number, period

LONG_TABLE = 25  # rows; a longer table may break across pages (its header repeats)
BENCHMARK_TABLES = ("type_mix", "sector_benchmarks", "platforms", "outside_hours")
SPECIAL = "\\#*_`$@<>[]~=/-+\"'"


def esc(value) -> str:
    """Text safe inside Typst markup (organisation names, labels)."""
    return "".join(f"\\{c}" if c in SPECIAL else c for c in str(value))


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

    The median response time twice: over all answered messages (the organisations with
    the most messages weigh most) and the median organisation's (each counted once).

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
    for indicator in SHARES:
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
    typical = organisations_median(indicators, "response_time_webcare_median")
    add(
        "response_time_webcare_median median organisation",
        typical,
        duration(typical, language),
        "sector_benchmarks: all/response_time_webcare_median/median",
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


def edition_title(edition: dict, language: str) -> str:
    """The report's title in ``language``: ``edition.title`` is one text or one per
    language ({nl: …, en: …}; a language without its own takes the first one given)."""
    title = edition.get("title", "Dutch Engagement Benchmark")
    if isinstance(title, dict):
        return title.get(language) or next(iter(title.values()))
    return str(title)


def typst_source(
    config: dict,
    numbers: list[dict],
    tables: dict[str, pd.DataFrame],
    figures: dict[str, str],
    names: dict[str, str],
    methods: dict,
    language: str,
    panel: bool = True,
    findings: Findings | None = None,
) -> str:
    """The document; without a ``panel`` the loyalty chapter is left out and the summary
    says the edition has no consumer panel. ``findings`` (``findings.findings``) gives the
    summary page's text, each chapter's opening text; captions come from the catalogue."""
    t = TEXT[language]
    get = {n["label"]: n["text"] for n in numbers}
    corrected = any(n["source"].startswith("response_rates_by_type") for n in numbers)
    raw_title = edition_title(config["edition"], language)
    title = esc(raw_title)
    dates = period(config["period"]["start"], config["period"]["end"], language)
    lines = [
        f"#set document(title: {_string(raw_title)}, author: {_string(t['author'])}, "
        f"description: {_string(t['subject'])}, "
        f"keywords: ({_string(config['edition']['name'])},), date: none)",
        f'#set text(lang: "{language}", size: 10pt)',
        '#set page(paper: "a4", margin: 2cm, numbering: "1")',
        '#set heading(numbering: "1.")',
        # a chapter starts after its predecessor's figures (floats never run into the next
        # chapter); the summary, the first chapter, the profiles and the methods start a page
        "#show heading.where(level: 1): it => { place.flush(); it }",
        "#show figure.where(kind: table): set figure.caption(position: top)",
        "#set figure.caption(separator: [. ])",
        "#show figure.caption: set text(8.5pt)",
        "#align(center + horizon)[",
        f'  #text(22pt, weight: "bold")[{title}] \\',
        f"  #v(0.5em) #text(13pt)[{esc(t['title_sub'])}] \\",
        f"  #v(1em) {esc(t['edition'])}: {esc(config['edition']['name'])} ({config['edition']['year']}) \\",
        f"  {esc(t['period'])}: {esc(dates)}",
        "]",
        "#pagebreak()",
        f"#outline(title: {_string(t['contents'])}, depth: 2)",
        "#pagebreak(weak: true)",
        f"= {t['summary']}",
    ]
    if findings is not None:
        lines += [
            f"== {esc(t['studied_heading'])}",
            esc(findings.studied),
            f"== {esc(t['key_findings'])}",
            *(f"+ {esc(sentence)}" for sentence in findings.key_findings),
            f"== {esc(t['advice_heading'])}",
            *(f"- {esc(sentence)}" for sentence in findings.advice),
            f"== {esc(t['key_figures'])}",
        ]
    if language == "nl":
        lines += [
            f"- Inkomende berichten aan de organisaties: *{get['incoming']}*; zendberichten {get['broadcasts']}, reacties {get['replies']}.",
            f"- Reactiepercentage: *{get['response_rate']}*; klachten {get['response_rate_complaint']}, vragen {get['response_rate_question']}, complimenten {get['response_rate_compliment']}, overig {get['response_rate_other']}{' (per type gecorrigeerd voor classificatiefouten)' if corrected else ''}.",
            f"- Mediane reactietijd binnen webcare-uren: *{get['response_time_webcare_median']}* over alle beantwoorde berichten samen; *{get['response_time_webcare_median median organisation']}* bij de mediane organisatie (elke organisatie eenmaal geteld: de helft antwoordt sneller, de helft trager).",
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
            f"- Median response time in webcare hours: *{get['response_time_webcare_median']}* over all answered messages together; *{get['response_time_webcare_median median organisation']}* at the median organisation (every organisation counted once: half answer faster, half slower).",
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
        ("dialogue", ["dialogue_share", "monthly_volumes"]),
        (
            "webcare",
            [
                "type_mix",
                "response_by_type",
                "response_by_type_corrected",
                "response_times",
                "sector_benchmarks",
                "platforms",
                "outside_hours",
                "robustness",
            ],
        ),
        ("engagement", ["league_table", "league", "index_decomposition"]),
    ]
    if panel:
        chapters.append(
            (
                "loyalty",
                [
                    "loyalty_gap",
                    "coefficients",
                    "regression",
                    "regression_scale",
                    "regression_log_odds",
                ],
            )
        )
    captions = t["captions"]
    lines.append("#pagebreak(weak: true)")  # the summary stands on its own page(s)
    for chapter, parts in chapters:
        lines.append(f"= {t[chapter]}")
        opening = len(lines)
        if findings is not None:
            lines += [esc(sentence) + "\n" for sentence in findings.chapters.get(chapter, [])]
        for name in parts:
            if name == "index_decomposition":
                weights = ", ".join(
                    f"{t['components'].get(k, k)} {number(v, language, 2)}"
                    for k, v in config["metrics"]["index_weights"].items()
                )
                lines += [
                    esc(paragraph.format(weights=weights)) + "\n"
                    for paragraph in t["index_explained"]
                ]
            if name in figures:
                # a chapter's first figure at the bottom: never above its chapter's heading;
                # the later ones where they fit (one carried over starts the next page)
                first = not any("placement:" in line for line in lines[opening:])
                placement = "bottom" if first else "auto"
                lines.append(_figure(figures[name], captions.get(name, ""), floating=placement))
            elif name == "response_by_type_corrected" and name in tables:
                headline = "headline_corrected" if tables.get("corrected_used") else "headline_raw"
                caption = t["by_type_corrected"] + " " + t[headline]
                lines.append(_table(tables[name], language, caption=caption))
            elif name == "robustness" and name in tables:
                if tables.get("robustness_sentence"):
                    lines.append(esc(tables["robustness_sentence"]) + "\n")
                lines.append(_table(tables[name], language, caption=captions.get(name, "")))
            elif name in tables:
                caption = captions.get(name, "")
                if name in BENCHMARK_TABLES:
                    sentence = findings.benchmarks.get(name, "") if findings is not None else ""
                    table = _table(
                        tables[name], language, caption=t["benchmarks"]["captions"][name]
                    )
                    if len(tables[name]) <= LONG_TABLE:  # the sentence stays with its table
                        lines.append(f"#block(breakable: false)[{esc(sentence)}\n\n{table}]")
                    else:
                        lines += [esc(sentence) + "\n", table]
                    continue
                if name == "regression":
                    caption += " " + t["regression_legend"]
                if name.startswith("regression_"):
                    caption = t["benchmarks"]["captions"][name] + " " + t["regression_stars"]
                lines.append(_table(tables[name], language, caption=caption))
    lines += _reading(
        config,
        language,
        findings.platforms if findings is not None else [],
        get.get("response_rate", "–"),
        panel,
        next(
            (
                n["text"]
                for n in (findings.numbers if findings else [])
                if n["label"] == "n_respondents"
            ),
            "–",
        ),
    )
    lines += ["#pagebreak(weak: true)", f"= {t['profiles']}"]
    if tables.get("scorecards"):
        lines += _scorecards(tables["scorecards"], t)
    else:
        for block in tables.get("profile_blocks", []):
            lines.append(_profile(block))
    lines += ["#pagebreak(weak: true)", f"= {t['methods']}"]
    for heading, body in methods.items():
        lines.append(f"== {esc(heading)}")
        for item in body:
            lines.append(f"- {esc(item)}")
        if heading == t["methods_sections"]["data"] and "count_reconciliation" in tables:
            lines.append(
                _table(
                    tables["count_reconciliation"],
                    language,
                    caption=t["benchmarks"]["count_caption"],
                )
            )
        if heading == t["methods_sections"]["classifier"] and "confusion" in figures:
            lines.append(_figure(figures["confusion"], captions.get("confusion", ""), "55%"))
    return "\n".join(lines) + "\n"


def _reading(
    config: dict,
    language: str,
    platforms: list[str],
    example: str,
    panel: bool,
    respondents: str = "–",
) -> list[str]:
    """The chapter on how to read the report: intervals and ranks, a glossary, limitations
    (without a ``panel``, none of the panel's terms)."""
    t = TEXT[language]
    sections = t["reading_sections"]
    resamples = number(config["metrics"]["bootstrap_resamples"], language, 0)
    names = t["and"].join(p.capitalize() for p in platforms) if platforms else "–"
    return [
        f"= {esc(t['reading'])}",
        f"== {esc(sections['intervals'])}",
        *(
            esc(p.format(resamples=resamples, example=example)) + "\n"
            for p in t["intervals_explained"]
        ),
        *(
            [f"== {esc(sections['panel'])}"]
            + [esc(p.format(n=respondents)) + "\n" for p in t["panel_explained"]]
            if panel
            else []
        ),
        f"== {esc(sections['glossary'])}",
        *(
            f"/ {esc(term)}: {esc(meaning)}"
            for term, meaning in (t["glossary"] | (t["glossary_panel"] if panel else {})).items()
        ),
        f"== {esc(sections['limitations'])}",
        *(
            f"- {esc(item.format(platforms=names))}"
            for item in (t["limitations_panel"] if panel else []) + t["limitations"]
        ),
    ]


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


def _scorecards(cards: list[dict], t: dict) -> list[str]:
    """One page per organisation (league order): its name, the sentences comparing it with
    the median and its sector, its rank and panel lines, and its scorecard figure."""
    lines = []
    for n, card in enumerate(cards):
        facts = "; ".join(f"{esc(k)}: {esc(v)}" for k, v in card["facts"])
        lines += [
            *(["#pagebreak()"] if n else []),
            f"== {esc(card['name'])}",
            *(esc(sentence) + "\n" for sentence in card["sentences"]),
            f"#text(9pt)[{facts}]\n",
            _figure(card["figure"], t["benchmarks"]["captions"]["scorecard"]),
        ]
    return lines


def _profile(block: dict) -> str:
    cells = ", ".join(f"[{esc(k)}], [{esc(v)}]" for k, v in block["rows"])
    return (
        f'#block(breakable: false, below: 1.2em)[#text(11pt, weight: "bold")[{esc(block["name"])}]'
        f" #text(8.5pt)[#table(columns: (45%, 55%), stroke: none, inset: 2pt, {cells})]]"
    )


def _string(value) -> str:
    """A Typst string literal."""
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _figure(path: str, caption: str, width: str = "100%", floating: str = "") -> str:
    """A figure with its caption; ``floating`` (``bottom``, ``auto``): Typst places it at the
    bottom (or, ``auto``, the top or bottom) of the page where it fits, this one or the next,
    while the text and tables flow on, so a tall figure leaves no half-empty page behind it."""
    placement = f", placement: {floating}" if floating else ""
    return f'#figure(image("{path}", width: {width}), caption: [{esc(caption)}]{placement})'


def _table(frame: pd.DataFrame, language: str, size: str = "8pt", caption: str = "") -> str:
    """A table whose header row repeats on every page it runs over, its caption below;
    a table longer than ``LONG_TABLE`` rows may break across pages, a shorter one never."""
    header = ", ".join(f"[*{esc(c)}*]" for c in frame.columns)
    cells = []
    for row in frame.itertuples(index=False):
        cells += [f"[{esc(_format(v, language))}]" for v in row]
    table = (
        f"text({size})[#table(columns: {len(frame.columns)}, stroke: 0.3pt, inset: 3pt, "
        f"table.header({header}), {', '.join(cells)})]"
    )
    figure = f"#figure({table}, caption: [{esc(caption)}], kind: table)"
    if len(frame) <= LONG_TABLE:
        return figure  # kept whole on one page
    return f"#[#show figure: set block(breakable: true)\n{figure}]"


def _format(value, language: str) -> str:
    if isinstance(value, float):
        return number(value, language, 3)
    if isinstance(value, int) and not isinstance(value, bool):
        return number(value, language, 0)
    return str(value)


def compile_pdf(source: str, folder: str | Path) -> bytes:
    """Compile ``source`` with ``folder`` as the root (figures are found relative to it)."""
    folder = Path(folder)
    path = folder / "report.typ"
    path.write_text(source, encoding="utf-8")
    return typst.compile(str(path), root=str(folder))
