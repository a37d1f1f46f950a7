"""Report pieces that need no workflow run: safe spreadsheets, LaTeX, Typst escaping."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from engbench.report import tables
from engbench.report.document import esc
from engbench.report.text import (
    TEXT,
    formula,
    month,
    number,
    period,
    webcare_hours,
)


def test_workbook_never_turns_text_into_formulas(tmp_path):
    frame = pd.DataFrame(
        {
            "name": ['=HYPERLINK("http://x")', "+31 6", "-", "@SUM(A1)", "Normal"],
            "n": [1, 2, 3, 4, 5],
        }
    )
    tables.workbook({"league": frame, "other": frame}, tmp_path / "t.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "t.xlsx")["league"]
    cells = [sheet.cell(row=r, column=1) for r in range(2, 7)]
    assert [c.value for c in cells] == list(frame["name"])
    assert all(c.data_type == "s" for c in cells)
    tables.safe_csv(frame, tmp_path / "t.csv")
    back = pd.read_csv(tmp_path / "t.csv")
    assert back["name"].tolist()[:4] == ['\'=HYPERLINK("http://x")', "'+31 6", "'-", "'@SUM(A1)"]


def test_regression_table_and_latex():
    coefficients = pd.DataFrame(
        {
            "model": ["ols_fe", "ols_fe", "mixed"],
            "term": ["follows", "customer", "follows"],
            "estimate": [0.45, 0.8, 0.44],
            "std_error": [0.01, 0.02, 0.01],
            "ci_low": [0.43, 0.76, 0.42],
            "ci_high": [0.47, 0.84, 0.46],
            "p_value": [1e-9, 0.02, 0.2],
            "n_respondents": [10, 10, 10],
            "n_pairs": [50, 50, 50],
        }
    )
    table = tables.regression(coefficients, {"ols_fe": {"fit": {"rsquared": 0.5}}})
    assert table.iloc[0].tolist() == ["follows", "0.450***", "0.440"]
    assert table.iloc[1].tolist() == ["", "(0.010)", "(0.010)"]
    assert table.iloc[-1].tolist() == ["R² / pseudo-R²", "0.500", ""]
    tex = tables.latex(table, "Loyalty & following")
    assert "\\toprule" in tex and "Loyalty \\& following" in tex and "R$^2$" in tex


def test_typst_escaping_and_dutch_numbers():
    assert esc("Bezorgd! #1 *best* @home") == "Bezorgd! \\#1 \\*best\\* \\@home"
    assert number(0.4813, "nl", 1, True) == "48,1%"
    assert number(2254, "nl", 0) == "2.254"
    assert number(0.4813, "en", 1, True) == "48.1%"


def test_league_figure_shows_an_interval_that_misses_its_estimate(tmp_path):
    """Percentile bootstrap intervals need not contain the estimate (twcs: two organisations
    with no response at all, index -1.157 and interval [-1.146, -0.813]); the figure draws
    it as it is instead of failing on a negative error bar."""
    import pandas as pd

    from engbench.report.figures import league_table, save

    league = pd.DataFrame(
        {
            "org_id": ["a", "b"],
            "index": [-1.157, 0.4],
            "index_lower": [-1.146, 0.1],
            "index_upper": [-0.813, 0.5],
            "rank": [2, 1],
            "rank_lower": [2, 1],
            "rank_upper": [2, 2],
        }
    )
    figure = league_table(league, {"a": "A", "b": "B"}, {"index_axis": "i", "league_title": "t"})
    (png, _) = save(figure, tmp_path / "league")
    assert png.read_bytes()[:4] == b"\x89PNG"


def test_numbers_by_locale():
    """One function formats every number: nl 192.390 and 0,46; en 192,390 and 0.46."""
    assert number(192390, "nl", 0) == "192.390"
    assert number(0.46, "nl", 2) == "0,46"
    assert number(192390, "en", 0) == "192,390"
    assert number(0.46, "en", 2) == "0.46"
    assert number(1234567.891, "nl", 2) == "1.234.567,89"
    assert number(-0.689, "nl", 3) == "−0,689"
    assert number(-0.0001, "en", 2) == "0.00"
    assert number(float("nan"), "nl") == number(None, "en") == "–"


def test_the_period_is_printed_as_inclusive_dates():
    """The config's end is exclusive: 2017-11-01 means up to and including 31 October."""
    assert period("2017-01-01", "2017-11-01", "nl") == "1 januari 2017 – 31 oktober 2017"
    assert period("2017-01-01", "2018-01-01", "en") == "1 January 2017 – 31 December 2017"
    assert month("2017-03", "nl") == "mrt 2017"


