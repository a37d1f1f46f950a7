"""The hand-coding workflow: a sample for coders, their sheets back, reliability, gold standard.

1. ``draw_sample`` takes a stratified sample of an edition's incoming messages
   (the same number per organisation × platform, where available) and
   ``write_sheet`` writes it as XLSX with one column per coder (a drop-down of the
   four types) and the codebook's short definitions on a second sheet.
2. ``read_sheet`` reads a coded sheet back, accepting the English or Dutch code
   names, and says exactly which row and column holds anything else.
3. ``reliability`` reports Krippendorff's alpha (nominal; the ``krippendorff``
   package) and Cohen's kappa (scikit-learn) overall and per type (that type vs
   the rest), with the raw agreement; ``disagreements`` lists the messages to
   resolve (a ``resolved`` column to fill in).
4. ``gold_standard`` merges agreed and resolved codes into training rows.
"""

from __future__ import annotations

from pathlib import Path

import krippendorff
import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from sklearn.metrics import cohen_kappa_score

from engbench import xlsx
from engbench.classify import TYPES

RANDOM_BATCHES = ("random", "")


def random_part(gold: pd.DataFrame) -> pd.DataFrame:
    """The coded messages of the stratified random sample (not the uncertainty batches).

    Only these estimate error rates and corrected rates: a batch drawn where the
    model is least sure over-represents its errors.
    """
    if "batch" not in gold:
        return gold
    return gold[gold["batch"].fillna("").isin(RANDOM_BATCHES)]


SYNONYMS = {
    "klacht": "complaint",
    "vraag": "question",
    "compliment": "compliment",
    "overig": "other",
    "complaint": "complaint",
    "question": "question",
    "other": "other",
    "praise": "compliment",
}
DEFINITIONS = {
    "complaint": "reports a problem, failure or dissatisfaction with the organisation, "
    "even as a question or wrapped in praise",
    "question": "asks for information or help without reporting a failure",
    "compliment": "praise, a positive experience or thanks (also thanks for a solved problem)",
    "other": "everything else: chatter, contests, tagging friends, news, rhetorical questions",
}


class CodingError(ValueError):
    """A coded sheet cannot be used; the message names the file, row and column."""


def draw_sample(incoming: pd.DataFrame, per_cell: int, seed: int = 2018) -> pd.DataFrame:
    """Up to ``per_cell`` distinct incoming messages per organisation × platform."""
    messages = incoming.drop_duplicates(["platform", "message_id"])
    parts = []
    for _, cell in messages.groupby(["org_id", "platform"], sort=True):
        parts.append(cell.sample(min(per_cell, len(cell)), random_state=seed))
    sample = pd.concat(parts, ignore_index=True) if parts else messages.head(0)
    sample = sample[["platform", "message_id", "org_id", "text"]].reset_index(drop=True)
    sample.insert(0, "sample_id", [f"s{i + 1:05d}" for i in range(len(sample))])
    return sample


def draw_uncertain_batch(
    classified: pd.DataFrame,
    per_cell: int,
    coded: pd.DataFrame | None = None,
    seed: int = 2018,
) -> pd.DataFrame:
    """The next coding batch: where the model is least sure, per organisation × platform.

    ``classified``: the classified incoming messages (with ``p_<type>``);
    ``coded``: platform, message_id of messages already coded (left out). In
    every cell the ``per_cell`` messages with the lowest margin between the two
    most probable types are taken (ties broken at random). Such a batch is for
    *training* (it teaches the model where it errs); it is not a random sample,
    so the corrections of type shares and response rates leave it out (its rows
    carry ``batch = uncertain``).
    """
    messages = classified.drop_duplicates(["platform", "message_id"])
    if coded is not None and len(coded):
        done = coded[["platform", "message_id"]].astype(str).drop_duplicates()
        keys = messages[["platform", "message_id"]].astype(str)
        seen = keys.merge(done, how="left", indicator=True)["_merge"].eq("both").to_numpy()
        messages = messages[~seen]
    proba = np.sort(messages[[f"p_{t}" for t in TYPES]].to_numpy(float), axis=1)
    rng = np.random.default_rng(seed)
    messages = messages.assign(margin=proba[:, -1] - proba[:, -2], tie=rng.random(len(messages)))
    parts = [
        cell.sort_values(["margin", "tie"]).head(per_cell)
        for _, cell in messages.groupby(["org_id", "platform"], sort=True)
    ]
    batch = pd.concat(parts, ignore_index=True) if parts else messages.head(0)
    batch = batch[["platform", "message_id", "org_id", "text"]].reset_index(drop=True)
    batch.insert(0, "sample_id", [f"u{i + 1:05d}" for i in range(len(batch))])
    return batch.assign(batch="uncertain")


