"""Adapter for rule `train_classifier`: coded messages → model, metadata, validation."""

from pathlib import Path

import pandas as pd

from engbench.classify import model as classifier
from engbench.progress import open_log, step

log = open_log(snakemake.log[0]).info
p = snakemake.params
labels = classifier.check_labels(pd.read_csv(snakemake.input.labels), snakemake.input.labels)
with step(
    log, f"model selection, training and {p.folds}-fold validation on {len(labels):,} messages"
):
    model, metadata, validation = classifier.train_and_validate(
        labels, seed=p.seed, folds=p.folds, n_jobs=snakemake.threads
    )
classifier.save(model, metadata, Path(snakemake.output.model).parent, validation)
log(
    f"cross-validated macro-F1 {validation['macro_f1']:.3f}; "
    f"chosen {metadata['selection']['best_params']}"
)
