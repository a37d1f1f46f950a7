"""Assemble the report: figures, tables, the workbook, LaTeX, the summary's numbers, the PDF."""

from __future__ import annotations

import hashlib
import json
import platform
from importlib import metadata as package_metadata
from pathlib import Path

import pandas as pd

from engbench.metrics import edition_estimates
from engbench.report import figures, tables
from engbench.report.document import (
    compile_pdf,
    duration,
    number,
    profile_blocks,
    summary_numbers,
    typst_source,
)
from engbench.report.text import TEXT

PACKAGES = (
    "pandas",
    "numpy",
    "pyarrow",
    "scikit-learn",
    "statsmodels",
    "matplotlib",
    "snakemake",
    "typst",
)


def file_hashes(paths: list[str]) -> dict[str, str]:
    out = {}
    for path in sorted(set(paths)):
        digest = hashlib.sha256()
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
        out[path] = digest.hexdigest()
    return out


def profiles(
    indicators: pd.DataFrame,
    league: pd.DataFrame,
    descriptives: pd.DataFrame | None,
    names: dict[str, str],
    language: str,
) -> pd.DataFrame:
    """One row per organisation; without a panel (``descriptives`` None) no panel columns."""
    wide = edition_estimates(indicators)
    ranks = league.set_index("org_id")
    gaps = (descriptives if descriptives is not None else pd.DataFrame({"org_id": []})).set_index(
        "org_id"
    )
    rows = []
    for org in ranks.sort_values("rank").index:
        w = wide.loc[org] if org in wide.index else pd.Series(dtype=float)
        g = gaps.loc[org] if org in gaps.index else pd.Series(dtype=float)
        gap = g.get("loyalty_followers_weighted", float("nan")) - g.get(
            "loyalty_non_followers_weighted", float("nan")
        )
        rows.append(
            {
                "organisation": names.get(org, org),
                "rank": f"{int(ranks.loc[org, 'rank'])} ({int(ranks.loc[org, 'rank_lower'])}–{int(ranks.loc[org, 'rank_upper'])})",
                "incoming": number(w.get("n_incoming"), language, 0),
                "response rate": number(w.get("response_rate"), language, 1, True),
                "complaints": number(w.get("response_rate_complaint"), language, 1, True),
                "compliments": number(w.get("response_rate_compliment"), language, 1, True),
                "median time (webcare)": duration(w.get("response_time_webcare_median"), language),
                "dialogue share": number(w.get("dialogue_share"), language, 1, True),
                "follows": number(g.get("share_follows"), language, 1, True),
                "loyalty gap": number(gap, language, 2),
            }
        )
    table = pd.DataFrame(rows)
    return table if descriptives is not None else table.drop(columns=["follows", "loyalty gap"])


def methods(
    config: dict,
    classifier: dict,
    models: dict,
    ingest: pd.DataFrame,
    hashes: dict,
    correction: str = "",
) -> dict[str, list[str]]:
    weights = config["metrics"]["index_weights"]
    hours = ", ".join(f"{d} {h}" for d, h in config["webcare_hours"].items())
    out = {
        "Definitions": [
            f"Period {config['period']['start']} up to {config['period']['end']} (exclusive), time zone {config['timezone']}.",
            f"Response: the organisation's first message in the thread answering the author, within {config['answer_window_days']} days.",
            f"Webcare hours: {hours}.",
            "Incoming messages in the last answer window of the period are censored: left out of rates and times.",
            f"95% intervals: cluster bootstrap over threads, {config['metrics']['bootstrap_resamples']} resamples, seed {config['metrics']['seed']}.",
            "Engagement index weights: " + ", ".join(f"{k} {v}" for k, v in weights.items()) + ".",
        ],
        "Classifier": [
            f"Trained on {classifier.get('training_messages')} coded messages (SHA-256 {classifier.get('training_data_sha256', '')[:16]}…).",
            f"Chosen by cross-validation: {classifier.get('selection', {}).get('best_params')}.",
            f"Cross-validated macro-F1 {classifier.get('validation', {}).get('macro_f1', float('nan')):.3f}, accuracy {classifier.get('validation', {}).get('accuracy', float('nan')):.3f}.",
            "Type shares corrected by adjusted classify-and-count.",
            *_classifier_sources(classifier),
            "Per-type response rates corrected for classification errors (two-phase estimator): "
            "from the coded sample, P(true type | predicted type, answered) pooled over "
            "organisations; every uncoded message counts as that mix of true types, a coded "
            "message as its own; intervals from the thread bootstrap, which resamples the coded "
            f"sample too. Basis: {correction or 'none'}.",
        ],
        "Models": [
            f"{name}: {spec['formula']}; weights {spec['weights']}; "
            f"errors {spec.get('errors', spec['cov_type'])}."
            for name, spec in models.items()
        ]
        + _derived(models)
        or ["No consumer panel in this edition: no loyalty models."],
        "Data": [
            f"Records read {int(ingest['read'].sum()):,}, kept {int(ingest['kept'].sum()):,}, duplicates {int(ingest['duplicates'].sum()):,}, quarantined {int(ingest['quarantined'].sum()):,} in {len(ingest)} files.",
            f"Outside the period {config['period']['start']} – {config['period']['end']} (left out): {_total(ingest, 'out_of_period'):,}; texts with control characters removed: {_total(ingest, 'texts_cleaned'):,}; texts cut to {config['ingest']['max_text_length']:,} characters: {_total(ingest, 'texts_cut'):,}.",
        ],
        "Software": [f"Python {platform.python_version()}"]
        + [f"{p} {_version(p)}" for p in PACKAGES],
        "Input files (SHA-256)": [
            f"{Path(p).parent.name}/{Path(p).name}: {h[:16]}…" for p, h in hashes.items()
        ],
    }
    return out


