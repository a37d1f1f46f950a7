"""The ``engbench`` command: the workflow's steps for use outside Snakemake.

    engbench ingest FILE... --out DIR [--private DIR] [--format NAME] [--organisations SHEET]
    engbench scan-personal-data FOLDER... [--config CONFIG]
    engbench train --labels CSV --out MODEL_DIR
    engbench classify --model MODEL_DIR --input CSV --output CSV
    engbench reliability SHEET.xlsx... [--coders coder_1 coder_2] [--out CSV]
    engbench simulate --config config/config.yaml [--out DIR]
    engbench init NAME --source GLOB [--source GLOB ...] [--format NAME] [--period A B]

``init`` sets up a real edition from its raw files: config/NAME.yaml (every key, commented)
and config/NAME-organisations.csv (the accounts that look like organisations, to check).

``ingest`` runs the same code as the workflow's ingest and merge rules, so a
researcher can try a new export before configuring an edition; it prints the
per-file summary (read, kept, duplicates, quarantined). Quarantined records are raw (they
may name a consumer): they go to the private folder (``--private``, default ``DIR-private``),
not into ``--out``. ``scan-personal-data`` looks for the raw user ids and handles of an
edition's consumers in every file under the given output folders.
"""

# Imports of pandas, scikit-learn and the stages happen inside the commands, so that
# `engbench --help` (and a mistyped command) answers at once.
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

