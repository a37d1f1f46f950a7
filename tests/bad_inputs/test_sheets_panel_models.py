"""Bad organisations sheets, configs, panels, model data and outputs: one outcome each.

Every case starts from a valid file of the test edition (config/test/organisations.csv,
the simulated panel.sav, config/test/config.yaml) and damages it the way it happens in
practice. Outcomes: ``refused`` (an engbench error whose message holds the given parts:
file, variable, rows, what was found and expected), ``counted`` (accepted, and what was
left out is counted) or ``accepted`` (right as it is). docs/reliability.md lists them.
"""

from __future__ import annotations

import copy
import hashlib
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat
import pytest

from engbench.config import ConfigError, validate_config
from engbench.models import ModelsError, fit_all, prepare
from engbench.organisations import OrganisationsError, read_organisations
from engbench.panel import PanelError, read_panel
from tests.conftest import ROOT, TEST_CONFIG, load_config, snakemake_command

SHEET = ROOT / "config" / "test" / "organisations.csv"


@dataclass
class Case:
    name: str
    area: str
    outcome: str  # refused | counted | accepted
    run: Callable  # (tmp_path, base) → result; raises for a refusal
    expect: list[str] | Callable = field(default_factory=list)  # message parts, or a check


# --- the organisations sheet ---------------------------------------------------------------


def sheet_bytes(tmp_path, data: bytes, name="organisations.csv"):
    path = tmp_path / name
    path.write_bytes(data)
    return read_organisations(path)


def sheet_text(tmp_path, change: Callable[[str], str]):
    return sheet_bytes(tmp_path, change(SHEET.read_text(encoding="utf-8")).encode())


def latin1(tmp_path, base):
    text = SHEET.read_text(encoding="utf-8").replace("Oranje Airways", "Oranje Coöp")
    return sheet_bytes(tmp_path, text.encode("latin-1"))


def as_xlsx(tmp_path, base):
    pd.read_csv(SHEET, dtype=str).to_excel(tmp_path / "o.xlsx", index=False)
    return sheet_bytes(tmp_path, (tmp_path / "o.xlsx").read_bytes())


def folder(tmp_path, base):
    (tmp_path / "organisations.csv").mkdir()
    return read_organisations(tmp_path / "organisations.csv")


def first_id(frame):
    return frame.loc[frame["handle"] == "oranjeairways", "account_id"].iloc[0]


