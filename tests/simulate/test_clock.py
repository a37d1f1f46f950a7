"""Local rhythms across the daylight-saving changes, and working-hours delays."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from engbench.simulate.clock import SCHEDULES, Period, WebcareClock, local_to_utc

PERIOD = Period(dt.date(2017, 1, 1), dt.date(2017, 11, 1), "Europe/Amsterdam")
CLOCK = WebcareClock(SCHEDULES["09-17 weekdays"], PERIOD)


def epoch(text: str) -> int:
    return int(pd.Timestamp(text).timestamp())


def test_repeated_autumn_hour_maps_to_both_instants():
    local = np.full(200, epoch("2017-10-29 02:30:00"))
    utc = set(local_to_utc(local, "Europe/Amsterdam", np.random.default_rng(1)))
    assert utc == {epoch("2017-10-29 00:30:00"), epoch("2017-10-29 01:30:00")}


def test_skipped_spring_hour_moves_forward():
    utc = local_to_utc(
        np.array([epoch("2017-03-26 02:30:00")]), "Europe/Amsterdam", np.random.default_rng(1)
    )
    assert utc[0] == epoch("2017-03-26 01:00:00")  # 03:00 CEST


def test_period_bounds_are_local_midnight():
    assert PERIOD.start_utc == epoch("2016-12-31 23:00:00")
    assert PERIOD.end_utc == epoch("2017-10-31 23:00:00")  # after the change back to CET
    assert PERIOD.n_days == 304


def test_friday_evening_message_is_answered_on_monday():
    friday_1650_local = epoch("2017-06-16 14:50:00")  # CEST = UTC+2
    reply = CLOCK.advance(np.array([friday_1650_local]), np.array([20 * 60]))[0]
    # 10 open minutes on Friday (16:50–17:00), the other 10 on Monday from 09:00 → 09:10 CEST
    assert reply == epoch("2017-06-19 07:10:00")


def test_working_hours_follow_the_dst_change():
    monday_after_change = epoch("2017-10-30 07:59:00")  # 08:59 CET
    reply = CLOCK.advance(np.array([monday_after_change]), np.array([60]))[0]
    assert reply == epoch("2017-10-30 08:01:00")  # 09:01 CET


@settings(max_examples=200, deadline=None)
@given(
    start=st.integers(PERIOD.start_utc, PERIOD.end_utc - 86400),
    work=st.integers(1, 5 * 86400),
)
def test_advance_spends_exactly_the_working_time(start, work):
    reply = int(CLOCK.advance(np.array([start]), np.array([work]))[0])
    assert reply >= start + 60
    minutes = np.arange(start // 60, reply // 60 + 1)
    open_seconds = CLOCK.is_open[minutes - CLOCK.origin // 60].sum() * 60
    # whole minutes are counted open or closed; allow the partial first and last minute
    assert work - 120 <= open_seconds <= max(work, 60) + 120
