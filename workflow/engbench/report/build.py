"""Assemble the report: figures, tables, the workbook, LaTeX, the summary's numbers, the PDF."""

from __future__ import annotations

import hashlib
import json
import platform
import re
from importlib import metadata as package_metadata
from pathlib import Path

import pandas as pd

from engbench import comparison
from engbench.classify.adapt import EDITION_SOURCE
from engbench.config import parse_webcare_hours
from engbench.metrics import edition_estimates, index_contributions
from engbench.models import MODELS
from engbench.report import figures, scorecard, tables
from engbench.report.document import (
    compile_pdf,
    profile_blocks,
    summary_numbers,
    typst_source,
)
from engbench.report.findings import benchmark_sentences, findings, robustness_sentence
from engbench.report.text import TEXT, duration, number, webcare_hours
from engbench.report.text import formula as text_formula
from engbench.report.text import period as text_period
from engbench.report.text import words as text_words

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


def combined_checksum(hashes: dict[str, str]) -> str:
    """One SHA-256 over the input files' paths and checksums (in path order): the PDF prints
    this one; the workbook lists every file's."""
    digest = hashlib.sha256()
    for path, value in sorted(hashes.items()):
        digest.update(f"{path}\t{value}\n".encode())
    return digest.hexdigest()


def input_files(hashes: dict[str, str]) -> pd.DataFrame:
    """The workbook's list of input files and their SHA-256 checksums."""
    return pd.DataFrame(
        {"file": list(hashes), "sha256": list(hashes.values())}, columns=["file", "sha256"]
    )


def methods(
    config: dict,
    classifier: dict,
    models: dict,
    ingest: pd.DataFrame,
    hashes: dict,
    correction: str = "",
    language: str = "en",
    names: dict[str, str] | None = None,
) -> dict[str, list[str]]:
    """The methods appendix in the report's language: headings to sentences, every
    number in the language's format, models in words with a readable formula."""
    t = TEXT[language]
    m = t["methods_text"]
    heading = t["methods_sections"]

    def n(value, digits=0):
        return number(value, language, digits)

    weights = config["metrics"]["index_weights"]
    validation = classifier.get("validation", {})
    grid = [g["params"] for g in classifier.get("selection", {}).get("grid", [])]
    best = classifier.get("selection", {}).get("best_params", {})
    out = {
        heading["definitions"]: [
            m["period"].format(
                period=text_period(config["period"]["start"], config["period"]["end"], language),
                timezone=config["timezone"],
            ),
            m[
                "response_direct"
                if config.get("response", {}).get("definition") == "direct"
                else "response"
            ].format(days=config["answer_window_days"]),
            m["hours"].format(hours=webcare_hours(config["webcare_hours"], language)),
            m["censored"],
            m["bootstrap"].format(
                resamples=n(config["metrics"]["bootstrap_resamples"]),
                seed=config["metrics"]["seed"],
            ),
            m["weights"].format(
                weights=", ".join(
                    f"{t['components'].get(k, k)} {n(v, 2)}" for k, v in weights.items()
                )
            ),
        ],
        heading["classifier"]: [
            m["trained"].format(
                n=n(classifier.get("training_messages")),
                sha=classifier.get("training_data_sha256", "")[:16],
            ),
            *(
                [
                    m["selection"].format(
                        value=", ".join(n(v, 1) for v in best.values()),
                        grid=", ".join(n(v, 1) for g in grid for v in g.values()),
                    )
                ]
                if best
                else []
            ),
            m["validation"].format(
                f1=n(validation.get("macro_f1", float("nan")), 3),
                accuracy=n(validation.get("accuracy", float("nan")), 3),
            ),
            m["acc"],
            *_classifier_sources(classifier, language),
            m["correction"].format(basis=_basis(correction, language)),
            m["raw_counts"].format(
                sample=m["raw_counts_sample"].format(
                    n=number(_coded_messages(correction) / len(names), language, 0)
                )
                if _coded_messages(correction) and names
                else ""
            ),
        ],
        heading["models"]: [
            m["model"].format(
                name=t["models"].get(name, name),
                formula=text_formula(spec["formula"], language),
                weighted=m[
                    "weighted_ipw"
                    if "weights_multiplied_by" in spec
                    else "weighted_yes"
                    if spec.get("weights")
                    else "weighted_no"
                ],
                errors=m["errors"].get(spec.get("cov_type"), spec.get("cov_type")),
            )
            for name, spec in sorted(models.items(), key=lambda m: _model_order(m[0]))
        ]
        + _derived(models, language, names or {})
        or [m["no_models"]],
        heading["data"]: [
            m["records"].format(
                read=n(ingest["read"].sum()),
                kept=n(ingest["kept"].sum()),
                duplicates=n(ingest["duplicates"].sum()),
                quarantined=n(ingest["quarantined"].sum()),
                files=n(len(ingest)),
            ),
            m["outside"].format(
                outside=n(_total(ingest, "out_of_period")),
                cleaned=n(_total(ingest, "texts_cleaned")),
                max=n(config["ingest"]["max_text_length"]),
                cut=n(_total(ingest, "texts_cut")),
            ),
        ],
        heading["software"]: [f"Python {platform.python_version()}"]
        + [f"{p} {_version(p)}" for p in PACKAGES],
        heading["inputs"]: [
            m["inputs"].format(n=n(len(hashes)), checksum=combined_checksum(hashes))
        ],
    }
    return out


