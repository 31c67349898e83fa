"""The CI gate from the command line: JUnit and GitHub formats, --output, --fail-on, changed
files only, the configuration schema and `config --check`, pseudo rules in `rules`."""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from hadr_lint.cli import main
from hadr_lint.config import KEYS, schema

ROOT = Path(__file__).resolve().parent.parent
GATE = "fixtures/gate"


@pytest.fixture(autouse=True)
def at_root(monkeypatch) -> None:
    monkeypatch.chdir(ROOT)


def line_of(path: str, text: str) -> int:
    lines = (ROOT / path).read_text().splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def test_junit_one_testcase_per_rule_and_resource() -> None:
    result = invoke("scan", "fixtures/seed", "--select", "HA001,HA005", "--format", "junit")
    assert result.exit_code == 1
    suites = ET.fromstring(result.stdout)
    assert suites.tag == "testsuites"
    assert (suites.get("tests"), suites.get("failures"), suites.get("errors")) == ("4", "2", "0")
    cases = {(c.get("classname").split()[0], c.get("name")): c for c in suites.iter("testcase")}
    failed = cases[("HA005", "aws_db_instance.main (fixtures/seed/broken/main.tf)")]
    failure = failed.find("failure")
    assert failure.get("type") == "error" and "not Multi-AZ" in failure.get("message")
    assert failed.get("file") == "fixtures/seed/broken/main.tf"
    assert failed.get("line") == str(line_of(failed.get("file"), '"aws_db_instance" "main"'))
    assert cases[("HA005", "aws_db_instance.main (fixtures/seed/good/main.tf)")].find(
        "failure") is None


def test_junit_errors_and_skips() -> None:
    result = invoke("scan", GATE, "--region", "eu-west-1", "--today", "2026-11-25",
                    "--select", "HA001,HA005,HL", "--format", "junit")
    suites = ET.fromstring(result.stdout)
    assert suites.get("errors") == "1"
    skipped = [c for c in suites.iter("testcase") if c.find("skipped") is not None]
    reasons = " ".join(c.find("skipped").get("message") for c in skipped)
    assert "RISK-142" in reasons and "no reason given" in reasons


def test_github_annotations() -> None:
    result = invoke("scan", GATE, "--region", "eu-west-1", "--today", "2026-11-25",
                    "--select", "HA001,HA005,HL", "--format", "github")
    lines = result.stdout.splitlines()
    assert ("::error file=fixtures/gate/tf-suppressions/main.tf,line=84,endLine=89,"
            "title=HA005::RDS DB instance is not Multi-AZ: a zone failure takes it down "
            "[aws_db_instance.audit]") in lines
    assert any(line.startswith("::warning file=fixtures/gate/tf-suppressions/main.tf,line=61,"
                               "endLine=61,title=HL001::") for line in lines)
    assert any(line.startswith("::error file=fixtures/gate/parse-error/network.tf,line=7,")
               for line in lines)
    assert result.exit_code == 2


def test_github_escapes_properties_and_data() -> None:
    from hadr_lint.report.findings.github import annotation

    line = annotation("warning", "50%\nof it", "a,b:c.tf", 3, 2, "HA001")
    assert line == "::warning file=a%2Cb%3Ac.tf,line=3,endLine=3,title=HA001::50%25%0Aof it"


def test_output_file_for_any_format(tmp_path: Path) -> None:
    for name in ("text", "json", "sarif", "junit", "github"):
        target = tmp_path / f"report.{name}"
        result = invoke("scan", "fixtures/seed", "--select", "HA005", "--format", name,
                        "--output", str(target))
        assert result.exit_code == 1 and result.stdout == ""
        assert "aws_db_instance.main" in target.read_text()


@pytest.mark.parametrize("fail_on, code", [("error", 1), ("warning", 1), ("never", 0)])
def test_fail_on(fail_on: str, code: int) -> None:
    result = invoke("scan", "fixtures/seed", "--select", "HA005", "--fail-on", fail_on)
    assert result.exit_code == code


def test_fail_on_error_passes_warnings() -> None:
    args = ["scan", f"{GATE}/tf-suppressions", "--select", "HL", "--today", "2026-11-25"]
    assert invoke(*args).exit_code == 1
    assert invoke(*args, "--fail-on", "error").exit_code == 0


def test_changed_files_only() -> None:
    folder = f"{GATE}/precommit"
    args = ("--select", "HA001,HA005")
    changed = invoke("scan", f"{folder}/main.tf", *args)  # legacy.tf is loaded, not reported
    assert changed.exit_code == 0, changed.output
    legacy = invoke("scan", f"{folder}/legacy.tf", *args)
    assert legacy.exit_code == 1 and "aws_db_instance.legacy_reports" in legacy.output
    tfvars = invoke("scan", f"{folder}/terraform.tfvars", *args)  # the whole folder
    assert tfvars.exit_code == 1 and "legacy.tf:3: HA005" in tfvars.output
    both = invoke("scan", f"{folder}/main.tf", "fixtures/seed/broken", *args)
    db_line = line_of("fixtures/seed/broken/main.tf", '"aws_db_instance" "main"')
    assert f"fixtures/seed/broken/main.tf:{db_line}: HA005" in both.output
    assert "legacy" not in both.output


def test_rules_lists_pseudo_rules() -> None:
    listed = json.loads(invoke("rules", "--format", "json").stdout)
    names = {r["id"]: r["name"] for r in listed}
    assert names["HL001"] == "suppression-without-reason"
    assert names["HL002"] == "unused-suppression"
    assert "## Fix" in invoke("explain", "HL001").stdout


def test_schema_matches_config_keys() -> None:
    found = schema()
    assert set(found["properties"]) == KEYS
    assert found["additionalProperties"] is False


def test_config_check_valid_and_invalid() -> None:
    ok = invoke("config", "--check", f"{GATE}/config/valid.hadr-lint.yaml")
    assert ok.exit_code == 0 and "valid" in ok.output
    bad = invoke("config", "--check", f"{GATE}/config/invalid.hadr-lint.yaml")
    assert bad.exit_code == 1
    assert "min_azs: 0 is less than the minimum of 1" in bad.output
    assert "severity.HA005: 'fatal' is not one of" in bad.output
    assert "invalid.hadr-lint.yaml:4: fail-on: unknown key fail-on (did you mean fail_on?)" \
        in bad.output


def test_jsonschema_is_not_imported_by_a_scan() -> None:
    """jsonschema costs about 100 ms to import: only `config --check` and an invalid
    configuration load it."""
    import subprocess

    ran = subprocess.run([sys.executable, "-X", "importtime", "-m", "hadr_lint", "scan",
                          "fixtures/seed/good", "--select", "HA005"],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stderr[-2000:]
    assert "hadr_lint.rulebase" in ran.stderr  # importtime did report
    assert " jsonschema" not in ran.stderr


def test_valid_config_is_accepted_by_scan(tmp_path: Path) -> None:
    config = tmp_path / ".hadr-lint.yaml"
    config.write_text((ROOT / GATE / "config" / "valid.hadr-lint.yaml").read_text())
    result = invoke("scan", "fixtures/seed", "--config", str(config), "--select", "HA005")
    assert result.exit_code == 0, result.output  # fail_on: error, HA005 lowered to warning
    assert "[aws_db_instance.main] (warning)" in result.output