# engbench.ingest.formats.FORMATS, named here so --help needs no parser imported
# (tests/test_cli.py checks the two agree).
FORMAT_NAMES = (
    "bluesky",
    "customer_care_json",
    "facebook_graph",
    "fourcat_csv",
    "mapped_table",
    "mastodon",
    "twitter_v1",
    "x_api_v2",
    "x_archive",
)
# The errors a command reports in one line, by module; a module that was never imported
# cannot have raised its error, so only imported ones are looked up.
USER_ERRORS = {
    "engbench.ingest.records": "IngestError",
    "engbench.organisations": "OrganisationsError",
    "engbench.ingest.privacy": "MissingKeyError",
    "engbench.classify.model": "LabelError",
    "engbench.classify.coding": "CodingError",
    "engbench.config": "ConfigError",
    "engbench.edition_setup": "EditionSetupError",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="engbench", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)

    ingest = commands.add_parser("ingest", help="ingest archive files into a message store")
    ingest.add_argument("files", nargs="+", type=Path, help="raw archive files")
    ingest.add_argument("--out", required=True, type=Path, help="output folder")
    ingest.add_argument(
        "--private",
        type=Path,
        help="folder for the quarantined (raw, personal) records; default: DIR-private beside "
        "--out, never inside it",
    )
    ingest.add_argument("--format", default="auto", choices=["auto", *FORMAT_NAMES])
    ingest.add_argument("--organisations", type=Path, help="organisations sheet (CSV)")
    ingest.add_argument("--timezone", default="UTC", help="zone of timestamps without one")
    ingest.add_argument("--max-quarantine-share", type=float, default=0.01)
    ingest.add_argument(
        "--max-text-length",
        type=int,
        default=None,
        help="longer texts are cut to this many characters (and counted); default 65,536",
    )
    ingest.add_argument(
        "--period",
        nargs=2,
        metavar=("START", "END"),
        help="keep messages from local date START up to END (exclusive), in --edition-timezone; "
        "the rest are left out and counted",
    )
    ingest.add_argument(
        "--edition-timezone", default="Europe/Amsterdam", help="time zone of --period"
    )
    ingest.add_argument(
        "--key-file", help="pseudonymisation key file (else $ENGBENCH_PSEUDONYM_KEY)"
    )
    ingest.add_argument(
        "--demo-key", action="store_true", help="use the public demo key (test data only)"
    )
    ingest.add_argument(
        "--option",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="source option, e.g. platform=twitter, account_id=123, columns.message_id=tweet_id",
    )

    train = commands.add_parser("train", help="train the message-type classifier on coded messages")
    train.add_argument(
        "--labels",
        required=True,
        type=Path,
        action="append",
        help="CSV with text and label columns (optional weight); repeat for more sources",
    )
    train.add_argument(
        "--weight",
        action="append",
        help="weight of each --labels source, in order: a number (per message) or 'balanced' "
        "(the same total weight as the first source); default 1 for the first, 3 for the others",
    )
    train.add_argument("--out", required=True, type=Path, help="model folder")
    train.add_argument("--folds", type=int, default=5)
    train.add_argument("--seed", type=int, default=2018)
    train.add_argument("--jobs", type=int, default=2)

    classify = commands.add_parser("classify", help="add type and probabilities to a CSV with text")
    classify.add_argument("--model", required=True, type=Path, help="model folder (engbench train)")
    classify.add_argument("--input", required=True, type=Path, help="CSV with a text column")
    classify.add_argument("--output", required=True, type=Path)
    classify.add_argument("--jobs", type=int, default=2)

    coded = commands.add_parser("reliability", help="inter-coder reliability of coded sheets")
    coded.add_argument("sheets", nargs="+", type=Path, help="coded XLSX sheets")
    coded.add_argument("--coders", nargs="+", default=["coder_1", "coder_2"])
    coded.add_argument("--out", type=Path, help="write the table as CSV too")

    scan = commands.add_parser(
        "scan-personal-data",
        help="look for consumers' raw user ids and handles in output files",
        description="Reads the edition's raw files (its sources and organisations sheet) for "
        "the user ids and handles of consumers, then scans every file under each FOLDER "
        "(parquet, CSV, JSON, XLSX, PDF, Typst, logs, HTML …) for them. Exit code 1 if any "
        "is found; findings show the identifier masked.",
    )
    scan.add_argument("folders", nargs="+", type=Path, help="e.g. results/<edition> logs/<edition>")
    scan.add_argument("--config", type=Path, default=Path("config/config.yaml"))

    simulate = commands.add_parser("simulate", help="write a simulated edition")
    simulate.add_argument("--config", type=Path, default=Path("config/config.yaml"))
    simulate.add_argument("--out", type=Path, help="output folder (default demo.outdir/<edition>)")

    init = commands.add_parser(
        "init",
        help="set up a real edition: a commented config and an organisations sheet proposed "
        "from the raw files",
    )
    init.add_argument("name", help="edition name (the folder under results/), e.g. dweb-2024")
    init.add_argument(
        "--source",
        required=True,
        action="append",
        metavar="GLOB",
        help="raw files of one source, e.g. 'data/twitter/*.jsonl' (quoted); repeat for more",
    )
    init.add_argument(
        "--format",
        default="auto",
        choices=["auto", *FORMAT_NAMES],
        help="format of every --source (default: detected per file; a table no format "
        "claims becomes mapped_table with its columns mapped by name)",
    )
    init.add_argument(
        "--platform",
        choices=["twitter", "facebook", "instagram", "bluesky", "mastodon"],
        help="platform of a table without a platform column",
    )
    init.add_argument(
        "--period",
        nargs=2,
        metavar=("START", "END"),
        help="local dates, END exclusive (default: the dates 99%% of the messages fall in)",
    )
    init.add_argument("--language", choices=["nl", "en"], help="language of the report (nl)")
    init.add_argument("--timezone", help="IANA time zone of the edition (Europe/Amsterdam)")
    init.add_argument("--config-dir", type=Path, default=Path("config"), help="default: config")
    init.add_argument("--force", action="store_true", help="overwrite files written before")

    args = parser.parse_args(argv)
    handlers = {
        "ingest": _ingest,
        "train": _train,
        "classify": _classify,
        "reliability": _reliability,
        "simulate": _simulate,
        "init": _init,
        "scan-personal-data": _scan_personal_data,
    }
    try:
        return handlers[args.command](args)
    except (FileNotFoundError, *_user_errors()) as error:
        print(f"engbench: {error}", file=sys.stderr)
        return 2


def _user_errors() -> tuple[type[Exception], ...]:
    return tuple(
        getattr(sys.modules[module], name)
        for module, name in USER_ERRORS.items()
        if module in sys.modules
    )


def _options(pairs: list[str]) -> dict:
    options: dict = {}
    for pair in pairs:
        key, _, value = pair.partition("=")
        if key.startswith("columns."):
            options.setdefault("columns", {})[key.split(".", 1)[1]] = value
        else:
            options[key] = value
    return options


