"""Durations as people write them (``0``, ``30s``, ``5m``, ``1h``, ``24h``, ``1d``, ``1h30m``) and
back.

Seconds are floats; ``math.inf`` stands for "unbounded" (no copy at all, a manual step).
"""

from __future__ import annotations

import math
import re

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_PATTERN = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
_COMPOUND = re.compile(r"^\s*(?:\d+(?:\.\d+)?\s*[smhd]\s*)+$")
_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd])")
LONGEST = 100 * 365 * 86400  # a hundred years: anything longer is a typo, not an objective


class DurationError(ValueError):
    pass


def parse_duration(value: object) -> float:
    """Seconds for ``value``: a number (seconds) or a string such as ``5m``; else DurationError.

    A bare number is seconds (``0`` is the usual one). Units: s, m, h, d, combined as the
    report prints them (``1h30m``, ``2m30s``). More than a hundred years is an error.
    """
    if isinstance(value, bool):
        raise DurationError(f"expected a duration such as 30s, 5m, 1h or 1d, not {value!r}")
    if isinstance(value, (int, float)):
        if value < 0 or (isinstance(value, float) and math.isnan(value)):
            raise DurationError(f"a duration must be a number of seconds >= 0, not {value!r}")
        return _bounded(value, value)
    if isinstance(value, str):
        text = value.lower()
        found = _PATTERN.match(text)
        if found:
            return _bounded(float(found.group(1)) * UNITS[found.group(2) or "s"], value)
        if _COMPOUND.match(text):
            return _bounded(sum(float(n) * UNITS[u] for n, u in _PART.findall(text)), value)
    raise DurationError(f"expected a duration such as 0, 30s, 5m, 1h30m or 1d, not {value!r}")


def _bounded(seconds: float | int, given: object) -> float:
    if seconds > LONGEST:  # compared before float(): a 400-digit int would overflow
        shown = given if len(str(given)) <= 20 else f"{str(given)[:12]}... ({len(str(given))} "\
                                                       "characters)"
        raise DurationError(f"a duration must be at most 100 years, not {shown}")
    return float(seconds)


def format_duration(seconds: float | None) -> str:
    """``90`` -> ``1m30s``; ``86400`` -> ``1d``; ``inf`` -> ``unbounded``; None -> ``unknown``."""
    if seconds is None:
        return "unknown"
    if math.isinf(seconds):
        return "unbounded"
    if seconds < 1:
        return "0s" if seconds == 0 else f"{seconds:g}s"
    whole = int(round(seconds))
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        count, whole = divmod(whole, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts)
