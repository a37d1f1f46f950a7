"""A real Snakemake run of the test edition, in a scratch folder."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
import yaml

from tests.conftest import ROOT, project_copy, snakemake_command

pytestmark = pytest.mark.workflow


def snakemake(workdir, *args, config="config/test/config.yaml"):
    command = snakemake_command(workdir, "--cores", "2", *args, config=workdir / config)
    return subprocess.run(command, capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return project_copy(tmp_path_factory.mktemp("workflow"))


@pytest.fixture(scope="module")
def finished_run(workdir):
    result = snakemake(workdir)
    assert result.returncode == 0, result.stderr[-3000:]
    return workdir, result


def test_test_edition_runs_end_to_end(finished_run):
    workdir, _ = finished_run
    raw = sorted(p.name for p in (workdir / "data/demo/test-2017/raw/twitter").iterdir())
    assert raw == ["bezorgd.jsonl", "netplus.jsonl", "oranje_airways.jsonl", "railned.jsonl"]
    assert (workdir / "data/demo/test-2017/panel/panel.sav").stat().st_size > 10_000
    assert (workdir / "results/test-2017/demo/volumes.png").read_bytes()[:4] == b"\x89PNG"
    log = (workdir / "logs/test-2017/simulate.log").read_text()
    assert "simulating 4,080 messages and 150 respondents" in log
    assert "done in" in log


def test_rerun_has_nothing_to_do(finished_run):
    workdir, _ = finished_run
    result = snakemake(workdir, "--dry-run")
    assert result.returncode == 0
    assert "Nothing to be done" in result.stdout + result.stderr


def test_html_report_builds(finished_run):
    workdir, _ = finished_run
    result = snakemake(workdir, "--report", "report.html")
    assert result.returncode == 0, result.stderr[-3000:]
    html = (workdir / "report.html").read_text(errors="replace")
    for item in (
        "Demo edition",
        "league_table",
        "response_by_type",
        "regression",
        "report.pdf",
        "engbench_tables",
    ):
        assert item in html, item


def test_invalid_config_stops_before_any_job(workdir):
    config = yaml.safe_load((workdir / "config/test/config.yaml").read_text())
    config["answer_window_days"] = "a week"
    config["webcare_hours"]["sunday"] = "all day"
    (workdir / "config/bad.yaml").write_text(yaml.safe_dump(config))
    result = snakemake(workdir, "--dry-run", config="config/bad.yaml")
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "key `answer_window_days`: found 'a week'; expected type number" in output
    assert "key `webcare_hours.sunday`: found 'all day'" in output
    assert "Traceback" not in output


def test_demo_raw_files_ingest_to_exactly_the_simulated_messages(finished_run):
    """Round trip: the store holds every collected message, attributed as the simulator did."""
    import numpy as np
    import pandas as pd

    from engbench.ingest.store import read_store

    workdir, _ = finished_run
    store = read_store(workdir / "results/test-2017/messages")
    truth = pd.read_parquet(workdir / "data/demo/test-2017/truth/messages.parquet")
    truth = truth[truth["collected"]]
    assert len(store) == len(truth)
    assert set(store["message_id"]) == set(truth["message_id"])
    consumer = ~store["is_org"]
    kind = np.select(
        [
            store["is_org"] & store["parent_id"].isna(),
            store["is_org"],
            consumer & store["retweeted_id"].notna(),
            consumer & (store["addressed_org_ids"].apply(len) == 0),
        ],
        ["broadcast", "reply", "retweet", "chatter"],
        default="incoming",
    )
    measured = store.assign(kind=kind).groupby(["org_id", "platform", "kind"]).size()
    expected = (
        truth.groupby(["org_id", "platform", "role"])
        .size()
        .rename_axis(["org_id", "platform", "kind"])
    )
    pd.testing.assert_series_equal(measured.sort_index(), expected.sort_index(), check_names=False)
    merged = store.merge(truth, on=["platform", "message_id"], suffixes=("", "_truth"))
    for column in ("parent_id", "thread_id", "org_id", "created_at", "is_org"):
        assert (merged[column].fillna("-") == merged[f"{column}_truth"].fillna("-")).all(), column

    summary = pd.read_csv(workdir / "results/test-2017/ingest/summary.csv")
    assert (
        summary["read"] == summary["kept"] + summary["duplicates"] + summary["quarantined"]
    ).all()
    assert summary["kept"].sum() == len(store) and summary["quarantined"].sum() == 0


def test_measured_webcare_recovers_the_simulated_truth(finished_run):
    """Each organisation × platform: measured response rate and median response time lie
    within their 95% bootstrap interval of the simulator's true values (>= 95% of cells)."""
    import numpy as np
    import pandas as pd

    workdir, _ = finished_run
    table = pd.read_parquet(workdir / "results/test-2017/metrics/indicators.parquet")
    truth = pd.read_parquet(workdir / "data/demo/test-2017/truth/incoming.parquet")
    end = pd.Timestamp("2017-11-01").tz_localize("Europe/Amsterdam").tz_convert("UTC")
    truth = truth[truth["collected"] & (truth["created_at"] <= end - pd.Timedelta(days=7))]
    truth = truth.assign(answered=truth["responded"] & (truth["response_seconds"] <= 7 * 86400))
    checked, inside = 0, 0
    for (org, platform), cell in truth.groupby(["org_id", "platform"]):
        rows = table[
            (table["org_id"] == org)
            & (table["platform"] == platform)
            & (table["period"] == "edition")
        ]
        rows = rows.set_index("indicator")
        answered = cell.loc[cell["answered"], "response_seconds"].astype(float)
        true_values = [("response_rate", cell["answered"].mean())]
        if len(answered) >= 10:
            median = np.quantile(answered, 0.5, method="inverted_cdf")
            true_values.append(("response_time_median", median))
        for indicator, value in true_values:
            checked += 1
            inside += rows.loc[indicator, "lower"] <= value <= rows.loc[indicator, "upper"]
    # every organisation × platform's response rate (8) and the median where it has at
    # least 10 answers (5 of 8 since the demo answers about a quarter of messages)
    assert checked >= 13
    assert inside / checked >= 0.95


