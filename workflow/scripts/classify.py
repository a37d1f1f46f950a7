"""Adapter for rule `classify`: incoming messages → type and probabilities; type shares."""

import pandas as pd

from engbench.classify import model as classifier
from engbench.classify.coding import coded_sample
from engbench.classify.quantify import corrected_type_shares
from engbench.progress import open_log, step
from engbench.report.tables import safe_csv

log = open_log(snakemake.log[0]).info
incoming = pd.read_parquet(snakemake.input.incoming)
model, metadata = classifier.load(snakemake.input.model.rsplit("/", 1)[0])
n_messages = len(incoming.drop_duplicates(["platform", "message_id"]))
with step(log, f"classifying {n_messages:,} incoming messages"):
    classified = classifier.classify_messages(model, incoming, n_jobs=snakemake.threads)
classified.to_parquet(snakemake.output.incoming, index=False)
shares = corrected_type_shares(
    classified,
    pd.read_csv(snakemake.input.confusion, index_col=0),
    coded_sample(list(snakemake.input.sheets), list(snakemake.params.coders)),
    pd.read_csv(snakemake.input.out_of_fold, dtype=str),
    log=log,
)
safe_csv(shares, snakemake.output.shares)
log(classified["type"].value_counts(normalize=True).round(3).to_string())
