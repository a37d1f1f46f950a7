"""The consumer panel: read the survey as the agency delivers it, build the measures, join.

Reading: SPSS (.sav/.zsav, with pyreadstat: value labels become categories,
variable labels are kept, user-defined missing codes become missing), CSV and
XLSX; wide layouts (one column per organisation, names with ``{org}`` filled
from the organisations sheet's ``panel_code``) and long layouts (one row per
respondent × organisation with an organisation column). The mapping from the
panel's names to engbench's is the config's ``panel.variables``.

Nothing is dropped silently: a mapped variable that is missing, a code outside
the allowed values, a respondent × organisation pair given twice are errors
naming the variable and the rows; pairs for organisations not in the sheet and
pairs whose respondent does not know the organisation are counted exclusions.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat

from engbench.metrics import edition_estimates

BINARY = ("follows_twitter", "follows_facebook", "customer")
PERSON = ("age", "gender", "education", "region", "weight")
CANONICAL = [
    "respondent_id",
    "org_id",
    "follows",
    "follows_twitter",
    "follows_facebook",
    "customer",
    "loyalty",
    "recommend",
    "promoter",
    "age",
    "gender",
    "education",
    "region",
    "weight",
]


class PanelError(ValueError):
    """The panel file does not match its mapping; the message names variable and rows."""


@dataclass
class Panel:
    """Respondent × organisation pairs with the measures, and what was left out and why."""

    pairs: pd.DataFrame
    labels: dict[str, str] = field(default_factory=dict)
    exclusions: dict[str, int] = field(default_factory=dict)
    loyalty_alpha: float = float("nan")
    loyalty_items: list[str] = field(default_factory=list)


def file_kind(path: str | Path, fmt: str = "auto") -> str | None:
    """spss, csv or xlsx: ``fmt`` unless ``auto``, else from the file name's extension."""
    if fmt != "auto":
        return fmt
    return {".sav": "spss", ".zsav": "spss", ".csv": "csv", ".xlsx": "xlsx"}.get(
        Path(path).suffix.lower()
    )


def read_file(path: str | Path, fmt: str = "auto") -> tuple[pd.DataFrame, dict[str, str], dict]:
    """The survey as a frame of codes, its variable labels, and its value labels."""
    path = Path(path)
    if not path.exists():
        raise PanelError(f"{path}: panel file not found")
    if path.is_dir():
        raise PanelError(f"{path}: is a folder; expected the panel file (.sav, .csv or .xlsx)")
    kind = file_kind(path, fmt)
    if kind not in ("spss", "csv", "xlsx"):
        raise PanelError(
            f"{path}: unknown panel format; expected .sav, .zsav, .csv or .xlsx "
            "(or set panel.format)"
        )
    if path.stat().st_size == 0:
        raise PanelError(f"{path}: the panel file is empty (0 bytes); expected the survey data")
    try:
        if kind == "spss":
            frame, meta = pyreadstat.read_sav(str(path), user_missing=False)
            column_labels = dict(meta.column_names_to_labels)
            value_labels = dict(meta.variable_value_labels)
        elif kind == "csv":
            frame, column_labels, value_labels = pd.read_csv(path, encoding="utf-8-sig"), {}, {}
        else:
            frame, column_labels, value_labels = pd.read_excel(path), {}, {}
    except UnicodeDecodeError:
        data = path.read_bytes()  # pandas gives the place within a chunk: find it in the file
        start = _first_undecodable(data)
        line = data[:start].count(b"\n") + 1
        raise PanelError(
            f"{path}, line {line}: not UTF-8 (byte 0x{data[start]:02x}); "
            "expected a CSV file in UTF-8 — save it again as 'CSV UTF-8'"
        ) from None
    except pd.errors.EmptyDataError:
        raise PanelError(f"{path}: no header line; expected the variables' names") from None
    except (pyreadstat.ReadstatError, pyreadstat.PyreadstatError) as error:
        raise PanelError(
            f"{path}: could not be read as an SPSS file ({error}); expected a complete .sav/.zsav "
            "file — is it damaged or cut off?"
        ) from None
    except (ValueError, zipfile.BadZipFile, KeyError) as error:
        if kind != "xlsx":
            raise
        raise PanelError(
            f"{path}: could not be read as an XLSX workbook ({type(error).__name__}: {error}); "
            "expected an .xlsx file saved by Excel or LibreOffice"
        ) from None
    if frame.empty:
        raise PanelError(
            f"{path}: no respondents (the file has {len(frame.columns)} variables and no rows)"
        )
    return frame, column_labels, value_labels


