"""The series report as a PDF: the trends chapter, typeset with Typst like the edition's
report (``document.py``): every number read from the series tables, every word from the
catalogue (``TEXT[language]["series"]``), numbers in the language's format.

``trends_source`` writes the Typst document from the series stage's tables (changes.csv,
edition_wide.csv, entrants_leavers.csv, comparability.json) and its three figures (drawn in
the same language by the series stage, embedded as PDF so their words stay text);
``document.compile_pdf`` typesets it. The document carries no creation date, so the same
tables give the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import numpy as np
import pandas as pd

from engbench import metrics
from engbench.report.document import esc
from engbench.report.text import TEXT, duration, number, percent
from engbench.series import verdict

INDICATORS = ("response_rate", "response_time_median", "dialogue_share", "answered_within_24h")
ORGANISATION_INDICATORS = ("response_rate", "response_time_median", "rank")
FIGURES = ("trends", "league_slope", "organisations")  # figures/<name>.png


def _text(language: str) -> dict:
    return TEXT[language]["series"]


def level(indicator: str, value, language: str) -> str:
    """An indicator's value: shares as percentages, times as durations, ranks whole."""
    if value is None or not np.isfinite(value):
        return number(None, language)
    if indicator.startswith("response_time"):
        return duration(float(value), language)
    if indicator == "rank":
        return number(value, language, 0)
    if indicator.startswith(("response_rate", "dialogue", "answered")):
        return percent(value, language)
    return number(value, language, 2)


def change(indicator: str, value, language: str) -> str:
    """A change with its sign: percentage points, hours, places, or index points."""
    if value is None or not np.isfinite(value):
        return number(None, language)
    t = _text(language)
    if indicator.startswith("response_time"):
        text, unit = number(value / 3600, language, 1), f" {TEXT[language]['hour']}"
    elif indicator == "rank":
        text, unit = number(value, language, 0), ""
    elif indicator.startswith(("response_rate", "dialogue", "answered")):
        text, unit = number(100 * value, language, 1), f" {t['pp']}"
    else:
        text, unit = number(value, language, 2), ""
    sign = "+" if not text.startswith("−") and text.strip("0,.") else ""
    return f"{sign}{text}{unit}"


def change_interval(indicator: str, row, language: str) -> str:
    """``change [lower; upper]`` (the 95% interval of the change)."""
    return (
        f"{change(indicator, row.change, language)} "
        f"[{change(indicator, row.lower, language)}; {change(indicator, row.upper, language)}]"
    )


def _label(indicator: str, language: str) -> str:
    """The indicator's name, capitalised (it opens a sentence)."""
    label = _text(language)["indicators"][indicator]
    return label[:1].upper() + label[1:]


def names(leagues: list[pd.DataFrame]) -> dict[str, str]:
    """org_id → name from the editions' engagement_index tables (later editions win)."""
    found = {}
    for league in leagues:
        found.update(
            dict(zip(league["org_id"], league["name"].fillna(league["org_id"]), strict=True))
        )
    return found


def pairs(changes_table: pd.DataFrame) -> list[tuple[str, str]]:
    """The consecutive pairs of editions, oldest first."""
    return list(
        dict.fromkeys(zip(changes_table["edition_from"], changes_table["edition_to"], strict=True))
    )


def organisation_table(
    changes_table: pd.DataFrame, pair: tuple[str, str], names: Mapping[str, str], language: str
) -> pd.DataFrame:
    """The like-for-like set's changes: one row per organisation in both editions (all
    platforms): each organisation indicator's two estimates, change and 95% interval."""
    t = _text(language)
    rows = changes_table[
        (changes_table["edition_from"] == pair[0])
        & (changes_table["edition_to"] == pair[1])
        & (changes_table["platform"] == metrics.ALL)
        & (changes_table["org_id"] != metrics.ALL)
        & changes_table["indicator"].isin(ORGANISATION_INDICATORS)
    ]
    out = []
    for org, group in rows.groupby("org_id", sort=False):
        line = {t["organisation"]: names.get(org, org)}
        for row in group.itertuples():
            label = t["indicators"][row.indicator]
            line[label] = (
                f"{level(row.indicator, row.estimate_from, language)} → "
                f"{level(row.indicator, row.estimate_to, language)}: "
                f"{change_interval(row.indicator, row, language)}"
            )
        out.append(line)
    table = pd.DataFrame(out)
    if len(table):
        table = table.sort_values(t["organisation"], key=lambda s: s.str.lower(), ignore_index=True)
    return table.fillna(number(None, language))