ORGANISATIONS = [
    Case(
        "sheet in Latin-1",
        "organisations",
        "refused",
        latin1,
        ["organisations.csv, line 2: not UTF-8 (byte 0xf6", "save it again as 'CSV UTF-8'"],
    ),
    Case(
        "sheet empty (0 bytes)",
        "organisations",
        "refused",
        lambda t, b: sheet_bytes(t, b""),
        ["organisations.csv: the organisations sheet is empty"],
    ),
    Case(
        "sheet only blank lines and a BOM",
        "organisations",
        "refused",
        lambda t, b: sheet_bytes(t, b"\xef\xbb\xbf\r\n\r\n"),
        ["sheet is empty; expected a header"],
    ),
    Case(
        "sheet header only",
        "organisations",
        "refused",
        lambda t, b: sheet_text(t, lambda s: s.splitlines()[0] + "\n"),
        ["organisations.csv: the organisations sheet has a header but no accounts"],
    ),
    Case(
        "account_id 117420369.0 (spreadsheet float)",
        "organisations",
        "accepted",
        lambda t, b: sheet_text(t, lambda s: s.replace(",117420369,", ",117420369.0,")),
        lambda frame: first_id(frame) == "117420369",
    ),
    Case(
        "account_id of 19 digits with .0",
        "organisations",
        "refused",
        lambda t, b: sheet_text(t, lambda s: s.replace(",117420369,", ",1174203691174203691.0,")),
        ["line 2, column account_id: found '1174203691174203691.0'", "may have been rounded"],
    ),
    Case(
        "account_id in scientific notation",
        "organisations",
        "refused",
        lambda t, b: sheet_text(t, lambda s: s.replace(",257106567403230,", ",2.57107E+14,")),
        ["line 4, column account_id: found '2.57107E+14'", "scientific notation"],
    ),
    Case(
        "sheet with semicolons (Dutch Excel)",
        "organisations",
        "refused",
        lambda t, b: sheet_text(t, lambda s: s.replace(",", ";")),
        ["organisations.csv, line 1: columns separated by semicolons", "with commas"],
    ),
    Case(
        "sheet saved as XLSX under .csv",
        "organisations",
        "refused",
        as_xlsx,
        ["an Excel workbook (XLSX), not CSV"],
    ),
    Case(
        "sheet without the account_id column",
        "organisations",
        "refused",
        lambda t, b: sheet_text(t, lambda s: s.replace("account_id", "accountid")),
        ["line 1: column(s) account_id missing; the header has org_id, name"],
    ),
    Case(
        "sheet with a UTF-8 BOM and CRLF (Excel's CSV UTF-8)",
        "organisations",
        "accepted",
        lambda t, b: sheet_bytes(t, b"\xef\xbb\xbf" + SHEET.read_bytes().replace(b"\n", b"\r\n")),
        lambda frame: len(frame) == len(read_organisations(SHEET)),
    ),
    Case(
        "followers with Dutch thousands dots",
        "organisations",
        "refused",
        lambda t, b: sheet_text(t, lambda s: s.replace(",1931398,", ",1.931.398,")),
        ["line 2, column followers: found '1.931.398'; expected a whole number"],
    ),
    Case(
        "the same account twice",
        "organisations",
        "refused",
        lambda t, b: sheet_text(t, lambda s: s + s.splitlines()[1] + "\n"),
        ["the same platform + account_id appears twice (lines 2,"],
    ),
    Case(
        "platform tiktok",
        "organisations",
        "refused",
        lambda t, b: sheet_text(t, lambda s: s.replace(",twitter,railned,", ",tiktok,railned,")),
        ["column platform: found 'tiktok'; expected one of twitter, facebook"],
    ),
    Case(
        "sheet path is a folder",
        "organisations",
        "refused",
        folder,
        ["organisations.csv: is a folder"],
    ),
    Case(
        "sheet not found",
        "organisations",
        "refused",
        lambda t, b: read_organisations(t / "nope.csv"),
        ["nope.csv: organisations sheet not found"],
    ),
]

# --- the configuration ----------------------------------------------------------------------


def config_with(change: Callable[[dict], None]):
    def run(tmp_path, base):
        config = copy.deepcopy(base["config"])
        change(config)
        return validate_config(config, source="config/test/config.yaml")

    return run


def zero_weights(c):
    c["metrics"]["index_weights"] = dict.fromkeys(c["metrics"]["index_weights"], 0)


CONFIG = [
    Case(
        "engagement index weights all 0",
        "config",
        "refused",
        config_with(zero_weights),
        ["key `metrics.index_weights`", "expected at least one weight above 0"],
    ),
    Case(
        "period end before start",
        "config",
        "refused",
        config_with(lambda c: c["period"].update(end="2016-12-31")),
        ["key `period.end`: found 2016-12-31; expected a date after period.start"],
    ),
    Case(
        "misspelt key",
        "config",
        "refused",
        config_with(lambda c: c.update(answer_window_dayz=7)),
        ["key `answer_window_dayz`: unknown key; expected one of"],
    ),
    Case(
        "unknown time zone",
        "config",
        "refused",
        config_with(lambda c: c.update(timezone="Europe/Amsterdm")),
        ["key `timezone`: found 'Europe/Amsterdm'; expected an IANA time zone"],
    ),
    Case(
        "bootstrap resamples as text",
        "config",
        "refused",
        config_with(lambda c: c["metrics"].update(bootstrap_resamples="1000x")),
        ["key `metrics.bootstrap_resamples`: found '1000x'; expected type integer"],
    ),
]