def _first_undecodable(data: bytes) -> int:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start
    return 0


# What each numeric variable may hold: (test on the codes as floats, what was expected).
CODES = {
    "knows": (lambda v: v.isin([0, 1]), "0/1"),
    **{key: (lambda v: v.isin([0, 1]), "0/1") for key in BINARY},
    "loyalty": (lambda v: v.isin(range(1, 8)), "1–7"),
    "recommend": (
        lambda v: v.isin(range(0, 11)),
        "0–10 (declare a missing code as user-missing in SPSS)",
    ),
    "age": (
        lambda v: (v >= 0) & (v <= 120),
        "an age in years, 0–120 (declare a missing code such as 999 as user-missing in SPSS)",
    ),
    "weight": (lambda v: np.isfinite(v) & (v > 0), "a positive weight"),
}


def _rows(index, kind: str | None, limit: int = 8) -> str:
    """File positions: SPSS cases (1 = first respondent) or sheet rows (1 = the header)."""
    numbers = [int(i) + (1 if kind == "spss" else 2) for i in index]
    word = "case" if kind == "spss" else "row"
    shown = ", ".join(map(str, numbers[:limit]))
    more = f" and {len(numbers) - limit:,} more" if len(numbers) > limit else ""
    return f"{word}{'s' if len(numbers) > 1 else ''} {shown}{more}"


def _examples(values: pd.Series, limit: int = 5) -> str:
    unique = list(dict.fromkeys(values.tolist()))
    shown = ", ".join(
        str(int(v)) if isinstance(v, float) and v.is_integer() else repr(v) for v in unique[:limit]
    )
    return shown + (", …" if len(unique) > limit else "")


def check_variable(
    values: pd.Series,
    name: str,
    key: str,
    org_id: str | None = None,
    kind: str | None = None,
    value_labels: dict | None = None,
) -> list[str]:
    """Problems of one variable of the file: text where numbers belong, codes out of range,
    codes without a value label, missing weights. Each names the variable (as in the
    file), what it measures, the organisation, the rows, what was found and expected."""
    what = f"{name} ({key}{f', organisation {org_id}' if org_id else ''})"
    rule = CODES.get("loyalty" if key.startswith("loyalty item") else key)
    if rule is None:  # a category: its codes need a value label when the file has labels
        if not value_labels or values.dtype == object:
            return []
        known = {float(k) for k in value_labels}
        bad = values.notna() & ~values.astype(float).isin(known)
        if not bad.any():
            return []
        return [
            f"{what}: code(s) {_examples(values[bad])} in {_rows(values.index[bad], kind)} have "
            f"no value label; expected one of {_examples(pd.Series(sorted(known)))} — label the "
            "code, or declare it user-missing"
        ]
    if values.dtype == object or pd.api.types.is_string_dtype(values):
        text = values.map(lambda v: isinstance(v, str) and v.strip() != "")
        if kind != "spss":  # a CSV or XLSX column: only values that are no number are wrong
            text &= pd.to_numeric(values.where(text), errors="coerce").isna()
        if text.any():
            stored = "an SPSS string variable" if kind == "spss" else "text"
            fix = (
                "make it a numeric variable in SPSS (Variable View, Type: Numeric)"
                if kind == "spss"
                else "write the values as plain numbers"
            )
            return [
                f"{what}: stored as {stored}, e.g. {_examples(values[text])} in "
                f"{_rows(values.index[text], kind)}; expected numbers ({rule[1]}) — {fix}"
            ]
        values = pd.to_numeric(values.where(~values.map(lambda v: v == "")), errors="coerce")
    numbers = values.astype(float)
    problems = []
    if key == "weight":
        missing = numbers.isna()
        if missing.all():
            return [
                f"{what}: all {len(numbers):,} weights are missing; expected a positive weight "
                "for every respondent (or leave `weight` out of panel.variables for an "
                "unweighted analysis)"
            ]
        if missing.any():
            problems.append(
                f"{what}: weight missing in {_rows(values.index[missing], kind)}; expected a "
                "positive weight for every respondent"
            )
    bad = numbers.notna() & ~rule[0](numbers)
    if bad.any():
        problems.append(
            f"{what}: {_examples(numbers[bad])} in {_rows(values.index[bad], kind)}; "
            f"expected {rule[1]}"
        )
    return problems


