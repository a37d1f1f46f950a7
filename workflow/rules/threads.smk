# Threads and webcare metrics: who answered whom and how fast, then each
# organisation's indicators with bootstrap intervals and the engagement index.


rule threads:
    input:
        store=f"results/{EDITION}/messages",
    output:
        messages=f"results/{EDITION}/threads/messages.parquet",
        incoming=f"results/{EDITION}/threads/incoming.parquet",
        counts=f"results/{EDITION}/threads/counts.json",
    log:
        f"logs/{EDITION}/threads.log",
    benchmark:
        f"logs/{EDITION}/benchmarks/threads.tsv"
    conda:
        "../envs/engbench.yaml"
    threads: 1
    resources:
        **needs("threads"),
    params:
        answer_window_days=config["answer_window_days"],
        webcare_hours=config["webcare_hours"],
        timezone=config["timezone"],
        period_end=config["period"]["end"],
    script:
        "../scripts/threads.py"


rule metrics:
    input:
        messages=f"results/{EDITION}/threads/messages.parquet",
        incoming=f"results/{EDITION}/classify/incoming.parquet",
        organisations=config["organisations"],
    output:
        indicators=report(
            f"results/{EDITION}/metrics/indicators.parquet",
            caption="../report/indicators.rst",
            category="Webcare",
        ),
        league=report(
            f"results/{EDITION}/metrics/engagement_index.csv",
            caption="../report/engagement_index.rst",
            category="Webcare",
        ),
        league_parquet=f"results/{EDITION}/metrics/engagement_index.parquet",
        resamples=f"results/{EDITION}/metrics/resamples.parquet",
    log:
        f"logs/{EDITION}/metrics.log",
    benchmark:
        f"logs/{EDITION}/benchmarks/metrics.tsv"
    conda:
        "../envs/engbench.yaml"
    threads: 1
    resources:
        **needs("metrics"),
    params:
        timezone=config["timezone"],
        n_resamples=config["metrics"]["bootstrap_resamples"],
        seed=config["metrics"]["seed"],
        monthly=config["metrics"]["monthly"],
        index_weights=config["metrics"]["index_weights"],
    script:
        "../scripts/metrics.py"