# --- the panel ------------------------------------------------------------------------------


def panel_with(change: Callable[[pd.DataFrame], pd.DataFrame | None], accounts=None, **write):
    """The test edition's panel.sav, changed, written again as SPSS and read."""

    def run(tmp_path, base):
        frame = base["panel"].copy()
        frame = change(frame) if change is not None else frame
        path = tmp_path / "panel.sav"
        meta = base["panel_meta"]
        pyreadstat.write_sav(
            frame,
            str(path),
            column_labels=[meta.column_names_to_labels.get(c) for c in frame.columns],
            variable_value_labels={
                k: v for k, v in meta.variable_value_labels.items() if k in frame
            },
            missing_ranges={
                k: [r["lo"] for r in v] for k, v in meta.missing_ranges.items() if k in frame
            },
            **write,
        )
        return read_wide(path, base, accounts)

    return run


def read_wide(path, base, accounts=None):
    panel = base["config"]["panel"]
    sheet = base["accounts"] if accounts is None else accounts(base["accounts"].copy())
    return read_panel(path, "auto", panel["layout"], dict(panel["variables"]), sheet)


def edit(**cells):
    """Set cells: edit(leeftijd={0: 'x'}) sets row 0 of leeftijd."""

    def change(frame):
        for column, values in cells.items():
            if callable(values):
                frame[column] = values(frame[column])
            else:
                for row, value in values.items():
                    frame.loc[row, column] = value
        return frame

    return change


def text_age(frame):
    frame["leeftijd"] = frame["leeftijd"].map(lambda a: f"{a:.0f} jaar")
    return frame


def duplicate_respondent(frame):
    frame.loc[4, "respnr"] = frame.loc[2, "respnr"]
    return frame


def other_organisation(frame):
    """Answers for `klm`, an organisation the sheet does not have (columns kent_klm, …)."""
    for column in [c for c in frame if c.endswith("_railned")]:
        frame[column.replace("_railned", "_klm")] = frame[column]
    return frame


def counts_klm(panel, base):
    answered = int(
        base["panel"][[c for c in base["panel"] if c.endswith("_railned") and "kent" not in c]]
        .notna()
        .any(axis=1)
        .sum()
    )
    return panel.exclusions["pairs for organisations not in the sheet (klm)"] == answered > 0


def as_csv(change=None, encoding="utf-8", header_only=False):
    def run(tmp_path, base):
        frame = base["panel"].copy()
        if change:
            frame = change(frame)
        path = tmp_path / "panel.csv"
        (frame.head(0) if header_only else frame).to_csv(path, index=False, encoding=encoding)
        return read_wide(path, base)

    return run


def file_bytes(change: Callable[[bytes], bytes], suffix=".sav"):
    def run(tmp_path, base):
        path = tmp_path / f"panel{suffix}"
        path.write_bytes(change(base["panel_path"].read_bytes()))
        return read_wide(path, base)

    return run


def where_known(code: str, column: str, value, known=1):
    """Set ``column`` in the first row whose respondent knows (or not) organisation ``code``."""

    def change(frame):
        frame.loc[(frame[f"kent_{code}"] == known).idxmax(), column] = value
        return frame

    return change


def without_missing_codes(frame):
    return frame.mask(frame.columns.str.startswith("nps_") & (frame == 99))


def no_panel_codes(accounts):
    accounts["panel_code"] = pd.NA
    return accounts


