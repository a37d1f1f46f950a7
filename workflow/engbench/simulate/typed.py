"""A small world with known per-type response rates and a classifier that errs.

For the recovery tests and the coverage benchmark of
``engbench.classify.response``: organisations answer each true message type
with their own probability; the "classifier" confuses types at rates that
differ between answered and unanswered messages (an ignored complaint reads
less like one), which is exactly what biases the raw per-type rates; a coded
sample of a fixed size per organisation holds the true types.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from engbench.classify import TYPES

# P(predicted | true), rows = true type in TYPES order; answered and unanswered messages
CONFUSION_ANSWERED = np.array(
    [
        [0.80, 0.10, 0.02, 0.08],
        [0.10, 0.78, 0.02, 0.10],
        [0.03, 0.04, 0.80, 0.13],
        [0.06, 0.08, 0.06, 0.80],
    ]
)
CONFUSION_UNANSWERED = np.array(
    [
        [0.55, 0.15, 0.05, 0.25],
        [0.10, 0.70, 0.03, 0.17],
        [0.03, 0.05, 0.72, 0.20],
        [0.08, 0.08, 0.06, 0.78],
    ]
)
SHARES = np.array([0.35, 0.20, 0.15, 0.30])


def misclassified_incoming(
    n_orgs: int = 6,
    messages_per_org: int = 1500,
    coded_per_org: int = 60,
    seed: int = 1,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(incoming, gold, truth): a classified incoming table, a coded sample, the true types.

    Response probabilities per organisation: complaints 0.5–0.9, questions
    0.3–0.6, compliments 0.05–0.25, other 0.02–0.1. About a fifth of the
    messages share a thread with the message before (a follow-up).
    """
    rng = np.random.default_rng(seed)
    frames = []
    for o in range(n_orgs):
        rate = np.array(
            [
                rng.uniform(0.5, 0.9),
                rng.uniform(0.3, 0.6),
                rng.uniform(0.05, 0.25),
                rng.uniform(0.02, 0.1),
            ]
        )
        true = rng.choice(len(TYPES), size=messages_per_org, p=SHARES)
        replied = rng.random(messages_per_org) < rate[true]
        predicted = np.empty(messages_per_org, dtype=np.int64)
        for answered, confusion in ((True, CONFUSION_ANSWERED), (False, CONFUSION_UNANSWERED)):
            rows = np.flatnonzero(replied == answered)
            cumulative = confusion[true[rows]].cumsum(axis=1)
            predicted[rows] = (rng.random((len(rows), 1)) > cumulative).sum(axis=1)
        thread = np.cumsum(rng.random(messages_per_org) > 0.2)
        frames.append(
            pd.DataFrame(
                {
                    "org_id": f"org{o:02d}",
                    "platform": "twitter",
                    "message_id": [f"o{o}m{i}" for i in range(messages_per_org)],
                    "thread_id": [f"o{o}t{t}" for t in thread],
                    "replied": replied,
                    "censored": False,
                    "type": np.array(TYPES)[predicted],
                    "true_type": np.array(TYPES)[true],
                }
            )
        )
    incoming = pd.concat(frames, ignore_index=True)
    coded = incoming.groupby("org_id", group_keys=False).sample(coded_per_org, random_state=seed)
    gold = coded[["platform", "message_id"]].assign(label=coded["true_type"].to_numpy())
    truth = incoming[["platform", "message_id"]].assign(type=incoming["true_type"].to_numpy())
    return incoming.drop(columns="true_type"), gold, truth