def write_sheet(sample: pd.DataFrame, path: str | Path, coders: list[str]) -> None:
    """An XLSX for coding: one column per coder (drop-down of the types), and a notes column."""
    book = Workbook()
    sheet = book.active
    sheet.title = "coding"
    header = ["sample_id", "org_id", "platform", "message_id", "text", *coders, "notes"]
    if "resolved" in sample:
        header.append("resolved")
    if "batch" in sample:
        header.append("batch")
    sheet.append(header)
    for row in sample.to_dict("records"):
        codes = [row.get(c) or None for c in coders]
        extra = [row.get("resolved") or None] if "resolved" in sample else []
        extra += [row["batch"]] if "batch" in sample else []
        sheet.append(
            [
                row["sample_id"],
                row["org_id"],
                row["platform"],
                row["message_id"],
                None,
                *codes,
                None,
                *extra,
            ]
        )
        cell = sheet.cell(row=sheet.max_row, column=5)
        cell.value = row["text"]
        cell.data_type = "s"  # a text starting with "=" stays text, never a formula
    choices = DataValidation(type="list", formula1='"' + ",".join(TYPES) + '"', allow_blank=True)
    sheet.add_data_validation(choices)
    for i in range(len(coders)):
        column = sheet.cell(row=1, column=6 + i).column_letter
        choices.add(f"{column}2:{column}{max(2, sheet.max_row)}")
    sheet.column_dimensions["E"].width = 90
    sheet.freeze_panes = "A2"
    codebook = book.create_sheet("codebook")
    codebook.append(["type", "definition (see data/labels/CODEBOOK.md)"])
    for name, text in DEFINITIONS.items():
        codebook.append([name, text])
    xlsx.save(book, path)


def read_sheet(path: str | Path, coders: list[str]) -> pd.DataFrame:
    """A coded sheet, codes normalised to the four types; CodingError for anything else."""
    frame = pd.read_excel(path, sheet_name="coding", dtype=str).fillna("")
    missing = [c for c in ("sample_id", "text", *coders) if c not in frame]
    if missing:
        raise CodingError(
            f"{path}: missing column(s) {', '.join(missing)}; the sheet has {list(frame.columns)}"
        )
    problems = []
    for coder in coders:
        codes = frame[coder].str.strip().str.lower()
        mapped = codes.map(SYNONYMS)
        bad = (codes != "") & mapped.isna()
        for i in np.flatnonzero(bad.to_numpy())[:10]:
            problems.append(
                f"{path}, row {i + 2}, column {coder}: {frame[coder].iloc[i]!r} "
                f"is not one of {', '.join(TYPES)}"
            )
        frame[coder] = mapped.where(codes != "", None)
    if "resolved" in frame:
        codes = frame["resolved"].str.strip().str.lower()
        frame["resolved"] = codes.map(SYNONYMS).where(codes != "", None)
    if problems:
        raise CodingError("unusable codes:\n  - " + "\n  - ".join(problems))
    return frame


def read_sheets(paths: list[str | Path], coders: list[str]) -> pd.DataFrame:
    """Coded sheets (``read_sheet``), one after the other; with no sheets, no rows."""
    frames = [read_sheet(path, coders) for path in paths]
    if not frames:
        return pd.DataFrame(columns=["sample_id", "platform", "message_id", "text", *coders])
    return pd.concat(frames, ignore_index=True)