def _check_respondents(ids: pd.Series, name: str, kind: str | None, wide: bool) -> list[str]:
    problems = []
    missing = ids.isna() | ids.map(lambda v: isinstance(v, str) and v.strip() == "")
    if missing.any():
        problems.append(
            f"{name} (respondent id): missing in {_rows(ids.index[missing], kind)}; expected an "
            "id for every respondent"
        )
    if wide:
        twice = ids.notna() & ids.duplicated(keep=False)
        if twice.any():
            problems.append(
                f"{name} (respondent id): {_examples(ids[twice])} in more than one row "
                f"({_rows(ids.index[twice], kind)}); expected one row per respondent in a wide "
                "file"
            )
    return problems


def _unknown_organisations(
    frame: pd.DataFrame, variables: dict, known: set[str], layout_keys: dict
) -> dict[str, list[str]]:
    """Panel codes not in the sheet whose loyalty items are all in the file: their answer
    variables (loyalty items, following, customer, recommend)."""
    import re

    found: dict[str, list[str]] = {}
    items = variables["loyalty_items"]
    first = re.compile("^" + re.escape(items[0]).replace(r"\{org\}", "(?P<org>.+)") + "$")
    for column in map(str, frame.columns):
        match = first.match(column)
        if not match or match["org"] in known:
            continue
        code = match["org"]
        names = [item.format(org=code) for item in items]
        if all(n in frame for n in names):
            found[code] = names + [
                n.format(org=code) for n in layout_keys.values() if n.format(org=code) in frame
            ]
    return found


def to_long(
    frame: pd.DataFrame,
    variables: dict,
    layout: str,
    organisations: pd.DataFrame,
    source: str = "panel",
    kind: str | None = None,
    value_labels: dict | None = None,
) -> tuple[pd.DataFrame, dict[str, int]]:
    """Respondent × organisation rows with canonical names (codes checked, still raw), and
    the pairs left out by reason.

    ``layout``: ``wide`` (one row per respondent, one column per organisation and
    question, ``{org}`` in the names) or ``long`` (one row per respondent ×
    organisation, an ``organisation`` column). ``kind`` (spss, csv, xlsx) words the
    rows of an error: SPSS cases or sheet rows.
    """
    orgs = organisations.drop_duplicates("org_id")
    value_labels = value_labels or {}
    if layout == "wide":
        return _from_wide(frame, variables, orgs, source, kind, value_labels)
    return _from_long(frame, variables, orgs, source, kind, value_labels)