def test_the_catalogues_have_the_same_entries():
    """Every word the report prints exists in both languages (one catalogue per language)."""

    def keys(entry, prefix=""):
        if isinstance(entry, dict) and prefix.startswith("glossary"):  # terms in the language
            return {f"{prefix}[{len(entry)}]"}
        if isinstance(entry, dict):
            return {k for key, value in entry.items() for k in keys(value, f"{prefix}{key}.")}
        if isinstance(entry, list):
            return {f"{prefix}[{len(entry)}]"}
        return {prefix}

    assert keys(TEXT["nl"]) == keys(TEXT["en"])


def test_models_in_words_and_hours_in_the_language():
    text = formula(
        "loyalty ~ follows + follows:dialogue_c + customer + age_decades + C(gender) + C(org_id)",
        "nl",
    )
    assert text == (
        "loyaliteit = volgt + volgt × dialoogaandeel (gecentreerd) + klant + leeftijd (decennia)"
        " + geslacht + organisatie (vaste effecten)"
    )
    assert "C(" not in formula("promoter ~ follows + C(region)", "en")
    hours = webcare_hours({"monday": "08:00-22:00", "sunday": "closed"}, "nl")
    assert hours == "maandag 08:00–22:00, zondag gesloten"


def test_the_regression_table_in_words():
    coefficients = pd.DataFrame(
        {
            "model": ["ols_fe", "ols_fe", "platforms"],
            "term": ["follows", "follows:dialogue_c", "follows_twitter"],
            "estimate": [0.45, -0.8, 1234.5],
            "std_error": [0.01, 0.02, 0.01],
            "ci_low": [0.43, 0.76, 0.42],
            "ci_high": [0.47, 0.84, 0.46],
            "p_value": [1e-9, 0.02, 0.2],
            "n_respondents": [1500, 1500, 1500],
            "n_pairs": [5000, 5000, 5000],
        }
    )
    table = tables.regression(coefficients, {}, language="nl")
    assert list(table.columns) == ["", "vaste effecten", "per platform"]
    assert table.iloc[0].tolist() == ["volgt", "0,450***", ""]
    assert table.iloc[2].tolist() == ["volgt op Twitter", "", "1.234,500"]
    assert table.iloc[4].tolist() == ["volgt × dialoogaandeel (gecentreerd)", "−0,800*", ""]
    assert table.iloc[-3].tolist() == ["N (paren)", "5.000", "5.000"]


def test_every_per_organisation_chart_in_league_order():
    """The league's order (rank 1 at the top) in each per-organisation chart, whatever the
    values would sort to."""
    from engbench.report import figures
    from tests.test_report_findings import A

    text = TEXT["en"]
    order = ["b", "c", "a"]  # league: b first
    incoming = pd.DataFrame(
        {
            "org_id": ["a", "a", "b", "c"],
            "replied": [True, True, True, True],
            "censored": [False] * 4,
            "response_seconds_webcare": [60.0, 120.0, 6000.0, 600.0],
        }
    )
    descriptives = pd.DataFrame(
        {
            "org_id": ["a", "b", "c"],
            **{
                f"loyalty_{who}_weighted{end}": [4.0, 5.0, 3.0]
                for who in ("followers", "non_followers")
                for end in ("", "_lower", "_upper")
            },
        }
    )
    charts = [
        figures.response_by_type(A, {}, text, order),
        figures.response_times(incoming, {}, text, order),
        figures.dialogue_share(A, {}, text, order),
        figures.loyalty_gap(descriptives, {}, text, order),
    ]
    for chart in charts:
        labels = [label.get_text() for label in chart.axes[0].get_yticklabels()]
        assert labels[::-1] == order  # tick labels run bottom to top
        figures.plt.close(chart)


