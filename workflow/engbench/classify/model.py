"""The message-type classifier: word and character n-grams, a linear SVM, calibrated.

One model for Dutch and English: TF-IDF of word 1–2(3)-grams and of character
2–4-grams within word boundaries (robust to spelling, dialect and typos; 5-grams
added nothing in cross-validation and cost a quarter of the speed), a linear SVM
with balanced class weights, and Platt-calibrated probabilities
(``CalibratedClassifierCV``, sigmoid, calibrated on 5-fold out-of-fold decision
values, one final SVM), so the class probabilities can be used as such. The
SVM's C and the word n-gram range are chosen by stratified
5-fold cross-validation on macro-F1. Texts are normalised first: links become
``URL`` and @-mentions ``@user`` (the message store already writes consumers
that way; organisation handles carry no type).
"""

from __future__ import annotations

import hashlib
import json
import platform
import re
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import sklearn
from joblib import Parallel, delayed
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.svm import LinearSVC

from engbench.classify import TYPES

URL = re.compile(r"https?://\S+")
MENTION = re.compile(r"@[\w.]+")
# Word 1-3 grams were never better than 1-2 grams on real messages (benchmarks/
# classify_real.py) and cost throughput, so only the SVM's C is searched.
GRID = {"calibrated__estimator__C": [0.3, 1.0, 3.0]}


# Default weight per message of coded sources after the first (an edition's own coded
# messages): measured on real messages (benchmarks/classify_real.py, docs/classify.md),
# 3 was best or tied at 400 in-domain messages; 'balanced' overweights a source of 100.
IN_DOMAIN_WEIGHT = 3.0


class LabelError(ValueError):
    """The coded messages are not usable for training; the message says why."""


def normalise(texts) -> list[str]:
    """Links → ``URL``, @-mentions → ``@user``; None → empty text."""
    return [MENTION.sub("@user", URL.sub(" URL ", t)) if isinstance(t, str) else "" for t in texts]


def build_pipeline(seed: int = 2018) -> Pipeline:
    features = FeatureUnion(
        [
            ("words", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True)),
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb", ngram_range=(2, 4), min_df=3, sublinear_tf=True
                ),
            ),
        ]
    )
    svm = LinearSVC(C=1.0, class_weight="balanced", random_state=seed)
    return Pipeline(
        [
            ("normalise", FunctionTransformer(normalise)),
            ("features", features),
            ("calibrated", CalibratedClassifierCV(svm, method="sigmoid", cv=5, ensemble=False)),
        ]
    )


def check_labels(frame: pd.DataFrame, source: str = "labels", minimum: int = 10) -> pd.DataFrame:
    """Coded messages with ``text`` and ``label`` columns; each label one of TYPES.

    An optional ``weight`` column (non-negative numbers) weighs each message in
    training. ``minimum`` coded messages of every type are required (0 for a
    source that is combined with others; the combination is checked as a whole).
    """
    missing = [c for c in ("text", "label") if c not in frame]
    if missing:
        raise LabelError(
            f"{source}: missing column(s) {', '.join(missing)}; expected text and label"
        )
    labels = frame["label"].astype(str).str.strip().str.lower()
    bad = ~labels.isin(TYPES)
    if bad.any():
        rows = ", ".join(str(i + 2) for i in np.flatnonzero(bad.to_numpy())[:10])
        raise LabelError(
            f"{source}: {int(bad.sum())} label(s) not one of {', '.join(TYPES)} (lines {rows}; "
            f"e.g. {frame.loc[bad, 'label'].iloc[0]!r})"
        )
    out = frame.assign(label=labels, text=frame["text"].fillna("").astype(str))
    if "weight" in frame:
        weight = pd.to_numeric(frame["weight"], errors="coerce")
        bad = weight.isna() | (weight < 0)
        if bad.any():
            rows = ", ".join(str(i + 2) for i in np.flatnonzero(bad.to_numpy())[:10])
            raise LabelError(
                f"{source}: column weight must hold numbers >= 0 (lines {rows}; "
                f"e.g. {frame.loc[bad, 'weight'].iloc[0]!r})"
            )
        out["weight"] = weight.astype(float)
    counts = labels.value_counts()
    if (counts.reindex(TYPES, fill_value=0) < minimum).any():
        raise LabelError(
            f"{source}: every type needs at least {minimum} coded messages; have {counts.to_dict()}"
        )
    return out


