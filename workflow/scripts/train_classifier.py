"""Adapter for rule `train_classifier`: coded sources + the edition's coded sample → model."""

from pathlib import Path

from engbench.classify import model as classifier
from engbench.classify.adapt import train_for_edition
from engbench.progress import open_log, step

log = open_log(snakemake.log[0]).info
p = snakemake.params
with step(log, f"model selection, training and {p.folds}-fold validation"):
    labels = [
        {"path": path, "weight": weight}
        for path, weight in zip(snakemake.input.labels, p.label_weights, strict=True)
    ]
    model, metadata, validation, oof = train_for_edition(
        labels,
        list(snakemake.input.sheets),
        list(p.coders),
        p.edition_weight,
        seed=p.seed,
        folds=p.folds,
        n_jobs=snakemake.threads,
    )
classifier.save(model, metadata, Path(snakemake.output.model).parent, validation)
oof.to_csv(snakemake.output.out_of_fold, index=False)
for source in metadata["sources"]:
    log(
        f"{source['source']}: {source['messages']:,} messages, weight {source['total_weight']:,.1f}"
    )
log(
    f"cross-validated macro-F1 {validation['macro_f1']:.3f} over all sources; "
    f"chosen {metadata['selection']['best_params']}"
)
if "in_domain" in validation:
    log(f"macro-F1 on the edition's own coded messages: {validation['in_domain']['macro_f1']:.3f}")