def test_metrics_outputs(finished_run):
    import pandas as pd

    workdir, _ = finished_run
    league = pd.read_csv(workdir / "results/test-2017/metrics/engagement_index.csv")
    assert sorted(league["rank"]) == [1, 2, 3, 4]
    assert (league["rank_lower"] <= league["rank"]).all() and (
        league["rank"] <= league["rank_upper"]
    ).all()
    assert set(league["name"]) == {"Oranje Airways", "RailNed", "NetPlus", "Bezorgd!"}
    table = pd.read_parquet(workdir / "results/test-2017/metrics/indicators.parquet")
    assert list(table.columns) == [
        "org_id",
        "platform",
        "period",
        "indicator",
        "estimate",
        "lower",
        "upper",
        "n",
    ]
    assert {"2017-01", "2017-10", "edition"} <= set(table["period"])
    rates = table[table["indicator"] == "response_rate"]
    assert rates["estimate"].dropna().between(0, 1).all()


def test_classifier_outputs_and_per_type_rates(finished_run):
    import json

    import pandas as pd

    workdir, _ = finished_run
    results = workdir / "results/test-2017"
    metadata = json.loads((results / "classifier/metadata.json").read_text())
    assert metadata["validation"]["macro_f1"] >= 0.80
    validation = json.loads((results / "classify/demo_validation.json").read_text())
    assert validation["macro_f1"] >= 0.80  # the small edition; the full demo is in the closing note
    classified = pd.read_parquet(results / "classify/incoming.parquet")
    assert classified["type"].isin(["complaint", "question", "compliment", "other"]).all()
    table = pd.read_parquet(results / "metrics/indicators.parquet")
    assert {"response_rate_complaint", "response_rate_compliment"} <= set(table["indicator"])
    shares = pd.read_csv(results / "classify/type_shares.csv")
    sums = shares.groupby(["org_id", "platform"])["corrected_share"].sum()
    assert ((sums - 1).abs() < 1e-9).all()
    assert (results / "coding/sample.xlsx").stat().st_size > 5000
    reliability = pd.read_csv(results / "coding/reliability.csv").set_index("category")
    assert 0.5 < reliability.loc["all", "krippendorff_alpha"] < 1  # two simulated coders
    assert shares["error_rates"].str.startswith("this edition's coded sample").all()


def test_the_edition_coded_sample_trains_and_corrects_the_per_type_rates(finished_run):
    import json

    import pandas as pd

    workdir, _ = finished_run
    results = workdir / "results/test-2017"
    metadata = json.loads((results / "classifier/metadata.json").read_text())
    sources = {s["source"]: s for s in metadata["sources"]}
    assert set(sources) == {"data/labels/coded_messages.csv", "edition coded sample"}
    edition = sources["edition coded sample"]
    # the edition's own messages weigh 3 each (classify.edition_weight)
    assert edition["total_weight"] == pytest.approx(3 * edition["messages"])
    assert metadata["training_messages"] == sum(s["messages"] for s in sources.values())
    inside = metadata["validation_in_domain"]
    assert inside["messages"] == edition["messages"] and 0.5 < inside["macro_f1"] <= 1
    oof = pd.read_csv(results / "classifier/coded_out_of_fold.csv")
    assert len(oof) == edition["messages"]
    rates = pd.read_parquet(results / "metrics/response_rates_by_type.parquet")
    assert set(rates["type"]) == {"complaint", "question", "compliment", "other"}
    assert rates["corrected_rate"].between(0, 1).all()
    assert (rates["corrected_lower"] <= rates["corrected_rate"] + 1e-12).all()
    assert rates["basis"].str.contains("out-of-fold").all()
    check = json.loads((results / "classify/demo_response_by_type.json").read_text())
    assert check["edition"]["cells"] == 4 and check["per_organisation"]["cells"] > 0


def test_panel_and_models_outputs(finished_run):
    import json

    import pandas as pd

    workdir, _ = finished_run
    results = workdir / "results/test-2017"
    analysis = pd.read_parquet(results / "panel/analysis.parquet")
    from engbench.panel import CANONICAL as canonical

    assert list(analysis.columns[: len(canonical)]) == canonical
    assert {"org_response_rate", "org_dialogue_share", "org_engagement_index"} <= set(
        analysis.columns
    )
    assert not analysis.duplicated(["respondent_id", "org_id"]).any()
    summary = json.loads((results / "panel/summary.json").read_text())
    assert summary["respondents"] == 150 and 0.7 < summary["loyalty_cronbach_alpha"] < 1
    coefficients = pd.read_csv(results / "models/coefficients.csv")
    assert set(coefficients["model"]) >= {
        "ols_fe",
        "ordered_logit",
        "logit_promoter",
        "mixed",
        "platforms",
        "ipw",
    }
    models = json.loads((results / "models/models.json").read_text())
    assert models["ols_fe"]["weights"] == "weight" and "formula" in models["ipw"]
    descriptives = pd.read_csv(results / "panel/descriptives.csv")
    assert set(descriptives["org_id"]) == set(analysis["org_id"])


