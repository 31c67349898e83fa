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
        if value < 0 or math.isnan(value) or math.isinf(value):
            raise DurationError(f"a duration must be a finite number of seconds >= 0, "
                                f"not {value!r}")
        return float(value)
    if isinstance(value, str):
        found = _PATTERN.match(value.lower())
        if found:
            return float(found.group(1)) * UNITS[found.group(2) or "s"]
    raise DurationError(f"expected a duration such as 0, 30s, 5m, 1h or 1d, not {value!r}")


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
