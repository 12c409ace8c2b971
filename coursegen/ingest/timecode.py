"""Clock strings → seconds: `mm:ss`, `h:mm:ss`, `HH:MM:SS.mmm`, `HH:MM:SS,mmm`."""

from __future__ import annotations

import re

_CLOCK = re.compile(r"^\s*(?:(\d{1,3}):)?(\d{1,3}):(\d{1,2})(?:[.,:](\d{1,3}))?\s*$")


def parse_clock(value: str) -> float | None:
    """Seconds for a clock string, or None when it is not one."""
    match = _CLOCK.match(value)
    if not match:
        return None
    hours, minutes, seconds, fraction = match.groups()
    if hours is not None and int(minutes) >= 60:
        return None
    if int(seconds) >= 60:
        return None
    total = int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds)
    if fraction:
        total += int(fraction) / (10 ** len(fraction))
    return float(round(total, 3))