def _from_wide(frame, variables, orgs, source, kind, value_labels):
    """The wide layout: one block of columns per organisation, stacked."""
    codes = orgs.dropna(subset=["panel_code"])
    if codes.empty:
        raise PanelError(
            f"{source}: no organisation in the organisations sheet has a panel_code; "
            "expected the code of each organisation in the panel's variable names"
        )
    per_org = {k: variables[k] for k in ("knows", *BINARY, "recommend") if k in variables}
    items = variables["loyalty_items"]
    _check_wide(frame, variables, codes, per_org, items, source, kind, value_labels)
    parts = []
    for org_id, code in zip(codes["org_id"], codes["panel_code"], strict=True):
        part = pd.DataFrame({"respondent_id": frame[variables["respondent_id"]], "org_id": org_id})
        for key, name in per_org.items():
            part[key] = _numbers(frame[name.format(org=code)])
        for i, item in enumerate(items):
            part[f"loyalty_{i + 1}"] = _numbers(frame[item.format(org=code)])
        for key in PERSON:
            if key in variables:
                column = frame[variables[key]]
                part[key] = (_numbers(column) if key in CODES else column).to_numpy()
        parts.append(part)
    long = pd.concat(parts, ignore_index=True)
    exclusions: dict[str, int] = {}
    answers = {k: v for k, v in per_org.items() if k != "knows"}
    unknown = _unknown_organisations(frame, variables, set(codes["panel_code"]), answers)
    if unknown:
        answered = sum(int(frame[n].notna().any(axis=1).sum()) for n in unknown.values())
        exclusions[
            "pairs for organisations not in the sheet "
            f"({', '.join(sorted(unknown)[:5])}{' …' if len(unknown) > 5 else ''})"
        ] = answered
    if "knows" in long:
        unknown_org = long["knows"].fillna(0).astype(float) != 1
        exclusions["pairs where the respondent does not know the organisation"] = int(
            unknown_org.sum()
        )
        long = long[~unknown_org].drop(columns=["knows"])
    asked = long[[f"loyalty_{i + 1}" for i in range(len(items))] + list(BINARY)].notna().any(axis=1)
    exclusions["pairs with no answers"] = int((~asked).sum())
    return long[asked].reset_index(drop=True), exclusions


def _check_wide(frame, variables, codes, per_org, items, source, kind, value_labels) -> None:
    """PanelError naming every mapped variable the wide file lacks, or every unusable value
    (answers of respondents who do not know an organisation are not checked)."""
    needed = [variables["respondent_id"]] + [variables[k] for k in PERSON if k in variables]
    missing = [v for v in needed if v not in frame]
    for code in codes["panel_code"]:
        for name in [*per_org.values(), *items]:
            if name.format(org=code) not in frame:
                missing.append(name.format(org=code))
    if missing:
        raise PanelError(
            f"{source}: mapped variable(s) not in the file: {', '.join(missing[:12])}"
            f"{' …' if len(missing) > 12 else ''}. The file has {len(frame.columns)} "
            "variables, e.g. "
            f"{', '.join(map(str, frame.columns[:8]))}"
        )
    problems = _check_respondents(
        frame[variables["respondent_id"]], variables["respondent_id"], kind, wide=True
    )
    for key in PERSON:
        if key in variables:
            name = variables[key]
            problems += check_variable(frame[name], name, key, None, kind, value_labels.get(name))
    for org_id, code in zip(codes["org_id"], codes["panel_code"], strict=True):
        checks = [*per_org.items()] + [
            (f"loyalty item {i + 1}", item) for i, item in enumerate(items)
        ]
        asked = pd.Series(True, index=frame.index)
        if "knows" in per_org:  # answers of respondents who do not know it are left out
            knows = frame[per_org["knows"].format(org=code)]
            problems += check_variable(knows, knows.name, "knows", org_id, kind)
            asked = pd.to_numeric(knows, errors="coerce") == 1
        for key, pattern in checks:
            name = pattern.format(org=code)
            if key != "knows":
                problems += check_variable(frame.loc[asked, name], name, key, org_id, kind)
    if problems:
        raise PanelError(f"{source}: unusable values:\n  - " + "\n  - ".join(problems))


def _from_long(frame, variables, orgs, source, kind, value_labels):
    """The long layout: one row per pair already; the organisation column maps to org_id."""
    column = variables.get("organisation")
    _check_long(frame, variables, column, source, kind, value_labels)
    exclusions: dict[str, int] = {}
    long = pd.DataFrame({"respondent_id": frame[variables["respondent_id"]]})
    code_to_org = dict(zip(orgs["panel_code"].astype(str), orgs["org_id"], strict=True))
    long["org_id"] = frame[column].astype(str).map(code_to_org)
    unmatched = long["org_id"].isna()
    if unmatched.any():
        exclusions[
            "pairs for organisations not in the sheet "
            f"({', '.join(sorted(set(frame.loc[unmatched, column].astype(str)))[:5])})"
        ] = int(unmatched.sum())
    for key in (*BINARY, "recommend", *PERSON):
        if key in variables:
            values = frame[variables[key]]
            long[key] = (_numbers(values) if key in CODES else values).to_numpy()
    for i, item in enumerate(variables["loyalty_items"]):
        long[f"loyalty_{i + 1}"] = _numbers(frame[item]).to_numpy()
    long = long[~unmatched]
    duplicated = long.duplicated(["respondent_id", "org_id"], keep=False)
    if duplicated.any():  # rows of the file: its index, plus the header line
        rows = ", ".join(str(i + 2) for i in long.index[duplicated.to_numpy()][:10])
        raise PanelError(f"{source}: respondent × organisation pairs given twice (rows {rows})")
    return long.reset_index(drop=True), exclusions


