"""Adapter for rule `metrics_part`: a group of organisations (or the edition-wide cells) →
their indicators with intervals, and their bootstrap resamples."""

from engbench import metrics
from engbench.organisations import brand_followers, read_organisations
from engbench.progress import open_log, step

log = open_log(snakemake.log[0]).info
p = snakemake.params
with step(log, f"indicators of {', '.join(p.organisations)} ({p.n_resamples} resamples)"):
    table, resamples = metrics.part(
        snakemake.input.messages,
        snakemake.input.incoming,
        brand_followers(read_organisations(snakemake.input.organisations)),
        p.organisations,
        p.timezone,
        n_resamples=p.n_resamples,
        seed=p.seed,
        monthly=p.monthly,
        log=log,
    )
table.to_parquet(snakemake.output.indicators, index=False)
resamples.to_parquet(snakemake.output.resamples, index=False)
