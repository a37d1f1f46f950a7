"""Adapter for rule `simulate`: organisations sheet → simulated raw files, panel, truth."""

from engbench.organisations import read_organisations
from engbench.progress import open_log
from engbench.simulate import simulate_and_write

log = open_log(snakemake.log[0]).info
p = snakemake.params
base = snakemake.input.get("base_organisations")  # a follow-up edition's base sheet
_, counts = simulate_and_write(
    read_organisations(snakemake.input.organisations),
    p.outdir,
    dict(p.settings),
    log=log,
    base_accounts=read_organisations(base) if base else None,
)
log(f"simulated: {counts}")
