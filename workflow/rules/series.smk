# The edition's part in a series: what its indicators were computed with. A series of
# editions (workflow/rules/editions.smk) compares these before it reports any change.


rule definitions:
    input:
        **({"survey": PANEL["path"]} if PANEL else {}),
        codebook=CODEBOOK,
        labels=LABEL_FILES,
        organisations=config["organisations"],
    output:
        f"results/{EDITION}/definitions.json",
    log:
        f"logs/{EDITION}/definitions.log",
    benchmark:
        f"logs/{EDITION}/benchmarks/definitions.tsv"
    conda:
        "../envs/engbench.yaml"
    threads: 1
    resources:
        **needs("small"),
    params:
        settings={
            key: config[key]
            for key in (
                "edition",
                "period",
                "timezone",
                "answer_window_days",
                "webcare_hours",
                "metrics",
                "panel",
            )
        },
        label_weights=LABEL_WEIGHTS,
    script:
        "../scripts/definitions.py"
