"""Durations, the strategies table, and schedule expressions, against hand-computed values."""

from __future__ import annotations

import math

import pytest

from hadr_lint.model import Unknown
from hadr_lint.objectives.durations import DurationError, format_duration, parse_duration
from hadr_lint.objectives.schedule import interval_seconds
from hadr_lint.objectives.strategies import cheapest_for, table


@pytest.mark.parametrize("text, seconds", [
    (0, 0), ("0", 0), ("30s", 30), ("5m", 300), ("1h", 3600), ("24h", 86400), ("1d", 86400),
    ("90", 90), (" 2H ", 7200), ("1.5h", 5400), (45, 45),
    ("1h30m", 5400), ("2m30s", 150), ("4h5m30s", 14730), ("1d 12h", 129600),
])
def test_parse_duration(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("bad", ["", "5x", "five minutes", "-1m", True, None, [], -3, "1h30",
                                 "h30m", "9" * 400, 10**400, float("inf"), "101y"])
def test_parse_duration_rejects(bad):
    with pytest.raises(DurationError):
        parse_duration(bad)


@pytest.mark.parametrize("seconds, text", [
    (0, "0s"), (1, "1s"), (90, "1m30s"), (3600, "1h"), (86400, "1d"), (259200, "3d"),
    (14730, "4h5m30s"), (math.inf, "unbounded"), (None, "unknown"),
])
def test_format_duration(seconds, text):
    assert format_duration(seconds) == text


@pytest.mark.parametrize("seconds", [1, 90, 3600, 5400, 14730, 259200, 93784])
def test_what_the_report_prints_reads_back(seconds):
    assert parse_duration(format_duration(seconds)) == seconds


@pytest.mark.parametrize("expression, seconds", [
    ("cron(0 5 * * ? *)", 24 * 3600),          # daily at 05:00
    ("cron(0 */4 * * ? *)", 4 * 3600),         # every 4 hours
    ("cron(0 5,17 * * ? *)", 12 * 3600),       # twice a day
    ("cron(0/15 * * * ? *)", 15 * 60),         # every 15 minutes
    ("cron(30 1 ? * MON-FRI *)", 72 * 3600),   # weekdays: Friday to Monday
    ("cron(0 3 ? * SUN *)", 7 * 86400),        # weekly
    ("cron(0 5 1 * ? *)", 31 * 86400),         # monthly: the longest month decides
    ("cron(0 8-17 * * ? *)", 15 * 3600),       # office hours: 17:00 to 08:00
    ("rate(12 hours)", 12 * 3600),
    ("rate(1 day)", 86400),
    ("rate(30 minutes)", 1800),
    ("CRON(0 5 * * ? *)", 86400),
])
def test_schedule_interval(expression, seconds):
    assert interval_seconds(expression) == seconds


@pytest.mark.parametrize("expression, reason", [
    ("cron(0 5 * *)", "6 fields"),
    ("cron(0 5 * * * *)", "'?'"),
    ("cron(0 5 L * ? *)", "not supported"),
    ("cron(0 5 ? * 6#3 *)", "not supported"),
    ("cron(0 5 * * ? 2027)", "fixed year"),
    ("cron(0 25 * * ? *)", "outside 0-23"),
    ("cron(0 5 30 2 ? *)", "less than twice"),
    ("rate(0 hours)", "positive"),
    ("rate(12 fortnights)", "minute(s), hour(s) or day(s)"),
    ("every day", "not a cron() or rate()"),
    (42, "not a cron() or rate()"),
])
def test_malformed_schedule_is_unknown(expression, reason):
    found = interval_seconds(expression)
    assert isinstance(found, Unknown)
    assert reason in found.reason


def test_unknown_schedule_stays_unknown():
    unknown = Unknown("var.schedule has no value")
    assert interval_seconds(unknown) is unknown


def test_reference_table_and_cheapest():
    strategies = table()
    assert [strategies[n].rpo for n in strategies] == [300, 1, 1, 0]  # floors
    assert [strategies[n].rto for n in strategies] == [4 * 3600, 300, 60, 0]
    assert cheapest_for(3600, None, strategies).name == "backup-restore"
    assert cheapest_for(60, None, strategies).name == "pilot-light"
    assert cheapest_for(None, 300, strategies).name == "pilot-light"
    assert cheapest_for(None, 120, strategies).name == "warm-standby"
    assert cheapest_for(24 * 3600, 24 * 3600, strategies).name == "backup-restore"
    assert cheapest_for(0, 0, strategies).name == "active-active"


def test_rto_floors_follow_the_recovery_steps():
    strategies = table(None, {"restore": 1800.0, "scale_out": 600.0})
    assert strategies["backup-restore"].rto == 1800
    assert strategies["pilot-light"].rto == 600
    assert strategies["warm-standby"].rto == 60  # its step not given: the default


def test_table_overrides_keep_the_rest():
    strategies = table({"pilot-light": {"rpo": "15m"}})
    assert strategies["pilot-light"].rpo == 900
    assert strategies["pilot-light"].rpo_floor_text == "set in strategies.pilot-light"
    assert strategies["pilot-light"].rpo_text == "~10 minutes"  # the typical value stays
    assert strategies["pilot-light"].rto == 300
    assert cheapest_for(120, None, strategies).name == "warm-standby"  # pilot-light floored at 15m
    assert cheapest_for(900, 300, strategies).name == "pilot-light"