def test_ols_fe_refits_from_models_json_and_the_analysis_table_alone(finished_run):
    """What a reader has: panel/analysis.parquet as it is and models.json. statsmodels' WLS
    with the stated formula, weights, cluster and covariance type gives coefficients.csv."""
    import json

    import numpy as np
    import pandas as pd
    import statsmodels.formula.api as smf

    workdir, _ = finished_run
    results = workdir / "results/test-2017"
    spec = json.loads((results / "models/models.json").read_text())["ols_fe"]
    analysis = pd.read_parquet(results / "panel/analysis.parquet")
    assert spec["derived"] == {"age_decades": "(age - 45) / 10"}
    assert np.allclose(analysis["age_decades"], (analysis["age"] - 45) / 10, equal_nan=True)
    data = analysis.dropna(subset=spec["complete_cases"])
    for column, level in spec["reference_levels"].items():
        first = (
            sorted(data[column].unique())[0]
            if column == "org_id"
            else data[column].cat.categories[0]
        )
        assert first == level, column
    fit = smf.wls(spec["formula"], data, weights=data[spec["weights"]]).fit(
        cov_type=spec["cov_type"], cov_kwds={"groups": pd.factorize(data[spec["cluster"]])[0]}
    )
    table = pd.read_csv(results / "models/coefficients.csv")
    ours = table[table["model"] == "ols_fe"].set_index("term")
    assert "age_decades" in ours.index and len(ours) >= 8
    assert np.abs(fit.params[ours.index] - ours["estimate"]).max() < 1e-8
    assert np.abs(fit.bse[ours.index] - ours["std_error"]).max() < 1e-6
    assert int(fit.nobs) == ours["n_pairs"].iloc[0]


# Words of the methods, axes and tables that must not appear in the other language's PDF
# (whole words; organisation names and the config's title are the edition's own).
ENGLISH_WORDS = (
    "response rate",
    "Definitions",
    "Period",
    "followers",
    "broadcasts",
    "replies",
    "Monday",
    "Sunday",
    "closed",
    "weighted",
    "standard errors",
    "Records read",
    "Input files",
    "messages",
    "complaint",
    "question",
    "loyalty",
    "rank",
    "median",
    "per month",
    "share",
    "October",
    "Oct",
)
DUTCH_WORDS = (
    "reactiepercentage",
    "Definities",
    "Periode",
    "volgers",
    "zendberichten",
    "reacties",
    "maandag",
    "zondag",
    "gesloten",
    "gewogen",
    "standaardfouten",
    "gelezen",
    "Invoerbestanden",
    "berichten",
    "klacht",
    "vraag",
    "loyaliteit",
    "plaats",
    "oktober",
    "okt",
    "mediaan",
    "aandeel",
    "Samenvatting",
    "Verantwoording",
    "uur",
)
CODE_NAMES = ("rank_lower", "ols_fe", "C(", "follows_twitter", "response_rate_", "org_id")


def assert_one_language(text: str, foreign: tuple[str, ...]) -> None:
    """No word of the other language and no code name in a report's text."""
    import re

    flat = " ".join(text.split())
    found = [w for w in foreign if re.search(rf"(?<![\w/]){re.escape(w)}(?![\w/])", flat)]
    assert not found, found
    assert not [c for c in CODE_NAMES if c in flat]


# The benchmark tables' sources in findings.json: the table (report/tables/<name>.csv), its
# key columns and the column a source's last part names when it has one more part.
BENCHMARK_SOURCES = {
    "sector_benchmarks": (["sector", "indicator"], None),
    "platforms": (["platform", "indicator"], "estimate"),
    "type_mix": (["sector", "type"], None),
    "outside_hours": (["org_id"], None),
    "scorecard": (["org_id", "indicator"], None),
}


def benchmark_value(results, kind, parts):
    """A benchmark number's source value, read from the table the report wrote."""
    import pandas as pd

    keys, default = BENCHMARK_SOURCES[kind]
    name = "scorecards" if kind == "scorecard" else kind
    table = pd.read_csv(results / f"report/tables/{name}.csv", keep_default_na=False)
    table = table.set_index(keys)
    key = tuple(parts[: len(keys)]) if len(keys) > 1 else parts[0]
    column = parts[len(keys)] if len(parts) > len(keys) else default
    return float(table.loc[key, column])


def trace_findings(results, flat, indicators, coefficients, league) -> None:
    """Every number in the findings text (findings.json) equals its source value and is in
    the PDF; the counts over organisations are recomputed here from the indicators."""
    import json

    import pandas as pd

    found = json.loads((results / "report/findings.json").read_text())
    edition = indicators.xs(("all", "edition"), level=("platform", "period"))["estimate"]
    wide = edition.unstack("indicator").drop(index="all")
    types = ["complaint", "question", "compliment", "other"]
    rates = wide[[f"response_rate_{t}" for t in types]]
    complaints = rates.dropna(subset=["response_rate_complaint"])
    others = complaints.drop(columns="response_rate_complaint").fillna(-1)
    both = wide.dropna(subset=["response_rate_question", "response_rate_compliment"])
    counts = {
        "organisations": len(wide),
        "with_complaints": len(complaints),
        "complaint_highest": int(
            others.lt(complaints["response_rate_complaint"], axis=0).all(axis=1).sum()
        ),
        "with_question_and_compliment": len(both),
        "question_over_compliment": int(
            (both["response_rate_question"] > both["response_rate_compliment"]).sum()
        ),
        "compliment_not_below_question": int(
            (both["response_rate_question"] <= both["response_rate_compliment"]).sum()
        ),
        "with_dialogue_share": int(wide["dialogue_share"].notna().sum()),
        "mostly_replies": int((wide["dialogue_share"] > 0.5).sum()),
        "rank_interval_wider_than_one": int((league["rank_upper"] > league["rank_lower"]).sum()),
    }
    assert len(found["numbers"]) >= 10 and 3 <= len(found["key_findings"]) <= 5
    for item in found["numbers"]:
        kind, key = item["source"].split(": ")
        parts = key.split("/")
        if kind == "indicators":
            column = parts[4] if len(parts) > 4 else "estimate"
            expected = indicators.loc[tuple(parts[:4]), column]
        elif kind == "coefficients":
            expected = coefficients.loc[
                tuple(parts[:2]), parts[2] if len(parts) > 2 else "estimate"
            ]
        elif kind == "engagement_index":
            expected = league.loc[parts[0], parts[1]]
        elif kind in BENCHMARK_SOURCES:
            expected = benchmark_value(results, kind, parts)
        elif kind == "robustness":  # row (0: the main definition) / column
            table = pd.read_csv(results / "report/tables/robustness.csv")
            expected = table.loc[int(parts[0]), parts[1]]
        else:
            assert kind == "count", item
            expected = counts[key]
        assert item["value"] == pytest.approx(expected), item
        assert item["text"] in flat, item
    for sentence in found["key_findings"]:
        assert " ".join(sentence.split()) in flat, sentence