def edition_wide_table(wide: pd.DataFrame, pair: tuple[str, str], language: str) -> pd.DataFrame:
    """The edition-wide means (all platforms): like-for-like change with its interval, and
    the full editions side by side."""
    t = _text(language)
    here = wide[
        (wide["edition_from"] == pair[0])
        & (wide["edition_to"] == pair[1])
        & (wide["platform"] == metrics.ALL)
    ]
    out = []
    for indicator in INDICATORS:
        like = here[(here["set"] == "like_for_like") & (here["indicator"] == indicator)]
        full = here[(here["set"] == "full") & (here["indicator"] == indicator)]
        if like.empty or full.empty:
            continue
        a, f = next(like.itertuples()), next(full.itertuples())
        out.append(
            {
                t["indicator"]: t["indicators"][indicator],
                t["like_for_like"]: (
                    f"{level(indicator, a.estimate_from, language)} → "
                    f"{level(indicator, a.estimate_to, language)}: "
                    f"{change_interval(indicator, a, language)}"
                    + ("" if a.comparable else f" ({t['not_comparable']})")
                ),
                t["organisations"]: number(a.orgs_from, language, 0),
                t["full"]: (
                    f"{level(indicator, f.estimate_from, language)} → "
                    f"{level(indicator, f.estimate_to, language)} "
                    f"({number(f.orgs_from, language, 0)} → {number(f.orgs_to, language, 0)})"
                ),
            }
        )
    return pd.DataFrame(out)


def sentences(
    changes_table: pd.DataFrame,
    wide: pd.DataFrame,
    moves: pd.DataFrame,
    accepted: list[str],
    pair: tuple[str, str],
    names: Mapping[str, str],
    language: str,
) -> list[str]:
    """What changed between two editions and what did not, in words from the catalogue."""
    t = _text(language)
    out = [t["comparable_note"] if not accepted else t["accepted_note"]]
    here = moves[(moves["edition_from"] == pair[0]) & (moves["edition_to"] == pair[1])]
    for status in ("leaver", "entrant"):
        these = here[(here["status"] == status) & (here["platform"] == metrics.ALL)]
        cells = here[(here["status"] == status) & (here["platform"] != metrics.ALL)]
        found = [names.get(o, o) for o in these["org_id"]]
        found += [
            t["on_platform"].format(organisation=names.get(o, o), platform=p)
            for o, p in zip(cells["org_id"], cells["platform"], strict=True)
        ]
        out.append(t[status].format(list=", ".join(found) if found else t["none"]))
    means = wide[
        (wide["edition_from"] == pair[0])
        & (wide["edition_to"] == pair[1])
        & (wide["platform"] == metrics.ALL)
        & (wide["set"] == "like_for_like")
    ]
    for indicator in ("response_rate", "response_time_median"):
        rows = means[means["indicator"] == indicator]
        if rows.empty:
            continue
        row = next(rows.itertuples())
        if not row.comparable:
            out.append(t["wide_not_comparable"].format(indicator=_label(indicator, language)))
            continue
        said = verdict(rows).iloc[0]
        key = {"improved": "wide_improved", "worsened": "wide_worsened"}.get(said, "wide_steady")
        out.append(
            t[key].format(
                indicator=_label(indicator, language),
                change=change_interval(indicator, row, language),
                n=number(row.orgs_from, language, 0),
            )
        )
    orgs = changes_table[
        (changes_table["edition_from"] == pair[0])
        & (changes_table["edition_to"] == pair[1])
        & (changes_table["platform"] == metrics.ALL)
        & (changes_table["org_id"] != metrics.ALL)
    ]
    for indicator in ORGANISATION_INDICATORS:
        rows = orgs[orgs["indicator"] == indicator]
        if rows.empty:
            continue
        if not rows["comparable"].all():
            out.append(t["orgs_not_comparable"].format(indicator=_label(indicator, language)))
            continue
        said = verdict(rows)
        listed = {}
        for word in ("improved", "worsened"):
            chosen = rows[said == word]
            listed[word] = ", ".join(
                f"{names.get(r.org_id, r.org_id)} ({change(indicator, r.change, language)})"
                for r in chosen.itertuples()
            )
        out.append(
            t["orgs"].format(
                indicator=_label(indicator, language),
                improved=listed["improved"] or t["none"],
                worsened=listed["worsened"] or t["none"],
                steady=number(int((said == "no clear change").sum()), language, 0),
                n=number(len(rows), language, 0),
            )
        )
    return out


