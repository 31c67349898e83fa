"""Suppressions through the command line: Terraform comments (resource, above, module call) and
CloudFormation Metadata (resource, template), reasons, expiry, unused and malformed ones."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from hadr_lint.cli import main
from hadr_lint.loaders.cloudformation import load_template
from hadr_lint.suppress import parse_directive

ROOT = Path(__file__).resolve().parent.parent
GATE = ROOT / "fixtures" / "gate"
SELECT = ["--select", "HA001,HA005,HL"]


def scan(*args: str, cwd: Path = ROOT) -> tuple[int, dict]:
    runner = CliRunner()
    old = os.getcwd()
    os.chdir(cwd)
    try:
        result = runner.invoke(main, ["scan", *args, *SELECT, "--format", "json"])
    finally:
        os.chdir(old)
    assert result.exit_code in (0, 1, 2), result.output
    return result.exit_code, json.loads(result.stdout)


def pairs(items) -> set[tuple[str, str]]:
    return {(f["rule_id"], f["resource"]) for f in items}


def test_terraform_suppressions() -> None:
    code, report = scan("fixtures/gate/tf-suppressions", "--today", "2026-11-25")
    assert code == 1
    assert pairs(report["findings"]) == {
        ("HA001", "aws_autoscaling_group.queue_workers"),  # expired on 2026-06-30
        ("HL001", "aws_db_instance.sessions"),  # no reason
        ("HL002", "aws_db_instance.orders"),  # Multi-AZ now: nothing to suppress
        ("HL003", "aws_db_instance.audit"),  # expires=soon
        ("HA005", "aws_db_instance.audit"),  # so the malformed one suppresses nothing
    }
    suppressed = {(s["rule_id"], s["resource"]): s for s in report["suppressed"]}
    assert set(suppressed) == {
        ("HA001", "aws_autoscaling_group.batch"),  # comment above the block
        ("HA005", "aws_db_instance.sessions"),  # comment inside the block
        # on the module call, count = 2: each instance is a finding of its own, both covered
        ("HA005", "module.reporting_db[0].aws_db_instance.this"),
        ("HA005", "module.reporting_db[1].aws_db_instance.this"),
    }
    assert "RISK-142" in suppressed[("HA001", "aws_autoscaling_group.batch")]["reason"]
    assert suppressed[("HA005", "aws_db_instance.sessions")]["reason"] is None
    module = suppressed[("HA005", "module.reporting_db[1].aws_db_instance.this")]
    assert module["file"].endswith("modules/reporting_db/main.tf")
    assert module["suppression"]["file"].endswith("tf-suppressions/main.tf")
    assert module["suppression"]["expires"] == "2027-12-31"
    assert report["summary"]["suppressed"] == 4
    assert any("expired on 2026-06-30" in n for n in report["notes"])


def test_expiry_uses_the_given_day() -> None:
    _, before = scan("fixtures/gate/tf-suppressions", "--today", "2026-06-30")
    assert ("HA001", "aws_autoscaling_group.queue_workers") in pairs(before["suppressed"])
    _, later = scan("fixtures/gate/tf-suppressions", "--today", "2028-01-01")
    assert ("HA005", "module.reporting_db[0].aws_db_instance.this") in pairs(later["findings"])


def test_pseudo_rules_can_be_ignored() -> None:
    code, report = scan("fixtures/gate/tf-suppressions", "--today", "2026-01-01",
                        "--ignore", "HL")
    assert {f["rule_id"] for f in report["findings"]} == {"HA005"}  # only the malformed one's
    assert len(report["suppressed"]) == 5


def test_text_output_counts_suppressed() -> None:
    result = CliRunner().invoke(main, ["scan", "fixtures/gate/tf-suppressions", *SELECT,
                                       "--today", "2026-11-25"])
    assert "; 4 suppressed" in result.output
    assert "HL001 suppression of HA005 gives no reason" in result.output


def test_cloudformation_suppressions() -> None:
    code, report = scan("fixtures/gate/cfn-suppressions", "--region", "eu-west-1",
                        "--today", "2026-11-25")
    assert pairs(report["suppressed"]) == {
        ("HA001", "AppGroup"), ("HA005", "OrdersDatabase"), ("HA005", "ReportsDatabase"),
    }
    template = next(s for s in report["suppressed"] if s["resource"] == "AppGroup")
    assert template["reason"] == "staging stack: capacity is not critical"
    assert template["suppression"]["line"] == 6  # the template-level entry
    assert pairs(report["findings"]) == {("HL001", "ReportsDatabase")}
    _, later = scan("fixtures/gate/cfn-suppressions", "--region", "eu-west-1",
                    "--today", "2027-07-01")
    assert ("HA005", "OrdersDatabase") in pairs(later["findings"])


def test_comment_must_touch_the_block(tmp_path: Path) -> None:
    folder = tmp_path / "app"
    shutil.copytree(GATE / "tf-suppressions", folder)
    main_tf = folder / "main.tf"
    text = main_tf.read_text()
    # a blank line between the comment and the block: the comment no longer applies
    text = text.replace('(RISK-142)"\nresource', '(RISK-142)"\n\nresource')
    # unrelated lines above move every line: suppressions follow their blocks
    main_tf.write_text("# platform team\n# reviewed 2026-11\n\n" + text)
    _, report = scan("app", "--today", "2026-01-01", cwd=tmp_path)
    assert ("HA001", "aws_autoscaling_group.batch") in pairs(report["findings"])
    assert ("HA005", "aws_db_instance.sessions") in pairs(report["suppressed"])


@pytest.mark.parametrize("text, ids, options, problem", [
    (' HA001 reason="one AZ is fine"', ("HA001",), {"reason": "one AZ is fine"}, None),
    (" ha001,HA005 reason='legacy' expires=2027-01-31", ("HA001", "HA005"),
     {"reason": "legacy", "expires": "2027-01-31"}, None),
    (" HA001, HA005", ("HA001", "HA005"), {}, None),
    ("", (), {}, "names no rule id"),
    (' HA001 because="x"', ("HA001",), {"because": "x"}, "unknown option(s) because"),
])
def test_parse_directive(text, ids, options, problem) -> None:
    got_ids, got_options, got_problem = parse_directive(text)
    assert got_ids == ids and got_options == options
    assert (got_problem or None) == problem or (problem and problem in got_problem)


def test_the_cloudformation_loader_puts_its_suppressions_on_what_it_returns() -> None:
    """The loader reads its format's suppressions (suppress.collect knows no format): the
    template's own on the result, each resource's in its meta, where its block starts."""
    text = (GATE / "cfn-suppressions" / "template.yaml").read_text(encoding="utf-8")
    result = load_template("template.yaml", text, region="eu-west-1")
    assert [(s.rule_ids, s.line, s.target, s.reason) for s in result.suppressions] == [
        (("HA001",), 6, "template", "staging stack: capacity is not critical")]
    own = {r.name: [(s.rule_ids, s.line, s.expires) for s in r.meta.get("suppressions", ())]
           for r in result.resources}
    assert own == {"AppSubnet": [], "AppGroup": [],
                   "OrdersDatabase": [(("HA005",), 26, "2027-06-30")],
                   "ReportsDatabase": [(("HA005",), 39, None)]}
