"""Adapter for rule `train_classifier`: coded messages → model, metadata, validation."""

import pandas as pd

from engbench.classify import model as classifier
from engbench.classify.validation import cross_validate
from engbench.progress import open_log, step

log = open_log(snakemake.log[0]).info
p = snakemake.params
labels = classifier.check_labels(pd.read_csv(snakemake.input.labels), snakemake.input.labels)
with step(log, f"choosing hyperparameters and training on {len(labels):,} coded messages"):
    model, metadata = classifier.train(labels, seed=p.seed, folds=p.folds, n_jobs=snakemake.threads)
with step(log, f"{p.folds}-fold cross-validation"):
    validation = cross_validate(model, labels, folds=p.folds, seed=p.seed, n_jobs=snakemake.threads)
metadata["validation"] = {
    "folds": p.folds,
    "macro_f1": validation["macro_f1"],
    "accuracy": validation["accuracy"],
    "per_class": validation["per_class"].to_dict("records"),
}
classifier.save(model, metadata, snakemake.output.model.rsplit("/", 1)[0])
validation["per_class"].to_csv(snakemake.output.per_class, index=False)
validation["confusion"].to_csv(snakemake.output.confusion)
log(
    f"cross-validated macro-F1 {validation['macro_f1']:.3f}; "
    f"chosen {metadata['selection']['best_params']}"
)
