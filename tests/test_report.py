"""Report pieces that need no workflow run: safe spreadsheets, LaTeX, Typst escaping."""

from __future__ import annotations

import openpyxl
import pandas as pd

from engbench.report import tables
from engbench.report.document import esc, number


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
    assert number(2254, "nl", 0) == "2\u2009254"
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