def _check_long(frame, variables, column, source, kind, value_labels) -> None:
    """PanelError naming every mapped variable the long file lacks, or every unusable value."""
    needed = [
        variables["respondent_id"],
        column,
        *(variables[k] for k in (*BINARY, "recommend", *PERSON) if k in variables),
        *variables["loyalty_items"],
    ]
    missing = [v for v in needed if v not in frame]
    if column is None or missing:
        raise PanelError(
            f"{source}: mapped variable(s) not in the file: "
            f"{', '.join(map(str, missing or ['organisation']))}"
        )
    problems = _check_respondents(
        frame[variables["respondent_id"]], variables["respondent_id"], kind, wide=False
    )
    for key in (*BINARY, "recommend", *PERSON):
        if key in variables:
            name = variables[key]
            problems += check_variable(frame[name], name, key, None, kind, value_labels.get(name))
    for i, item in enumerate(variables["loyalty_items"]):
        problems += check_variable(frame[item], item, f"loyalty item {i + 1}", None, kind)
    if problems:
        raise PanelError(f"{source}: unusable values:\n  - " + "\n  - ".join(problems))


def _numbers(values: pd.Series) -> pd.Series:
    """Checked numeric codes as floats (empty text, as in SPSS string variables, is missing)."""
    if values.dtype == object or pd.api.types.is_string_dtype(values):
        return pd.to_numeric(values.where(values != ""), errors="coerce").astype(float)
    return values.astype(float)


def measures(
    long: pd.DataFrame, value_labels: dict, variables: dict, source: str = "panel"
) -> Panel:
    """Check codes, build loyalty (mean of items), promoter, follows; keep labels as categories."""
    problems = []
    items = [c for c in long if c.startswith("loyalty_")]
    for key in BINARY:
        if key in long:
            bad = long[key].notna() & ~long[key].isin([0, 1])
            if bad.any():
                problems.append(
                    f"{key} ({variables[key]}): codes {sorted(set(long.loc[bad, key]))[:5]} "
                    "where 0/1 was expected"
                )
    for item in items:
        bad = long[item].notna() & ~long[item].isin(range(1, 8))
        if bad.any():
            problems.append(
                f"{item}: codes {sorted(set(long.loc[bad, item]))[:5]} where 1–7 was expected"
            )
    if "recommend" in long:
        bad = long["recommend"].notna() & ~long["recommend"].isin(range(0, 11))
        if bad.any():
            problems.append(
                f"recommend ({variables['recommend']}): "
                f"codes {sorted(set(long.loc[bad, 'recommend']))[:5]} "
                "where 0–10 was expected (declare a missing code as user-missing in SPSS)"
            )
    if problems:
        raise PanelError(f"{source}: unexpected codes:\n  - " + "\n  - ".join(problems))
    out = long.copy()
    out["loyalty"] = out[items].mean(axis=1)
    out["follows"] = (
        (out.get("follows_twitter", 0) == 1) | (out.get("follows_facebook", 0) == 1)
    ).astype(int)
    out.loc[out[["follows_twitter", "follows_facebook"]].isna().all(axis=1), "follows"] = np.nan
    if "recommend" in out:
        out["promoter"] = np.where(
            out["recommend"].isna(), np.nan, (out["recommend"] >= 9).astype(float)
        )
        out["nps_group"] = pd.cut(
            out["recommend"], [-1, 6, 8, 10], labels=["detractor", "passive", "promoter"]
        )
    for key in ("gender", "education", "region"):
        if key in out and key in variables:
            labels = value_labels.get(variables[key], {})
            if labels:
                out[key] = out[key].map({float(k): v for k, v in labels.items()}).astype("category")
    if "weight" not in out:
        out["weight"] = 1.0
    complete = out[items].dropna()
    return Panel(out, exclusions={}, loyalty_alpha=cronbach_alpha(complete), loyalty_items=items)