def _model_order(name: str) -> int:
    """The models in the order models.py fits them (ols_fe first)."""
    return MODELS.index(name) if name in MODELS else len(MODELS)


def _total(table, column: str) -> int:
    return int(table[column].sum()) if column in table else 0


def _derived(models: dict, language: str, names: dict[str, str]) -> list[str]:
    """The models' derived variables and reference levels, in words."""
    m = TEXT[language]["methods_text"]
    derived = {k: v for spec in models.values() for k, v in spec.get("derived", {}).items()}
    levels = {k: v for spec in models.values() for k, v in spec.get("reference_levels", {}).items()}
    lines = [
        m["derived"].format(
            name=text_words(name, language), rule=m["derived_rules"].get(name, rule)
        )
        for name, rule in derived.items()
    ]
    if levels:
        lines.append(
            m["references"].format(
                levels=", ".join(
                    f"{text_words(k, language)} {names.get(v, v) if k == 'org_id' else v}"
                    for k, v in levels.items()
                )
            )
        )
    return lines


def _coded_messages(correction: str) -> int | None:
    """The coded incoming messages the per-type correction rests on (the metrics stage's
    note), None when the rates are not corrected."""
    found = re.match(r"corrected with this edition's coded sample \(([\d,]+) ", correction or "")
    return int(found[1].replace(",", "")) if found else None


def _basis(correction: str, language: str) -> str:
    """The per-type correction's basis (the metrics stage's note) in the report's words."""
    m = TEXT[language]["methods_text"]
    coded = _coded_messages(correction)
    if coded is None:
        return m["basis_none"]
    return m["basis_corrected"].format(n=number(coded, language, 0))


def _classifier_sources(classifier: dict, language: str) -> list[str]:
    m = TEXT[language]["methods_text"]
    lines = [
        m["source"].format(
            source=m["edition_source"] if s["source"] == EDITION_SOURCE else s["source"],
            n=number(s["messages"], language, 0),
            weight=number(s["total_weight"], language, 0),
            sha=s["sha256"][:16],
        )
        for s in classifier.get("sources", [])
    ]
    inside = classifier.get("validation_in_domain")
    if inside:
        lines.append(
            m["in_domain"].format(
                n=number(inside["messages"], language, 0),
                folds=inside["folds"],
                f1=number(inside["macro_f1"], language, 3),
            )
        )
    return lines


def _version(package: str) -> str:
    try:
        return package_metadata.version(package)
    except package_metadata.PackageNotFoundError:
        return "?"