def test_index_contributions_add_up_to_the_engagement_index():
    """The decomposition figure's bars: weight × z-score ÷ sum of weights per component;
    they sum to the index as engagement_index computes it (twcs-like values by hand)."""
    import numpy as np

    from engbench.metrics import INDEX_COMPONENTS, index_contributions

    league = pd.DataFrame(
        {
            "org_id": ["a", "b", "c"],
            "response_rate": [0.76, 0.33, 0.25],
            "response_speed": [-3.68, -2.98, -3.51],
            "dialogue_share": [0.94, 0.72, 0.08],
            "engagement": [-0.61, -0.57, -0.89],
        }
    )
    weights = {
        "response_rate": 0.5,
        "response_speed": 0.1,
        "dialogue_share": 0.2,
        "engagement": 0.2,
    }
    out = index_contributions(league, weights)
    for c in INDEX_COMPONENTS:
        x = league[c].to_numpy()
        z = (x - x.mean()) / x.std()
        assert np.allclose(out[c], weights[c] * z / sum(weights.values()))
    assert np.allclose(out["index"], out[list(INDEX_COMPONENTS)].sum(axis=1))
    assert abs(out["index"].sum()) < 1e-12  # z-scores centre every component


def test_a_long_table_repeats_its_header_on_every_page(tmp_path):
    """Tables longer than a page break with their header repeated; short ones stay whole."""
    from pypdf import PdfReader

    from engbench.report.document import LONG_TABLE, _table, compile_pdf

    frame = pd.DataFrame({"organisatie": [f"Org {i}" for i in range(90)], "waarde": range(90)})
    source = '#set page(paper: "a4")\n' + _table(frame, "nl", caption="Lang") + "\n"
    pages = PdfReader(
        tmp_path.joinpath("t.pdf").write_bytes(compile_pdf(source, tmp_path)) and tmp_path / "t.pdf"
    ).pages
    assert len(pages) >= 2
    assert all("organisatie" in page.extract_text() for page in pages)
    assert "breakable" not in _table(frame.head(LONG_TABLE), "nl")


