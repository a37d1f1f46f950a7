"""Coverage of the corrected per-type response rates' 95% intervals over small simulated editions.

    .venv/bin/python benchmarks/response_coverage.py [--editions 100] [--orgs 8]
        [--messages 800] [--coded 40] [--resamples 300] [--method posterior]

Each edition comes from ``engbench.simulate.typed.misclassified_incoming``:
organisations with their own true per-type response rates, a classifier whose
errors differ between answered and unanswered messages (what biases the raw
rates), and a coded sample of ``--coded`` messages per organisation. For every
edition the raw and corrected rates (``engbench.classify.response``) are
compared with the true rates of the same messages. Reports, edition-wide and
per organisation: mean absolute error of raw and corrected rates, and how
often each 95% interval covers the truth (target for the corrected ones: near 95%).
"""

from __future__ import annotations

import argparse
import time

import pandas as pd

from engbench.classify.response import compare_to_truth, response_rates_by_type, true_response_rates
from engbench.simulate.typed import misclassified_incoming


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--editions", type=int, default=100)
    parser.add_argument("--orgs", type=int, default=8)
    parser.add_argument("--messages", type=int, default=800, help="incoming per organisation")
    parser.add_argument("--coded", type=int, default=40, help="coded messages per organisation")
    parser.add_argument("--resamples", type=int, default=300)
    parser.add_argument("--method", default="posterior", choices=["posterior", "em"])
    parser.add_argument("--seed", type=int, default=20_000)
    args = parser.parse_args()
    start = time.perf_counter()
    parts = []
    for i in range(args.editions):
        incoming, gold, truth = misclassified_incoming(
            args.orgs, args.messages, args.coded, seed=args.seed + i
        )
        table = response_rates_by_type(incoming, gold, args.resamples, seed=i, method=args.method)
        parts.append(
            compare_to_truth(table, true_response_rates(incoming, truth)).assign(edition=i)
        )
    seconds = time.perf_counter() - start
    results = pd.concat(parts, ignore_index=True).dropna(subset=["raw_rate", "corrected_rate"])
    results["scope"] = (results["org_id"] == "all").map({True: "edition", False: "organisation"})
    summary = results.groupby(["scope", "type"])[
        ["raw_error", "corrected_error", "raw_covers", "corrected_covers"]
    ].mean()
    overall = results.groupby("scope")[
        ["raw_error", "corrected_error", "raw_covers", "corrected_covers"]
    ].mean()
    print(
        f"{args.editions} editions × {args.orgs} organisations × {args.messages} incoming, "
        f"{args.coded} coded per organisation, method {args.method}, "
        f"{args.resamples} resamples; {seconds:.0f} s"
    )
    print(summary.round(3).to_string())
    print(overall.round(3).to_string())


if __name__ == "__main__":
    main()
