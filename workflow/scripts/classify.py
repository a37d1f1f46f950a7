"""Adapter for rule `classify`: incoming messages → type and probabilities; type shares."""

import pandas as pd

from engbench.classify import model as classifier
from engbench.classify.coding import coded_sample
from engbench.classify.quantify import corrected_type_shares
from engbench.progress import open_log, step
from engbench.report.tables import safe_csv

log = open_log(snakemake.log[0]).info
model, metadata = classifier.load(snakemake.input.model.rsplit("/", 1)[0])
with step(log, "classifying the incoming messages"):
    classifier.classify_file(
        model, snakemake.input.incoming, snakemake.output.incoming, snakemake.threads, log=log
    )
classified = pd.read_parquet(
    snakemake.output.incoming, columns=["org_id", "platform", "message_id", "type"]
)
shares = corrected_type_shares(
    classified,
    pd.read_csv(snakemake.input.confusion, index_col=0),
    coded_sample(list(snakemake.input.sheets), list(snakemake.params.coders)),
    pd.read_csv(snakemake.input.out_of_fold, dtype=str),
    log=log,
)
safe_csv(shares, snakemake.output.shares)
log(classified["type"].value_counts(normalize=True).round(3).to_string())