def test_the_report_pdf(finished_run):
    """Chapters present, every summary number equal to the result tables, nothing personal."""
    import json
    import re

    import pandas as pd
    from pypdf import PdfReader

    workdir, _ = finished_run
    results = workdir / "results/test-2017"
    text = "\n".join(page.extract_text() for page in PdfReader(results / "report.pdf").pages)
    flat = " ".join(text.split())
    for chapter in (
        "Samenvatting",
        "Dialoog",
        "Webcare",
        "Engagement",
        "Loyaliteit",
        "Organisatieprofielen",
        "Verantwoording",
    ):
        assert chapter in text, chapter
    indicators = pd.read_parquet(results / "metrics/indicators.parquet").set_index(
        ["org_id", "platform", "period", "indicator"]
    )
    coefficients = pd.read_csv(results / "models/coefficients.csv").set_index(["model", "term"])
    league = pd.read_parquet(results / "metrics/engagement_index.parquet").set_index("org_id")
    by_type = pd.read_parquet(results / "metrics/response_rates_by_type.parquet").set_index(
        ["org_id", "type"]
    )
    numbers = json.loads((results / "report/summary_numbers.json").read_text())
    assert len(numbers) >= 12
    for item in numbers:
        kind, key = item["source"].split(": ")
        if kind == "indicators":
            org, platform, period, indicator = key.split("/")
            expected = indicators.loc[(org, platform, period, indicator), "estimate"]
        elif kind == "coefficients":
            expected = coefficients.loc[tuple(key.split("/")), "estimate"]
        elif kind == "response_rates_by_type":
            org, type_, estimator = key.split("/")
            expected = by_type.loc[(org, type_), f"{estimator}_rate"]
        elif kind in BENCHMARK_SOURCES:  # the median organisation's response time
            expected = benchmark_value(results, kind, key.split("/"))
        else:
            expected = league.loc[key, "index"]
        assert item["value"] == pytest.approx(expected), item
        assert " ".join(item["text"].replace("\\", "").split()) in flat, item["text"]
    trace_findings(results, flat, indicators, coefficients, league)
    for section in (
        "Zo leest u dit rapport",
        "Het consumentenpanel",
        "Begrippenlijst",
        "Beperkingen",
    ):
        assert section in flat, section
    assert "150 respondenten" in flat
    assert_one_language(text, ENGLISH_WORDS)
    assert "2017-11-01" not in flat and "31 oktober 2017" in flat  # inclusive dates
    # one combined checksum; the list of input files and their checksums is in the workbook
    assert len(re.findall(r"[0-9a-f]{64}", flat)) == 1 and "raw/twitter" not in flat
    # no pseudonymised author id and no consumer text in the report
    assert not re.search(r"\bu[0-9a-f]{16}\b", text)
    store = pd.read_parquet(
        workdir / "results/test-2017/threads/incoming.parquet", columns=["text"]
    )
    snippets = [t[:40] for t in store["text"].dropna().sample(300, random_state=1) if len(t) >= 40]
    assert not [s for s in snippets if " ".join(s.split()) in flat]


def test_the_report_is_byte_identical_on_a_rerun(finished_run):
    import hashlib

    from openpyxl import load_workbook

    workdir, _ = finished_run
    pdf = workdir / "results/test-2017/report.pdf"
    findings = workdir / "results/test-2017/report/findings.json"
    first = [hashlib.sha256(p.read_bytes()).hexdigest() for p in (pdf, findings)]
    result = snakemake(workdir, "--forcerun", "report")
    assert result.returncode == 0, result.stderr[-2000:]
    assert [hashlib.sha256(p.read_bytes()).hexdigest() for p in (pdf, findings)] == first
    workbook = workdir / "results/test-2017/report/engbench_tables.xlsx"
    assert workbook.stat().st_size > 5000
    # every input file's checksum is in the workbook (the PDF prints one combined checksum)
    sheet = load_workbook(workbook)["input_files"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("bestand", "SHA-256-controlegetal") and len(rows) > 5  # headers in words
    assert all(len(sha) == 64 for _, sha in rows[1:])


NOTEBOOKS = ("01_metrics.py", "02_threads.py", "03_panel.py")


def execute_notebook(name, results, out):
    """Run notebooks/<name> as JupyterLab would: read by jupytext into a notebook, executed
    cell by cell by a real kernel (this environment's ipykernel, started in notebooks/) with
    ENGBENCH_EDITION=test-2017 and ENGBENCH_RESULTS=``results``. A cell that raises fails
    the test (nbclient's CellExecutionError); the executed notebook is written to ``out``.

    A last cell, added here, prints the kernel's ``sys.prefix``: it must be this
    environment's, not a Python that happens to have a kernel registered."""
    import os

    import jupytext
    import nbformat
    from nbclient import NotebookClient

    notebook = jupytext.read(ROOT / "notebooks" / name)
    notebook.cells.append(nbformat.v4.new_code_cell("import sys\nprint(sys.prefix)"))
    client = NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=600,
        resources={"metadata": {"path": str(ROOT / "notebooks")}},
    )
    env = {**os.environ, "ENGBENCH_EDITION": "test-2017", "ENGBENCH_RESULTS": str(results)}
    client.execute(env=env)
    nbformat.write(notebook, out / name.replace(".py", ".ipynb"))
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert notebook.cells[-1].outputs[0].text.strip() == sys.prefix
    return outputs


