"""Time for the simulator: when people post, and when webcare is open.

All times are int64 seconds since the Unix epoch, UTC. Local rhythms (hour of
day, day of week) are drawn in the edition's time zone and converted, so the
spring and autumn daylight-saving changes appear in the data exactly as in a
real Dutch archive (e.g. the hour 02:00–03:00 on 29 October 2017 occurs twice).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from engbench.hours import OpeningHours

# Relative activity per local hour (0–23). Consumers: commute peaks and evening;
# organisations broadcast in office hours.
CONSUMER_HOURS_WEEKDAY = np.array(
    [0.6, 0.3, 0.2, 0.1, 0.1, 0.3, 1.2, 3.2, 4.5, 3.6, 3.0, 3.0,
     3.4, 3.2, 3.0, 3.0, 3.4, 4.0, 3.8, 3.9, 4.2, 4.0, 3.0, 1.6]
)  # fmt: skip
CONSUMER_HOURS_WEEKEND = np.array(
    [1.0, 0.6, 0.4, 0.2, 0.1, 0.1, 0.3, 0.8, 1.6, 2.6, 3.2, 3.4,
     3.4, 3.3, 3.2, 3.1, 3.2, 3.3, 3.4, 3.6, 3.8, 3.6, 2.8, 1.8]
)  # fmt: skip
BROADCAST_HOURS_WEEKDAY = np.array(
    [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.2, 1.0, 3.0, 4.0, 4.2, 4.0,
     3.2, 3.6, 4.0, 3.8, 3.0, 1.8, 1.0, 0.8, 0.6, 0.3, 0.1, 0.0]
)  # fmt: skip
BROADCAST_HOURS_WEEKEND = np.array(
    [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.3, 1.0, 2.0, 2.5, 2.5,
     2.0, 2.0, 2.0, 1.8, 1.5, 1.0, 0.8, 0.6, 0.4, 0.2, 0.0, 0.0]
)  # fmt: skip
CONSUMER_WEEKDAYS = np.array([1.05, 1.0, 1.0, 1.0, 0.95, 0.8, 0.75])
BROADCAST_WEEKDAYS = np.array([1.0, 1.0, 1.0, 1.0, 0.9, 0.35, 0.25])

# Webcare schedules organisations keep: weekday (0 = Monday) → (open, close) minutes.
_DAYS = range(7)
SCHEDULES: dict[str, dict[int, tuple[int, int] | None]] = {
    "always": {d: (0, 1440) for d in _DAYS},
    "07-23 daily": {d: (7 * 60, 23 * 60) for d in _DAYS},
    "08-22 weekdays, 09-18 weekend": {
        d: (8 * 60, 22 * 60) if d < 5 else (9 * 60, 18 * 60) for d in _DAYS
    },
    "08-20 weekdays, 10-16 saturday": {
        d: (8 * 60, 20 * 60) if d < 5 else ((10 * 60, 16 * 60) if d == 5 else None) for d in _DAYS
    },
    "09-17 weekdays": {d: (9 * 60, 17 * 60) if d < 5 else None for d in _DAYS},
}


@dataclass(frozen=True)
class Period:
    """A collection period: local dates [start, end) in ``timezone``."""

    start: dt.date
    end: dt.date
    timezone: str

    @property
    def n_days(self) -> int:
        return (self.end - self.start).days

    @property
    def start_utc(self) -> int:
        return int(pd.Timestamp(self.start).tz_localize(self.timezone).timestamp())

    @property
    def end_utc(self) -> int:
        return int(pd.Timestamp(self.end).tz_localize(self.timezone).timestamp())

    def weekdays(self) -> np.ndarray:
        """Weekday (0 = Monday) of each day of the period."""
        return (np.arange(self.n_days) + self.start.weekday()) % 7


def local_to_utc(local_seconds: np.ndarray, timezone: str, rng: np.random.Generator) -> np.ndarray:
    """Naive local wall-clock seconds → UTC epoch seconds.

    Wall-clock times in the autumn's repeated hour are assigned to either
    occurrence at random; times in the spring's skipped hour move forward.
    """
    naive = pd.DatetimeIndex(local_seconds.astype("datetime64[s]"))
    ambiguous = rng.random(len(naive)) < 0.5
    aware = naive.tz_localize(timezone, ambiguous=ambiguous, nonexistent="shift_forward")
    return aware.as_unit("s").asi8.astype(np.int64)


def sample_times(
    rng: np.random.Generator,
    n: int,
    period: Period,
    day_weights: np.ndarray,
    weekday_hours: np.ndarray,
    weekend_hours: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Draw ``n`` UTC times in the period from a day profile and hourly rhythms.

    Returns the times and the index of the (local) day each was drawn on.
    """
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    p_day = day_weights / day_weights.sum()
    day = rng.choice(period.n_days, size=n, p=p_day)
    weekend = period.weekdays()[day] >= 5
    hour = np.empty(n, dtype=np.int64)
    for mask, profile in ((~weekend, weekday_hours), (weekend, weekend_hours)):
        k = int(mask.sum())
        if k:
            hour[mask] = rng.choice(24, size=k, p=profile / profile.sum())
    second = rng.integers(0, 3600, size=n)
    epoch_day0 = (period.start - dt.date(1970, 1, 1)).days * 86400
    local = epoch_day0 + day * 86400 + hour * 3600 + second
    return local_to_utc(local, period.timezone, rng), day


class WebcareClock(OpeningHours):
    """An organisation's opening hours over the period (and 45 days after it)."""

    def __init__(self, schedule: dict[int, tuple[int, int] | None], period: Period, margin_days=45):
        super().__init__(schedule, period.start_utc, period.n_days + margin_days, period.timezone)
