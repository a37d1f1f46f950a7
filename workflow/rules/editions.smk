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
# a follow-up whose previous edition is simulated too: both editions' truth of every
# incoming message, to check each cell's change against what the simulator drew
SERIES_TRUTH = {
    e: {"from": f, "config": SERIES["editions"][f]["config"]}
    for f, e in zip(SERIES_EDITIONS, SERIES_EDITIONS[1:])
    if e in SERIES_FOLLOW_UPS and SERIES["editions"][f]["config"]["demo"]["enabled"]
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
    f"{SERIES_DIR}/report.pdf",
    *([f"{SERIES_DIR}/demo_validation.json"] if SERIES_FOLLOW_UPS else []),
]


rule series_changes:
    input:
        definitions=edition_paths(SERIES_EDITIONS, "definitions.json"),
        indicators=edition_paths(SERIES_EDITIONS, "metrics/indicators.parquet"),
        resamples=edition_paths(SERIES_EDITIONS, "metrics/resamples.parquet"),
        coefficients=edition_paths(SERIES_PANELS, "models/coefficients.csv"),
        # respondents who took part in consecutive waves are linked by id
        analysis=edition_paths(SERIES_PANELS, "panel/analysis.parquet"),
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
        # the same figures as PDF (vector: the series PDF embeds them, words stay text)
        figures_pdf=[
            f"{SERIES_DIR}/figures/{name}.pdf"
            for name in ("league_slope", "trends", "organisations")
        ],
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
        # the figures' words and numbers: the latest edition's report language
        language=SERIES["editions"][SERIES_EDITIONS[-1]]["config"]["language"],
    script:
        "../scripts/series_report.py"


rule series_pdf:
    input:
        changes=f"{SERIES_DIR}/changes.csv",
        edition_wide=f"{SERIES_DIR}/edition_wide.csv",
        entrants_leavers=f"{SERIES_DIR}/entrants_leavers.csv",
        notes=f"{SERIES_DIR}/comparability.json",
        leagues=edition_paths(SERIES_EDITIONS, "metrics/engagement_index.parquet"),
        # the order of engbench.report.series.FIGURES
        figures=[
            f"{SERIES_DIR}/figures/{name}.pdf"
            for name in ("trends", "league_slope", "organisations")
        ],
    output:
        pdf=report(
            f"{SERIES_DIR}/report.pdf", caption="../report/series_pdf.rst", category="Series"
        ),
    log:
        f"{SERIES_LOGS}/series_pdf.log",
    benchmark:
        f"{SERIES_LOGS}/benchmarks/series_pdf.tsv"
    conda:
        "../envs/engbench.yaml"
    threads: 1
    resources:
        **needs("series_pdf"),
    params:
        title=SERIES["title"],
        # the latest edition's report language
        language=SERIES["editions"][SERIES_EDITIONS[-1]]["config"]["language"],
    script:
        "../scripts/series_pdf.py"


rule series_demo_validation:
    input:
        changes=f"{SERIES_DIR}/changes.csv",
        entrants_leavers=f"{SERIES_DIR}/entrants_leavers.csv",
        edition_wide=f"{SERIES_DIR}/edition_wide.csv",
        truth=list(SERIES_FOLLOW_UPS.values()),
        incoming_from=[
            f"{demo_folder(t['config'])}/truth/incoming.parquet" for t in SERIES_TRUTH.values()
        ],
        incoming_to=[
            f"{demo_folder(SERIES['editions'][e]['config'])}/truth/incoming.parquet"
            for e in SERIES_TRUTH
        ],
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
        with_truth=list(SERIES_TRUTH),
        # per follow-up with truth: (from, to) answer window, period end and timezone
        definitions=[
            [
                {
                    key: SERIES["editions"][name]["config"][key]
                    for key in ("answer_window_days", "period", "timezone")
                }
                for name in (t["from"], e)
            ]
            for e, t in SERIES_TRUTH.items()
        ],
    script:
        "../scripts/series_demo_validation.py"