def combine_sources(sources: list[tuple[str, pd.DataFrame, float | str]]) -> pd.DataFrame:
    """One training table from several coded sources, each with a weight.

    ``sources``: (name, coded messages, weight). A message's training weight is
    its own ``weight`` column (1 when absent) times its source's weight. The
    weight ``"balanced"`` gives a source the same total weight as the first
    source, however few messages it has: how a few hundred coded messages of the
    edition itself count as much as the written set (see docs/classify.md for
    the measurements behind the default). Returns text, label, weight, source.
    """
    if not sources:
        raise LabelError("no coded messages given (at least one --labels source is needed)")
    parts, first_total = [], None
    for name, frame, weight in sources:
        checked = check_labels(frame, name, minimum=0)
        own = checked["weight"] if "weight" in checked else pd.Series(1.0, index=checked.index)
        if len(checked) == 0:
            raise LabelError(f"{name}: no coded messages")
        if weight == "balanced":
            factor = (first_total or own.sum()) / own.sum()
        else:
            factor = float(weight)
            if not np.isfinite(factor) or factor < 0:
                raise LabelError(f"{name}: source weight must be a number >= 0, got {weight!r}")
        part = checked[["text", "label"]].assign(weight=own.to_numpy() * factor, source=name)
        if first_total is None:
            first_total = float(part["weight"].sum())
        parts.append(part)
    combined = pd.concat(parts, ignore_index=True)
    return check_labels(combined, " + ".join(n for n, _, _ in sources))


def describe_sources(labels: pd.DataFrame) -> list[dict]:
    """Per source: messages, counts per type, total weight and the SHA-256 of texts and labels."""
    if "source" not in labels:
        labels = labels.assign(source="labels")
    out = []
    for name, part in labels.groupby("source", sort=False):
        weight = part["weight"] if "weight" in part else pd.Series(1.0, index=part.index)
        out.append(
            {
                "source": str(name),
                "messages": len(part),
                "counts": part["label"]
                .value_counts()
                .reindex(TYPES, fill_value=0)
                .astype(int)
                .to_dict(),
                "total_weight": round(float(weight.sum()), 6),
                "weight_per_message": round(float(weight.mean()), 6),
                "sha256": data_hash(part),
            }
        )
    return out


def data_hash(frame: pd.DataFrame) -> str:
    """SHA-256 of the training texts and labels, in order (cited in the report)."""
    digest = hashlib.sha256()
    for text, label in zip(frame["text"], frame["label"], strict=True):
        digest.update(text.encode("utf-8") + b"\x1f" + label.encode() + b"\x1e")
    return digest.hexdigest()


def train(
    labels: pd.DataFrame,
    seed: int = 2018,
    folds: int = 5,
    grid: dict | None = None,
    n_jobs: int = 1,
):
    """Choose hyperparameters by stratified k-fold CV (macro-F1), fit on all coded messages.

    Returns (fitted pipeline, metadata dict).
    """
    labels = check_labels(labels)
    fit_params = (
        {"calibrated__sample_weight": labels["weight"].to_numpy(float)}
        if "weight" in labels
        else {}
    )
    search = GridSearchCV(
        build_pipeline(seed),
        grid or GRID,
        scoring="f1_macro",
        cv=StratifiedKFold(folds, shuffle=True, random_state=seed),
        n_jobs=n_jobs,
        refit=True,
    )
    search.fit(labels["text"].tolist(), labels["label"].to_numpy(), **fit_params)
    results = pd.DataFrame(search.cv_results_)
    metadata = {
        "types": list(TYPES),
        "training_messages": len(labels),
        "training_counts": labels["label"].value_counts().reindex(TYPES).astype(int).to_dict(),
        "training_data_sha256": data_hash(labels),
        "sources": describe_sources(labels),
        "selection": {
            "scoring": f"macro-F1, stratified {folds}-fold cross-validation",
            "best_params": {
                k: list(v) if isinstance(v, tuple) else v for k, v in search.best_params_.items()
            },
            "best_macro_f1": float(search.best_score_),
            "grid": [
                {
                    "params": {k: list(v) if isinstance(v, tuple) else v for k, v in p.items()},
                    "mean_macro_f1": float(m),
                    "sd": float(s),
                }
                for p, m, s in zip(
                    results["params"],
                    results["mean_test_score"],
                    results["std_test_score"],
                    strict=True,
                )
            ],
        },
        "seed": seed,
        "versions": {
            "python": platform.python_version(),
            "scikit-learn": sklearn.__version__,
            "numpy": np.__version__,
            "pandas": pd.__version__,
        },
    }
    return search.best_estimator_, metadata


