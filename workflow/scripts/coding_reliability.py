"""Adapter for rule `coding_reliability`: coded sheets → reliability and disagreements."""

from engbench.classify.coding import disagreements, read_sheets, reliability
from engbench.progress import open_log
from engbench.report.tables import workbook

log = open_log(snakemake.log[0]).info
coders = list(snakemake.params.coders)
coded = read_sheets(snakemake.input.sheets, coders)
table = reliability(coded, coders)
table.to_csv(snakemake.output.reliability, index=False)
# one sheet, texts that look like formulas kept as text, fixed timestamps (byte-identical)
workbook({"disagreements": disagreements(coded, coders)}, snakemake.output.disagreements)
log(table.to_string())