def panel_sentence(waves: Mapping | None, language: str) -> str | None:
    """What the series did with the panel's respondents of two waves (the series stage's
    ``panels`` entry): separate samples, ids numbered per wave, or respondents in both
    waves resampled jointly. None without a panel in both editions."""
    if not waves:
        return None
    t = _text(language)
    counts = {
        "n_from": number(waves["respondents_from"], language, 0),
        "n_to": number(waves["respondents_to"], language, 0),
    }
    if waves["status"] == "linked":
        return t["panel_linked"].format(
            n_both=number(waves["respondents_both"], language, 0),
            models=", ".join(waves.get("paired_models", [])) or t["none"],
            resamples=number(waves.get("resamples"), language, 0),
            **counts,
        )
    if waves["status"] == "ids_differ":
        return t["panel_ids_differ"].format(
            matches=number(waves["id_matches"], language, 0),
            inconsistent=number(waves["inconsistent"], language, 0),
            **counts,
        )
    return t["panel_separate"].format(**counts)


def follower_sentences(changes_table: pd.DataFrame, pair: tuple[str, str], language: str):
    """Each loyalty model's follower effect in both waves and its change, in words."""
    t = _text(language)
    rows = changes_table[
        (changes_table["edition_from"] == pair[0])
        & (changes_table["edition_to"] == pair[1])
        & changes_table["indicator"].str.startswith("follower_effect_")
    ]
    out = []
    for row in rows.itertuples():
        model = row.indicator.removeprefix("follower_effect_")
        values = {
            "model": model,
            "estimate_from": number(row.estimate_from, language, 2),
            "estimate_to": number(row.estimate_to, language, 2),
        }
        if not row.comparable:
            out.append(t["follower_effect_not_comparable"].format(model=model))
        elif not np.isfinite(row.lower):
            out.append(t["follower_effect_no_interval"].format(**values))
        else:
            clear = row.lower > 0 or row.upper < 0
            out.append(
                t["follower_effect"].format(
                    change=change("follower_effect", row.change, language),
                    lower=change("follower_effect", row.lower, language),
                    upper=change("follower_effect", row.upper, language),
                    verdict=t["clearly_changed"] if clear else t["no_clear_change"],
                    **values,
                )
            )
    return out


def difference_notes(differences: list[Mapping], pair: tuple[str, str], language: str):
    """The accepted differences in definitions of two editions, in the language's words."""
    return [
        _text(language)["difference"].format(
            definition=d["definition"],
            value_from=json.dumps(d["from"], ensure_ascii=False, sort_keys=True),
            value_to=json.dumps(d["to"], ensure_ascii=False, sort_keys=True),
            edition_from=pair[0],
            edition_to=pair[1],
            reason=d["reason"],
        )
        for d in differences
    ]


def _table(frame: pd.DataFrame, caption: str, size: str = "8pt") -> str:
    """A Typst table of already formatted text (its header repeats on every page)."""
    header = ", ".join(f"[*{esc(c)}*]" for c in frame.columns)
    cells = [f"[{esc(v)}]" for row in frame.itertuples(index=False) for v in row]
    return (
        f"#[#show figure: set block(breakable: true)\n#figure(text({size})[#table("
        f"columns: {len(frame.columns)}, stroke: 0.3pt, inset: 3pt, align: left, "
        f"table.header({header}), {', '.join(cells)})], caption: [{esc(caption)}], "
        "kind: table)]"
    )