def train_and_validate(
    labels: pd.DataFrame,
    seed: int = 2018,
    folds: int = 5,
    n_jobs: int = 1,
    in_domain: str | None = None,
):
    """``train``, then cross-validate the chosen model; the report goes into the metadata.

    With ``in_domain`` (the name of a source, e.g. the edition's own coded
    messages) that source is also validated on its own: each of its folds is
    predicted by a model trained on everything else (``validation_in_domain``;
    its out-of-fold predictions are returned as ``validation["in_domain"]``).
    Returns (model, metadata, validation report) — what the workflow and
    ``engbench train`` both save.
    """
    from engbench.classify.validation import cross_validate, cross_validate_in_domain

    labels = check_labels(labels)
    model, metadata = train(labels, seed=seed, folds=folds, n_jobs=n_jobs)
    validation = cross_validate(model, labels, folds=folds, seed=seed, n_jobs=n_jobs)
    metadata["validation"] = {
        "folds": folds,
        "scope": "all training messages, stratified k-fold",
        "macro_f1": validation["macro_f1"],
        "accuracy": validation["accuracy"],
        "per_class": validation["per_class"].to_dict("records"),
    }
    if in_domain is not None:
        inside = cross_validate_in_domain(
            model, labels, in_domain, folds=folds, seed=seed, n_jobs=n_jobs
        )
        validation["in_domain"] = inside
        metadata["validation_in_domain"] = {
            "source": in_domain,
            "messages": len(inside["index"]),
            "folds": inside["folds"],
            "scope": "the source's own messages, each fold predicted by a model trained on "
            "all other sources and the other folds",
            "macro_f1": inside["macro_f1"],
            "accuracy": inside["accuracy"],
            "per_class": inside["per_class"].to_dict("records"),
            "confusion": inside["confusion"].to_dict(),
        }
    return model, metadata, validation


