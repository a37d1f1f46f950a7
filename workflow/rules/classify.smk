# Message types: train and validate the classifier on the coded messages, classify the
# edition's incoming messages, correct the type shares; the hand-coding workflow.


rule train_classifier:
    input:
        labels=LABEL_FILES,
        sheets=config["classify"]["coded_sheets"],
    output:
        model=f"results/{EDITION}/classifier/model.joblib",
        metadata=f"results/{EDITION}/classifier/metadata.json",
        out_of_fold=f"results/{EDITION}/classifier/coded_out_of_fold.csv",
        per_class=report(
            f"results/{EDITION}/classifier/validation_per_class.csv",
            caption="../report/classifier_validation.rst",
            category="Classifier",
        ),
        confusion=report(
            f"results/{EDITION}/classifier/confusion.csv",
            caption="../report/classifier_confusion.rst",
            category="Classifier",
        ),
    log:
        f"logs/{EDITION}/train_classifier.log",
    benchmark:
        f"logs/{EDITION}/benchmarks/train_classifier.tsv"
    conda:
        "../envs/engbench.yaml"
    threads: 2
    resources:
        **needs("train_classifier"),
    params:
        label_weights=LABEL_WEIGHTS,
        coders=config["classify"]["coders"],
        edition_weight=config["classify"]["edition_weight"],
        folds=config["classify"]["folds"],
        seed=config["classify"]["seed"],
    script:
        "../scripts/train_classifier.py"


rule classify:
    input:
        incoming=f"results/{EDITION}/threads/incoming.parquet",
        model=f"results/{EDITION}/classifier/model.joblib",
        confusion=f"results/{EDITION}/classifier/confusion.csv",
        out_of_fold=f"results/{EDITION}/classifier/coded_out_of_fold.csv",
        sheets=config["classify"]["coded_sheets"],
    output:
        incoming=f"results/{EDITION}/classify/incoming.parquet",
        shares=report(
            f"results/{EDITION}/classify/type_shares.csv",
            caption="../report/type_shares.rst",
            category="Classifier",
        ),
    log:
        f"logs/{EDITION}/classify.log",
    benchmark:
        f"logs/{EDITION}/benchmarks/classify.tsv"
    conda:
        "../envs/engbench.yaml"
    threads: 2
    resources:
        **needs("classify"),
    params:
        coders=config["classify"]["coders"],
    script:
        "../scripts/classify.py"


rule classify_demo_validation:
    input:
        classified=f"results/{EDITION}/classify/incoming.parquet",
        shares=f"results/{EDITION}/classify/type_shares.csv",
        truth=f"{DEMO_DIR}/truth/incoming.parquet",
    output:
        report(
            f"results/{EDITION}/classify/demo_validation.json",
            caption="../report/classify_demo_validation.rst",
            category="Classifier",
        ),
    log:
        f"logs/{EDITION}/classify_demo_validation.log",
    benchmark:
        f"logs/{EDITION}/benchmarks/classify_demo_validation.tsv"
    conda:
        "../envs/engbench.yaml"
    threads: 1
    resources:
        **needs("small"),
    script:
        "../scripts/classify_demo_validation.py"


rule coding_sample:
    input:
        incoming=f"results/{EDITION}/threads/incoming.parquet",
    output:
        f"results/{EDITION}/coding/sample.xlsx",
    log:
        f"logs/{EDITION}/coding_sample.log",
    benchmark:
        f"logs/{EDITION}/benchmarks/coding_sample.tsv"
    conda:
        "../envs/engbench.yaml"
    threads: 1
    resources:
        **needs("small"),
    params:
        per_cell=config["classify"]["coding_sample_per_cell"],
        coders=config["classify"]["coders"],
        seed=config["classify"]["seed"],
    script:
        "../scripts/coding_sample.py"


