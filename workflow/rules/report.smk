# The yearly benchmark report: figures, tables (CSV, XLSX, LaTeX) and the PDF.


rule report:
    input:
        **PANEL_RESULTS,
        indicators=f"results/{EDITION}/metrics/indicators.parquet",
        league=f"results/{EDITION}/metrics/engagement_index.parquet",
        by_type=f"results/{EDITION}/metrics/response_rates_by_type.parquet",
        robustness=f"results/{EDITION}/robustness.csv",
        incoming=f"results/{EDITION}/classify/incoming.parquet",
        messages=f"results/{EDITION}/threads/messages.parquet",
        counts=f"results/{EDITION}/threads/counts.json",
        classifier=f"results/{EDITION}/classifier/metadata.json",
        classifier_per_class=f"results/{EDITION}/classifier/validation_per_class.csv",
        confusion=f"results/{EDITION}/classifier/confusion.csv",
        ingest=f"results/{EDITION}/ingest/summary.csv",
        organisations=config["organisations"],
        labels=LABEL_FILES,
    output:
        pdf=report(
            f"results/{EDITION}/report.pdf",
            caption="../report/report_pdf.rst",
            category="Report",
        ),
        workbook=report(
            f"results/{EDITION}/report/engbench_tables.xlsx",
            caption="../report/workbook.rst",
            category="Report",
        ),
        figures=report(
            directory(f"results/{EDITION}/report/figures"),
            patterns=["{name}.png"],
            caption="../report/figures.rst",
            category="Report",
            subcategory="Figures",
        ),
        tables=report(
            directory(f"results/{EDITION}/report/tables"),
            patterns=["{name}.csv"],
            caption="../report/tables.rst",
            category="Report",
            subcategory="Tables",
        ),
        numbers=f"results/{EDITION}/report/summary_numbers.json",
        findings=f"results/{EDITION}/report/findings.json",
        source=f"results/{EDITION}/report/report.typ",
    log:
        f"logs/{EDITION}/report.log",
    benchmark:
        f"logs/{EDITION}/benchmarks/report.tsv"
    conda:
        "../envs/engbench.yaml"
    threads: 1
    resources:
        **needs("report"),
    params:
        config={
            key: config[key]
            for key in (
                "edition",
                "period",
                "timezone",
                "language",
                "response",
                "answer_window_days",
                "webcare_hours",
                "metrics",
                "ingest",
            )
        },
    script:
        "../scripts/report.py"