def _fitted_image(path: str) -> str:
    """A figure as wide as the text, or as high as a page leaves room for when it would
    be taller (a tall figure, one row per two organisations, would run off the page)."""
    return (
        f'context {{ let size = measure(image("{path}", width: {TEXT_WIDTH})); '
        f'if size.height > {FIGURE_HEIGHT} {{ image("{path}", height: {FIGURE_HEIGHT}) }} '
        f'else {{ image("{path}", width: 100%) }} }}'
    )


# the page's text width (A4 less 2 cm margins) and the most a figure may take of its height
TEXT_WIDTH = "17cm"
FIGURE_HEIGHT = "21cm"


def _literal(value) -> str:
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def trends_source(
    title: str,
    changes_table: pd.DataFrame,
    wide: pd.DataFrame,
    moves: pd.DataFrame,
    comparability: Mapping,
    names: Mapping[str, str],
    language: str,
    figures: Mapping[str, str],
) -> str:
    """The trends chapter as a Typst document: per pair of editions the comparability
    notes, entrants and leavers, generated sentences (the panel's follower effect and its
    respondents too), the edition-wide table and the like-for-like set's changes table; the
    three figures (``figures``: name → path relative to the document's folder, PDF figures
    keep their words as text). ``comparability``: the series stage's comparability.json
    (``differences``, ``same_seed``, ``panels``)."""
    t = _text(language)
    lines = [
        f"#set document(title: {_literal(title)}, author: {_literal(TEXT[language]['author'])}, "
        "date: none)",
        f'#set text(lang: "{language}", size: 10pt)',
        '#set page(paper: "a4", margin: 2cm, numbering: "1")',
        '#set heading(numbering: "1.")',
        "#show figure.where(kind: table): set figure.caption(position: top)",
        "#set figure.caption(separator: [. ])",
        "#show figure.caption: set text(8.5pt)",
        f'#align(center)[#text(18pt, weight: "bold")[{esc(title)}]]',
        f"= {esc(t['chapter'])}",
        esc(t["intro"]),
    ]
    for pair in pairs(changes_table):
        heading = t["pair"].format(edition_from=pair[0], edition_to=pair[1])
        key = f"{pair[0]} → {pair[1]}"
        accepted = difference_notes(
            comparability.get("differences", {}).get(key, []), pair, language
        )
        lines += [f"== {esc(heading)}"]
        said = sentences(changes_table, wide, moves, accepted, pair, names, language)
        lines.append(f"- {esc(said[0])}")
        lines += [f"  - {esc(note)}" for note in accepted]
        lines += [f"- {esc(sentence)}" for sentence in said[1:]]
        panel = panel_sentence(comparability.get("panels", {}).get(key), language)
        lines += [f"- {esc(s)}" for s in ([panel] if panel else [])]
        lines += [f"- {esc(s)}" for s in follower_sentences(changes_table, pair, language)]
        wide_table = edition_wide_table(wide, pair, language)
        if len(wide_table):
            lines.append(_table(wide_table, t["wide_caption"].format(pair=heading)))
        org_table = organisation_table(changes_table, pair, names, language)
        if len(org_table):
            lines.append(_table(org_table, t["orgs_caption"].format(pair=heading), size="7pt"))
    lines += [
        f"- {esc(t['warning'].format(warning=t['same_seed'].format(**w)))}"
        for w in comparability.get("same_seed", [])
    ]
    lines += [f"== {esc(t['figures_heading'])}"]
    for name in FIGURES:
        if name in figures:
            lines.append(
                f"#figure({_fitted_image(figures[name])}, caption: [{esc(t['figure_' + name])}])"
            )
    lines.append(esc(t["method_note"]))
    return "\n".join(lines) + "\n"
