# Ingest: one job per raw file (any supported format → canonical rows, bad records
# quarantined), then one merge that deduplicates across files and writes the
# partitioned message store. Quarantined records are raw (personal data): they go to
# private/<edition>/, apart from the shareable results/.


rule ingest_file:
    input:
        raw=lambda wildcards: RAW_FILES[(wildcards.source, wildcards.key)]["path"],
        organisations=config["organisations"],
    output:
        messages=f"results/{EDITION}/ingest/files/{{source}}/{{key}}.parquet",
        summary=f"results/{EDITION}/ingest/files/{{source}}/{{key}}.summary.json",
    log:
        log=f"logs/{EDITION}/ingest/{{source}}/{{key}}.log",
        # kept when the job fails, so bad records are never lost; raw records: private
        quarantine=f"{PRIVATE}/ingest/quarantine/{{source}}/{{key}}.jsonl",
    benchmark:
        f"logs/{EDITION}/benchmarks/ingest/{{source}}/{{key}}.tsv"
    wildcard_constraints:
        key=r"[^/]+",
    conda:
        "../envs/engbench.yaml"
    threads: 1
    resources:
        **needs("ingest_file"),
    params:
        source=lambda wildcards: wildcards.source,
        format=lambda wildcards: RAW_FILES[(wildcards.source, wildcards.key)]["format"],
        options=lambda wildcards: RAW_FILES[(wildcards.source, wildcards.key)]["options"],
        timezone=lambda wildcards: RAW_FILES[(wildcards.source, wildcards.key)]["timezone"],
        max_quarantine_share=config["ingest"]["max_quarantine_share"],
        max_text_length=config["ingest"]["max_text_length"],
        period=(config["period"]["start"], config["period"]["end"]),
        edition_timezone=config["timezone"],
        key_env=config["privacy"]["key_env"],
        key_file=config["privacy"].get("key_file"),
        demo=DEMO["enabled"],
    script:
        "../scripts/ingest_file.py"


rule merge_messages:
    input:
        messages=[f"results/{EDITION}/ingest/files/{s}/{k}.parquet" for s, k in RAW_FILES],
        summaries=[f"results/{EDITION}/ingest/files/{s}/{k}.summary.json" for s, k in RAW_FILES],
    output:
        store=directory(f"results/{EDITION}/messages"),
        summary=report(
            f"results/{EDITION}/ingest/summary.csv",
            caption="../report/ingest_summary.rst",
            category="Data quality",
        ),
    log:
        f"logs/{EDITION}/merge_messages.log",
    benchmark:
        f"logs/{EDITION}/benchmarks/merge_messages.tsv"
    conda:
        "../envs/engbench.yaml"
    threads: 1
    resources:
        **needs("merge_messages"),
    params:
        timezone=config["timezone"],
    script:
        "../scripts/merge_messages.py"