def _every_figure(language: str) -> dict:
    """Every figure the report draws, from small hand-built tables, in ``language``."""
    import numpy as np

    from engbench.report import figures
    from engbench.report.scorecard import COLUMNS
    from tests.test_report_findings import LEAGUE_SURE, A, coefficients

    text = TEXT[language]
    order = ["a", "b", "c"]
    league = LEAGUE_SURE.assign(index=[0.8, -0.25, -1.05], index_lower=[0.5, -0.6, -1.4])
    league = league.assign(index_upper=league["index"] + 0.3)
    contributions = pd.DataFrame(
        {
            "org_id": order,
            "response_rate": [0.35, -0.1, -0.45],
            "response_speed": [0.2, 0.05, -0.25],
            "dialogue_share": [0.15, -0.1, -0.05],
            "engagement": [0.1, -0.1, -0.3],
        }
    ).assign(index=[0.8, -0.25, -1.05])
    months = pd.DataFrame(
        [
            {"org_id": "all", "platform": "all", "period": f"2017-{m:02d}", "indicator": i}
            | {"estimate": v * m}
            for m in (1, 2, 3)
            for i, v in (("n_incoming", 9000.0), ("n_replies", 4000.0), ("n_broadcasts", 2500.0))
        ]
    )
    incoming = pd.DataFrame(
        {
            "org_id": ["a", "a", "b", "c"],
            "replied": [True] * 4,
            "censored": [False] * 4,
            "response_seconds_webcare": [60.0, 120.0, 6000.0, 600.0],
        }
    )
    descriptives = pd.DataFrame(
        {"org_id": order}
        | {
            f"loyalty_{who}_weighted{end}": np.array([3.6, 4.1, 3.9]) + shift
            for who, base in (("followers", 0.3), ("non_followers", 0.0))
            for end, shift in (("", base), ("_lower", base - 0.2), ("_upper", base + 0.2))
        }
    )
    card = pd.DataFrame(
        [
            ["response_rate", 0.42, 0.35, 0.5, 0.3, 0.1, 0.31, 0.6, 3],
            ["response_rate_complaint", 0.7, 0.6, 0.8, 0.5, 0.2, 0.5, 0.9, 3],
            ["response_time_webcare_median", 1900.0, 1500.0, 2500.0, 3300, 600, 2000, 5000, 3],
            ["index", -0.25, -0.6, 0.05, 0.0, -1.05, -0.25, 0.8, 3],
        ],
        columns=COLUMNS,
    )
    matrix = pd.DataFrame(
        [[40, 5], [3, 52]], index=["complaint", "question"], columns=["complaint", "question"]
    )
    return {
        "league_table": figures.league_table(league, {}, text),
        "index_decomposition": figures.index_decomposition(contributions, {}, text),
        "response_by_type": figures.response_by_type(A, {}, text, order),
        "response_times": figures.response_times(incoming, {}, text, order),
        "dialogue_share": figures.dialogue_share(A, {}, text, order),
        "monthly_volumes": figures.monthly_volumes(months, text),
        "loyalty_gap": figures.loyalty_gap(descriptives, {}, text, order),
        "coefficients": figures.coefficients(coefficients(-0.15, 0.05), text),
        "confusion": figures.confusion(matrix, text),
        "scorecard": figures.scorecard(card, text),
    }


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_figure_numbers_its_axes_in_the_report_language(language):
    """Numeric tick labels through the report's number format (nl ``−0,25``, ``10.000``; en
    ``−0.25``, ``10,000``) on every numeric axis of every figure the report draws; each label
    reads back as its tick's value."""
    import inspect
    import re

    from engbench.report import figures

    drawn = _every_figure(language)
    public = {
        name
        for name, f in inspect.getmembers(figures, inspect.isfunction)
        if f.__module__ == figures.__name__ and not name.startswith("_")
    } - {"save", "numbers_in_language", "in_language"}
    assert set(figures.FIGURES) == public == set(drawn)
    thousands, decimal = {"nl": (".", ","), "en": (",", ".")}[language]
    pattern = re.compile(rf"−?\d{{1,3}}(\{thousands}\d{{3}})*(\{decimal}\d+)?")
    seen = {}
    for name, figure in drawn.items():
        figure.canvas.draw()
        for ax in figure.axes:
            for axis in (ax.xaxis, ax.yaxis):
                formatter = axis.get_major_formatter()
                if not isinstance(formatter, figures.LocaleNumbers):
                    assert not isinstance(formatter, figures.NUMERIC), (name, formatter)
                    continue
                assert formatter.language == language
                for tick in axis.get_major_ticks():
                    label = tick.label1.get_text()
                    if not label or not tick.get_visible():
                        continue
                    assert pattern.fullmatch(label), (name, label)
                    value = float(
                        label.replace(thousands, "").replace(decimal, ".").replace("−", "-")
                    )
                    assert value == pytest.approx(tick.get_loc(), abs=1e-6), (name, label)
                    seen.setdefault(name, set()).add(label)
        figures.plt.close(figure)
    # the figures read with English decimals in the Dutch PDF, and thousands: now in the language
    assert f"−0{decimal}25" in seen["index_decomposition"]  # one decimal place more: 0.25
    assert f"4{decimal}0" in seen["loyalty_gap"] and f"10{thousands}000" in seen["monthly_volumes"]
    assert any(decimal in label for label in seen["coefficients"] | seen["league_table"])


def test_the_legends_cover_no_organisation():
    """The per-organisation charts whose bars or dots run across the whole axis keep their
    legend below it."""
    drawn = _every_figure("nl")
    for name in ("dialogue_share", "loyalty_gap", "response_by_type", "index_decomposition"):
        figure = drawn[name]
        figure.canvas.draw()
        ax = figure.axes[0]
        legend = ax.get_legend().get_window_extent()
        assert legend.y1 <= ax.get_window_extent().y0, name
    for figure in drawn.values():
        figure.clf()
