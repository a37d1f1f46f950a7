"""The organisations sheet: which accounts belong to which organisation.

One row per account. An organisation has one or more accounts per platform
(a webcare account beside the brand account is common). Every stage that
needs to know who is an organisation reads the sheet through this module.
"""

from __future__ import annotations

import re
from pathlib import Path

import jsonschema
import pandas as pd

from engbench.config import SCHEMA_DIR, load_schema

SHEET_SCHEMA = SCHEMA_DIR / "organisations.schema.yaml"
COLUMNS = [
    "org_id",
    "name",
    "sector",
    "platform",
    "handle",
    "account_id",
    "followers",
    "role",
    "panel_code",
]


# What to do about an empty required column (a sheet proposed by `engbench init` leaves
# `sector` empty for the researcher to fill in).
MISSING_HINTS = {
    "sector": "fill in each organisation's sector (airline, rail, telecom, …; the report groups "
    "by it); `engbench init` leaves it empty for you to check each proposed account",
    "handle": "fill in the account's username / page name without @",
}
FLOAT_ID = re.compile(r"^[0-9]+\.0+$")
SCIENTIFIC = re.compile(r"^[0-9](\.[0-9]+)?[eE]\+?[0-9]+$")


class OrganisationsError(ValueError):
    """The organisations sheet is invalid; the message names file, line and column."""


def read_organisations(path: str | Path) -> pd.DataFrame:
    """Read and validate the organisations sheet (CSV, UTF-8, BOM tolerated).

    Returns one row per account with the columns of ``COLUMNS``; ``followers``
    is a nullable integer, ``role`` defaults to ``brand``.
    """
    path = Path(path)
    if not path.exists():
        raise OrganisationsError(f"{path}: organisations sheet not found")
    if path.is_dir():
        raise OrganisationsError(f"{path}: is a folder; expected the organisations sheet (CSV)")
    data = path.read_bytes()
    if data[:4] == b"PK\x03\x04":
        raise OrganisationsError(
            f"{path}: an Excel workbook (XLSX), not CSV; expected the organisations sheet as "
            "CSV — in Excel: Save As, 'CSV UTF-8 (comma delimited)'"
        )
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise OrganisationsError(
            f"{path}, line {line}: not UTF-8 (byte 0x{data[error.start]:02x}, e.g. an 'ö' "
            "saved as Latin-1/Windows-1252); expected the organisations sheet in UTF-8 — save it "
            "again as 'CSV UTF-8'"
        ) from None
    if not data.strip(b"\xef\xbb\xbf \t\r\n"):
        raise OrganisationsError(
            f"{path}: the organisations sheet is empty; expected a header line "
            f"({','.join(COLUMNS)}) and one line per account"
        )
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    header = [str(c) for c in frame.columns]
    if len(header) == 1 and any(sep in header[0] for sep in (";", "\t")):
        sep = "semicolons" if ";" in header[0] else "tabs"
        raise OrganisationsError(
            f"{path}, line 1: columns separated by {sep} ({header[0][:60]!r}); expected a CSV "
            "file with commas — in Excel: Save As, 'CSV UTF-8 (comma delimited)'"
        )
    required = ["org_id", "name", "sector", "platform", "handle", "account_id"]
    absent = [c for c in required if c not in header]
    if absent:
        raise OrganisationsError(
            f"{path}, line 1: column(s) {', '.join(absent)} missing; the header has "
            f"{', '.join(header)}; expected {', '.join(COLUMNS)} (followers, role, panel_code "
            "optional)"
        )
    if frame.empty:
        raise OrganisationsError(
            f"{path}: the organisations sheet has a header but no accounts; expected one line "
            "per account of each organisation"
        )
    return validate_organisations(frame, source=str(path))


