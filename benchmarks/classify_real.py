"""The classifier on real consumer messages: transfer from the written set, by source, adaptation.

    .venv/bin/python benchmarks/classify_real.py [--repeats 3] [--quick]

Needs the public samples (``../shared/fixtures`` or ``ENGBENCH_FIXTURES``) for the
texts of the coded real messages (``data/labels/real/real_codes.csv``; codebook
v1.1, two independent coders, disagreements resolved by a third). Prints:

1. The shipped model (``engbench train`` on ``data/labels/coded_messages.csv``
   alone, the same model selection) on every real source it never saw: macro-F1
   per source, English, Dutch (validation only) and all.
2. Leave one source out: written set + the real messages of the other English
   sources (weight ``balanced``) → the held-out source; and real → written.
3. The learning curve of adaptation: written set + n coded messages of one
   domain (``balanced``) → 200 held-out messages of that domain, n = 0…800.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd

from engbench.classify import model as classifier
from engbench.classify.real import coded_real, learning_curve, score
from engbench.classify.validation import report

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="default hyperparameters, no grid")
    args = parser.parse_args()
    start = time.perf_counter()
    written = classifier.check_labels(pd.read_csv(ROOT / "data" / "labels" / "coded_messages.csv"))
    real = coded_real()
    english = real[real["source"] != "dutch"]
    print(f"written set {len(written):,}; coded real {len(real):,} ({len(english):,} English)")

    grid = {"calibrated__estimator__C": [1.0], "features__words__ngram_range": [(1, 2)]}
    shipped, metadata = classifier.train(written, grid=grid if args.quick else None, n_jobs=2)
    print(f"\n1. shipped model ({metadata['selection']['best_params']}) on real messages")
    rows = []
    for name, part in [
        *real.groupby("source"),
        ("English (all but dutch)", english),
        ("Dutch", real[real["source"] == "dutch"]),
        ("all", real),
    ]:
        result = score(shipped, part)
        rows.append({"test": name, "n": len(part), "macro_f1": result["macro_f1"]})
        if name == "all":
            print(result["per_class"].round(3).to_string(index=False))
    print(pd.DataFrame(rows).round(3).to_string(index=False))

    print("\n2. leave one source out (train → test)")
    rows, pooled_predictions = [], {}
    for source in sorted(english["source"].unique()):
        held = english[english["source"] == source]
        others = english[english["source"] != source]
        for label, sources in (
            ("written", [("written", written, 1.0)]),
            (
                "written + other real (balanced)",
                [("written", written, 1.0), ("real", others[["text", "label"]], "balanced")],
            ),
            ("other real only", [("real", others[["text", "label"]], 1.0)]),
        ):
            model = _fit(classifier.combine_sources(sources))
            result = score(model, held)
            pooled_predictions.setdefault(label, []).append((held["label"], result["predicted"]))
            rows.append(
                {"train": label, "test": source, "n": len(held), "macro_f1": result["macro_f1"]}
            )
    table = pd.DataFrame(rows)
    print(table.pivot(index="test", columns="train", values="macro_f1").round(3).to_string())
    pooled = (
        table.assign(w=table["n"])
        .groupby("train")
        .apply(lambda g: (g["macro_f1"] * g["w"]).sum() / g["w"].sum(), include_groups=False)
    )
    print("mean weighted by source size:", pooled.round(3).to_dict())
    for label, parts in pooled_predictions.items():
        true = pd.concat([t for t, _ in parts]).to_numpy()
        predicted = np.concatenate([p for _, p in parts])
        pooled_f1 = report(true, predicted)["macro_f1"]
        print(f"pooled over held-out sources, {label}: macro-F1 {pooled_f1:.3f}")
    real_model = _fit(classifier.combine_sources([("real", english[["text", "label"]], 1.0)]))
    print(f"real (English) → written set: macro-F1 {score(real_model, written)['macro_f1']:.3f}")

    print(
        "\n3. learning curve: written + n in-domain coded (balanced) → 200 held-out of the domain"
    )
    for domain in ("ibm", "airline"):
        curve = learning_curve(written, english[english["source"] == domain], repeats=args.repeats)
        summary = curve.groupby("size")["macro_f1"].agg(["mean", "std", "count"]).round(3)
        print(f"domain {domain} ({(english['source'] == domain).sum()} coded):")
        print(summary.to_string())
    print(f"\n{time.perf_counter() - start:.0f} s")


def _fit(labels: pd.DataFrame):
    return classifier.build_pipeline().fit(
        labels["text"].tolist(),
        labels["label"].to_numpy(),
        calibrated__sample_weight=labels["weight"].to_numpy(float),
    )


if __name__ == "__main__":
    main()
