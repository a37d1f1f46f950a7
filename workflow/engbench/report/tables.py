"""The report's tables: CSV each, one XLSX workbook (a sheet per table), LaTeX for the models.

Cells that a spreadsheet would run as a formula (text starting with =, +, -, @,
tab or carriage return) are written as text, never as formulas.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook

from engbench import xlsx

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def league(league: pd.DataFrame) -> pd.DataFrame:
    columns = [
        "rank",
        "rank_lower",
        "rank_upper",
        "name",
        "org_id",
        "index",
        "index_lower",
        "index_upper",
        "response_rate",
        "response_speed",
        "dialogue_share",
        "engagement",
    ]
    return league[[c for c in columns if c in league]].sort_values("rank").reset_index(drop=True)


def _edition(indicators: pd.DataFrame, prefix: str) -> pd.DataFrame:
    rows = indicators[
        (indicators["period"] == "edition") & indicators["indicator"].str.startswith(prefix)
    ]
    return rows.sort_values(["org_id", "platform", "indicator"]).reset_index(drop=True)


def response_by_type(indicators: pd.DataFrame) -> pd.DataFrame:
    return _edition(indicators, "response_rate")


def response_by_type_corrected(by_type: pd.DataFrame, text: dict, language: str) -> pd.DataFrame:
    """Edition-wide raw and corrected per-type response rates, formatted, one row per type."""
    from engbench.report.text import number

    edition = by_type[by_type["org_id"] == "all"].set_index("type")
    rows = []
    for t, name in text["types"].items():
        if t not in edition.index:
            continue
        r = edition.loc[t]

        def cell(prefix, r=r):
            return (
                f"{number(r[f'{prefix}_rate'], language, 1, True)} "
                f"[{number(r[f'{prefix}_lower'], language, 1, True)}–"
                f"{number(r[f'{prefix}_upper'], language, 1, True)}]"
            )

        rows.append([name, cell("raw"), cell("corrected")])
    return pd.DataFrame(rows, columns=text["by_type_columns"])


def robustness_rows(robustness: pd.DataFrame, text: dict, language: str) -> list[str]:
    """Each row of the robustness table (``engbench.robustness.table``) in words."""
    from engbench.report.text import number

    labels, definitions = text["robustness_rows"], text["robustness_definitions"]
    return [
        labels[
            "window_one"
            if r["alternative"] == "window" and r["answer_window_days"] == 1
            else r["alternative"]
        ].format(
            definition=definitions.get(r["definition"], r["definition"]),
            days=number(r["answer_window_days"], language, 0),
        )
        for _, r in robustness.iterrows()
    ]


def robustness(robustness: pd.DataFrame, text: dict, language: str) -> pd.DataFrame:
    """The robustness table for the PDF: per alternative the edition-wide response rate and
    median response time, each with its spread across organisations, and the rank
    correlation with the main definition, formatted."""
    from engbench.report.text import duration, number

    def spread(r, prefix, f):
        return f"{f(r[f'{prefix}_median'])} ({f(r[f'{prefix}_min'])}–{f(r[f'{prefix}_max'])})"

    def pct(v):
        return number(v, language, 1, True)

    def minutes(v):
        return duration(v * 60, language)

    rows = [
        [
            label,
            pct(r["response_rate"]),
            spread(r, "rate_org", pct),
            minutes(r["median_response_minutes"]),
            spread(r, "minutes_org", minutes),
            number(r["rank_correlation"], language, 2),
        ]
        for label, (_, r) in zip(
            robustness_rows(robustness, text, language), robustness.iterrows(), strict=True
        )
    ]
    return pd.DataFrame(rows, columns=text["robustness_columns"])


def response_times(indicators: pd.DataFrame) -> pd.DataFrame:
    return _edition(indicators, "response_time")


def regression(
    coefficients: pd.DataFrame,
    models: dict,
    terms=(
        "follows",
        "follows_twitter",
        "follows_facebook",
        "follows:dialogue_c",
        "follows:response_c",
        "customer",
        "age_decades",
    ),
    language: str | None = None,
) -> pd.DataFrame:
    """Models side by side: estimate with stars, standard error below, N and fit at the bottom.

    Without ``language`` the table keeps the models' and terms' code names (CSV, LaTeX);
    with it (the PDF) they are in words and the numbers in the language's format."""
    from engbench.report.text import TEXT, number, words

    names = list(dict.fromkeys(coefficients["model"]))
    lang = language or "en"

    def f(value, digits):
        return number(value, lang, digits) if language else f"{value:,.{digits}f}"

    def term_name(term):
        return words(term, language) if language else term

    rows = []
    for term in terms:
        cells = coefficients[coefficients["term"] == term].set_index("model")
        if cells.empty:
            continue
        rows.append(
            [term_name(term)]
            + [
                f"{f(cells.loc[m, 'estimate'], 3)}{_stars(cells.loc[m, 'p_value'])}"
                if m in cells.index
                else ""
                for m in names
            ]
        )
        rows.append(
            [""]
            + [f"({f(cells.loc[m, 'std_error'], 3)})" if m in cells.index else "" for m in names]
        )
    first = coefficients.groupby("model", sort=False).first()
    t = TEXT[lang]
    labels = (
        (t["n_pairs"], t["n_respondents"], t["fit"])
        if language
        else ("N (pairs)", "N (respondents)", "R² / pseudo-R²")
    )
    rows.append([labels[0]] + [f(int(first.loc[m, "n_pairs"]), 0) for m in names])
    rows.append([labels[1]] + [f(int(first.loc[m, "n_respondents"]), 0) for m in names])
    rows.append([labels[2]] + [_fit(models.get(m, {}).get("fit", {}), language) for m in names])
    header = [t["models_short"].get(m, m) for m in names] if language else names
    return pd.DataFrame(rows, columns=["", *header])


