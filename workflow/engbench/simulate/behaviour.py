"""How each simulated organisation behaves: the parameters kept as ground truth.

Drawn once per organisation from the seed. Sector sets the mix of message
types; each organisation then has its own broadcast volume, base response
propensity, per-type response offsets (complaints always highest, as the
2018 study found: "webcure instead of webcare"), response speed and webcare
schedule.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from engbench.simulate.clock import SCHEDULES
from engbench.simulate.text import TYPES

# Mean shares of complaint, question, compliment, other in messages that open a
# conversation, per sector.
SECTOR_TYPE_MIX = {
    "airline": (0.42, 0.30, 0.13, 0.15),
    "rail": (0.52, 0.22, 0.10, 0.16),
    "public_transport": (0.50, 0.24, 0.09, 0.17),
    "telecom": (0.50, 0.28, 0.08, 0.14),
    "energy": (0.44, 0.32, 0.08, 0.16),
    "bank": (0.38, 0.36, 0.09, 0.17),
    "insurer": (0.36, 0.38, 0.09, 0.17),
    "supermarket": (0.30, 0.28, 0.18, 0.24),
    "ecommerce": (0.40, 0.30, 0.15, 0.15),
    "electronics": (0.34, 0.34, 0.14, 0.18),
    "employment_agency": (0.22, 0.42, 0.10, 0.26),
    "parcel_delivery": (0.58, 0.22, 0.08, 0.12),
}
DEFAULT_TYPE_MIX = (0.38, 0.30, 0.12, 0.20)
# Comments under an organisation's own posts are more often chatter and contests.
REPLY_TO_BROADCAST_MIX = (0.22, 0.22, 0.16, 0.40)
FOLLOWUP_MIX = (0.40, 0.22, 0.26, 0.12)
ENGLISH_SHARE = {"airline": 0.32, "electronics": 0.2, "ecommerce": 0.14}
DEFAULT_ENGLISH_SHARE = 0.1
SECTOR_SCHEDULES = {
    "airline": ["always", "always", "07-23 daily"],
    "rail": ["always", "07-23 daily"],
    "public_transport": ["07-23 daily", "08-22 weekdays, 09-18 weekend"],
    "telecom": ["08-22 weekdays, 09-18 weekend", "07-23 daily"],
    "energy": ["08-20 weekdays, 10-16 saturday", "09-17 weekdays"],
    "bank": ["always", "08-22 weekdays, 09-18 weekend"],
    "insurer": ["09-17 weekdays", "08-20 weekdays, 10-16 saturday"],
}
DEFAULT_SCHEDULES = [
    "08-22 weekdays, 09-18 weekend",
    "08-20 weekdays, 10-16 saturday",
    "09-17 weekdays",
]


# Response propensity (logit scale; docs/simulator.md, "Calibration", gives the source of
# each): an organisation's base is the logit of answering a complaint on Twitter, drawn
# N(mean, sd) across organisations; below it, each type's gap to the type before, drawn
# uniform per organisation (question below complaint, compliment below question, other
# below compliment); Facebook's shift, drawn once per edition, applies to every type.
RESPOND_BASE = (-0.35, 1.25)
RESPOND_GAPS = ((0.7, 1.3), (1.5, 2.3), (0.4, 0.9))
FACEBOOK_SHIFT = (-0.6, 0.2)


def draw_behaviour(organisations: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """One row per organisation with its behaviour parameters.

    ``organisations`` is the per-organisation table (org_id, sector,
    followers_twitter, followers_facebook). Columns of the result:
    activity (share of consumer traffic), twitter_share, broadcast_weight,
    mix_<type> (type mix of opening messages), english_share,
    p_respond_<platform>_<type> (probability the organisation answers a message
    of that type), delay_median_s / delay_sigma (log-normal working-time delay),
    p_late / late_median_s (share answered only after days, wall-clock),
    schedule (webcare opening hours), engagement_rate.
    """
    n = len(organisations)
    followers = (
        organisations[["followers_twitter", "followers_facebook"]].fillna(0).sum(axis=1).to_numpy()
    )
    followers = np.maximum(followers.astype(float), 1000.0)
    activity = followers**0.65 * rng.lognormal(0.0, 0.5, n)
    out = pd.DataFrame({"org_id": organisations["org_id"].to_numpy()})
    out["activity"] = activity / activity.sum()
    sector = organisations["sector"].to_numpy()
    base_tw = np.array(
        [0.68 if s in ("airline", "rail", "telecom", "public_transport") else 0.55 for s in sector]
    )
    out["twitter_share"] = np.clip(base_tw + rng.normal(0, 0.08, n), 0.25, 0.9)
    out["broadcast_weight"] = followers**0.3 * rng.lognormal(0.0, 0.6, n)

    mixes = np.array([SECTOR_TYPE_MIX.get(s, DEFAULT_TYPE_MIX) for s in sector])
    mixes = np.vstack([rng.dirichlet(m * 60) for m in mixes])
    for j, t in enumerate(TYPES):
        out[f"mix_{t}"] = mixes[:, j]
    out["english_share"] = [ENGLISH_SHARE.get(s, DEFAULT_ENGLISH_SHARE) for s in sector]

    # Response propensity on the logit scale: an organisation base (its complaints on
    # Twitter), a Facebook shift and per-type gaps that keep
    # complaint > question > compliment > other for every organisation.
    base = rng.normal(*RESPOND_BASE, n)
    gaps = np.column_stack([rng.uniform(*gap, n) for gap in RESPOND_GAPS])
    offsets = np.column_stack([np.zeros(n), -np.cumsum(gaps, axis=1)])
    platform_shift = {"twitter": 0.0, "facebook": rng.normal(*FACEBOOK_SHIFT)}
    for platform, shift in platform_shift.items():
        for j, t in enumerate(TYPES):
            out[f"p_respond_{platform}_{t}"] = _expit(base + shift + offsets[:, j])

    out["delay_median_s"] = np.exp(rng.normal(np.log(50 * 60), 0.8, n))
    out["delay_sigma"] = rng.uniform(0.8, 1.3, n)
    out["p_late"] = rng.uniform(0.02, 0.12, n)
    out["late_median_s"] = np.exp(rng.normal(np.log(2.5 * 86400), 0.3, n))
    choices = [SECTOR_SCHEDULES.get(s, DEFAULT_SCHEDULES) for s in sector]
    out["schedule"] = [c[int(rng.integers(0, len(c)))] for c in choices]
    assert set(out["schedule"]) <= set(SCHEDULES)
    out["engagement_rate"] = np.exp(rng.normal(np.log(3e-4), 0.6, n))
    return out


def _expit(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))
