# The demo edition: a fictional edition in the raw formats real data arrives in,
# with the ground truth kept aside under truth/ (never read by the pipeline).

from pathlib import Path

from engbench.simulate import simulation_settings


rule simulate:
    input:
        **(
            {"base_organisations": DEMO["follow_up"]["base_organisations"]}
            if DEMO.get("follow_up")
            else {}
        ),
        organisations=config["organisations"],
        # a follow-up edition (a series): the base edition's sheet
    output:
        twitter=SIMULATED["twitter"],
        facebook=SIMULATED["facebook"],
        panel=SIMULATED["panel"],
        truth=SIMULATED["truth"],
    log:
        f"logs/{EDITION}/simulate.log",
    benchmark:
        f"logs/{EDITION}/benchmarks/simulate.tsv"
    conda:
        "../envs/engbench.yaml"
    threads: 1
    resources:
        **needs("simulate"),
    params:
        outdir=lambda wildcards, output: str(Path(output.panel[0]).parents[1]),
        settings=simulation_settings(config),
    script:
        "../scripts/simulate.py"


rule demo_overview:
    input:
        messages=f"{DEMO_DIR}/truth/messages.parquet",
    output:
        figure=report(
            f"results/{EDITION}/demo/volumes.png",
            caption="../report/demo_volumes.rst",
            category="Demo edition",
        ),
        counts=report(
            f"results/{EDITION}/demo/simulated_counts.csv",
            caption="../report/demo_counts.rst",
            category="Demo edition",
        ),
    log:
        f"logs/{EDITION}/demo_overview.log",
    benchmark:
        f"logs/{EDITION}/benchmarks/demo_overview.tsv"
    conda:
        "../envs/engbench.yaml"
    threads: 1
    resources:
        **needs("small"),
    params:
        timezone=config["timezone"],
    script:
        "../scripts/demo_overview.py"