def validate_organisations(frame: pd.DataFrame, source: str = "organisations") -> pd.DataFrame:
    schema = load_schema(SHEET_SCHEMA)
    validator = jsonschema.Draft202012Validator(schema)
    frame = frame.copy()
    for column in ("followers", "role", "panel_code"):
        if column not in frame:
            frame[column] = ""
    problems = []
    missing: dict[str, list[int]] = {}  # column → lines where it is empty
    records = []
    for i, row in enumerate(frame.to_dict("records")):
        line = i + 2  # header is line 1
        record = {k: v.strip() for k, v in row.items() if isinstance(v, str) and v.strip() != ""}
        if "account_id" in record and FLOAT_ID.match(record["account_id"]):
            digits = record["account_id"].split(".")[0]
            if len(digits) > 15:
                problems.append(
                    f"{source}, line {line}, column account_id: found "
                    f"{row['account_id']!r}; expected the id as written by the platform, "
                    "without '.0' — an id of more than 15 digits that went through a "
                    "spreadsheet as a number may have been rounded; copy it again as text"
                )
                continue
            record["account_id"] = digits  # 3866119925.0: a whole number a spreadsheet wrote
        if "account_id" in record and SCIENTIFIC.match(record["account_id"]):
            problems.append(
                f"{source}, line {line}, column account_id: found {row['account_id']!r}; "
                "expected the id as written by the platform — a spreadsheet wrote it in "
                "scientific notation and its last digits are lost; copy it again as text"
            )
            continue
        if "followers" in record:
            try:
                record["followers"] = int(float(record["followers"]))
            except ValueError:
                problems.append(
                    f"{source}, line {line}, column followers: found {row['followers']!r}; "
                    "expected a whole number"
                )
                continue
        for error in validator.iter_errors(record):
            column = error.absolute_path[0] if error.absolute_path else None
            if error.validator == "required":
                missing.setdefault(error.message.split("'")[1], []).append(line)
                continue
            expected = error.schema.get("description", error.message)
            if error.validator == "enum":
                expected = "one of " + ", ".join(error.schema["enum"])
            problems.append(
                f"{source}, line {line}, column {column}: found {error.instance!r}; "
                f"expected {expected}"
            )
        record.setdefault("role", "brand")
        records.append(record)
    problems += [
        f"{source}, {_lines(lines)}, column {column}: missing value"
        + (f" — {MISSING_HINTS[column]}" if column in MISSING_HINTS else "")
        for column, lines in missing.items()
    ]
    if problems:
        raise OrganisationsError("invalid organisations sheet:\n  - " + "\n  - ".join(problems))
    out = pd.DataFrame.from_records(records)
    for column in COLUMNS:
        if column not in out:
            out[column] = pd.NA
    out = out[COLUMNS + [c for c in out.columns if c not in COLUMNS]]
    out["followers"] = out["followers"].astype("Int64")
    _check_consistency(out, source)
    return out.reset_index(drop=True)


def _lines(lines: list[int]) -> str:
    """``line 4`` or ``lines 2–5, 9 (5 rows)``."""
    if len(lines) == 1:
        return f"line {lines[0]}"
    runs: list[list[int]] = []
    for line in lines:
        if runs and line == runs[-1][-1] + 1:
            runs[-1].append(line)
        else:
            runs.append([line])
    shown = ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)
    return f"lines {shown} ({len(lines):,} rows)"


def _check_consistency(frame: pd.DataFrame, source: str) -> None:
    problems = []
    for key in (["platform", "account_id"], ["platform", "handle"]):
        lowered = frame[key].apply(lambda s: s.str.lower())
        dup = lowered.duplicated(keep=False)
        if dup.any():
            lines = ", ".join(str(i + 2) for i in frame.index[dup])
            problems.append(f"{source}: the same {' + '.join(key)} appears twice (lines {lines})")
    for column in ("name", "sector", "panel_code"):
        per_org = frame.groupby("org_id")[column].nunique(dropna=False)
        for org_id in per_org.index[per_org > 1]:
            problems.append(f"{source}: organisation {org_id} has more than one {column}")
    if problems:
        raise OrganisationsError("invalid organisations sheet:\n  - " + "\n  - ".join(problems))


def brand_followers(accounts: pd.DataFrame) -> pd.DataFrame:
    """org_id, platform, followers of the brand accounts: the audience the engagement per
    1,000 followers is counted on (a webcare account's followers are not counted)."""
    return accounts.loc[accounts["role"] == "brand", ["org_id", "platform", "followers"]]


def organisation_table(accounts: pd.DataFrame) -> pd.DataFrame:
    """One row per organisation: org_id, name, sector, panel_code, followers per platform."""
    orgs = accounts.groupby("org_id", sort=False)[["name", "sector", "panel_code"]].first()
    followers = (
        brand_followers(accounts)
        .pivot_table(index="org_id", columns="platform", values="followers", aggfunc="sum")
        .add_prefix("followers_")
    )
    return orgs.join(followers).reset_index()
