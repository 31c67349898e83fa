"""The command line, end to end on the bundled fixtures: outputs and exit codes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from hadr_lint.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "fixtures" / "seed"


@pytest.fixture(autouse=True)
def in_repo(monkeypatch):
    monkeypatch.chdir(ROOT)


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_broken_seed_reports_ha001_and_ha005_in_text():
    result = run("scan", "fixtures/seed/broken")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("fixtures/seed/broken/main.tf:62: HA001 ")
    assert lines[0].endswith("[aws_autoscaling_group.web_asg] (error)")
    assert lines[1] == "  help: hadr-lint explain HA001"
    assert lines[2].startswith("fixtures/seed/broken/main.tf:83: HA005 ")
    assert lines[-1].startswith("2 findings (2 errors, 0 warnings, 0 notes)")


def test_good_seed_is_clean_in_json():
    result = run("scan", "fixtures/seed/good", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["version"] == 1
    assert data["tool"]["name"] == "hadr-lint"
    assert data["findings"] == [] and data["errors"] == []
    assert data["summary"]["resources"] == 19


def test_json_finding_fields():
    data = json.loads(run("scan", "fixtures/seed/broken", "--format", "json").output)
    first = data["findings"][0]
    assert first == {
        "rule_id": "HA001",
        "rule_name": "asg-az-spread",
        "severity": "error",
        "message": first["message"],
        "resource": "aws_autoscaling_group.web_asg",
        "resource_type": "aws_autoscaling_group",
        "file": "fixtures/seed/broken/main.tf",
        "line": 62,
        "end_line": 76,
        "scope": "az",
    }


def test_select_ignore_and_fail_on():
    selected = run("scan", "fixtures/seed/broken", "--select", "HA005", "--quiet").output
    assert selected.count("HA0") == 1
    assert "HA005" not in run("scan", "fixtures/seed/broken", "--ignore", "HA005").output
    assert run("scan", "fixtures/seed/broken", "--fail-on", "never").exit_code == 0


def test_unknowns_are_listed_not_reported(tmp_path):
    (tmp_path / "main.tf").write_text(
        'variable "subnets" {}\n'
        'resource "aws_autoscaling_group" "g" {\n  vpc_zone_identifier = var.subnets\n}\n'
    )
    quiet = run("scan", str(tmp_path))
    assert quiet.exit_code == 0
    assert "1 check unverified (--show-unknown lists them)" in quiet.output
    shown = run("scan", str(tmp_path), "--show-unknown")
    assert "HA001 unverified: AZ spread unknown: variable subnets has no value" in shown.output
    data = json.loads(run("scan", str(tmp_path), "--format", "json").output)
    assert data["unknowns"][0]["rule_id"] == "HA001"


def test_broken_file_exits_2_and_others_are_still_scanned(tmp_path):
    shutil.copytree(SEED / "broken", tmp_path / "broken")
    shutil.copy(SEED / ".hadr-lint.yaml", tmp_path / ".hadr-lint.yaml")
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "main.tf").write_text('resource "aws_lb" "x" {\n  subnets = [\n}\n')
    (tmp_path / "template.yaml").write_text(
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  A: [unclosed\n"
    )
    result = run("scan", str(tmp_path), "--format", "json")
    assert result.exit_code == 2
    data = json.loads(result.output)
    assert {f["rule_id"] for f in data["findings"]} == {"HA001", "HA005"}
    files = sorted(Path(e["file"]).name for e in data["errors"])
    assert files == ["main.tf", "template.yaml"]
    assert all(e["line"] for e in data["errors"])


def test_other_json_and_yaml_files_are_skipped_silently(tmp_path):
    (tmp_path / "package.json").write_text('{"name": "x", "version": "1.0.0"}')
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "ci.yml").write_text("on: push\njobs: {}\n")
    (tmp_path / "values.yaml").write_text("Resources: not a template\n")
    files = [str(p) for p in (tmp_path / "package.json", tmp_path / "values.yaml",
                              tmp_path / ".github" / "workflows" / "ci.yml")]
    result = run("scan", *files, "--format", "json")  # pre-commit: changed files, none IaC
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["errors"] == [] and data["summary"]["resources"] == 0
    folder = run("scan", str(tmp_path))  # CI: a folder without IaC is not a green check
    assert folder.exit_code == 2
    assert f"no Terraform or CloudFormation files found under {tmp_path}" in folder.stderr


def test_config_unknown_key_is_a_usage_error(tmp_path):
    (tmp_path / ".hadr-lint.yaml").write_text("min_az: 2\n")
    (tmp_path / "main.tf").write_text("")
    result = CliRunner().invoke(main, ["scan", str(tmp_path)])
    assert result.exit_code == 2
    assert "min_az: unknown key min_az (did you mean min_azs?)" in result.output


def test_config_min_azs_is_read_from_the_scanned_folder(tmp_path):
    shutil.copytree(SEED / "broken", tmp_path / "broken")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".hadr-lint.yaml").write_text("min_azs: 1\nignore: [HA005]\n")
    assert run("scan", str(tmp_path / "broken")).exit_code == 0


def test_rules_and_explain():
    listing = run("rules").output
    assert "HA001  asg-az-spread" in listing and "HA005  rds-multi-az" in listing
    doc = run("explain", "ha005").output
    assert doc.startswith("HA005 rds-multi-az (error, scope: az)")
    assert "## Why is this bad?" in doc and "CKV_AWS_157" in doc
    assert CliRunner().invoke(main, ["explain", "XX999"]).exit_code == 2


def test_graph_json_and_dot():
    data = json.loads(run("graph", "fixtures/seed/good").output)
    asg = next(n for n in data["nodes"] if n["kind"] == "autoscaling_group")
    assert asg["region"] == "us-east-1"
    assert asg["azs"] == ["us-east-1 AZ 1", "us-east-1 AZ 2", "us-east-1 AZ 3"]
    relations = {(e["source"].split("::")[1], e["relation"]) for e in data["edges"]}
    assert ("aws_autoscaling_group.web_asg", "subnets") in relations
    dot = run("graph", "fixtures/seed/good", "--format", "dot").output
    assert dot.startswith("digraph hadr {") and "->" in dot


def test_version_is_fast_path():
    assert run("--version").output.strip() == "hadr-lint, version 0.1.0"


def test_findings_in_a_shared_module_name_the_caller(tmp_path):
    (tmp_path / "modules" / "db").mkdir(parents=True)
    (tmp_path / "modules" / "db" / "main.tf").write_text(
        'variable "multi_az" {}\n'
        'resource "aws_db_instance" "this" {\n  engine   = "postgres"\n'
        "  multi_az = var.multi_az\n}\n"
    )
    for name, multi_az in (("orders", "false"), ("billing", "false"), ("ledger", "true")):
        (tmp_path / "examples" / name).mkdir(parents=True)
        (tmp_path / "examples" / name / "main.tf").write_text(
            f'module "db" {{\n  source   = "../../modules/db"\n  multi_az = {multi_az}\n}}\n'
        )
    data = json.loads(run("scan", str(tmp_path), "--select", "HA005", "--format", "json").output)
    messages = sorted(f["message"] for f in data["findings"])
    assert len(messages) == 2
    assert messages[0].endswith("/examples/billing)")
    assert messages[1].endswith("/examples/orders)")
    assert {f["resource"] for f in data["findings"]} == {"module.db.aws_db_instance.this"}


def executable(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hadr_lint", *args], capture_output=True,
                          text=True, timeout=300, cwd=ROOT)


def test_the_executable_ends_without_teardown_but_with_all_output_and_its_exit_code():
    """`run` ends the process with os._exit after flushing: the exit code and every byte of
    a report larger than a pipe's buffer still arrive."""
    broken = executable("scan", "fixtures/seed/broken", "--format", "sarif")
    assert broken.returncode == 1
    assert len(broken.stdout) > 65536
    assert json.loads(broken.stdout)["runs"][0]["results"]
    assert executable("scan", "fixtures/seed/good").returncode == 0
    usage = executable("scan", "fixtures/seed/good", "--fail-on", "sometimes")
    assert usage.returncode == 2
    assert "Invalid value for '--fail-on'" in usage.stderr
    assert executable("--version").stdout.startswith("hadr-lint, version ")
