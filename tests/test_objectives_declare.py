"""Declared objectives: validation with key paths, workloads, template metadata, the command
line, and which one wins."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from hadr_lint.cli import main
from hadr_lint.config import ConfigError, load_config, parse_config
from hadr_lint.engine import ScanOptions, scan
from hadr_lint.objectives.declare import workloads
from hadr_lint.rulebase import all_rules, select


@pytest.mark.parametrize("data, where", [
    ({"objectives": {"strategy": "hot-standby"}}, "objectives.strategy"),
    ({"objectives": {"rpo": "5 minutes"}}, "objectives.rpo"),
    ({"objectives": {"rto": -5}}, "objectives.rto"),
    ({"objectives": {"rpo_target": "5m"}}, "objectives.rpo_target: unknown key"),
    ({"objectives": {"dr_regions": [1]}}, "objectives.dr_regions"),
    ({"objectives": "warm-standby"}, "objectives must be a mapping"),
    ({"workloads": [{"path": "a", "objectives": {"rto": "soon"}}]}, "workloads[0].objectives.rto"),
    ({"workloads": [{"objectives": {}}]}, "workloads[0].path"),
    ({"workloads": {"path": "a"}}, "workloads must be a list"),
    ({"strategies": {"cold-standby": {"rpo": "1h"}}}, "strategies.cold-standby"),
    ({"strategies": {"pilot-light": {"rpo": "soon"}}}, "strategies.pilot-light.rpo"),
    ({"recovery_steps": {"reboot": "5m"}}, "recovery_steps.reboot"),
    ({"recovery_steps": {"restore": "a while"}}, "recovery_steps.restore"),
])
def test_invalid_values_name_the_key_path(data, where):
    with pytest.raises(ConfigError) as error:
        parse_config(data, "x.yaml")
    assert where in str(error.value)
    assert str(error.value).startswith("x.yaml: ")


def test_valid_objectives_parse():
    config = parse_config({
        "objectives": {"strategy": "warm-standby", "rpo": "1m", "rto": 300,
                       "primary_region": "us-east-1", "dr_regions": ["us-west-2"]},
        "workloads": [{"path": "services/payments",
                       "objectives": {"strategy": "active-active", "rpo": 0, "rto": "30s"}}],
        "strategies": {"pilot-light": {"rpo": "15m"}},
        "recovery_steps": {"restore": "8h", "manual_failover": "30m"},
    })
    assert config.objectives["strategy"] == "warm-standby"
    assert config.workloads[0]["path"] == "services/payments"


def _resource(file: str):
    from hadr_lint.model import Location, Resource

    return Resource(address=f"{file}::r", name="r", type="t", location=Location(file, 1))


def test_workloads_by_path_template_and_command_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "services" / "payments").mkdir(parents=True)
    (tmp_path / ".hadr-lint.yaml").write_text(
        "objectives: {strategy: warm-standby, rpo: 1m, rto: 5m}\n"
        "workloads:\n"
        "  - path: services/payments\n"
        "    objectives: {strategy: active-active, rpo: 0, rto: 30s}\n"
        "  - path: services\n"
        "    objectives: {rto: 10m}\n")
    config = load_config(tmp_path / ".hadr-lint.yaml")
    config = config.__class__(**{**vars(config),
                                 "template_objectives": {"stacks/db.yaml": {"RPO": "10m"}}})
    found = workloads([_resource("main.tf"), _resource("services/payments/db.tf"),
                       _resource("services/web/app.tf"), _resource("stacks/db.yaml")], config)
    by_name = {w.name: w.declared for w in found}
    assert [w.name for w in found] == ["default", "services", "services/payments",
                                       "stacks/db.yaml"]
    assert (by_name["default"].strategy, by_name["default"].rto) == ("warm-standby", 300)
    assert (by_name["services/payments"].strategy, by_name["services/payments"].rpo,
            by_name["services/payments"].rto) == ("active-active", 0, 30)
    assert (by_name["services"].strategy, by_name["services"].rto) == ("warm-standby", 600)
    assert by_name["stacks/db.yaml"].rpo == 600
    assert by_name["stacks/db.yaml"].sources["rpo"] == "stacks/db.yaml Metadata HadrLint"
    overridden = config.__class__(**{**vars(config), "objective_overrides": {"rto": "1h"}})
    assert {w.declared.rto for w in workloads([_resource("main.tf")], overridden)} == {3600}


ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = """AWSTemplateFormatVersion: "2010-09-09"
Metadata:
  HadrLint: {Strategy: %s, RPO: 1m, RTO: 2m}
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
"""


def test_template_metadata_is_per_file(tmp_path):
    (tmp_path / "a.yaml").write_text(TEMPLATE % "warm-standby")
    (tmp_path / "b.yaml").write_text(TEMPLATE % "pilot-light")
    rules = select(all_rules(), ["OB002"], [])
    result = scan(ScanOptions(paths=(tmp_path,), region="us-east-1"), parse_config({}), rules)
    files = sorted(result.metadata["objectives"])
    assert [Path(f).name for f in files] == ["a.yaml", "b.yaml"]
    assert [Path(f.file).name for f in result.findings] == ["b.yaml"]


def test_invalid_template_metadata_is_an_error_on_its_file(tmp_path):
    (tmp_path / "bad.yaml").write_text(TEMPLATE % "hot-standby")
    rules = select(all_rules(), ["OB"], [])
    result = scan(ScanOptions(paths=(tmp_path,), region="us-east-1"), parse_config({}), rules)
    assert len(result.errors) == 1
    assert result.errors[0].file.endswith("bad.yaml")
    assert "Metadata.HadrLint.Strategy" in result.errors[0].message


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.mark.parametrize("args, message", [
    (["--rpo", "5x"], "--rpo: expected a duration"),
    (["--strategy", "hot"], "--strategy: 'hot' is not a strategy"),
    (["--rto", "-1m"], "--rto"),
])
def test_command_line_values_are_checked(args, message, monkeypatch):
    monkeypatch.chdir(ROOT)
    result = run("scan", "fixtures/objectives/multi-region", *args)
    assert result.exit_code == 2
    assert message in result.output


def test_command_line_overrides_everything(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = run("scan", "fixtures/objectives/multi-region", "--select", "OB002",
                 "--strategy", "backup-restore", "--format", "json")
    data = json.loads(result.output)
    assert [f["rule_id"] for f in data["findings"]] == ["OB002"]
    assert "the cheapest strategy that can is pilot-light" in data["findings"][0]["message"]
