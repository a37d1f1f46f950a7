# The consumer panel: read the survey as delivered, build the measures, join each
# respondent × organisation to the organisation's measured behaviour; fit the models.
# An edition without a panel (`panel` left out or null) has neither rule.


if PANEL:

    rule panel:
        input:
            survey=config["panel"]["path"],
            organisations=config["organisations"],
            indicators=f"results/{EDITION}/metrics/indicators.parquet",
            league=f"results/{EDITION}/metrics/engagement_index.parquet",
        output:
            analysis=f"results/{EDITION}/panel/analysis.parquet",
            descriptives=report(
                f"results/{EDITION}/panel/descriptives.csv",
                caption="../report/panel_descriptives.rst",
                category="Loyalty",
            ),
            summary=f"results/{EDITION}/panel/summary.json",
        log:
            f"logs/{EDITION}/panel.log",
        benchmark:
            f"logs/{EDITION}/benchmarks/panel.tsv"
        conda:
            "../envs/engbench.yaml"
        threads: 1
        resources:
            **needs("panel"),
        params:
            format=config["panel"]["format"],
            layout=config["panel"]["layout"],
            variables=config["panel"]["variables"],
        script:
            "../scripts/panel.py"

    rule models:
        input:
            analysis=f"results/{EDITION}/panel/analysis.parquet",
        output:
            coefficients=report(
                f"results/{EDITION}/models/coefficients.csv",
                caption="../report/coefficients.rst",
                category="Loyalty",
            ),
            models=f"results/{EDITION}/models/models.json",
        log:
            f"logs/{EDITION}/models.log",
        benchmark:
            f"logs/{EDITION}/benchmarks/models.tsv"
        conda:
            "../envs/engbench.yaml"
        threads: 1
        resources:
            **needs("models"),
        script:
            "../scripts/models.py"
