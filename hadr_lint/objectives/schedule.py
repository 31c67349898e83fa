"""AWS Backup / EventBridge schedule expressions -> the longest gap between two runs, in seconds.

``rate(12 hours)`` runs every 12 hours. ``cron(Minutes Hours Day-of-month Month Day-of-week Year)``
(UTC, six fields, ``?`` in one of the two day fields) runs at the listed times; the RPO a schedule
gives is its *longest* gap, so ``cron(0 5 * * ? *)`` is 24h, ``cron(0 */4 * * ? *)`` is 4h,
``cron(0 5 ? * MON-FRI *)`` is 72h (Friday 05:00 to Monday 05:00), and ``cron(0 5 1 * ? *)`` is
31 days. The gap is found by walking four calendar years day by day, so month lengths and leap
years count. Expressions this module cannot read exactly (``L``, ``W``, ``#``, a fixed year, a
malformed field) give an ``Unknown`` with the reason, never a guess.
"""

from __future__ import annotations

import datetime
import re

from hadr_lint.model import Unknown

RATE_UNITS = {"minute": 60, "minutes": 60, "hour": 3600, "hours": 3600, "day": 86400,
              "days": 86400}
DAY_NAMES = {"SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7}
MONTH_NAMES = {m: i for i, m in enumerate(
    ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), 1)}
_WRAPPED = re.compile(r"^\s*(cron|rate)\s*\((.*)\)\s*$", re.IGNORECASE | re.DOTALL)
_FIRST_DAY = datetime.date(2024, 1, 1)   # four years from a leap year: every month length
_DAYS = 4 * 365 + 1


class _Bad(ValueError):
    pass


def interval_seconds(expression: object) -> float | Unknown:
    """The longest gap between two runs of ``expression``, or an Unknown saying why not."""
    if isinstance(expression, Unknown):
        return expression
    if not isinstance(expression, str):
        return Unknown(f"schedule {expression!r} is not a cron() or rate() expression")
    found = _WRAPPED.match(expression)
    if not found:
        return Unknown(f"schedule {expression!r} is not a cron() or rate() expression")
    try:
        if found.group(1).lower() == "rate":
            return _rate(found.group(2))
        return _cron(found.group(2))
    except _Bad as exc:
        return Unknown(f"schedule {expression!r}: {exc}")


def _rate(body: str) -> float:
    parts = body.split()
    if len(parts) != 2 or not parts[0].isdigit() or parts[1].lower() not in RATE_UNITS:
        raise _Bad("rate() needs a whole number and minute(s), hour(s) or day(s)")
    value = int(parts[0])
    if value < 1:
        raise _Bad("rate() needs a positive value")
    return float(value * RATE_UNITS[parts[1].lower()])


def _cron(body: str) -> float:
    fields = body.split()
    if len(fields) != 6:
        raise _Bad(f"cron() needs 6 fields (minutes hours day-of-month month day-of-week year), "
                   f"got {len(fields)}")
    minute, hour, dom, month, dow, year = fields
    if year not in ("*", "?"):
        raise _Bad("a cron() with a fixed year runs for a limited time only")
    if (dom == "?") == (dow == "?"):
        raise _Bad("cron() needs '?' in exactly one of day-of-month and day-of-week")
    minutes = _values(minute, 0, 59, {})
    hours = _values(hour, 0, 23, {})
    days = None if dom == "?" else _values(dom, 1, 31, {})
    weekdays = None if dow == "?" else _values(dow, 1, 7, DAY_NAMES)
    months = _values(month, 1, 12, MONTH_NAMES)
    times = sorted(h * 60 + m for h in hours for m in minutes)
    return _longest_gap(times, days, weekdays, months) * 60.0


def _values(field: str, low: int, high: int, names: dict[str, int]) -> set[int]:
    """The values a cron field lists: ``*``, ``5``, ``1-5``, ``*/4``, ``10/15``, ``MON,WED``."""
    if any(c in field.upper() for c in "LW#") and not _only_names(field, names):
        raise _Bad(f"field {field!r}: L, W and # are not supported")
    found: set[int] = set()
    for part in field.split(","):
        base, _, step_text = part.partition("/")
        step = _number(step_text, names) if step_text else 1
        if step < 1:
            raise _Bad(f"field {field!r}: step must be positive")
        if base == "*":
            start, end = low, high
        elif "-" in base:
            first, _, last = base.partition("-")
            start, end = _number(first, names), _number(last, names)
        else:
            start = _number(base, names)
            end = high if step_text else start
        if not low <= start <= end <= high:
            raise _Bad(f"field {field!r} is outside {low}-{high}")
        found.update(range(start, end + 1, step))
    return found


def _only_names(field: str, names: dict[str, int]) -> bool:
    words = re.findall(r"[A-Za-z]+", field)
    return bool(words) and all(w.upper() in names for w in words)


def _number(text: str, names: dict[str, int]) -> int:
    if text.upper() in names:
        return names[text.upper()]
    if not text.isdigit():
        raise _Bad(f"{text!r} is not a number")
    return int(text)


def _longest_gap(times: list[int], days: set[int] | None, weekdays: set[int] | None,
                 months: set[int]) -> int:
    """Longest gap in minutes between consecutive runs over four calendar years."""
    runs: list[int] = []
    longest = 0
    previous: int | None = None
    for offset in range(_DAYS):
        date = _FIRST_DAY + datetime.timedelta(days=offset)
        if date.month not in months:
            continue
        if days is not None and date.day not in days:
            continue
        if weekdays is not None and (date.isoweekday() % 7) + 1 not in weekdays:
            continue
        for time in times:
            moment = offset * 1440 + time
            if previous is not None:
                longest = max(longest, moment - previous)
            previous = moment
            runs.append(moment)
    if len(runs) < 2:
        raise _Bad("runs less than twice in four years")
    return longest