def _total(table, column: str) -> int:
    return int(table[column].sum()) if column in table else 0


def _derived(models: dict) -> list[str]:
    """The models' derived variables and reference levels, as models.json gives them."""
    derived = {k: v for spec in models.values() for k, v in spec.get("derived", {}).items()}
    levels = {k: v for spec in models.values() for k, v in spec.get("reference_levels", {}).items()}
    lines = [f"Derived variable {name} = {rule}." for name, rule in derived.items()]
    if levels:
        lines.append("Reference levels: " + ", ".join(f"{k} {v}" for k, v in levels.items()) + ".")
    return lines


def _classifier_sources(classifier: dict) -> list[str]:
    lines = [
        f"Training source {s['source']}: {s['messages']} messages, total weight "
        f"{s['total_weight']:.0f} (SHA-256 {s['sha256'][:16]}…)."
        for s in classifier.get("sources", [])
    ]
    inside = classifier.get("validation_in_domain")
    if inside:
        lines.append(
            f"Macro-F1 on this edition's own coded messages ({inside['messages']}, "
            f"{inside['folds']}-fold, each fold predicted by a model trained without it): "
            f"{inside['macro_f1']:.3f}; the cross-validated figure above is over all sources."
        )
    return lines


def _version(package: str) -> str:
    try:
        return package_metadata.version(package)
    except package_metadata.PackageNotFoundError:
        return "?"


def build(inputs: dict, config: dict, outdir: str | Path, pdf_path: str | Path) -> dict:
    """Write figures, tables and the PDF; return the summary's numbers.

    An edition without a consumer panel has ``descriptives``, ``coefficients`` and
    ``models`` None (or absent): the report then has no loyalty chapter, no panel
    columns in the profiles, and says that the edition has no panel.
    """
    outdir = Path(outdir)
    language = config["language"]
    text = TEXT[language]
    names = inputs["names"]
    ind, league = inputs["indicators"], inputs["league"]
    descriptives = inputs.get("descriptives")
    panel = descriptives is not None
    figure_files = {}
    plots = {
        "league_table": figures.league_table(league, names, text),
        "response_by_type": figures.response_by_type(ind, names, text),
        "response_times": figures.response_times(inputs["incoming"], names, text),
        "dialogue_share": figures.dialogue_share(ind, names, text),
        "monthly_volumes": figures.monthly_volumes(ind, text),
    }
    if panel:
        plots["loyalty_gap"] = figures.loyalty_gap(descriptives, names, text)
        plots["coefficients"] = figures.coefficients(inputs["coefficients"], text)
    plots["confusion"] = figures.confusion(inputs["confusion"], text)
    for name, figure in plots.items():
        figures.save(figure, outdir / "figures" / name)
        figure_files[name] = f"figures/{name}.png"
    models = inputs.get("models") or {}
    all_tables = {
        "league": tables.league(league),
        "response_by_type": tables.response_by_type(ind),
        "response_by_type_corrected": inputs["by_type"],
        "response_times": tables.response_times(ind),
    }
    if panel:
        regression = tables.regression(inputs["coefficients"], models)
        all_tables["panel_descriptives"] = descriptives
        all_tables["regression"] = regression
    all_tables |= {
        "data_quality": inputs["ingest"],
        "classifier_validation": inputs["classifier_per_class"],
        "profiles": profiles(ind, league, descriptives, names, language),
    }
    (outdir / "tables").mkdir(parents=True, exist_ok=True)
    for name, table in all_tables.items():
        tables.safe_csv(table, outdir / "tables" / f"{name}.csv")
    tables.workbook(all_tables, outdir / "engbench_tables.xlsx")
    if panel:
        (outdir / "tables" / "regression.tex").write_text(
            tables.latex(regression, "Loyalty and following"), encoding="utf-8"
        )
    by_type = inputs["by_type"]
    corrected_used = bool(by_type["corrected_rate"].notna().any())
    numbers = summary_numbers(
        ind,
        league,
        inputs["coefficients"] if panel else None,
        language,
        by_type if corrected_used else None,
    )
    (outdir / "summary_numbers.json").write_text(
        json.dumps(numbers, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    league_named = all_tables["league"].assign(name=all_tables["league"]["org_id"].map(names))
    document_tables = {
        "league": league_named[["rank", "rank_lower", "rank_upper", "name", "index"]].round(3),
        "profile_blocks": profile_blocks(ind, league, descriptives, names, language),
        "response_by_type_corrected": tables.response_by_type_corrected(by_type, text, language),
        "corrected_used": corrected_used,
    }
    if panel:
        document_tables["regression"] = regression
    source = typst_source(
        config,
        numbers,
        document_tables,
        figure_files,
        names,
        methods(
            config,
            inputs["classifier"],
            models,
            inputs["ingest"],
            inputs["hashes"],
            by_type["basis"].iloc[0] if "basis" in by_type and len(by_type) else "",
        ),
        language,
        panel=panel,
    )
    pdf = compile_pdf(source, outdir)
    Path(pdf_path).write_bytes(pdf)
    return {"numbers": numbers, "pages_bytes": len(pdf)}