def reliability(coded: pd.DataFrame, coders: list[str]) -> pd.DataFrame:
    """Agreement, Krippendorff's alpha and Cohen's kappa, overall and per type (vs the rest).

    Units coded by fewer than two coders are left out (counted in ``units``).
    """
    both = coded.dropna(subset=coders)
    rows = []
    for category in ("all", *TYPES):
        if category == "all":
            values = both[coders].apply(lambda s: s.map({t: i for i, t in enumerate(TYPES)}))
        else:
            values = (both[coders] == category).astype(int)
        matrix = values.to_numpy(float).T  # coders × units
        agreement = float((values.nunique(axis=1) == 1).mean()) if len(values) else np.nan
        alpha = _alpha(matrix)
        kappa = (
            float(cohen_kappa_score(values[coders[0]], values[coders[1]]))
            if len(coders) == 2 and len(values) and values.to_numpy().std() > 0
            else np.nan
        )
        rows.append(
            {
                "category": category,
                "units": len(both),
                "agreement": agreement,
                "krippendorff_alpha": alpha,
                "cohen_kappa": kappa,
            }
        )
    return pd.DataFrame(rows)


def _alpha(matrix: np.ndarray) -> float:
    if matrix.shape[1] == 0 or len(np.unique(matrix[~np.isnan(matrix)])) < 2:
        return np.nan
    return float(krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal"))


def disagreements(coded: pd.DataFrame, coders: list[str]) -> pd.DataFrame:
    both = coded.dropna(subset=coders)
    differ = both[both[coders].nunique(axis=1) > 1]
    extra = ["batch"] if "batch" in differ else []
    return differ[
        ["sample_id", "org_id", "platform", "message_id", "text", *coders, *extra]
    ].assign(resolved="")


def gold_standard(
    coded: pd.DataFrame,
    coders: list[str],
    resolved: pd.DataFrame | None = None,
    source: str = "coded sample",
) -> pd.DataFrame:
    """Training rows (text, label, source): agreed codes, plus resolved disagreements.

    Raises CodingError while a disagreement is unresolved.
    """
    if resolved is None and "resolved" in coded:
        resolved = coded[["sample_id", "resolved"]].dropna()
    both = coded.dropna(subset=coders)
    agreed = both[both[coders].nunique(axis=1) == 1]
    rows = agreed.assign(label=agreed[coders[0]])
    differ = both[both[coders].nunique(axis=1) > 1]
    if len(differ):
        decisions = (
            resolved if resolved is not None else pd.DataFrame(columns=["sample_id", "resolved"])
        )
        decisions = (
            decisions.set_index("sample_id")["resolved"]
            .astype(str)
            .str.strip()
            .str.lower()
            .map(SYNONYMS)
        )
        labels = differ["sample_id"].map(decisions)
        open_ = differ.loc[labels.isna(), "sample_id"].tolist()
        if open_:
            raise CodingError(
                f"{len(open_)} disagreement(s) not resolved yet (e.g. {', '.join(open_[:5])}): "
                "fill the "
                "`resolved` column of the disagreements sheet with one of " + ", ".join(TYPES)
            )
        rows = pd.concat([rows, differ.assign(label=labels.to_numpy())])
    keep = [
        c
        for c in ("sample_id", "platform", "message_id", "org_id", "text", "label", "batch")
        if c in rows
    ]
    out = rows[keep].copy()
    out["source"] = source
    if "batch" in out:
        out["batch"] = out["batch"].replace("", "random").fillna("random")
    return out.sort_values("sample_id").reset_index(drop=True)


def coded_sample(paths: list[str | Path], coders: list[str]) -> pd.DataFrame:
    """The gold standard of the edition's stratified random coded sample (``random_part``):
    what the error rates of the corrected shares and rates are estimated on. With no sheets,
    no rows (platform, message_id, label)."""
    if not paths:
        return pd.DataFrame(columns=["platform", "message_id", "label"])
    return random_part(gold_standard(read_sheets(paths, coders), coders))