def benchmark_tables(inputs: dict, config: dict, order: list[str]) -> dict[str, pd.DataFrame]:
    """The benchmarks a reader compares against (``engbench.comparison``), numbers as
    numbers: sectors (``inputs["sectors"]``, org_id → sector; none: one group), platforms,
    what consumers send, and answers outside webcare hours (when the incoming table has
    the messages' and first replies' moments)."""
    sectors = inputs.get("sectors") or {}
    incoming = inputs["incoming"]
    out = {
        "sector_benchmarks": comparison.sector_benchmarks(inputs["indicators"], sectors),
        "platforms": comparison.platforms(inputs["indicators"]),
    }
    if "type" in incoming:
        out["type_mix"] = comparison.type_mix(incoming, sectors)
    if {"created_at", "first_reply_at"} <= set(incoming):
        out["outside_hours"] = comparison.outside_hours(
            incoming,
            parse_webcare_hours(config["webcare_hours"]),
            config["timezone"],
            order,
        )
    return out


def scorecards(inputs: dict, order: list[str], found, outdir: Path) -> list[dict]:
    """Per organisation (league ``order``) its scorecard figure (``figures/scorecard_<n>``),
    its sentences (also into ``found.benchmarks`` as ``scorecard <org_id>``) and its rows
    (the workbook's ``scorecards`` sheet, via the returned cards)."""
    names, sectors = inputs["names"], inputs.get("sectors") or {}
    text = TEXT[found.language]
    cards = []
    for n, org in enumerate(order, start=1):
        card = scorecard.rows(inputs["indicators"], inputs["league"], sectors, org)
        said = scorecard.sentences(found, card, org, names.get(org, org), sectors.get(org, ""))
        found.benchmarks[f"scorecard {org}"] = " ".join(said)
        name = f"scorecard_{n:03d}"
        # one per organisation: PNG only, at 150 dpi, so that 28 of them stay quick
        figures.save(figures.scorecard(card, text), outdir / "figures" / name, pdf=False, dpi=150)
        cards.append(
            {
                "org_id": org,
                "name": names.get(org, org),
                "sentences": said,
                "figure": f"figures/{name}.png",
                "rows": card,
            }
        )
    return cards


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
    order = list(league.sort_values("rank")["org_id"])  # the league order, in every chart
    plots = {
        "league_table": figures.league_table(league, names, text),
        "response_by_type": figures.response_by_type(ind, names, text, order),
        "response_times": figures.response_times(inputs["incoming"], names, text, order),
        "dialogue_share": figures.dialogue_share(ind, names, text, order),
        "monthly_volumes": figures.monthly_volumes(ind, text),
    }
    contributions = index_contributions(
        league.sort_values("rank"), config["metrics"]["index_weights"]
    )
    plots["index_decomposition"] = figures.index_decomposition(contributions, names, text)
    if panel:
        plots["loyalty_gap"] = figures.loyalty_gap(descriptives, names, text, order)
        plots["coefficients"] = figures.coefficients(inputs["coefficients"], text)
    plots["confusion"] = figures.confusion(inputs["confusion"], text)
    for name, figure in plots.items():
        figures.save(figure, outdir / "figures" / name)
        figure_files[name] = f"figures/{name}.png"
    models = inputs.get("models") or {}
    all_tables = {
        "league": tables.league(league),
        "index_contributions": contributions,
        "response_by_type": tables.response_by_type(ind),
        "response_by_type_corrected": inputs["by_type"],
        "response_times": tables.response_times(ind),
    }
    benchmarks = benchmark_tables(inputs, config, order)
    all_tables |= benchmarks
    if inputs.get("counts") is not None and inputs.get("kinds") is not None:
        all_tables["count_reconciliation"] = tables.count_reconciliation(
            int(inputs["ingest"]["kept"].sum()), inputs["counts"], inputs["kinds"]
        )
    robustness = inputs.get("robustness")
    if robustness is not None:
        all_tables["robustness"] = robustness
    if panel:
        regression = tables.regression(inputs["coefficients"], models)
        all_tables["panel_descriptives"] = descriptives
        all_tables["regression"] = regression
    all_tables |= {
        "data_quality": inputs["ingest"],
        "classifier_validation": inputs["classifier_per_class"],
        "profiles": profiles(ind, league, descriptives, names, language),
        "scorecards": pd.concat(
            [
                scorecard.rows(ind, league, inputs.get("sectors") or {}, org).assign(org_id=org)
                for org in order
            ],
            ignore_index=True,
        ),
        "input_files": input_files(inputs["hashes"]),
    }
    (outdir / "tables").mkdir(parents=True, exist_ok=True)
    for name, table in all_tables.items():
        tables.safe_csv(table, outdir / "tables" / f"{name}.csv")
    tables.workbook_in_words(all_tables, outdir / "engbench_tables.xlsx", language)
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
    found = findings(
        ind,
        league,
        inputs["coefficients"] if panel else None,
        by_type if corrected_used else None,
        names,
        config,
        language,
    )
    benchmark_sentences(
        found,
        benchmarks.get("sector_benchmarks"),
        benchmarks.get("platforms"),
        benchmarks.get("type_mix"),
        benchmarks.get("outside_hours"),
        names,
    )
    said_robustness = (
        robustness_sentence(robustness, language, found) if robustness is not None else ""
    )
    cards = scorecards(inputs, order, found, outdir)
    (outdir / "findings.json").write_text(
        json.dumps(found.to_json(), indent=2, ensure_ascii=False), encoding="utf-8"
    )
    league_named = all_tables["league"].assign(name=all_tables["league"]["org_id"].map(names))
    document_tables = {
        "league": pd.DataFrame(
            {
                c: v
                for c, v in zip(
                    text["league_columns"],
                    (
                        league_named["rank"].astype(int),
                        [
                            f"{int(lo)}–{int(hi)}"
                            for lo, hi in zip(
                                league_named["rank_lower"], league_named["rank_upper"], strict=True
                            )
                        ],
                        league_named["name"],
                        [number(v, language, 2) for v in league_named["index"]],
                    ),
                    strict=True,
                )
            }
        ),
        "profile_blocks": profile_blocks(ind, league, descriptives, names, language),
        "response_by_type_corrected": tables.response_by_type_corrected(by_type, text, language),
        "corrected_used": corrected_used,
    }
    document_tables |= {
        "sector_benchmarks": tables.sector_benchmarks(
            benchmarks["sector_benchmarks"], text, language
        ),
        "platforms": tables.platforms(benchmarks["platforms"], text, language),
    }
    profile_rows = {
        block["name"]: block["rows"]
        for block in profile_blocks(ind, league, descriptives, names, language)
    }
    keep = {text["rank"], text["incoming"], text["follow_share"], text["loyalty_pair"]}
    for card in cards:
        card["facts"] = [(k, v) for k, v in profile_rows.get(card["name"], []) if k in keep]
    document_tables["scorecards"] = cards
    if "count_reconciliation" in all_tables:
        document_tables["count_reconciliation"] = tables.count_reconciliation_words(
            all_tables["count_reconciliation"], text, language
        )
    if "type_mix" in benchmarks:
        document_tables["type_mix"] = tables.type_mix(benchmarks["type_mix"], text, language)
    if "outside_hours" in benchmarks:
        document_tables["outside_hours"] = tables.outside_hours(
            benchmarks["outside_hours"], text, language, names, order
        )
    if robustness is not None:
        document_tables["robustness"] = tables.robustness(robustness, text, language)
        document_tables["robustness_sentence"] = said_robustness
    if panel:
        for part, table in tables.regression_by_scale(
            inputs["coefficients"], models, language
        ).items():
            document_tables[f"regression_{part}"] = table
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
            language,
            names,
        ),
        language,
        panel=panel,
        findings=found,
    )
    pdf = compile_pdf(source, outdir)
    Path(pdf_path).write_bytes(pdf)
    return {"numbers": numbers, "pages_bytes": len(pdf)}