def _ingest(args) -> int:
    import pandas as pd

    from engbench.ingest.canonical import MAX_TEXT_LENGTH, OrganisationIndex
    from engbench.ingest.files import ingest_file
    from engbench.ingest.privacy import Pseudonymiser, load_key
    from engbench.ingest.records import IngestError
    from engbench.ingest.store import merge
    from engbench.organisations import read_organisations

    if args.max_text_length is None:
        args.max_text_length = MAX_TEXT_LENGTH
    accounts = read_organisations(args.organisations) if args.organisations else None
    organisations = OrganisationIndex(accounts)
    pseudonymise = Pseudonymiser(load_key(key_file=args.key_file, demo=args.demo_key))
    options = _options(args.option)
    for path in args.files:  # before any work: a missing file is a typing error
        if not path.exists() and not path.is_symlink():
            raise IngestError(f"{path}: file not found")
    private = args.private or _private_folder(args.out)
    tables, summaries = [], []
    for i, path in enumerate(args.files):
        stem = f"{i:04d}-{path.name}"
        out = args.out / "files" / f"{stem}.parquet"
        summary = ingest_file(
            path,
            source=path.parent.name or "cli",
            fmt=args.format,
            organisations=organisations,
            pseudonymise=pseudonymise,
            out=out,
            quarantine=private / "quarantine" / f"{stem}.jsonl",
            options=options,
            timezone=args.timezone,
            max_quarantine_share=args.max_quarantine_share,
            max_text_length=args.max_text_length,
            period=tuple(args.period) if args.period else None,
            edition_timezone=args.edition_timezone,
            log=lambda message: print(message, file=sys.stderr),
        )
        tables.append(out)
        summaries.append(summary.as_dict())
    table = merge(tables, summaries, args.out / "messages", args.timezone)
    table.to_csv(args.out / "summary.csv", index=False)
    columns = ["source_file", "source_format", "read", "kept", "duplicates", "quarantined"]
    columns += [c for c in ("out_of_period", "texts_cleaned", "texts_cut") if table[c].any()]
    with pd.option_context("display.width", 160, "display.max_colwidth", 60):
        print(table[columns].to_string(index=False))
    for row in table.itertuples():
        if row.notes:
            print(f"{row.source_file}: {row.notes}")
    print(f"\nmessage store: {args.out / 'messages'}   summary: {args.out / 'summary.csv'}")
    if table["quarantined"].any():
        print(f"quarantined records (raw, personal data: not to be shared): {private}")
    return 0


def _private_folder(out: Path) -> Path:
    """``OUT-private`` beside ``out`` (never inside it, also for ``--out .``)."""
    if out.name in ("", ".."):
        out = out.resolve()
    return out.with_name(f"{out.name}-private")


def _train(args) -> int:
    from engbench.classify import model as classifier

    weights = list(args.weight or [])
    if len(weights) > len(args.labels):
        raise classifier.LabelError(
            f"{len(weights)} --weight values for {len(args.labels)} --labels sources"
        )
    defaults = ["1"] + [str(classifier.IN_DOMAIN_WEIGHT)] * (len(args.labels) - 1)
    weights += defaults[len(weights) :]
    sources = [
        (str(path), _read_table(path), w if w == "balanced" else _number(w, "--weight"))
        for path, w in zip(args.labels, weights, strict=True)
    ]
    labels = classifier.combine_sources(sources)
    in_domain = str(args.labels[-1]) if len(args.labels) > 1 else None
    print(
        f"training on {len(labels):,} coded messages from {len(sources)} source(s) "
        f"({args.folds}-fold selection) …",
        file=sys.stderr,
    )
    model, metadata, validation = classifier.train_and_validate(
        labels, seed=args.seed, folds=args.folds, n_jobs=args.jobs, in_domain=in_domain
    )
    classifier.save(model, metadata, args.out, validation)
    for source in metadata["sources"]:
        print(
            f"  {source['source']}: {source['messages']:,} messages, "
            f"total weight {source['total_weight']:,.1f}",
            file=sys.stderr,
        )
    print(validation["per_class"].round(3).to_string(index=False))
    print(f"macro-F1 {validation['macro_f1']:.3f} (cross-validated over all sources)")
    if in_domain is not None:
        print(
            f"macro-F1 {validation['in_domain']['macro_f1']:.3f} on {in_domain} "
            "(its own folds, each predicted by a model trained without it)"
        )
    print(f"model in {args.out}")
    return 0


def _number(text: str, option: str) -> float:
    from engbench.classify.model import LabelError

    try:
        return float(text)
    except ValueError:
        raise LabelError(f"{option}: expected a number or 'balanced', got {text!r}") from None


def _classify(args) -> int:
    import pandas as pd

    from engbench.classify import model as classifier
    from engbench.classify.quantify import corrected_type_shares
    from engbench.ingest.records import IngestError

    model, _ = classifier.load(args.model)
    table = _read_table(args.input)
    if "text" not in table:
        raise IngestError(f"{args.input}: no `text` column (columns: {list(table.columns)})")
    out = classifier.classify_messages(model, table, n_jobs=args.jobs)
    out.to_csv(args.output, index=False)
    print(
        f"{len(out):,} messages classified: "
        + ", ".join(f"{k} {v:,}" for k, v in out["type"].value_counts().items())
    )
    if (args.model / "confusion.csv").exists() and len(out):
        confusion = pd.read_csv(args.model / "confusion.csv", index_col=0)
        shares = corrected_type_shares(out, confusion, by=[])
        corrected = zip(shares["type"], shares["corrected_share"], strict=True)
        print(
            f"shares corrected for the classifier's errors ({shares['error_rates'].iloc[0]}): "
            + ", ".join(f"{t} {share:.1%}" for t, share in corrected)
        )
    return 0