def _stars(p: float) -> str:
    return "***" if p < 0.001 else "**" if p < 0.01 else "*" if p < 0.05 else ""


def _fit(fit: dict, language: str | None = None) -> str:
    from engbench.report.text import number

    for key in ("rsquared", "prsquared"):
        if key in fit and np.isfinite(fit[key]):
            return number(fit[key], language, 3) if language else f"{fit[key]:.3f}"
    return ""


def latex(table: pd.DataFrame, caption: str) -> str:
    """A booktabs table (escape-safe) for the regression table."""

    def esc(value) -> str:
        text = str(value)
        for a, b in (
            ("\\", r"\textbackslash{}"),
            ("&", r"\&"),
            ("%", r"\%"),
            ("_", r"\_"),
            ("#", r"\#"),
            ("^", r"\^{}"),
            ("²", r"$^2$"),
        ):
            text = text.replace(a, b)
        return text

    header = " & ".join(esc(c) for c in table.columns)
    body = "\n".join(
        " & ".join(esc(v) for v in row) + r" \\" for row in table.itertuples(index=False)
    )
    spec = "l" + "r" * (len(table.columns) - 1)
    return (
        f"\\begin{{table}}[ht]\n\\centering\n\\caption{{{esc(caption)}}}\n\\begin{{tabular}}{{{spec}}}\n"
        f"\\toprule\n{header} \\\\\n\\midrule\n{body}\n\\bottomrule\n\\end{{tabular}}\n"
        "\\par\\footnotesize * p < 0.05, ** p < 0.01, *** p < 0.001; "
        "standard errors in brackets.\n\\end{table}\n"
    )


def workbook(tables: dict[str, pd.DataFrame], path: str | Path) -> None:
    """One XLSX, one sheet per table; text that looks like a formula stays text."""
    book = Workbook()
    book.remove(book.active)
    for name, table in tables.items():
        sheet = book.create_sheet(name[:31])
        sheet.append([str(c) for c in table.columns])
        for row in table.itertuples(index=False):
            sheet.append([_cell(v) for v in row])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # never a formula
        sheet.freeze_panes = "A2"
    xlsx.save(book, path)


def _cell(value):
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return None
    if isinstance(value, np.generic):
        return value.item()
    return value


def safe_csv(table: pd.DataFrame, path: str | Path) -> None:
    """CSV in which a text cell starting like a formula gets a leading apostrophe (OWASP)."""
    out = table.copy()
    for column in out.columns:
        if out[column].dtype == object or str(out[column].dtype) in ("str", "string"):
            out[column] = out[column].map(
                lambda v: f"'{v}" if isinstance(v, str) and v.startswith(FORMULA_START) else v
            )
    out.to_csv(path, index=False)


