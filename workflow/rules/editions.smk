# A series of editions (a series config: `series:` with its editions' config files): every
# edition is built by this same workflow, as a module with its own config, then the
# series compares consecutive editions under results/series/<name>/.

from engbench.resources import rule_needs as needs
from engbench.series import check_series, edition_paths, read_series
from engbench.simulate import demo_folder

SERIES = read_series(config, source=" + ".join(map(str, workflow.configfiles)))
SERIES_DIR = f"results/series/{SERIES['name']}"
SERIES_EDITIONS = list(SERIES["editions"])
SERIES_LOGS = f"logs/series/{SERIES['name']}"
# simulated follow-up editions (demo.follow_up): their changes are checked against the truth
SERIES_FOLLOW_UPS = {
    e: f"{demo_folder(c['config'])}/truth/summary.json"
    for e, c in SERIES["editions"].items()
    if c["config"]["demo"]["enabled"] and c["config"]["demo"]["follow_up"]
}
# the editions with a consumer panel: their follower effects are compared too
SERIES_PANELS = [e for e in SERIES_EDITIONS if SERIES["editions"][e]["config"]["panel"]]
# a definition that differs between consecutive editions (and is not accepted) stops here
check_series(SERIES)


for EDITION_MODULE, EDITION_SPEC in SERIES["editions"].items():
    EDITION_RULES = EDITION_MODULE.replace("-", "_") + "_"

    module:
        name: EDITION_RULES
        snakefile:
            "../../Snakefile"
        config:
            EDITION_SPEC["config"]

    use rule * from EDITION_RULES as EDITION_RULES*


# What `rule series` (the Snakefile) asks for: every edition whole (its `rule all`), then the
# series outputs.
SERIES_TARGETS = [
    *[
        rules_input
        for e in SERIES_EDITIONS
        for rules_input in getattr(rules, e.replace("-", "_") + "_all").input
    ],
    f"{SERIES_DIR}/changes.csv",
    f"{SERIES_DIR}/report.md",
    *([f"{SERIES_DIR}/demo_validation.json"] if SERIES_FOLLOW_UPS else []),
]


rule series_changes:
    input:
        definitions=edition_paths(SERIES_EDITIONS, "definitions.json"),
        indicators=edition_paths(SERIES_EDITIONS, "metrics/indicators.parquet"),
        resamples=edition_paths(SERIES_EDITIONS, "metrics/resamples.parquet"),
        coefficients=edition_paths(SERIES_PANELS, "models/coefficients.csv"),
    output:
        changes=report(
            f"{SERIES_DIR}/changes.csv",
            caption="../report/series_changes.rst",
            category="Series",
        ),
        edition_wide=f"{SERIES_DIR}/edition_wide.csv",
        entrants_leavers=f"{SERIES_DIR}/entrants_leavers.csv",
        trends=f"{SERIES_DIR}/trends.parquet",
        notes=f"{SERIES_DIR}/comparability.json",
    log:
        f"{SERIES_LOGS}/series_changes.log",
    benchmark:
        f"{SERIES_LOGS}/benchmarks/series_changes.tsv"
    conda:
        "../envs/engbench.yaml"
    threads: 1
    resources:
        **needs("series"),
    params:
        editions=SERIES_EDITIONS,
        panels=SERIES_PANELS,
        accept=SERIES["accept"],
        weights=[
            SERIES["editions"][e]["config"]["metrics"]["index_weights"] for e in SERIES_EDITIONS
        ],
    script:
        "../scripts/series_changes.py"


rule series_report:
    input:
        changes=f"{SERIES_DIR}/changes.csv",
        edition_wide=f"{SERIES_DIR}/edition_wide.csv",
        entrants_leavers=f"{SERIES_DIR}/entrants_leavers.csv",
        trends=f"{SERIES_DIR}/trends.parquet",
        notes=f"{SERIES_DIR}/comparability.json",
        leagues=edition_paths(SERIES_EDITIONS, "metrics/engagement_index.parquet"),
    output:
        report=report(
            f"{SERIES_DIR}/report.md", caption="../report/series_report.rst", category="Series"
        ),
        slope=report(
            f"{SERIES_DIR}/figures/league_slope.png",
            caption="../report/series_figures.rst",
            category="Series",
        ),
        trends=report(
            f"{SERIES_DIR}/figures/trends.png",
            caption="../report/series_figures.rst",
            category="Series",
        ),
        organisations=report(
            f"{SERIES_DIR}/figures/organisations.png",
            caption="../report/series_figures.rst",
            category="Series",
        ),
    log:
        f"{SERIES_LOGS}/series_report.log",
    benchmark:
        f"{SERIES_LOGS}/benchmarks/series_report.tsv"
    conda:
        "../envs/engbench.yaml"
    threads: 1
    resources:
        **needs("series"),
    params:
        title=SERIES["title"],
    script:
        "../scripts/series_report.py"


rule series_demo_validation:
    input:
        changes=f"{SERIES_DIR}/changes.csv",
        entrants_leavers=f"{SERIES_DIR}/entrants_leavers.csv",
        truth=list(SERIES_FOLLOW_UPS.values()),
    output:
        report(
            f"{SERIES_DIR}/demo_validation.json",
            caption="../report/series_demo_validation.rst",
            category="Series",
        ),
    log:
        f"{SERIES_LOGS}/series_demo_validation.log",
    benchmark:
        f"{SERIES_LOGS}/benchmarks/series_demo_validation.tsv"
    conda:
        "../envs/engbench.yaml"
    threads: 1
    resources:
        **needs("small"),
    params:
        editions=list(SERIES_FOLLOW_UPS),
    script:
        "../scripts/series_demo_validation.py"
