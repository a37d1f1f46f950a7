"""The report's layout: no half-empty page before the profiles (rendered with pdftoppm)."""

from __future__ import annotations

import pandas as pd
import pytest

from engbench.report.text import TEXT

CHAPTERS = ("dialogue", "webcare", "engagement", "loyalty", "reading", "profiles")
# the demo edition's tables (rows, columns): 28 organisations in 12 sectors
SHAPES = {
    "type_mix": (12, 6),
    "response_by_type_corrected": (4, 3),
    "sector_benchmarks": (12, 8),
    "platforms": (11, 5),
    "outside_hours": (29, 7),
    "robustness": (6, 6),
    "league": (28, 4),
    "regression_scale": (14, 6),
    "regression_log_odds": (10, 3),
}


def _blank_runs(pdf, tmp_path, dpi: int = 20) -> list[float]:
    """Per page the longest run of blank rows in the text area (between the 2 cm margins,
    the page number below it), as a share of the text area's height (pdftoppm, greyscale)."""
    import shutil
    import subprocess

    import numpy as np

    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-gray", str(pdf), str(tmp_path / "page")], check=True
    )
    out = []
    for page in sorted(tmp_path.glob("page-*.pgm")):
        raw = page.read_bytes()
        _, width, height, _, pixels = raw.split(maxsplit=4)
        image = np.frombuffer(pixels, np.uint8).reshape(int(height), int(width))
        margin = round(2 / 2.54 * dpi)
        blank = (image[margin:-margin] > 200).all(axis=1)
        longest = run = 0
        for row in blank:
            run = run + 1 if row else 0
            longest = max(longest, run)
        out.append(longest / len(blank))
    return out


def test_no_half_empty_page_before_the_profiles(tmp_path):
    """The demo's sizes (28 organisations): every page of the chapters before the profiles
    is at least about half full (its longest blank stretch under 55% of the text area), the
    chapter's last page before the profiles excepted; every figure keeps its caption."""
    import numpy as np
    from pypdf import PdfReader

    from engbench.report import figures
    from engbench.report.document import compile_pdf, summary_numbers, typst_source
    from engbench.report.findings import findings
    from tests.test_report_findings import CONFIG, OVERALL_LOW, coefficients, edition, webcure

    rng = np.random.default_rng(11)
    orgs = [f"o{i:02d}" for i in range(28)]
    names = {o: f"Organisation {i}" for i, o in enumerate(orgs)}
    indicators = edition(
        {o: webcure(*rng.uniform(0.05, 0.9, 4), rng.uniform(600, 6000)) for o in orgs},
        OVERALL_LOW,
    )
    index = np.sort(rng.normal(size=28))[::-1]
    league = pd.DataFrame(
        {
            "org_id": orgs,
            "rank": range(1, 29),
            "rank_lower": [max(1, r - 2) for r in range(1, 29)],
            "rank_upper": [min(28, r + 2) for r in range(1, 29)],
            "index": index,
            "index_lower": index - 0.3,
            "index_upper": index + 0.3,
        }
    )
    parts = rng.normal(scale=0.3, size=(28, 4))
    contributions = pd.DataFrame(
        parts, columns=["response_rate", "response_speed", "dialogue_share", "engagement"]
    ).assign(org_id=orgs, index=parts.sum(axis=1))
    incoming = pd.DataFrame(
        {
            "org_id": np.repeat(orgs, 20),
            "replied": True,
            "censored": False,
            "response_seconds_webcare": rng.lognormal(7, 1.5, 560),
        }
    )
    loyalty = 4 + rng.normal(scale=0.2, size=28)
    descriptives = pd.DataFrame(
        {"org_id": orgs}
        | {
            f"loyalty_{who}_weighted{end}": loyalty + base + shift
            for who, base in (("followers", 0.4), ("non_followers", 0.0))
            for end, shift in (("", 0.0), ("_lower", -0.3), ("_upper", 0.3))
        }
    )
    months = pd.DataFrame(
        [
            {"org_id": "all", "platform": "all", "period": f"2017-{m:02d}"}
            | {"indicator": i, "estimate": v}
            for m in range(1, 11)
            for i, v in (("n_incoming", 20000.0), ("n_replies", 5000.0), ("n_broadcasts", 5500.0))
        ]
    )
    t = TEXT["en"]
    order = orgs
    drawn = {
        "dialogue_share": figures.dialogue_share(indicators, names, t, order),
        "monthly_volumes": figures.monthly_volumes(months, t),
        "response_by_type": figures.response_by_type(indicators, names, t, order),
        "response_times": figures.response_times(incoming, names, t, order),
        "league_table": figures.league_table(league, names, t),
        "index_decomposition": figures.index_decomposition(contributions, names, t),
        "loyalty_gap": figures.loyalty_gap(descriptives, names, t, order),
        "coefficients": figures.coefficients(coefficients(0.3, 0.6), t),
    }
    paths = {}
    for name, figure in drawn.items():
        figures.save(figure, tmp_path / "figures" / name, pdf=False, dpi=60)
        paths[name] = f"figures/{name}.png"
    config = CONFIG | {
        "edition": {"name": "demo", "year": 2017},
        "metrics": {"index_weights": {"response_rate": 1.0}, "bootstrap_resamples": 100},
    }
    numbers = summary_numbers(indicators, league, None, "en")
    found = findings(indicators, league, coefficients(0.3, 0.6), None, names, config, "en")
    found.benchmarks = {name: "A sentence on the table below. " * 4 for name in SHAPES}

    def table(rows, columns):  # a table of the demo's shape, its cells short numbers
        return pd.DataFrame(
            [[f"{r}.{c}%" for c in range(columns)] for r in range(rows)],
            columns=[f"column {c}" for c in range(columns)],
        )

    tables = {name: table(*shape) for name, shape in SHAPES.items()}
    source = typst_source(config, numbers, tables, paths, names, {}, "en", True, found)
    assert source.count("placement:") == len(paths)  # the chapters' figures float
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(compile_pdf(source, tmp_path))
    pages = [page.extract_text() for page in PdfReader(pdf).pages]
    text = "\f".join(pages[2:])  # after the title and the contents

    def at(phrase):  # (page, position on it) of a heading or caption, in reading order
        before = text[: text.index(phrase)]
        return before.count("\f") + 2, len(before) - before.rfind("\f")

    headings = [at(f"{n}. {t[c]}") for n, c in enumerate(CHAPTERS, start=2)]
    figure = 1
    for chapter, count in enumerate((2, 2, 2, 2)):  # each chapter's figures, in its pages
        for _ in range(count):
            where = at(f"Figure\xa0{figure}.")  # the caption: with its figure
            assert headings[chapter] < where < headings[chapter + 1], (figure, where, headings)
            figure += 1
    first, profiles = headings[0][0], headings[-1][0]
    blank = _blank_runs(pdf, tmp_path)
    assert all(b < 0.55 for b in blank[first : profiles - 1]), blank[first:profiles]
