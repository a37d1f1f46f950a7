# Threads and webcare metrics: who answered whom and how fast, then each
# organisation's indicators with bootstrap intervals and the engagement index.
# Both stages run in parts so that no job holds the whole edition (config `shards`):
# threads in shards of whole threads, metrics in groups of organisations.


rule thread_index:
    input:
        store=f"results/{EDITION}/messages",
    output:
        index=temp(directory(f"results/{EDITION}/threads/index")),
    log:
        f"logs/{EDITION}/thread_index.log",
    benchmark:
        f"logs/{EDITION}/benchmarks/thread_index.tsv"
    conda:
        "../envs/engbench.yaml"
    threads: 1
    resources:
        **needs("thread_index"),
    params:
        shards=config["shards"]["threads"],
    script:
        "../scripts/thread_index.py"


rule threads_shard:
    input:
        index=f"results/{EDITION}/threads/index",
    output:
        messages=temp(f"results/{EDITION}/threads/shards/messages-{{shard}}.parquet"),
        incoming=temp(f"results/{EDITION}/threads/shards/incoming-{{shard}}.parquet"),
        counts=temp(f"results/{EDITION}/threads/shards/counts-{{shard}}.json"),
    log:
        f"logs/{EDITION}/threads_shard/{{shard}}.log",
    benchmark:
        f"logs/{EDITION}/benchmarks/threads_shard/{{shard}}.tsv"
    wildcard_constraints:
        shard=r"\d+",
    conda:
        "../envs/engbench.yaml"
    threads: 1
    resources:
        **needs("threads_shard", share=1 / len(THREAD_SHARDS)),
    params:
        answer_window_days=config["answer_window_days"],
        webcare_hours=config["webcare_hours"],
        timezone=config["timezone"],
        period_end=config["period"]["end"],
        definition=config["response"]["definition"],
    script:
        "../scripts/threads_shard.py"


rule threads:
    input:
        messages=expand(
            f"results/{EDITION}/threads/shards/messages-{{shard}}.parquet", shard=THREAD_SHARDS
        ),
        incoming=expand(
            f"results/{EDITION}/threads/shards/incoming-{{shard}}.parquet", shard=THREAD_SHARDS
        ),
        counts=expand(
            f"results/{EDITION}/threads/shards/counts-{{shard}}.json", shard=THREAD_SHARDS
        ),
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
    script:
        "../scripts/threads.py"


rule metrics_part:
    input:
        messages=f"results/{EDITION}/threads/messages.parquet",
        incoming=f"results/{EDITION}/classify/incoming.parquet",
        organisations=config["organisations"],
    output:
        indicators=temp(f"results/{EDITION}/metrics/parts/{{group}}.parquet"),
        resamples=temp(f"results/{EDITION}/metrics/parts/{{group}}-resamples.parquet"),
    log:
        f"logs/{EDITION}/metrics_part/{{group}}.log",
    benchmark:
        f"logs/{EDITION}/benchmarks/metrics_part/{{group}}.tsv"
    wildcard_constraints:
        group="|".join(METRIC_PARTS),
    conda:
        "../envs/engbench.yaml"
    threads: 1
    resources:
        # a group reads its organisations' rows, about 1 / groups of the edition; the
        # edition-wide part every row but a few columns: about as much
        **needs("metrics_part", share=1 / max(len(METRIC_PARTS) - 1, 1)),
    params:
        organisations=lambda wildcards: METRIC_PARTS[wildcards.group],
        timezone=config["timezone"],
        n_resamples=config["metrics"]["bootstrap_resamples"],
        seed=config["metrics"]["seed"],
        monthly=config["metrics"]["monthly"],
    script:
        "../scripts/metrics_part.py"


rule metrics:
    input:
        indicators=expand(f"results/{EDITION}/metrics/parts/{{group}}.parquet", group=METRIC_PARTS),
        resamples=expand(
            f"results/{EDITION}/metrics/parts/{{group}}-resamples.parquet", group=METRIC_PARTS
        ),
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
        index_weights=config["metrics"]["index_weights"],
    script:
        "../scripts/metrics.py"


rule robustness:
    input:
        messages=f"results/{EDITION}/threads/messages.parquet",
        incoming=f"results/{EDITION}/threads/incoming.parquet",
    output:
        table=report(
            f"results/{EDITION}/robustness.csv",
            caption="../report/robustness.rst",
            category="Webcare",
        ),
    log:
        f"logs/{EDITION}/robustness.log",
    benchmark:
        f"logs/{EDITION}/benchmarks/robustness.tsv"
    conda:
        "../envs/engbench.yaml"
    threads: 1
    resources:
        **needs("robustness"),
    params:
        definition=config["response"]["definition"],
        answer_window_days=config["answer_window_days"],
        timezone=config["timezone"],
        period_end=config["period"]["end"],
    script:
        "../scripts/robustness.py"
