"""Adapter for rule `classify`: incoming messages → type and probabilities; type shares."""

import pandas as pd

from engbench.classify import model as classifier
from engbench.classify.coding import gold_standard, random_part, read_sheet
from engbench.classify.quantify import edition_error_rates, misclassification_rates, type_shares
from engbench.progress import open_log, step
from engbench.report.tables import safe_csv

log = open_log(snakemake.log[0]).info
incoming = pd.read_parquet(snakemake.input.incoming)
model, metadata = classifier.load(snakemake.input.model.rsplit("/", 1)[0])
messages = incoming.drop_duplicates(["platform", "message_id"])
with step(log, f"classifying {len(messages):,} incoming messages"):
    types = classifier.predict(model, messages["text"], n_jobs=snakemake.threads)
types.index = messages.index
typed = messages[["platform", "message_id"]].join(types)
classified = incoming.drop(columns=["type"], errors="ignore").merge(
    typed, on=["platform", "message_id"], how="left"
)
classified.to_parquet(snakemake.output.incoming, index=False)
rates = misclassification_rates(pd.read_csv(snakemake.input.confusion, index_col=0))
basis = "cross-validation on the coded training messages"
if snakemake.input.sheets:
    coders = list(snakemake.params.coders)
    coded = pd.concat(
        [read_sheet(path, coders) for path in snakemake.input.sheets], ignore_index=True
    )
    # the model may have been trained on the coded messages: use their out-of-fold types
    oof = pd.read_csv(snakemake.input.out_of_fold, dtype=str)
    typed_for_rates = classified
    if len(oof):
        typed_for_rates = oof[["platform", "message_id", "type"]]
    measured, n = edition_error_rates(random_part(gold_standard(coded, coders)), typed_for_rates)
    if measured is not None:
        rates, basis = measured, f"this edition's coded sample ({n:,} messages)"
    else:
        log(f"coded sample too small for error rates ({n} messages): using {basis}")
log(f"error rates for the corrected shares: {basis}")
shares = type_shares(classified, rates, ["org_id", "platform"]).assign(error_rates=basis)
safe_csv(shares, snakemake.output.shares)
log(classified["type"].value_counts(normalize=True).round(3).to_string())