def _reliability(args) -> int:
    from engbench.classify.coding import read_sheets, reliability

    table = reliability(read_sheets(args.sheets, args.coders), args.coders)
    if args.out:
        table.to_csv(args.out, index=False)
    print(table.round(3).to_string(index=False))
    return 0


def _read_table(path: Path) -> pd.DataFrame:
    import pandas as pd

    if not path.exists():
        raise FileNotFoundError(f"{path}: file not found")
    if path.suffix.lower() in (".xlsx", ".xls"):
        return pd.read_excel(path, dtype={"text": str})
    return pd.read_csv(path, dtype={"text": str}, keep_default_na=False)


def _scan_personal_data(args) -> int:
    import yaml

    from engbench.config import validate_config
    from engbench.personal_data import scan_edition

    config = validate_config(yaml.safe_load(args.config.read_text()), source=str(args.config))
    identifiers, reports = scan_edition(config, args.folders)
    print(
        f"{len(identifiers):,} raw consumer identifiers from {identifiers.files} raw files "
        f"({len(identifiers.ids):,} user ids, "
        f"{len(identifiers.handles) + len(identifiers.word_handles):,} handles)"
    )
    for folder, report in zip(args.folders, reports, strict=True):
        print(f"{folder}: {report.summary()}")
    return 1 if any(r.findings for r in reports) else 0


def _simulate(args) -> int:
    import yaml

    from engbench.config import validate_config
    from engbench.organisations import read_organisations
    from engbench.simulate import demo_folder, simulate_and_write, simulation_settings

    config = validate_config(yaml.safe_load(args.config.read_text()), source=str(args.config))
    out = args.out or Path(demo_folder(config))
    _, counts = simulate_and_write(
        read_organisations(config["organisations"]), out, simulation_settings(config)
    )
    print(f"simulated {counts['messages']:,} messages into {out}")
    return 0


def _init(args) -> int:
    import os

    from engbench.edition_setup import check_sheet, init_edition

    setup = init_edition(
        args.name,
        args.source,
        fmt=args.format,
        platform=args.platform,
        period=tuple(args.period) if args.period else None,
        language=args.language,
        timezone=args.timezone,
        config_dir=args.config_dir,
        force=args.force,
    )
    config, sheet = setup.config, setup.sheet
    print(f"read {setup.messages:,} messages by {setup.authors:,} authors")
    print(
        f"wrote {setup.config_path}: edition {config['edition']['name']}, period "
        f"{config['period']['start']} – {config['period']['end']} (end exclusive)"
    )
    for source in config["sources"]:
        found = f"  source {source['name']}: {source['path']}, format {source['format']}"
        if "columns" in source:
            found += ", columns " + ", ".join(f"{k}={v}" for k, v in source["columns"].items())
        print(found)
    for note in setup.notes:
        print(f"  {note}")
    print(
        f"wrote {setup.sheet_path}: {len(sheet):,} accounts proposed as organisations "
        "(replied to many different authors, or addressed by many)"
    )
    todo = check_sheet(sheet)
    key_env = config["privacy"]["key_env"]
    steps = [
        f"{setup.sheet_path}: keep the organisations' accounts and delete the rest (the counts "
        "in the last columns say why each was proposed); give each a `name` and a `sector`"
        + (f" ({'; '.join(todo)})" if todo else "")
        + "; merge accounts of one organisation under one org_id; add `followers` if known",
        f"{setup.config_path}: check the period, the title and each source's format (and "
        "`columns:` for tables); add `panel` if the edition has a consumer panel",
    ]
    if not os.environ.get(key_env):
        steps.append(
            f"the pseudonymisation key: export {key_env}=\"$(python3 -c 'import secrets; "
            "print(secrets.token_urlsafe(24))')\" (keep it outside the repository, the same "
            "for every run of the edition), or set privacy.key_file"
        )
    print("\nCheck next:")
    for i, step in enumerate(steps, start=1):
        print(f"  {i}. {step}")
    print(f"\nThen run:\n  snakemake --cores 8 --configfile {setup.config_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
