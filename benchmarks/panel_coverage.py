"""Coverage of the main loyalty model's 95% interval over simulated panels.

    .venv/bin/python benchmarks/panel_coverage.py [--panels 200] [--respondents 1400]

Simulates panels with the demo edition's organisations and a known effect of
following (engbench.simulate.panel.TRUTH), reads each the way a delivered panel
is read, fits `ols_fe` (organisation fixed effects, survey weights, respondent-
clustered errors) and counts how often the interval covers the truth. Target
(issue 6): coverage between 92% and 98%. Also reports the mean estimate, the
spread of the estimates and the mean standard error (which should agree).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from engbench.models import ols_fe, prepare
from engbench.organisations import organisation_table, read_organisations
from engbench.simulate.panel import TRUTH, simulated_pairs

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--panels", type=int, default=200)
    parser.add_argument("--respondents", type=int, default=1400)
    parser.add_argument("--seed", type=int, default=10_000)
    args = parser.parse_args()
    orgs = organisation_table(read_organisations(ROOT / "config" / "organisations.csv"))
    start = time.perf_counter()
    estimates, errors, covered = [], [], 0
    for i in range(args.panels):
        pairs = simulated_pairs(orgs, args.respondents, args.seed + i)
        pairs["respondent_id"] = pairs["respondent_id"].astype(str)
        fit, _ = ols_fe(prepare(pairs))
        low, high = fit.conf_int().loc["follows"]
        covered += low <= TRUTH["follows_effect"] <= high
        estimates.append(fit.params["follows"])
        errors.append(fit.bse["follows"])
    rate = covered / args.panels
    se = np.sqrt(rate * (1 - rate) / args.panels)
    print(
        f"{args.panels} panels of {args.respondents} respondents "
        f"in {time.perf_counter() - start:.0f} s"
    )
    print(f"true effect of following       {TRUTH['follows_effect']:.3f}")
    print(f"mean estimate                  {np.mean(estimates):.4f}")
    print(f"sd of estimates / mean s.e.    {np.std(estimates, ddof=1):.4f} / {np.mean(errors):.4f}")
    print(f"coverage of the 95% interval   {rate:.1%} (± {1.96 * se:.1%})   target 92%–98%")


if __name__ == "__main__":
    main()
