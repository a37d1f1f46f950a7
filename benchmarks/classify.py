"""Classifier throughput on the full demo edition, and training time.

    .venv/bin/python benchmarks/classify.py [--jobs 2]

Trains the model as the workflow does (grid search, 5-fold) on
data/labels/coded_messages.csv, then classifies every incoming message of the
full demo edition (run `python3 dev.py demo` first), reporting messages per
second. As a baseline measured in the same process: the word-n-gram
vectoriser alone on the same texts (the cheapest useful text feature).
Target (issue 5): at least 20,000 messages per second on this 2-core machine.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer

from engbench.classify import model as classifier

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", default=str(ROOT / "data" / "labels" / "coded_messages.csv"))
    parser.add_argument(
        "--truth", default=str(ROOT / "data" / "demo" / "demo-2017" / "truth" / "messages.parquet")
    )
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    if not Path(args.truth).exists():
        sys.exit(f"{args.truth} not found: run `python3 dev.py demo` first")
    labels = classifier.check_labels(pd.read_csv(args.labels))
    start = time.perf_counter()
    model, metadata = classifier.train(labels, n_jobs=args.jobs)
    trained = time.perf_counter() - start
    messages = pd.read_parquet(args.truth, columns=["role", "text"])
    texts = messages.loc[messages["role"] == "incoming", "text"].tolist()
    classifier.predict(model, texts[:2000])  # warm up
    start = time.perf_counter()
    classifier.predict(model, texts, n_jobs=args.jobs, chunk=25_000)
    seconds = time.perf_counter() - start
    single_start = time.perf_counter()
    classifier.predict(model, texts[:50_000], n_jobs=1)
    single = (time.perf_counter() - single_start) / 50_000 * len(texts)
    words = TfidfVectorizer(ngram_range=(1, 2)).fit(labels["text"])
    base_start = time.perf_counter()
    words.transform(texts)
    baseline = time.perf_counter() - base_start
    grid = len(metadata["selection"]["grid"])
    rate = len(texts) / seconds
    print(f"training on {len(labels):,} coded messages (grid of {grid}, 5-fold): {trained:.1f} s")
    print(f"classifying {len(texts):,} incoming messages, {args.jobs} processes: {seconds:.1f} s")
    print(f"  = {rate:,.0f} messages/s (target >= 20,000)")
    print(f"  one process: {len(texts) / single:,.0f} messages/s")
    print(f"baseline, word n-gram vectoriser alone: {baseline:.1f} s")
    print(f"  classify / baseline = {seconds / baseline:.1f} x")


if __name__ == "__main__":
    main()
