"""Adapter for rule `simulate`: organisations sheet → simulated raw files, panel, truth."""

from engbench.organisations import read_organisations
from engbench.progress import open_log, step
from engbench.simulate import simulate_edition, write_edition

log = open_log(snakemake.log[0]).info
p = snakemake.params
accounts = read_organisations(snakemake.input.organisations)
with step(log, f"simulating {p.n_messages:,} messages and {p.n_respondents:,} respondents"):
    edition = simulate_edition(
        accounts,
        period_start=p.period_start,
        period_end=p.period_end,
        timezone=p.timezone,
        seed=p.seed,
        n_messages=p.n_messages,
        n_respondents=p.n_respondents,
    )
with step(log, f"writing the edition to {p.outdir}"):
    counts = write_edition(edition, p.outdir, log=log)
log(f"simulated: {counts}")