def cronbach_alpha(items: pd.DataFrame) -> float:
    """Cronbach's alpha of complete rows: k/(k-1) × (1 − Σ var(item) / var(sum))."""
    k = items.shape[1]
    if k < 2 or len(items) < 3:
        return float("nan")
    variances = items.var(axis=0, ddof=1).sum()
    total = items.sum(axis=1).var(ddof=1)
    return float(k / (k - 1) * (1 - variances / total))


def read_panel(path, fmt, layout, variables, organisations) -> Panel:
    """Read, reshape, check and measure: the panel step in one call."""
    frame, column_labels, value_labels = read_file(path, fmt)
    long, exclusions = to_long(
        frame,
        variables,
        layout,
        organisations,
        source=str(path),
        kind=file_kind(path, fmt),
        value_labels=value_labels,
    )
    panel = measures(long, value_labels, variables, source=str(path))
    panel.exclusions = exclusions
    panel.labels = column_labels
    return panel


def join_indicators(panel: Panel, indicators: pd.DataFrame, league: pd.DataFrame) -> pd.DataFrame:
    """One row per respondent × organisation with the organisation's measured behaviour."""
    wide = edition_estimates(indicators)
    org = pd.DataFrame(index=wide.index)
    org["org_response_rate"] = wide.get("response_rate")
    org["org_dialogue_share"] = wide.get("dialogue_share")
    org = org.join(league.set_index("org_id")["index"].rename("org_engagement_index"), how="left")
    pairs = panel.pairs.copy()
    pairs["respondent_id"] = pairs["respondent_id"].astype(str).str.replace(r"\.0$", "", regex=True)
    columns = [c for c in CANONICAL if c in pairs] + [c for c in pairs if c.startswith("loyalty_")]
    return pairs[columns].merge(org, left_on="org_id", right_index=True, how="left")


def descriptives(analysis: pd.DataFrame) -> pd.DataFrame:
    """Per organisation: share following (each platform, any), and mean loyalty of followers
    vs non-followers with 95% intervals, weighted and unweighted."""
    rows = []
    for org, group in analysis.groupby("org_id", sort=True):
        row = {"org_id": org, "pairs": len(group)}
        for platform in ("follows_twitter", "follows_facebook", "follows"):
            row[f"share_{platform}"] = group[platform].mean()
        for weighted in (False, True):
            suffix = "_weighted" if weighted else ""
            for who, part in (
                ("followers", group[group["follows"] == 1]),
                ("non_followers", group[group["follows"] == 0]),
            ):
                mean, low, high, n = _mean_interval(
                    part["loyalty"], part["weight"] if weighted else None
                )
                row.update(
                    {
                        f"loyalty_{who}{suffix}": mean,
                        f"loyalty_{who}{suffix}_lower": low,
                        f"loyalty_{who}{suffix}_upper": high,
                        f"n_{who}": n,
                    }
                )
        rows.append(row)
    return pd.DataFrame(rows)


def _mean_interval(values: pd.Series, weights: pd.Series | None):
    keep = values.notna()
    x = values[keep].to_numpy(float)
    if len(x) < 2:
        return (float(x.mean()) if len(x) else np.nan), np.nan, np.nan, len(x)
    w = np.ones_like(x) if weights is None else weights[keep].to_numpy(float)
    mean = np.average(x, weights=w)
    n_eff = w.sum() ** 2 / (w**2).sum()  # Kish's effective sample size
    se = np.sqrt(np.average((x - mean) ** 2, weights=w) / n_eff * len(x) / (len(x) - 1))
    return float(mean), float(mean - 1.96 * se), float(mean + 1.96 * se), len(x)
