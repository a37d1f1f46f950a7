# engbench — the Dutch Engagement Benchmark workflow.
#
#   snakemake --cores 8                                   the demo edition (config/config.yaml)
#   snakemake --cores 8 --configfile config/my.yaml       a real edition (engbench init)
#   snakemake --cores 8 --configfile config/demo-series.yaml
#                                                         a series of editions, compared
#
# The flow and the data contract are described in README.md and docs/.

from snakemake.utils import min_version
from engbench.config import validate_config

min_version("9.0")


# The demo's config is read only when no --configfile is given: a real edition's config
# stands alone (keys it leaves out take the schema's defaults, never the demo's values).
if not workflow.overwrite_configfiles:

    configfile: "config/config.yaml"


if "series" in config:  # a series config: each edition is this workflow as a module

    include: "workflow/rules/editions.smk"

    rule series:
        default_target: True
        input:
            SERIES_TARGETS,

else:
    validate_config(config, source=" + ".join(map(str, workflow.configfiles)))

    include: "workflow/rules/common.smk"
    include: "workflow/rules/simulate.smk"
    include: "workflow/rules/ingest.smk"
    include: "workflow/rules/threads.smk"
    include: "workflow/rules/classify.smk"
    include: "workflow/rules/panel.smk"
    include: "workflow/rules/report.smk"
    include: "workflow/rules/series.smk"

    rule all:
        default_target: True
        input:
            DEMO_TARGETS,
            f"results/{EDITION}/messages",
            f"results/{EDITION}/ingest/summary.csv",
            f"results/{EDITION}/metrics/indicators.parquet",
            f"results/{EDITION}/metrics/engagement_index.csv",
            f"results/{EDITION}/robustness.csv",
            f"results/{EDITION}/classify/type_shares.csv",
            f"results/{EDITION}/coding/sample.xlsx",
            CLASSIFY_TARGETS,
            PANEL_TARGETS,
            f"results/{EDITION}/report.pdf",
            f"results/{EDITION}/definitions.json",

    onsuccess:
        print(
            f"\nThe report: results/{EDITION}/report.pdf (tables: results/{EDITION}/report/tables/)"
        )
