"""Opening hours: how much open (webcare) time lies between two moments.

Hours are given per local weekday (0 = Monday) as (open, close) minutes after
midnight, or None for closed, in a time zone; the calendar is laid out minute
by minute in UTC, so daylight-saving changes are handled by the zone database
(on 29 October 2017 the hour 02:00–03:00 happens twice; on a day that is open
all night it counts twice).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

Schedule = dict[int, tuple[int, int] | None]


class OpeningHours:
    """Open-time arithmetic for one schedule over [start_utc, start_utc + days)."""

    def __init__(self, schedule: Schedule, start_utc: int, days: int, timezone: str):
        self.origin = int(start_utc) // 60 * 60
        n_minutes = int(days) * 1440 + 120
        minutes_utc = self.origin + np.arange(n_minutes, dtype=np.int64) * 60
        local = pd.DatetimeIndex(minutes_utc.astype("datetime64[s]"), tz="UTC").tz_convert(timezone)
        weekday = local.day_of_week.to_numpy()
        minute_of_day = local.hour.to_numpy() * 60 + local.minute.to_numpy()
        is_open = np.zeros(n_minutes, dtype=bool)
        for day, hours in schedule.items():
            if hours is not None:
                is_open |= (
                    (weekday == day) & (minute_of_day >= hours[0]) & (minute_of_day < hours[1])
                )
        self.is_open = is_open
        # open seconds before the start of each minute
        self.cum = np.concatenate([[0], np.cumsum(is_open.astype(np.int64) * 60)])

    def _open_before(self, t: np.ndarray) -> np.ndarray:
        """Open seconds between the origin and each moment ``t`` (epoch seconds)."""
        offset = np.asarray(t, dtype=np.int64) - self.origin
        if (offset < 0).any() or (offset >= len(self.is_open) * 60).any():
            raise ValueError("a moment lies outside the calendar of opening hours")
        minute = offset // 60
        return self.cum[minute] + np.where(self.is_open[minute], offset - minute * 60, 0)

    def open_seconds(self, start: np.ndarray, end: np.ndarray) -> np.ndarray:
        """Open seconds between ``start`` and ``end`` (epoch seconds, end >= start)."""
        return self._open_before(end) - self._open_before(start)

    def advance(self, t: np.ndarray, work_seconds: np.ndarray) -> np.ndarray:
        """Wall-clock time at which ``work_seconds`` of open time have passed after ``t``.

        Never less than a minute after ``t``: nobody answers faster.
        """
        t = np.asarray(t, dtype=np.int64)
        target = self._open_before(t) + np.maximum(work_seconds, 1)
        idx = np.clip(np.searchsorted(self.cum, target, side="left") - 1, 0, len(self.is_open) - 1)
        out = self.origin + idx * 60 + np.minimum(target - self.cum[idx], 60)
        return np.maximum(out, t + 60)