def sector_benchmarks(sectors: pd.DataFrame, text: dict, language: str) -> pd.DataFrame:
    """The PDF's sector table (``engbench.comparison.sector_benchmarks``): one row per
    sector, per indicator "median (best)", formatted."""
    from engbench.report.text import duration, number

    b = text["benchmarks"]
    indicators = (
        "response_rate",
        "response_time_webcare_median",
        "dialogue_share",
        "response_rate_complaint",
        "response_rate_question",
        "response_rate_compliment",
    )

    def f(indicator, value):
        if indicator == "response_time_webcare_median":
            return duration(value, language)
        return number(value, language, 0, True)

    rows = []
    for sector, part in sectors.groupby("sector", sort=False):
        cells = part.set_index("indicator")
        row = [
            b["sectors"].get(sector, str(sector).replace("_", " ")),
            number(cells["organisations"].max(), language, 0),
        ]
        for indicator in indicators:
            if indicator in cells.index:
                c = cells.loc[indicator]
                row.append(f"{f(indicator, c['median'])} ({f(indicator, c['best'])})")
            else:
                row.append("–")
        rows.append(row)
    return pd.DataFrame(rows, columns=b["sector_columns"])


def platforms(table: pd.DataFrame, text: dict, language: str) -> pd.DataFrame:
    """The PDF's platform table (``engbench.comparison.platforms``): one row per indicator,
    per platform the estimate with its interval and at how many organisations it does
    better."""
    from engbench.report.text import duration, number

    b = text["benchmarks"]
    names = list(dict.fromkeys(table["platform"]))
    label, value_column, ahead_column = b["platform_columns"]
    columns = [label]
    for p in names:
        columns.append(value_column.format(platform=p.capitalize()))
    for p in names:
        columns.append(ahead_column.format(platform=p.capitalize()))

    def f(indicator, v):
        if indicator.startswith("n_"):
            return number(v, language, 0)
        if indicator == "response_time_webcare_median":
            return duration(v, language)
        return number(v, language, 1, True)

    rows = []
    for indicator, part in table.groupby("indicator", sort=False):
        cells = part.set_index("platform")
        row = [b["indicators"].get(indicator, indicator)]
        for p in names:
            c = cells.loc[p]
            row.append(
                f(indicator, c["estimate"])
                if indicator.startswith("n_")
                else f"{f(indicator, c['estimate'])} "
                f"[{f(indicator, c['lower'])}–{f(indicator, c['upper'])}]"
            )
        for p in names:
            c = cells.loc[p]
            row.append(
                "–"
                if indicator.startswith("n_")
                else f"{number(c['organisations_ahead'], language, 0)} / "
                f"{number(c['organisations_both'], language, 0)}"
            )
        rows.append(row)
    return pd.DataFrame(rows, columns=columns)


def type_mix(mix: pd.DataFrame, text: dict, language: str) -> pd.DataFrame:
    """The PDF's type-mix table (``engbench.comparison.type_mix``): one row per sector,
    its incoming messages and each type's share."""
    from engbench.report.text import number

    b = text["benchmarks"]
    rows = []
    for sector, part in mix.groupby("sector", sort=False):
        shares = part.set_index("type")["share"]
        rows.append(
            [
                b["sectors"].get(sector, str(sector).replace("_", " ")),
                number(part["messages"].sum(), language, 0),
                *(
                    number(shares.get(t, np.nan), language, 1, True)
                    for t in ("complaint", "question", "compliment", "other")
                ),
            ]
        )
    return pd.DataFrame(rows, columns=b["type_mix_columns"])


def outside_hours(
    hours: pd.DataFrame, text: dict, language: str, names: dict[str, str], order: list[str]
) -> pd.DataFrame:
    """The PDF's table of answers outside webcare hours (``engbench.comparison.outside_hours``):
    all organisations first, then the league order."""
    from engbench.report.text import number

    b = text["benchmarks"]
    frame = hours.set_index("org_id")
    rows = []
    for org in ["all", *[o for o in order if o in frame.index]]:
        r = frame.loc[org]
        rows.append(
            [
                b["sectors"]["all"] if org == "all" else names.get(org, org),
                number(r["incoming"], language, 0),
                number(r["share_outside_hours"], language, 1, True),
                number(r["response_rate_inside"], language, 1, True),
                number(r["response_rate_outside"], language, 1, True),
                number(r["response_rate_closed_days"], language, 1, True),
                number(r["share_answers_outside_hours"], language, 1, True),
            ]
        )
    return pd.DataFrame(rows, columns=b["hours_columns"])


