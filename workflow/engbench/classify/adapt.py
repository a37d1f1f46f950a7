"""Training for an edition: the configured coded sources plus the edition's own coded sample.

A real edition always codes a sample of its own incoming messages (the coding
loop). Those messages are the only coded text from the edition's own domain,
so they are used for training too, weighted up (``edition_weight``, default 3
per message; ``balanced`` gives them the first source's total weight). Because the model
then has seen them, two figures change meaning, and both are taken
out-of-fold instead: the classifier's validation on the edition (each fold of
coded messages predicted by a model trained on everything else) and the
predicted types of the coded messages used for the error rates of the
corrected type shares and response rates.
"""

from __future__ import annotations

import pandas as pd

from engbench.classify import model as classifier
from engbench.classify.coding import gold_standard, read_sheets

EDITION_SOURCE = "edition coded sample"


def label_sources(spec) -> list[tuple[str, float | str]]:
    """``classify.labels`` as [(path, weight)]: the first weighs 1, the others 3 per message."""
    items = [spec] if isinstance(spec, str) else list(spec)
    out = []
    for i, item in enumerate(items):
        if isinstance(item, str):
            out.append((item, 1.0 if i == 0 else classifier.IN_DOMAIN_WEIGHT))
        else:
            weight = item.get("weight", 1.0 if i == 0 else classifier.IN_DOMAIN_WEIGHT)
            out.append((item["path"], weight))
    return out


def edition_coded(sheets: list[str], coders: list[str]) -> pd.DataFrame:
    """The edition's resolved coded messages: platform, message_id, text, label (may be empty)."""
    if not sheets:
        return pd.DataFrame(columns=["platform", "message_id", "text", "label"])
    gold = gold_standard(read_sheets(sheets, coders), coders)
    return gold[["platform", "message_id", "text", "label"]].reset_index(drop=True)


def coded_types(classified: pd.DataFrame, out_of_fold: pd.DataFrame | None) -> pd.DataFrame:
    """platform, message_id, type: the predicted type to set beside each message's code.

    The model's prediction (``classified``: one row per message, or per message ×
    organisation), except for the coded messages the model was trained on: those take
    their out-of-fold prediction (``out_of_fold``, from ``train_for_edition``; empty or
    None when the coded sample was not used for training).
    """
    keys = ["platform", "message_id"]
    typed = classified[[*keys, "type"]].drop_duplicates(keys)
    if out_of_fold is None or not len(out_of_fold):
        return typed.reset_index(drop=True)
    oof = out_of_fold[[*keys, "type"]].drop_duplicates(keys)
    return pd.concat([oof, typed], ignore_index=True).drop_duplicates(keys, ignore_index=True)


def train_for_edition(
    labels_spec,
    sheets: list[str],
    coders: list[str],
    edition_weight: float | str = classifier.IN_DOMAIN_WEIGHT,
    seed: int = 2018,
    folds: int = 5,
    n_jobs: int = 1,
    minimum_per_type: int = 5,
):
    """Train and validate the edition's classifier; returns (model, metadata, validation, oof).

    ``oof``: platform, message_id, label, type — out-of-fold predictions of the
    edition's coded messages when they were used for training, else empty.
    The coded sample is used only when ``edition_weight`` is not 0 and every
    type has at least ``minimum_per_type`` coded messages (else the metadata says why).
    """
    sources = [
        (str(path), pd.read_csv(path), weight) for path, weight in label_sources(labels_spec)
    ]
    coded = edition_coded(sheets, coders)
    counts = coded["label"].value_counts()
    use = (
        edition_weight != 0
        and len(coded) > 0
        and all(counts.get(t, 0) >= minimum_per_type for t in classifier.TYPES)
    )
    if use:
        sources.append((EDITION_SOURCE, coded[["text", "label"]], edition_weight))
    labels = classifier.combine_sources(sources)
    model, metadata, validation = classifier.train_and_validate(
        labels, seed=seed, folds=folds, n_jobs=n_jobs, in_domain=EDITION_SOURCE if use else None
    )
    oof = pd.DataFrame(columns=["platform", "message_id", "label", "type"])
    if use:
        inside = validation["in_domain"]
        positions = inside["index"] - (len(labels) - len(coded))
        oof = coded.iloc[positions][["platform", "message_id", "label"]].assign(
            type=inside["predicted"]
        )
    metadata["edition_coded_sample"] = {
        "used_for_training": bool(use),
        "messages": len(coded),
        "weight": edition_weight if use else 0,
        "counts": {t: int(counts.get(t, 0)) for t in classifier.TYPES},
    }
    return model, metadata, validation, oof