def shown(outputs, mimetype):
    """Every output of that type (text/html, image/png, text/markdown, text/plain)."""
    found = [o.data[mimetype] for o in outputs if mimetype in o.get("data", {})]
    if mimetype == "text/plain":
        found += [o.text for o in outputs if o.output_type == "stream"]
    return found


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_notebooks_run_through_a_kernel_on_the_test_edition(finished_run, notebook, tmp_path):
    """Each notebook, executed by a Jupyter kernel against the test edition, shows its tables
    as DataFrames (HTML) and its figures inline (PNG)."""
    import pandas as pd

    workdir, _ = finished_run
    outputs = execute_notebook(notebook, workdir / "results", tmp_path)
    html = "\n".join(shown(outputs, "text/html"))
    images = shown(outputs, "image/png")
    assert (tmp_path / notebook.replace(".py", ".ipynb")).exists()
    if notebook == "01_metrics.py":
        league = pd.read_parquet(workdir / "results/test-2017/metrics/engagement_index.parquet")
        assert "rank_lower" in html and "response_rate_complaint" in html
        assert all(org in html for org in league["org_id"])
        # league table, response by type, response times, dialogue share, monthly volumes
        assert len(images) == 5
    elif notebook == "02_threads.py":
        assert "complaint" in html and "Thread " in "\n".join(shown(outputs, "text/markdown"))
        assert html.count("<table") >= 3 and not images
    else:
        assert "respondents" in "\n".join(shown(outputs, "text/markdown"))
        assert "follows" in html and "formula" in html and "std_error_published" in html
        assert len(images) == 2  # loyalty of followers and non-followers; coefficients


def test_panel_notebook_on_an_edition_without_a_panel(finished_run, tmp_path):
    """Without panel/ and models/ the panel notebook says so and runs to its end cleanly."""
    workdir, _ = finished_run
    results = tmp_path / "results"
    shutil.copytree(
        workdir / "results/test-2017",
        results / "test-2017",
        ignore=lambda folder, names: (
            {"panel", "models"} & set(names) if folder.endswith("test-2017") else ()
        ),
    )
    assert not (results / "test-2017/panel").exists()
    outputs = execute_notebook("03_panel.py", results, tmp_path)
    markdown = "\n".join(shown(outputs, "text/markdown"))
    assert "has no consumer panel" in markdown
    assert not shown(outputs, "image/png") and not shown(outputs, "text/html")


def test_the_report_in_english(finished_run, tmp_path):
    from pypdf import PdfReader

    workdir, _ = finished_run
    copy = tmp_path / "en"
    shutil.copytree(workdir, copy, ignore=shutil.ignore_patterns(".snakemake"))
    result = snakemake(copy, "--config", "language=en", "--forcerun", "report")
    assert result.returncode == 0, result.stderr[-2000:]
    text = "\n".join(
        p.extract_text() for p in PdfReader(copy / "results/test-2017/report.pdf").pages
    )
    for chapter in (
        "Summary",
        "Dialogue",
        "Webcare",
        "Engagement",
        "Loyalty",
        "Organisation profiles",
        "Methods",
    ):
        assert chapter in text
    assert "Samenvatting" not in text
    assert_one_language(text, DUTCH_WORDS)


def test_resumed_run_is_byte_identical(finished_run, tmp_path_factory):
    """SIGTERM to Snakemake while the raw files are ingested, resume (--rerun-incomplete):
    every output file (results, simulated inputs, report) as in the uninterrupted run.

    Snakemake stops after the running jobs on SIGTERM, so the test costs about one more
    run of the test edition."""
    import signal
    import time

    reference, _ = finished_run
    workdir = project_copy(tmp_path_factory.mktemp("resumed"))
    command = snakemake_command(workdir, "--cores", "2", config=workdir / "config/test/config.yaml")
    mid_way = workdir / "results/test-2017/ingest/files"  # made when the first ingest job starts
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 900
    while not mid_way.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert process.poll() is None, "the run ended before it could be interrupted"
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=300)
    assert process.returncode != 0
    assert not (workdir / "results/test-2017/report.pdf").exists()

    result = snakemake(workdir, "--rerun-incomplete")
    assert result.returncode == 0, result.stderr[-3000:]

    def outputs(folder):
        return sorted(
            p.relative_to(folder)
            for top in ("results", "data/demo")
            for p in (folder / top).rglob("*")
            if p.is_file()
        )

    assert outputs(workdir) == outputs(reference)
    different = [
        str(p)
        for p in outputs(workdir)
        if (workdir / p).read_bytes() != (reference / p).read_bytes()
    ]
    assert different == []


def _scan(workdir, *outputs):
    """The personal-data scan of the test edition run in ``workdir``: (identifiers, reports)."""
    from engbench.personal_data import scan_edition
    from tests.conftest import load_config

    config = load_config(workdir / "config/test/config.yaml")
    return scan_edition(config, [workdir / o for o in outputs], base=workdir)


