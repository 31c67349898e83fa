"""Unverified lines through the command line: every open check is one listed line, and the
summary's count is the number of lines listed (text, JSON; SARIF carries the count; JUnit
skips each test case with every reason)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from hadr_lint.cli import main

ROOT = Path(__file__).resolve().parent.parent
HA005 = "fixtures/rules/HA005"
# Two templates with the same logical id, two instances of a for_each, one module loaded
# through two roots: each pair used to be merged into one line.
CASES = [f"{HA005}/cfn-same-logical-id", f"{HA005}/tf-for-each-unverified",
         f"{HA005}/tf-shared-module-two-roots"]
LINES = 6


@pytest.fixture(autouse=True)
def in_repo(monkeypatch):
    monkeypatch.chdir(ROOT)


def scan(*args: str) -> str:
    result = CliRunner().invoke(main, ["scan", *CASES, "--select", "HA005", *args],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_text_lists_as_many_lines_as_it_counts() -> None:
    output = scan("--show-unknown")
    listed = [line for line in output.splitlines() if " HA005 unverified: " in line]
    summary = output.splitlines()[-1]
    counted = int(re.search(r"(\d+) checks? unverified", summary).group(1))
    assert counted == len(listed) == LINES
    assert len(set(listed)) == LINES  # no line twice: each names a distinct check
    assert sum("[Database]" in line for line in listed) == 2
    assert sum('aws_db_instance.db["' in line for line in listed) == 2
    assert sum("(via " in line for line in listed) == 2


def test_json_lists_as_many_unknowns_as_it_counts() -> None:
    report = json.loads(scan("--format", "json"))
    assert report["summary"]["unverified"] == len(report["unknowns"]) == LINES
    keys = {(u["file"], u["resource"], u["reason"]) for u in report["unknowns"]}
    assert len(keys) == LINES
    files = {u["file"] for u in report["unknowns"] if u["resource"] == "Database"}
    assert files == {f"{HA005}/cfn-same-logical-id/prod/database.yaml",
                     f"{HA005}/cfn-same-logical-id/staging/database.yaml"}


def test_sarif_counts_every_line() -> None:
    log = json.loads(scan("--format", "sarif"))
    assert log["runs"][0]["properties"]["unverified"] == LINES



def test_junit_keeps_every_reason() -> None:
    """One test case per rule and instance: a case with two roots' reasons keeps both."""
    report = json.loads(scan("--format", "json"))
    suites = ET.fromstring(scan("--format", "junit"))
    messages = [s.get("message") for s in suites.iter("skipped")]
    for note in report["unknowns"]:
        assert any(f"unverified: {note['reason']}" in m for m in messages), note
    assert suites.get("skipped") == "5"  # the two roots' lines share one case
