"""hadr-lint's rules inside the real cfn-lint:
``cfn-lint TEMPLATE -a hadr_lint.integrations.cfn_lint``.

cfn-lint's ``-a`` takes several values, so the template goes first (or ``--append-rules=MODULE``).
Its exit code is a bitmask: 2 error, 4 warning, 8 informational.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hadr_lint.integrations import cfn_lint as plugin

PLUGIN = "hadr_lint.integrations.cfn_lint"
ROOT = Path(__file__).resolve().parent.parent

BAD = """\
AWSTemplateFormatVersion: "2010-09-09"
Description: Orders database in one zone, and a public load balancer
Parameters:
  SubnetIds:
    Type: List<AWS::EC2::Subnet::Id>
Resources:
  OrdersDb:
    Type: AWS::RDS::DBInstance
    DeletionPolicy: Snapshot
    UpdateReplacePolicy: Snapshot
    Properties:
      Engine: postgres
      DBInstanceClass: db.m6g.large
      AllocatedStorage: "100"
      MultiAZ: false
      DeletionProtection: true
      BackupRetentionPeriod: 7
      MasterUsername: app
      ManageMasterUserPassword: true

  PublicAlb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties:
      Type: application
      Subnets: !Ref SubnetIds
"""

SUPPRESSED = BAD.replace("""  OrdersDb:
    Type: AWS::RDS::DBInstance
""", """  OrdersDb:
    Type: AWS::RDS::DBInstance
    Metadata:
      hadr-lint:
        ignore:
          - id: HA005
            reason: staging copy, rebuilt nightly
""")

GOOD = BAD.replace("MultiAZ: false", "MultiAZ: true").replace(
    "      Type: application\n", "      Type: application\n      Scheme: internal\n")


def cfn_lint(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    exe = shutil.which("cfn-lint")
    command = [exe] if exe else [sys.executable, "-m", "cfnlint"]
    return subprocess.run([*command, *args], capture_output=True, text=True, cwd=cwd,
                          timeout=300, check=False)


def _write(tmp_path: Path, text: str, name: str = "template.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_findings_on_the_resource_line_with_severity_letters(tmp_path: Path) -> None:
    template = _write(tmp_path, BAD)
    done = cfn_lint(str(template), "-a", PLUGIN)
    out = done.stdout
    assert "E9505 HA005 RDS DB instance is not Multi-AZ" in out, out + done.stderr
    assert f"{template}:7:3" in out  # the OrdersDb logical id
    assert "E9701 HE001 Internet-facing load balancer" in out
    assert f"{template}:21:3" in out  # PublicAlb
    # HA005 is an error (2); HE001 on a load balancer is reported at warning (4)
    assert done.returncode == 2 | 4, (done.returncode, out, done.stderr)


def test_json_levels_follow_the_finding(tmp_path: Path) -> None:
    template = _write(tmp_path, BAD)
    done = cfn_lint("--append-rules=" + PLUGIN, "--format", "json", str(template))
    matches = [m for m in json.loads(done.stdout) if m["Rule"]["Id"][1:3] in ("95", "96", "97")]
    got = sorted((m["Rule"]["Id"], m["Level"], m["Location"]["Start"]["LineNumber"])
                 for m in matches)
    assert got == [("E9505", "Error", 7), ("E9701", "Warning", 21)]


def test_clean_template_passes(tmp_path: Path) -> None:
    template = _write(tmp_path, GOOD)
    done = cfn_lint(str(template), "-a", PLUGIN)
    assert done.returncode == 0, done.stdout + done.stderr
    assert not re.search(r"[EWI]9[5-7]\d\d", done.stdout)


def test_hadr_lint_metadata_suppression_and_cfn_lint_ignore(tmp_path: Path) -> None:
    template = _write(tmp_path, SUPPRESSED)
    done = cfn_lint(str(template), "-a", PLUGIN)
    assert "E9505" not in done.stdout and "E9701" in done.stdout
    done = cfn_lint(str(_write(tmp_path, BAD, "bad.yaml")), "-a", PLUGIN, "-i", "E9701")
    assert "E9505" in done.stdout and "E9701" not in done.stdout
    assert done.returncode == 2


def test_rule_fixture_through_cfn_lint() -> None:
    template = "fixtures/rules/HA005/cfn-single-az/template.yaml"
    done = cfn_lint(template, "-a", PLUGIN)
    assert "E9505 HA005 RDS DB instance is not Multi-AZ" in done.stdout
    assert f"{template}:10:3" in done.stdout
    assert done.returncode & 2


@pytest.mark.parametrize("rule_id, severity, expected", [
    ("HA001", "error", "E9501"), ("HA003", "warning", "W9503"), ("DR007", "warning", "W9607"),
    ("HE002", "warning", "W9702"), ("HA011", "note", "I9511"),
])
def test_id_mapping(rule_id: str, severity: str, expected: str) -> None:
    assert plugin.cfn_lint_id(rule_id, severity) == expected


def test_registered_rules() -> None:
    mapping = plugin.mapping()
    assert not {"DR001", "DR005", "DR006"} & set(mapping)
    assert not any(i.startswith("OB") for i in mapping)
    assert {"HA001", "HA005", "DR002", "HE001", "HE002"} <= set(mapping)
    ids = list(mapping.values())
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[EWI]9[5-7]\d\d", i) for i in ids)
    classes = {c.id for c in vars(plugin).values()
               if isinstance(c, type) and issubclass(c, plugin.HadrLintRule)
               and c is not plugin.HadrLintRule}
    assert classes == set(ids)


def test_an_invalid_configuration_is_an_error_not_the_defaults(tmp_path) -> None:
    """A .hadr-lint.yaml that cannot be read stops hadr-lint's rules with one error in cfn-lint's
    output (and exit code), never a silent run under the defaults."""
    (tmp_path / ".hadr-lint.yaml").write_text("min_azs: many\n", encoding="utf-8")
    template = _write(tmp_path, "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n")
    done = cfn_lint(str(template), "-a", "hadr_lint.integrations.cfn_lint", "-f", "parseable",
                    cwd=tmp_path)
    lines = [line for line in done.stdout.splitlines() if "hadr-lint's rules did not run" in line]
    assert len(lines) == 1, done.stdout + done.stderr
    assert ":E9" in lines[0] and "min_azs must be a whole number" in lines[0]
    assert done.returncode != 0