def test_no_consumer_id_or_handle_in_any_output(finished_run):
    """Every output file of the test edition (results/, logs/ and the HTML report: parquet
    columns, CSV, JSON, XLSX, PDF text, Typst source, the classifier's model, logs, HTML) is
    scanned for the raw user ids and handles of the consumers in its raw files: none is
    there. The quarantine files (raw records) are in private/, not in results/."""
    workdir, _ = finished_run
    if not (workdir / "report.html").exists():
        result = snakemake(workdir, "--report", "report.html")
        assert result.returncode == 0, result.stderr[-3000:]
    identifiers, reports = _scan(
        workdir, "results/test-2017", "logs/test-2017", "report.html", "private/test-2017"
    )
    # enough to fail on: the simulator writes X API v2 and Graph API files with user ids,
    # usernames and @-mentions of consumers
    assert len(identifiers.ids) > 100 and len(identifiers.handles) > 100, identifiers
    assert identifiers.files == 8
    results, logs, html, private = reports
    for kind in (".parquet", ".csv", ".json", ".xlsx", ".pdf", ".typ", ".joblib"):
        assert results.scanned[kind] >= 1, (kind, results.scanned)
    assert logs.scanned[".log"] >= 10 and html.scanned[".html"] == 1
    for report in (results, logs, html):
        assert not report.findings, report.summary()
    quarantine = sorted((workdir / "private/test-2017/ingest/quarantine").rglob("*.jsonl"))
    assert len(quarantine) == 8 and not private.findings  # no bad record in the test edition
    assert not list((workdir / "results").rglob("*quarantine*"))


def test_the_personal_data_scan_finds_identifiers_planted_in_outputs(finished_run, tmp_path):
    """The scan works: a raw consumer id and handle planted in copies of real outputs (a CSV
    cell, a parquet string column, an XLSX cell, the Typst source and so the PDF) are found
    exactly there; a number that only begins with the id's digits is not."""
    import pandas as pd
    from openpyxl import load_workbook

    from engbench.personal_data import mask, scan
    from engbench.report.document import compile_pdf

    workdir, _ = finished_run
    identifiers, _ = _scan(workdir)
    results = workdir / "results/test-2017"
    consumer_id = sorted(i for i in identifiers.ids if i.isdigit() and len(i) >= 9)[0]
    handle = sorted(identifiers.handles)[0]
    copy = tmp_path / "outputs"
    copy.mkdir()
    table = pd.read_csv(results / "metrics/engagement_index.csv")
    table.loc[0, "org_id"] = f"{consumer_id}"
    table.loc[1, "org_id"] = f"{consumer_id}.5 {consumer_id}1"  # not the id: other numbers
    table.to_csv(copy / "league.csv", index=False)
    indicators = pd.read_parquet(results / "metrics/indicators.parquet")
    indicators["indicator"] = indicators["indicator"].astype(str)
    indicators.loc[3, "indicator"] = f"ask @{handle.upper()}"
    indicators.to_parquet(copy / "indicators.parquet")
    source = (results / "report/report.typ").read_text(encoding="utf-8")
    at = source.index("\n= ")  # the first heading
    planted = source[:at] + f"\nGeschreven door {consumer_id}.\n" + source[at:]
    shutil.copytree(results / "report/figures", copy / "figures")
    (copy / "report.pdf").write_bytes(compile_pdf(planted, copy))  # writes report.typ too
    shutil.copy(results / "report/summary_numbers.json", copy / "summary_numbers.json")
    workbook = load_workbook(results / "report/engbench_tables.xlsx")
    workbook.worksheets[-1]["C2"] = f"{handle} schreef"
    workbook.save(copy / "tables.xlsx")

    report = scan(copy, identifiers)
    found = {(f.file, f.where.split(" ")[0], f.kind, f.identifier) for f in report.findings}
    assert found == {
        ("league.csv", "line", "user id", mask(consumer_id)),
        ("indicators.parquet", "column", "handle", mask(handle)),
        ("report.typ", "line", "user id", mask(consumer_id)),
        ("report.pdf", "page", "user id", mask(consumer_id)),
        ("tables.xlsx", "sheet", "handle", mask(handle)),
    }, report.summary()
    assert consumer_id not in report.summary() and handle not in report.summary()


def test_quarantined_records_go_to_the_private_folder(finished_run, tmp_path):
    """A bad record (a consumer's tweet whose author id holds a control character, in a
    response page with the consumer's user object) lands in private/<edition>/ with its raw
    snippet; the shareable results and logs say where and why, with no trace of the
    consumer."""
    import json

    import orjson

    workdir, _ = finished_run
    copy = tmp_path / "run"
    shutil.copytree(workdir, copy, ignore=shutil.ignore_patterns(".snakemake", "report.html"))
    raw = copy / "data/demo/test-2017/raw/twitter/oranje_airways.jsonl"
    page = orjson.loads(raw.read_bytes().splitlines()[0])
    users = {u["id"]: u for u in page["includes"]["users"]}
    organisations = (copy / "config/test/organisations.csv").read_text()
    tweet = next(t for t in page["data"] if t["author_id"] not in organisations)
    consumer = users[tweet["author_id"]]
    tweet["author_id"] += "\x01"
    bad = {"data": [tweet], "includes": {"users": [consumer]}, "meta": {"result_count": 1}}
    with open(raw, "ab") as f:
        f.write(orjson.dumps(bad) + b"\n")
    result = snakemake(copy, "results/test-2017/ingest/summary.csv")
    assert result.returncode == 0, result.stderr[-3000:]

    quarantine = copy / "private/test-2017/ingest/quarantine/twitter/oranje_airways.jsonl.jsonl"
    entries = [orjson.loads(line) for line in quarantine.read_bytes().splitlines()]
    assert [e["field"] for e in entries] == ["author_id"]
    assert consumer["id"] in entries[0]["snippet"]
    summary = json.loads(
        (
            copy / "results/test-2017/ingest/files/twitter/oranje_airways.jsonl.summary.json"
        ).read_text()
    )
    assert summary["quarantined"] == 1
    assert summary["first_bad"]["reason"] == "author_id holds control characters"
    assert "snippet" not in summary["first_bad"]
    _, (results, logs, private) = _scan(
        copy, "results/test-2017", "logs/test-2017", "private/test-2017"
    )
    assert not results.findings and not logs.findings, results.summary() + logs.summary()
    assert [(f.file, f.kind) for f in private.findings] == [
        ("ingest/quarantine/twitter/oranje_airways.jsonl.jsonl", "user id")
    ]  # the scan sees the raw record where it belongs


