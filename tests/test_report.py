"""The posture report (``hadr-lint report``) on the multi-region fixture: Terraform with aws and
aws.dr providers, an Aurora Global Database, a DynamoDB global table, Route 53 failover with
health checks, Auto Scaling groups in both regions and a Backup plan copying to us-west-2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from hadr_lint.cli import main
from hadr_lint.report.posture.html import render_html

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = "fixtures/objectives/multi-region"


@pytest.fixture(autouse=True)
def in_repo(monkeypatch):
    monkeypatch.chdir(ROOT)


def run(*args: str):
    return CliRunner().invoke(main, ["report", FIXTURE, *args], catch_exceptions=False)


def test_markdown_report():
    result = run()
    assert result.exit_code == 0, result.output
    text = result.output
    assert text.startswith("# hadr-lint recovery posture\n")
    assert "## Workload `default`" in text
    assert "| strategy | warm-standby | | |" in text
    # RPO: Aurora and DynamoDB write synchronously across AZs (0) and replicate to us-west-2
    # asynchronously (1 s). RTO: Aurora promotes one of its 2 replicas (30 s) for a zone; for a
    # region, 3 x 10 s health check + 60 s alias TTL + 60 s scale-up = 2m30s.
    assert "| RPO | 1m | **0s** | **1s** |" in text
    assert "| RTO | 5m | **30s** | **2m30s** |" in text
    assert "Primary region us-east-1 (declared); DR regions: us-west-2." in text
    assert ("- `fixtures/objectives/multi-region/dns.tf:5` aws_route53_health_check.primary "
            "`failure_threshold, request_interval`: health check fails after 3 x 10 s: 30s"
            ) in text
    assert ("| `aws_rds_cluster.primary` | workload | us-east-1 | yes (cluster storage) |"
            in text)
    assert "Aurora Global Database secondary in us-west-2" in text
    assert r"rule daily runs cron(0 5 \* \* ? \*)" in text  # escape.md_text: * is literal
    assert "❌" not in text  # every building block of a warm standby is there
    assert text.count("✅ present") == 6
    assert "## Findings" in text


def test_report_shows_findings_and_is_deterministic():
    first = run("--rpo", "0", "--rto", "1m")
    second = run("--rpo", "0", "--rto", "1m")
    assert first.output == second.output
    assert "| error | OB004 | `aws_dynamodb_table.sessions` |" in first.output
    assert "RTO for a region loss is 2m30s, above the declared 1m" in first.output


def test_json_report():
    data = json.loads(run("--format", "json").output)
    workload = data["workloads"][0]
    assert workload["declared"]["strategy"] == "warm-standby"
    assert workload["declared"]["rpo"] == 60
    assert workload["rpo"]["region"]["seconds"] == 1
    assert workload["rto"]["region"]["seconds"] == 150
    assert [e["attribute"] for e in workload["rto"]["region"]["evidence"]] == [
        "failure_threshold, request_interval", "alias", "recovery_steps.scale_up"]
    assert [s["resource"] for s in workload["stores"]] == [
        "aws_dynamodb_table.sessions", "aws_rds_cluster.primary"]
    assert {b["status"] for b in workload["blocks"]} == {"present"}


def test_json_unbounded_and_unknown(tmp_path):
    (tmp_path / "main.tf").write_text(
        'provider "aws" {\n  region = "us-east-1"\n}\n\n'
        'resource "aws_s3_bucket" "logs" {\n  bucket = "logs"\n}\n')
    result = CliRunner().invoke(main, ["report", str(tmp_path), "--format", "json",
                                       "--strategy", "pilot-light", "--rpo", "1h", "--rto", "1h"])
    workload = json.loads(result.output)["workloads"][0]
    assert workload["rpo"]["region"]["seconds"] == "unbounded"
    assert workload["rpo"]["region"]["text"] == "unbounded"
    assert workload["rto"]["region"]["seconds"] == "unbounded"  # manual failover
    assert workload["stores"][0]["cross_region_copy"] == "none"
    assert {b["status"] for b in workload["blocks"]} == {"missing"}


def test_html_report_is_self_contained(tmp_path):
    out = tmp_path / "posture.html"
    result = run("--format", "html", "--output", str(out))
    assert result.exit_code == 0 and result.output == ""
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "<style>" in page
    for forbidden in ("<script", "http://", "https://", "<link", "@import", "src="):
        assert forbidden not in page
    assert "<td>us-east-1</td>" in page


def test_html_escapes_text():
    data = json.loads(run("--format", "json").output)
    data["workloads"][0]["name"] = "<script>alert(1)</script>"
    data["findings"] = [{"rule_id": "OB004", "severity": "error", "message": 'a "b" & <c>',
                         "resource": "x", "file": "f.tf", "line": 1}]
    page = render_html(data)
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "a &quot;b&quot; &amp; &lt;c&gt;" in page


def test_markdown_escapes_table_cells():
    from hadr_lint.report.posture.markdown import cell

    assert cell("a|b\nc") == "a\\|b\\\\nc"  # the line break shown as \n, its backslash escaped


def test_invalid_template_objectives_exit_2(tmp_path):
    (tmp_path / "t.yaml").write_text(
        'AWSTemplateFormatVersion: "2010-09-09"\nMetadata:\n'
        "  HadrLint: {Strategy: warm-standby, RPO: soon}\n"
        "Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n")
    result = CliRunner().invoke(main, ["report", str(tmp_path), "--region", "us-east-1"])
    assert result.exit_code == 2
    # the error names the line of the HadrLint key
    assert "t.yaml:3: error: Metadata.HadrLint.RPO: expected a duration" in result.output


def test_the_fixture_meets_its_objectives():
    result = CliRunner().invoke(main, ["scan", FIXTURE, "--select", "OB", "--format", "json"])
    assert json.loads(result.output)["findings"] == []
    assert result.exit_code == 0