PANEL = [
    Case(
        "the panel as delivered",
        "panel",
        "accepted",
        panel_with(None),
        lambda panel, base: len(panel.pairs) == base["n_pairs"],
    ),
    Case(
        "duplicate respondent id (wide)",
        "panel",
        "refused",
        panel_with(duplicate_respondent),
        [
            "respnr (respondent id):",
            "in more than one row (cases 3, 5)",
            "expected one row per respondent",
        ],
    ),
    Case(
        "answers for an organisation not in the sheet (wide)",
        "panel",
        "counted",
        panel_with(other_organisation),
        counts_klm,
    ),
    Case(
        "age stored as text ('76 jaar')",
        "panel",
        "refused",
        panel_with(text_age),
        [
            "leeftijd (age): stored as an SPSS string variable, e.g. '",
            " jaar'",
            "in cases 1, 2, 3",
            "expected numbers",
        ],
    ),
    Case(
        "all weights missing",
        "panel",
        "refused",
        panel_with(edit(weegfactor=lambda w: w * np.nan)),
        ["weegfactor (weight): all 150 weights are missing"],
    ),
    Case(
        "weights -1 and 0",
        "panel",
        "refused",
        panel_with(edit(weegfactor={0: -1.0, 1: 0.0})),
        ["weegfactor (weight): -1, 0 in cases 1, 2; expected a positive weight"],
    ),
    Case(
        "one weight missing",
        "panel",
        "refused",
        panel_with(edit(weegfactor={9: np.nan})),
        ["weegfactor (weight): weight missing in case 10"],
    ),
    Case(
        "loyalty item stored as an SPSS string",
        "panel",
        "refused",
        panel_with(
            edit(loy1_oranjeairw=lambda s: s.map(lambda v: "" if pd.isna(v) else f"{v:.0f}")),
        ),
        [
            "loy1_oranjeairw (loyalty item 1, organisation oranje_airways): stored as an SPSS "
            "string variable",
            "in cases",
            "make it a numeric variable in SPSS",
        ],
    ),
    Case(
        "age 999 not declared missing",
        "panel",
        "refused",
        panel_with(edit(leeftijd={6: 999.0})),
        ["leeftijd (age): 999 in case 7; expected an age in years"],
    ),
    Case(
        "gender code without a value label",
        "panel",
        "refused",
        panel_with(edit(geslacht={3: 9.0})),
        ["geslacht (gender): code(s) 9 in case 4 have no value label"],
    ),
    Case(
        "respondent id missing",
        "panel",
        "refused",
        panel_with(edit(respnr={5: np.nan})),
        ["respnr (respondent id): missing in case 6"],
    ),
    Case(
        "following coded 2",
        "panel",
        "refused",
        panel_with(where_known("railned", "volgt_tw_railned", 2.0)),
        ["volgt_tw_railned (follows_twitter, organisation railned): 2 in case ", "expected 0/1"],
    ),
    Case(
        "recommend 12",
        "panel",
        "refused",
        panel_with(where_known("netplus", "nps_netplus", 12.0)),
        ["nps_netplus (recommend, organisation netplus): 12 in case "],
    ),
    Case(
        "loyalty 0 from a respondent who does not know the organisation",
        "panel",
        "counted",
        panel_with(where_known("netplus", "loy1_netplus", 0.0, known=0)),
        lambda panel, base: (
            len(panel.pairs) == base["n_pairs"]
            and panel.exclusions["pairs where the respondent does not know the organisation"]
            == base["n_unknown"]
        ),
    ),
    Case(
        "recommend 99 declared user-missing in SPSS",
        "panel",
        "accepted",
        panel_with(where_known("netplus", "nps_netplus", 99.0)),
        lambda panel, base: (
            len(panel.pairs) == base["n_pairs"] and panel.pairs["recommend"].max() <= 10
        ),
    ),
    Case(
        "no organisation has a panel_code",
        "panel",
        "refused",
        panel_with(None, accounts=no_panel_codes),
        ["no organisation in the organisations sheet"],
    ),
    Case(
        "panel file empty (0 bytes)",
        "panel",
        "refused",
        file_bytes(lambda b: b""),
        ["panel.sav: the panel file is empty (0 bytes)"],
    ),
    Case(
        "panel .sav cut off",
        "panel",
        "refused",
        file_bytes(lambda b: b[: len(b) // 2]),
        ["panel.sav: could not be read as an SPSS file", "damaged or cut off"],
    ),
    Case(
        "panel exported to CSV: SPSS missing code 99 kept as a number",
        "panel",
        "refused",
        as_csv(),
        [
            "panel.csv: unusable values",
            "nps_oranjeairw (recommend, organisation oranje_airways): 99 in rows ",
            "declare a missing code as user-missing",
        ],
    ),
    Case(
        "panel as CSV (UTF-8), missing codes left empty",
        "panel",
        "accepted",
        as_csv(without_missing_codes),
        lambda panel, base: len(panel.pairs) == base["n_pairs"],
    ),
    Case(
        "panel CSV in Latin-1",
        "panel",
        "refused",
        as_csv(lambda f: f.assign(opmerking="één"), encoding="latin-1"),
        ["panel.csv, line 2: not UTF-8 (byte 0xe9)", "CSV UTF-8"],
    ),
    Case(
        "panel CSV header only",
        "panel",
        "refused",
        as_csv(header_only=True),
        ["panel.csv: no respondents (the file has 38 variables and no rows)"],
    ),
    Case(
        "panel CSV with '76 jaar' in one row",
        "panel",
        "refused",
        as_csv(
            lambda f: edit(leeftijd={11: "76 jaar"})(
                without_missing_codes(f).astype({"leeftijd": object})
            )
        ),
        ["leeftijd (age): stored as text, e.g. '76 jaar' in row 13"],
    ),
]

# --- the models -----------------------------------------------------------------------------


def models_with(change: Callable[[pd.DataFrame], pd.DataFrame], fit=False):
    def run(tmp_path, base):
        lines = []
        data = prepare(change(base["pairs"].copy()), log=lines.append)
        return (fit_all(data)[0] if fit else data), lines

    return run


def few_respondents(pairs):
    return pairs[pairs["respondent_id"].isin(pairs["respondent_id"].unique()[:5])]


def missing_age(result, base):
    table, lines = result
    return (
        set(table["model"]) >= {"ols_fe", "ipw"}
        and len(lines) == 1
        and lines[0].startswith(f"10 of {len(base['pairs'])} pairs left out")
        and lines[0].endswith("age 10")
    )


MODELS = [
    Case(
        "nobody follows",
        "models",
        "refused",
        models_with(lambda p: p.assign(follows=0.0)),
        [
            "column follows: every one of the",
            "complete pairs has follows = 0",
            "the models need variation in follows",
        ],
    ),
    Case(
        "five respondents",
        "models",
        "refused",
        models_with(few_respondents),
        ["of 5 respondents; the models need at least 10 respondents"],
    ),
    Case(
        "no age in the analysis table",
        "models",
        "refused",
        models_with(lambda p: p.drop(columns="age")),
        ["the analysis table has no column(s) age", "map age, gender"],
    ),
    Case(
        "age as text in the analysis table",
        "models",
        "refused",
        models_with(lambda p: p.assign(age=p["age"].map(lambda a: f"{a:.0f} jaar"))),
        ["column age: stored as text (e.g. '"],
    ),
    Case(
        "a weight of 0 in the analysis table",
        "models",
        "refused",
        models_with(lambda p: p.assign(weight=np.where(p.index == 0, 0.0, p["weight"]))),
        ["column weight: 1 pair(s) with weight ['0.0']; expected a positive weight"],
    ),
    Case(
        "age missing for 10 pairs",
        "models",
        "counted",
        models_with(lambda p: p.assign(age=np.where(p.index < 10, np.nan, p["age"])), fit=True),
        missing_age,
    ),
]

# --- outputs meant for Excel, and byte-identical outputs ------------------------------------


def escaped_league(tmp_path, base):
    from engbench.report.tables import safe_csv

    league = pd.DataFrame(
        {
            "rank": [1, 2],
            "org_id": ["a", "b"],
            "name": ['=HYPERLINK("x")', "@Coop"],
            "index": [0.5, -0.5],
        }
    )
    safe_csv(league, tmp_path / "engagement_index.csv")
    return (tmp_path / "engagement_index.csv").read_text(encoding="utf-8")


def same_bytes(write: Callable[[Path], None]):
    def run(tmp_path, base):
        import time

        write(tmp_path / "one")
        time.sleep(2.1)  # zip times have 2-second steps
        write(tmp_path / "two")
        names = sorted(p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*"))
        return [
            (tmp_path / "one" / n).read_bytes() == (tmp_path / "two" / n).read_bytes()
            for n in names
            if (tmp_path / "one" / n).is_file()
        ]

    return run


def tables_xlsx(folder):
    from engbench.report.tables import workbook

    workbook(
        {"league": pd.DataFrame({"name": ["=1+1", "B"], "x": [1.0, np.nan]})},
        folder / "tables.xlsx",
    )


def coding_xlsx(folder):
    from engbench.classify.coding import write_sheet

    sample = pd.DataFrame(
        {
            "sample_id": ["s1"],
            "org_id": ["a"],
            "platform": ["twitter"],
            "message_id": ["1"],
            "text": ["=hallo"],
        }
    )
    write_sheet(sample, folder / "sample.xlsx", ["coder_1", "coder_2"])


TRAIN = """
import sys
import pandas as pd
from engbench.classify.model import build_pipeline, save
labels = pd.read_csv("data/labels/coded_messages.csv").head(300)
save(build_pipeline().fit(labels["text"], labels["label"]), {}, sys.argv[1])
"""


def model_in_two_processes(tmp_path, base):
    digests = []
    for seed in ("1", "2"):  # two processes, two string-hash seeds
        folder = tmp_path / seed
        subprocess.run(
            [sys.executable, "-c", TRAIN, str(folder)],
            cwd=ROOT,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        digests.append(hashlib.sha256((folder / "model.joblib").read_bytes()).hexdigest())
    return digests


OUTPUTS = [
    Case(
        "organisation name starting with = in engagement_index.csv",
        "outputs",
        "accepted",
        escaped_league,
        lambda text, base: "'=HYPERLINK" in text and "'@Coop" in text and ",-0.5" in text,
    ),
    Case(
        "report tables XLSX written twice",
        "outputs",
        "accepted",
        same_bytes(tables_xlsx),
        lambda same, base: same == [True],
    ),
    Case(
        "coding sheet XLSX written twice",
        "outputs",
        "accepted",
        same_bytes(coding_xlsx),
        lambda same, base: same == [True],
    ),
    Case(
        "model.joblib trained in two processes",
        "outputs",
        "accepted",
        model_in_two_processes,
        lambda digests, base: digests[0] == digests[1],
    ),
]

# --- faults of the machine ------------------------------------------------------------------

FULL_DISK = """
from engbench.progress import open_log
open_log(None)
with open("/dev/full", "w") as f:  # a device that is always full: ENOSPC on every write
    f.write("x" * 100_000)
"""

RULE_ERROR = """
from engbench.progress import open_log
from engbench.panel import read_file
open_log(None)
read_file("no/such/panel.sav")
"""


def script_output(code: str):
    def run(tmp_path, base):
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT
        )
        return result.returncode, result.stderr

    return run


def read_only_results(tmp_path, base):
    """Snakemake (dry run) on a copy of the project whose results folder cannot be written;
    run as an ordinary user (nobody), since root may write anywhere."""
    import shutil
    import tempfile

    project = Path(tempfile.mkdtemp(prefix="engbench-ro-"))  # a folder every user can read
    shutil.copytree(ROOT / "config", project / "config")
    (project / "results" / "test-2017").mkdir(parents=True)
    for folder in [project, *project.rglob("*")]:
        folder.chmod(0o777 if folder.is_dir() else 0o644)
    for folder in (project / "results", project / "results" / "test-2017"):
        folder.chmod(0o555)
    root = os.geteuid() == 0
    try:
        result = subprocess.run(
            snakemake_command(project, "--cores", "1", "--dry-run"),
            capture_output=True,
            text=True,
            env={**os.environ, "HOME": str(project)},
            user=65534 if root else None,
            group=65534 if root else None,
            extra_groups=[] if root else None,
        )
        return result.returncode, result.stdout + result.stderr
    finally:
        (project / "results").chmod(0o755)
        shutil.rmtree(project, ignore_errors=True)


def reported(*parts):
    def check(result, base):
        status, stderr = result
        return status != 0 and "Traceback" not in stderr and all(p in stderr for p in parts)

    return check


FAULTS = [
    Case(
        "disk full while a rule writes",
        "faults",
        "refused",
        script_output(FULL_DISK),
        reported("ERROR failed: cannot write: no space left on the device"),
    ),
    Case(
        "results folder read-only",
        "faults",
        "refused",
        read_only_results,
        reported(
            "WritableError in file",
            "the workflow cannot write its outputs:\n  - results/test-2017: not writable",
        ),
    ),
    Case(
        "an engbench error in a rule's script",
        "faults",
        "refused",
        script_output(RULE_ERROR),
        reported("ERROR failed: no/such/panel.sav: panel file not found"),
    ),
]

CASES = ORGANISATIONS + CONFIG + PANEL + MODELS + OUTPUTS + FAULTS
ERRORS = (OrganisationsError, ConfigError, PanelError, ModelsError)


@pytest.fixture(scope="module")
def base(test_edition):
    edition, outdir = test_edition
    path = Path(outdir) / "panel" / "panel.sav"
    frame, meta = pyreadstat.read_sav(str(path), user_missing=True)
    config = load_config(TEST_CONFIG)
    accounts = read_organisations(SHEET)
    panel = read_panel(
        path, "auto", config["panel"]["layout"], dict(config["panel"]["variables"]), accounts
    ).pairs
    panel["respondent_id"] = panel["respondent_id"].astype(str)
    return {
        "config": config,
        "accounts": accounts,
        "panel_path": path,
        "panel": frame,
        "panel_meta": meta,
        "pairs": panel,
        # the simulator's truth, not the reader's count: respondent x organisation pairs
        # where the respondent knows the organisation, and the rest of the grid
        "n_pairs": edition.panel.truth["n_pairs"],
        "n_unknown": edition.panel.truth["n_respondents"]
        * accounts["panel_code"].dropna().nunique()
        - edition.panel.truth["n_pairs"],
    }


@pytest.mark.parametrize("case", CASES, ids=[f"{c.area}: {c.name}" for c in CASES])
def test_bad_input(case, base, tmp_path):
    if case.outcome == "refused" and not callable(case.expect):
        with pytest.raises(ERRORS) as error:
            case.run(tmp_path, base)
        message = str(error.value)
        assert "Traceback" not in message
        for part in case.expect:
            assert part in message, f"{part!r} not in:\n{message}"
    else:
        result = case.run(tmp_path, base)
        check = case.expect
        assert check(result) if check.__code__.co_argcount == 1 else check(result, base), result


def test_the_corpus_per_area_and_outcome():
    """The numbers docs/reliability.md reports."""
    counts = pd.Series([(c.area, c.outcome) for c in CASES]).value_counts().to_dict()
    assert counts == {
        ("organisations", "refused"): 14,
        ("organisations", "accepted"): 2,
        ("config", "refused"): 5,
        ("panel", "refused"): 18,
        ("panel", "counted"): 2,
        ("panel", "accepted"): 3,
        ("models", "refused"): 5,
        ("models", "counted"): 1,
        ("outputs", "accepted"): 4,
        ("faults", "refused"): 3,
    }