@pytest.fixture(scope="module")
def webcare_only_run(tmp_path_factory):
    """The test edition without its panel (`panel` left out), run whole in its own folder.

    The config is written as the folder's config/config.yaml too, so nothing is merged in
    from the demo config: the edition really has no `panel` key.
    """
    folder = project_copy(tmp_path_factory.mktemp("webcare-only"))
    config = yaml.safe_load((ROOT / "config/test/config.yaml").read_text())
    del config["panel"]
    (folder / "config/config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    result = snakemake(folder, config="config/config.yaml")
    assert result.returncode == 0, result.stderr[-3000:]
    return folder


def test_an_edition_without_a_panel_runs_whole(webcare_only_run, tmp_path):
    """Every stage to the report and the HTML report; no loyalty chapter; the notebooks run."""
    import json

    from pypdf import PdfReader

    workdir = webcare_only_run
    results = workdir / "results/test-2017"
    for output in (
        "metrics/indicators.parquet",
        "metrics/engagement_index.csv",
        "metrics/response_rates_by_type.parquet",
        "classify/type_shares.csv",
        "coding/reliability.csv",
        "report/engbench_tables.xlsx",
    ):
        assert (results / output).exists(), output
    assert not (results / "panel").exists() and not (results / "models").exists()
    text = "\n".join(page.extract_text() for page in PdfReader(results / "report.pdf").pages)
    flat = " ".join(text.split())
    for chapter in ("Samenvatting", "Dialoog", "Webcare", "Engagement", "Verantwoording"):
        assert chapter in text, chapter
    assert "Loyaliteit" not in text and "Volgers zijn loyaler" not in flat
    assert "Deze editie heeft geen consumentenpanel" in flat
    assert "geen loyaliteitsmodellen" in flat and "loyaliteitsschaal" not in flat
    numbers = json.loads((results / "report/summary_numbers.json").read_text())
    assert not [n for n in numbers if n["source"].startswith("coefficients")]
    tables = {p.name for p in (results / "report/tables").iterdir()}
    assert "profiles.csv" in tables and not {"regression.csv", "panel_descriptives.csv"} & tables
    figures = {p.stem for p in (results / "report/figures").glob("*.png")}
    assert "league_table" in figures and not {"loyalty_gap", "coefficients"} & figures

    result = snakemake(workdir, "--report", "report.html", config="config/config.yaml")
    assert result.returncode == 0, result.stderr[-3000:]
    html = (workdir / "report.html").read_text(errors="replace")
    assert "report.pdf" in html and "league_table" in html

    for notebook in NOTEBOOKS:
        outputs = execute_notebook(notebook, results.parent, tmp_path)
    assert "has no consumer panel" in "\n".join(shown(outputs, "text/markdown"))


def test_threads_in_shards_equal_the_whole_store_at_once(finished_run):
    """The workflow's threads stage (3 shards in the test config) gives exactly what
    ``threads.derive`` gives on the whole store in one process."""
    import json

    import pandas as pd

    from engbench.config import parse_webcare_hours
    from engbench.ingest.store import read_store
    from engbench.threads import derive

    workdir, _ = finished_run
    config = yaml.safe_load((workdir / "config/test/config.yaml").read_text())
    assert config["shards"]["threads"] == 3
    results = workdir / "results/test-2017"
    store = read_store(results / "messages").drop(columns=["org", "month"])
    whole = derive(
        store,
        config["answer_window_days"],
        parse_webcare_hours(config["webcare_hours"]),
        config["timezone"],
        config["period"]["end"],
    )
    pd.testing.assert_frame_equal(
        pd.read_parquet(results / "threads/messages.parquet"), whole.messages
    )
    pd.testing.assert_frame_equal(
        pd.read_parquet(results / "threads/incoming.parquet"), whole.incoming
    )
    assert json.loads((results / "threads/counts.json").read_text()) == whole.counts
    assert not (results / "threads/shards").exists() or not any(
        (results / "threads/shards").iterdir()
    ), "the shards are temporary"


def test_robustness_table(finished_run):
    """robustness.csv: its main row is the metrics' edition-wide figures, its direct row
    what ``threads.derive`` gives with ``definition="direct"``; the PDF shows it."""
    import numpy as np
    import pandas as pd
    from pypdf import PdfReader

    from engbench.config import parse_webcare_hours
    from engbench.ingest.store import read_store
    from engbench.threads import derive

    workdir, _ = finished_run
    config = yaml.safe_load((workdir / "config/test/config.yaml").read_text())
    assert config["response"]["definition"] == "thread"
    results = workdir / "results/test-2017"
    table = pd.read_csv(results / "robustness.csv")
    edition = pd.read_parquet(results / "metrics/indicators.parquet").set_index(
        ["org_id", "platform", "period", "indicator"]
    )["estimate"]
    for column, indicator, scale in (
        ("response_rate", "response_rate", 1),
        ("median_response_minutes", "response_time_median", 60),
    ):
        expected = edition[("all", "all", "edition", indicator)] / scale
        assert table.loc[0, column] == pytest.approx(expected), column
    webcare = edition[("all", "all", "edition", "response_time_webcare_median")] / 60
    assert table.loc[4, "median_response_minutes"] == pytest.approx(webcare)
    assert list(table["alternative"]) == [
        "main",
        "definition",
        "window",
        "window",
        "webcare_hours",
        "censored_kept",
    ]
    incoming = pd.read_parquet(results / "threads/incoming.parquet")
    counted = incoming[~incoming["censored"]]
    assert table.loc[0, "response_rate"] == pytest.approx(counted["replied"].mean())
    assert table.loc[0, "rank_correlation"] == pytest.approx(1)
    store = read_store(results / "messages").drop(columns=["org", "month"])
    direct = derive(
        store,
        config["answer_window_days"],
        parse_webcare_hours(config["webcare_hours"]),
        config["timezone"],
        config["period"]["end"],
        definition="direct",
    ).incoming
    direct = direct[~direct["censored"]]
    row = table.set_index("alternative").loc["definition"]
    assert row["definition"] == "direct"
    assert row["response_rate"] == pytest.approx(direct["replied"].mean())
    assert row["median_response_minutes"] == pytest.approx(
        np.quantile(direct["response_seconds"].dropna(), 0.5, method="inverted_cdf") / 60
    )
    assert row["response_rate"] <= table.loc[0, "response_rate"]  # fewer replies count
    assert (results / "report/tables/robustness.csv").exists()
    text = " ".join(
        " ".join(page.extract_text() for page in PdfReader(results / "report.pdf").pages).split()
    )
    assert "rangcorrelatie" in text and "alleen directe reacties op het bericht" in text


def test_metrics_in_groups_equal_the_whole_edition_at_once(finished_run):
    """The workflow's metrics (2 groups and the edition-wide part) give exactly what
    ``metrics.indicators`` and ``engagement_index`` give for the whole edition at once:
    estimates, intervals, resamples and league."""
    import numpy as np
    import pandas as pd

    from engbench import metrics
    from engbench.organisations import brand_followers, read_organisations

    workdir, _ = finished_run
    config = yaml.safe_load((workdir / "config/test/config.yaml").read_text())
    results = workdir / "results/test-2017"
    table, resamples = metrics.indicators(
        pd.read_parquet(results / "threads/messages.parquet"),
        pd.read_parquet(results / "classify/incoming.parquet"),
        brand_followers(read_organisations(workdir / config["organisations"])),
        config["timezone"],
        n_resamples=config["metrics"]["bootstrap_resamples"],
        seed=config["metrics"]["seed"],
        monthly=config["metrics"]["monthly"],
    )
    pd.testing.assert_frame_equal(pd.read_parquet(results / "metrics/indicators.parquet"), table)
    written = pd.read_parquet(results / "metrics/resamples.parquet")
    assert written["value"].dtype == np.float64
    back = metrics.resamples_dict(written)
    assert back.keys() == resamples.keys()
    for cell, draws in resamples.items():
        assert back[cell].keys() == draws.keys()
        for name, values in draws.items():
            np.testing.assert_array_equal(back[cell][name], values)
    league = metrics.engagement_index(table, resamples, config["metrics"]["index_weights"])
    written_league = pd.read_parquet(results / "metrics/engagement_index.parquet")
    pd.testing.assert_frame_equal(written_league.drop(columns="name"), league)


def test_the_report_benchmarks_scorecards_and_counts(finished_run):
    """The benchmark tables and scorecards of the test edition: the counts reconcile with the
    ingest summary and the threads stage, the sector table's medians equal the indicators',
    every organisation has a scorecard (league order) and a sentence in findings.json."""
    import json

    import pandas as pd

    workdir, _ = finished_run
    results = workdir / "results/test-2017"
    tables = results / "report/tables"
    counts = pd.read_csv(tables / "count_reconciliation.csv").set_index("count")["messages"]
    kept = pd.read_csv(results / "ingest/summary.csv")["kept"].sum()
    parts = ("broadcasts", "replies", "incoming_messages", "retweets", "other_consumer_messages")
    assert counts[list(parts)].sum() == counts["kept"] == kept
    threads = json.loads((results / "threads/counts.json").read_text(encoding="utf-8"))
    assert counts["kept"] == threads["messages"]
    indicators = pd.read_parquet(results / "metrics/indicators.parquet")
    edition = indicators[(indicators["period"] == "edition") & (indicators["platform"] == "all")]
    n_incoming = edition.set_index(["org_id", "indicator"]).loc[("all", "n_incoming"), "estimate"]
    assert counts["incoming_measured"] == n_incoming
    assert counts["incoming_pairs"] - counts["censored_pairs"] == counts["incoming_measured"]
    rates = edition[(edition["indicator"] == "response_rate") & (edition["org_id"] != "all")]
    sectors = pd.read_csv(tables / "sector_benchmarks.csv").set_index(["sector", "indicator"])
    assert sectors.loc[("all", "response_rate"), "median"] == rates["estimate"].median()
    assert sectors.loc[("all", "response_rate"), "best"] == rates["estimate"].max()
    league = pd.read_parquet(results / "metrics/engagement_index.parquet").sort_values("rank")
    cards = pd.read_csv(tables / "scorecards.csv")
    assert list(dict.fromkeys(cards["org_id"])) == list(league["org_id"])
    found = json.loads((results / "report/findings.json").read_text(encoding="utf-8"))
    for key in ("sector_benchmarks", "platforms", "type_mix", "outside_hours"):
        assert found["benchmarks"][key]
    assert {f"scorecard {o}" for o in league["org_id"]} <= set(found["benchmarks"])
    for n in found["numbers"]:
        if n["source"].startswith(("scorecard:", "sector_benchmarks:")):
            assert n["text"] in " ".join(found["benchmarks"].values())
