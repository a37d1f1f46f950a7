"""Timestamps as the platforms and export tools write them, to aware datetimes."""

from __future__ import annotations

import datetime as dt
import zoneinfo

LEGACY_TWITTER = "%a %b %d %H:%M:%S %z %Y"  # Wed Oct 10 20:19:24 +0000 2018
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)


def parse_timestamp(value, timezone: str = "UTC") -> dt.datetime:
    """Parse ISO 8601 (``Z``, ``+0000`` or ``+00:00``), legacy Twitter, or epoch seconds.

    A timestamp without a zone is read in ``timezone``. Raises ValueError with
    the value when it is none of these.
    """
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        return dt.datetime.fromtimestamp(float(value), dt.UTC)
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            raise ValueError("empty timestamp")
        if text[:3].isalpha():
            parsed = dt.datetime.strptime(text, LEGACY_TWITTER)
        elif text.isdigit() and len(text) in (10, 13):
            seconds = int(text) / (1000 if len(text) == 13 else 1)
            return dt.datetime.fromtimestamp(seconds, dt.UTC)
        else:
            if text.endswith("Z"):
                text = text[:-1] + "+00:00"
            elif (
                len(text) > 5 and text[-5] in "+-" and text[-4:].isdigit() and ":" not in text[-5:]
            ):
                text = text[:-2] + ":" + text[-2:]
            parsed = dt.datetime.fromisoformat(text)
    else:
        raise ValueError(f"not a timestamp: {value!r}")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zoneinfo.ZoneInfo(timezone))
    return parsed


def looks_like_excel_serial(value: str) -> bool:
    """``42059.4832407407``: a date that Excel turned into a day count."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return False
    return 20000 < number < 80000 and "." in str(value)


def excel_serial_to_datetime(value: str, timezone: str) -> dt.datetime:
    moment = _EXCEL_EPOCH + dt.timedelta(days=float(value))
    return moment.replace(tzinfo=zoneinfo.ZoneInfo(timezone))