COUNT_ROWS = (
    "broadcasts",
    "replies",
    "incoming_messages",
    "retweets",
    "other_consumer_messages",
    "kept",
    "incoming_pairs",
    "censored_pairs",
    "incoming_measured",
)


def count_reconciliation(kept: int, counts: dict, kinds: pd.DataFrame) -> pd.DataFrame:
    """How the kept records add up: broadcasts + replies + incoming messages + retweets +
    other consumer messages (chatter addressed to no organisation, in no organisation's
    thread) = messages kept (``kept``, the ingest summary's; ``counts`` is the threads
    stage's ``counts.json``, ``kinds`` its messages' ``kind`` and ``retweeted_id``). Then:
    incoming pairs (an incoming message counted once per organisation it addresses), minus
    the censored ones (in the last answer window), = the incoming messages the metrics
    count."""
    other = kinds["kind"] == "other"
    retweets = int((other & kinds["retweeted_id"].notna()).sum())
    values = {
        "broadcasts": int(counts["broadcasts"]),
        "replies": int(counts["replies"]),
        "incoming_messages": int(counts["incoming_messages"]),
        "retweets": retweets,
        "other_consumer_messages": int(other.sum()) - retweets,
        "kept": int(kept),
        "incoming_pairs": int(counts["incoming_pairs"]),
        "censored_pairs": int(counts["censored_pairs"]),
        "incoming_measured": int(counts["incoming_pairs"]) - int(counts["censored_pairs"]),
    }
    return pd.DataFrame({"count": list(values.keys()), "messages": list(values.values())})


def count_reconciliation_words(table: pd.DataFrame, text: dict, language: str) -> pd.DataFrame:
    """The reconciliation for the PDF, its rows in words."""
    from engbench.report.text import number

    b = text["benchmarks"]
    return pd.DataFrame(
        {
            b["count_columns"][0]: [b["count_rows"][c] for c in table["count"]],
            b["count_columns"][1]: [number(v, language, 0) for v in table["messages"]],
        }
    )


def log_odds_models(models: dict, names) -> set[str]:
    """The models whose coefficients are log-odds (logit links), the rest being on the
    loyalty scale: by the estimator ``models.json`` records, else by the model's name."""
    return {
        m
        for m in names
        if "logit" in str(models.get(m, {}).get("estimator", "")).lower() or "logit" in m
    }


def regression_by_scale(
    coefficients: pd.DataFrame, models: dict, language: str
) -> dict[str, pd.DataFrame]:
    """The regression table for the PDF in two: ``scale`` (linear models, points on the
    loyalty scale) and ``log_odds`` (logit models); a part without models is left out."""
    logit = log_odds_models(models, coefficients["model"].unique())
    out = {}
    for part, keep in (
        ("scale", ~coefficients["model"].isin(logit)),
        ("log_odds", coefficients["model"].isin(logit)),
    ):
        if keep.any():
            out[part] = regression(coefficients[keep], models, language=language)
    return out


def workbook_in_words(tables: dict[str, pd.DataFrame], path: str | Path, language: str) -> None:
    """The workbook with every header in words and its unit (``text.column_words``) and a
    last sheet describing every column of every sheet (sheet, code, header, meaning);
    the CSV files keep the code names."""
    from engbench.report.text import TEXT, column_words

    c = TEXT[language]["workbook_columns"]
    described = []
    in_words = {}
    for name, table in tables.items():
        headers = []
        for column in table.columns:
            header, meaning = column_words(str(column), language)
            headers.append(header)
            described.append([name[:31], str(column), header, meaning])
        in_words[name] = table.set_axis(headers, axis=1)
    in_words[c["sheet"]] = pd.DataFrame(described, columns=c["sheet_headers"])
    workbook(in_words, path)