rule coding_reliability:
    input:
        sheets=config["classify"]["coded_sheets"],
    output:
        reliability=report(
            f"results/{EDITION}/coding/reliability.csv",
            caption="../report/reliability.rst",
            category="Classifier",
        ),
        disagreements=f"results/{EDITION}/coding/disagreements.xlsx",
    log:
        f"logs/{EDITION}/coding_reliability.log",
    benchmark:
        f"logs/{EDITION}/benchmarks/coding_reliability.tsv"
    conda:
        "../envs/engbench.yaml"
    threads: 1
    resources:
        **needs("small"),
    params:
        coders=config["classify"]["coders"],
    script:
        "../scripts/coding_reliability.py"


rule demo_coding:
    input:
        sample=f"results/{EDITION}/coding/sample.xlsx",
        truth=f"{DEMO_DIR}/truth/incoming.parquet",
    output:
        f"{DEMO_DIR}/coding/coded_sample.xlsx",
    log:
        f"logs/{EDITION}/demo_coding.log",
    benchmark:
        f"logs/{EDITION}/benchmarks/demo_coding.tsv"
    conda:
        "../envs/engbench.yaml"
    threads: 1
    resources:
        **needs("small"),
    params:
        coders=config["classify"]["coders"],
        seed=config["classify"]["seed"],
    script:
        "../scripts/demo_coding.py"


rule response_by_type:
    input:
        incoming=f"results/{EDITION}/classify/incoming.parquet",
        out_of_fold=f"results/{EDITION}/classifier/coded_out_of_fold.csv",
        sheets=config["classify"]["coded_sheets"],
    output:
        parquet=f"results/{EDITION}/metrics/response_rates_by_type.parquet",
        csv=report(
            f"results/{EDITION}/metrics/response_rates_by_type.csv",
            caption="../report/response_by_type.rst",
            category="Webcare",
        ),
    log:
        f"logs/{EDITION}/response_by_type.log",
    benchmark:
        f"logs/{EDITION}/benchmarks/response_by_type.tsv"
    conda:
        "../envs/engbench.yaml"
    threads: 1
    resources:
        **needs("response_by_type"),
    params:
        coders=config["classify"]["coders"],
        n_resamples=config["metrics"]["bootstrap_resamples"],
        seed=config["metrics"]["seed"],
        method=config["classify"]["correction"],
    script:
        "../scripts/response_by_type.py"


rule response_by_type_demo_validation:
    input:
        rates=f"results/{EDITION}/metrics/response_rates_by_type.parquet",
        incoming=f"results/{EDITION}/classify/incoming.parquet",
        truth=f"{DEMO_DIR}/truth/incoming.parquet",
    output:
        table=report(
            f"results/{EDITION}/classify/demo_response_by_type.csv",
            caption="../report/demo_response_by_type.rst",
            category="Classifier",
        ),
        summary=f"results/{EDITION}/classify/demo_response_by_type.json",
    log:
        f"logs/{EDITION}/response_by_type_demo_validation.log",
    benchmark:
        f"logs/{EDITION}/benchmarks/response_by_type_demo_validation.tsv"
    conda:
        "../envs/engbench.yaml"
    threads: 1
    resources:
        **needs("response_by_type"),
    script:
        "../scripts/response_by_type_demo_validation.py"


rule coding_next_batch:
    input:
        classified=f"results/{EDITION}/classify/incoming.parquet",
        sheets=config["classify"]["coded_sheets"],
    output:
        f"results/{EDITION}/coding/next_batch.xlsx",
    log:
        f"logs/{EDITION}/coding_next_batch.log",
    benchmark:
        f"logs/{EDITION}/benchmarks/coding_next_batch.tsv"
    conda:
        "../envs/engbench.yaml"
    threads: 1
    resources:
        **needs("classify"),
    params:
        per_cell=config["classify"]["next_batch_per_cell"],
        coders=config["classify"]["coders"],
        seed=config["classify"]["seed"],
    script:
        "../scripts/coding_next_batch.py"