def save(
    model: Pipeline, metadata: dict, folder: str | Path, validation: dict | None = None
) -> None:
    """model.joblib and metadata.json, and the validation tables when given."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for step in _estimators(model):  # id() of a Python object: differs on every run
        if isinstance(step, TfidfVectorizer) and hasattr(step, "_stop_words_id"):
            del step._stop_words_id  # a cache only; recomputed when needed
    joblib.dump(model, folder / "model.joblib", compress=3)  # byte-identical on a rerun
    (folder / "metadata.json").write_text(json.dumps(metadata, indent=2, sort_keys=True) + "\n")
    if validation is not None:
        validation["per_class"].to_csv(folder / "validation_per_class.csv", index=False)
        validation["confusion"].to_csv(folder / "confusion.csv")


def _estimators(estimator):
    """The estimator and every estimator inside it (pipelines, feature unions, wrappers)."""
    yield estimator
    for _, inner in getattr(estimator, "steps", []) + getattr(estimator, "transformer_list", []):
        yield from _estimators(inner)
    for name in ("estimator", "best_estimator_"):
        if hasattr(estimator, name):
            yield from _estimators(getattr(estimator, name))
    for calibrated in getattr(estimator, "calibrated_classifiers_", []):
        yield from _estimators(calibrated.estimator)


def load(folder: str | Path) -> tuple[Pipeline, dict]:
    folder = Path(folder)
    if not (folder / "model.joblib").exists():
        raise FileNotFoundError(f"{folder}: no model.joblib (train one with `engbench train`)")
    metadata = json.loads((folder / "metadata.json").read_text())
    trained_with = metadata.get("versions", {}).get("scikit-learn")
    if trained_with and trained_with != sklearn.__version__:
        raise ValueError(
            f"{folder}: trained with scikit-learn {trained_with}, "
            f"this is {sklearn.__version__}; retrain"
        )
    return joblib.load(folder / "model.joblib"), metadata


def predict(model: Pipeline, texts, n_jobs: int = 1, chunk: int = 20_000) -> pd.DataFrame:
    """``type`` (one of TYPES) and ``p_<type>`` for every text, in order.

    With ``n_jobs`` > 1 the texts are split into one part per process; otherwise
    they are classified in chunks of ``chunk``.
    """
    texts = list(texts)
    if n_jobs > 1:  # one task per process: the model is sent to each process once
        chunk = max(1, -(-len(texts) // n_jobs))
    if not texts:
        return pd.DataFrame(
            {"type": pd.Series(dtype=str), **{f"p_{t}": pd.Series(dtype=float) for t in TYPES}}
        )
    chunks = [texts[i : i + chunk] for i in range(0, len(texts), chunk)]
    if n_jobs > 1 and len(chunks) > 1:
        parts = Parallel(n_jobs=n_jobs)(delayed(model.predict_proba)(c) for c in chunks)
    else:
        parts = [model.predict_proba(c) for c in chunks]
    proba = np.vstack(parts)
    classes = list(model.classes_)
    columns = {f"p_{t}": proba[:, classes.index(t)] for t in TYPES}
    order = np.array([classes.index(t) for t in TYPES])
    winner = np.array(TYPES)[np.argmax(proba[:, order], axis=1)]
    return pd.DataFrame({"type": winner, **columns})


def classify_messages(model: Pipeline, messages: pd.DataFrame, n_jobs: int = 1) -> pd.DataFrame:
    """``messages`` (with a ``text`` column) with ``type`` and ``p_<type>`` added, in the
    same row order; earlier type columns are replaced.

    With ``platform`` and ``message_id`` columns each message is classified once, however
    many rows it has (the incoming × organisation table has one per organisation
    addressed); otherwise every row is.
    """
    keys = ["platform", "message_id"]
    keyed = all(k in messages for k in keys)
    distinct = messages.drop_duplicates(keys) if keyed else messages
    types = predict(model, distinct["text"], n_jobs=n_jobs)
    rest = messages.drop(columns=[c for c in types.columns if c in messages])
    if not keyed:
        return pd.concat([rest.reset_index(drop=True), types], axis=1)
    types.index = distinct.index
    return rest.merge(distinct[keys].join(types), on=keys, how="left")


# Rows of the incoming table classified at a time by ``classify_file``: the TF-IDF
# matrices of one batch, not of the edition, are in memory (≈ 0.5 GB at 100,000 rows).
BATCH_ROWS = 100_000


def classify_file(
    model: Pipeline,
    source: str | Path,
    destination: str | Path,
    n_jobs: int = 1,
    batch_rows: int = BATCH_ROWS,
    log=lambda _: None,
) -> int:
    """``classify_messages`` on a parquet file, ``batch_rows`` rows at a time, written to
    ``destination``; returns the number of rows.

    Prediction is per message, so the output equals ``classify_messages`` on the whole
    table (same rows, order, types and probabilities) while memory holds one batch. A
    message whose rows fall in two batches is classified in both, to the same result.
    The file is written under a temporary name and renamed when complete.
    """
    destination = Path(destination)
    partial = destination.with_name(destination.name + ".partial")
    source_file = pq.ParquetFile(source)
    total = source_file.metadata.num_rows
    writer = None
    done = 0
    try:
        for batch in source_file.iter_batches(batch_size=batch_rows):
            classified = classify_messages(model, batch.to_pandas(), n_jobs=n_jobs)
            table = pa.Table.from_pandas(classified, preserve_index=False)
            if writer is None:  # the source's column types, so an all-null batch fits too
                writer = pq.ParquetWriter(partial, _output_schema(table.schema, source_file))
            writer.write_table(table.cast(writer.schema))
            done += len(classified)
            log(f"classified {done:,} of {total:,} rows")
        if writer is None:  # no rows: the empty table with the type columns
            empty = classify_messages(model, source_file.schema_arrow.empty_table().to_pandas())
            schema = pa.Table.from_pandas(empty, preserve_index=False).schema
            writer = pq.ParquetWriter(partial, _output_schema(schema, source_file))
        writer.close()
        writer = None
        partial.replace(destination)
    finally:
        if writer is not None:
            writer.close()
        partial.unlink(missing_ok=True)
    return done


def _output_schema(classified: pa.Schema, source: pq.ParquetFile) -> pa.Schema:
    """``classified``'s columns with the source file's types where the source has them."""
    known = source.schema_arrow
    fields = [known.field(f.name) if f.name in known.names else f for f in classified]
    return pa.schema(fields, metadata=classified.metadata)
