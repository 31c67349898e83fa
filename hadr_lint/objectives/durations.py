"""Durations as people write them (``0``, ``30s``, ``5m``, ``1h``, ``24h``, ``1d``) and back.

Seconds are floats; ``math.inf`` stands for "unbounded" (no copy at all, a manual step).
"""

from __future__ import annotations

import math
import re

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_PATTERN = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")


class DurationError(ValueError):
    pass


def parse_duration(value: object) -> float:
    """Seconds for ``value``: a number (seconds) or a string such as ``5m``; else DurationError.

    A bare number is seconds (``0`` is the usual one). Units: s, m, h, d.
    """
    if isinstance(value, bool):
        raise DurationError(f"expected a duration such as 30s, 5m, 1h or 1d, not {value!r}")
    if isinstance(value, (int, float)):
        seconds = _finite(value)
        if seconds is None or seconds < 0:
            raise DurationError(f"a duration must be a finite number of seconds >= 0, "
                                f"not {_short(value)}")
        return seconds
    if isinstance(value, str):
        found = _PATTERN.match(value.lower())
        seconds = _finite(found.group(1)) if found else None
        if seconds is not None:
            return seconds * UNITS[found.group(2) or "s"]
        if found:
            raise DurationError(f"a duration must be a finite number of seconds, not "
                                f"{_short(value)}")
    raise DurationError(f"expected a duration such as 0, 30s, 5m, 1h or 1d, not {_short(value)}")


def _finite(value: object) -> float | None:
    """``value`` as a finite float; None when it is not one (NaN, infinite, too large)."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except OverflowError:  # an int of 400 digits
        return None
    return None if math.isnan(number) or math.isinf(number) else number


def _short(value: object) -> str:
    """``repr(value)``, cut to 40 characters (a number of 400 digits is not repeated)."""
    if isinstance(value, int) and value.bit_length() > 128:  # repr() fails past 4300 digits
        return "a number too large to be a duration"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


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
