"""``python -m hadr_lint`` from a source checkout without an install, and the Python API."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

import hadr_lint

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "fixtures" / "seed"


def _bare_checkout(*args: str) -> subprocess.CompletedProcess:
    """Python in the checkout root with the dependencies on PYTHONPATH but without site
    processing (-S): the editable install's .pth finder, which maps rules/ to
    hadr_lint.rules, is not loaded."""
    env = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp"),
           "PYTHONPATH": sysconfig.get_paths()["purelib"], "HADR_LINT_NO_CACHE": "1"}
    return subprocess.run([sys.executable, "-S", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_the_editable_mapping_is_really_absent():
    done = _bare_checkout("-c", "import hadr_lint.rules")
    assert "No module named 'hadr_lint.rules'" in done.stderr


def test_python_m_from_a_checkout_lists_and_runs_the_rules():
    listed = _bare_checkout("-m", "hadr_lint", "rules")
    assert listed.returncode == 0, listed.stderr
    assert "HA001" in listed.stdout and "DR001" in listed.stdout
    scanned = _bare_checkout("-m", "hadr_lint", "scan", "fixtures/seed")
    assert scanned.returncode == 1, scanned.stderr
    assert " HA001 " in scanned.stdout and " HA005 " in scanned.stdout


def test_scan_returns_the_findings_the_cli_reports():
    result = hadr_lint.scan(SEED)
    assert sorted(f.rule_id for f in result.findings) == ["HA001", "HA005"]
    assert {Path(f.file).name for f in result.findings} == {"main.tf"}
    assert hadr_lint.exit_code(result) == 1
    assert hadr_lint.exit_code(result, fail_on="never") == 0


def test_scan_selects_and_ignores_rules():
    assert [f.rule_id for f in hadr_lint.scan([SEED], select=["HA005"]).findings] == ["HA005"]
    assert [f.rule_id for f in hadr_lint.scan([SEED], ignore=["HA"]).findings] == []


def test_scan_refuses_calling_mistakes(tmp_path):
    with pytest.raises(hadr_lint.ScanRefused, match="unknown rule id XX999"):
        hadr_lint.scan(SEED, select=["XX999"])
    with pytest.raises(hadr_lint.ScanRefused, match="no such file"):
        hadr_lint.scan(tmp_path / "missing")


def test_scan_reports_a_bad_file_as_an_error_not_an_exception(tmp_path):
    (tmp_path / "main.tf").write_text('resource "aws_db_instance" "x" {\n  multi_az = {\n')
    result = hadr_lint.scan(tmp_path)
    assert result.errors and result.errors[0].file.endswith("main.tf")
    assert hadr_lint.exit_code(result) == 2


def test_import_hadr_lint_imports_nothing_else():
    code = ("import sys, hadr_lint; "
            "print(sorted(m for m in sys.modules if m.startswith('hadr_lint')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "['hadr_lint']"


def test_scan_does_not_read_a_configuration_linked_outside_the_repository(tmp_path):
    # as the command line: a hostile repository's .hadr-lint.yaml may link to any file
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / "evil.yaml").write_text("select: [HA001]\n")
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / ".git" / "HEAD").write_text("")
    (repo / "main.tf").write_text(
        'resource "aws_db_instance" "db" {\n  engine = "postgres"\n  multi_az = false\n}\n')
    (repo / ".hadr-lint.yaml").symlink_to(tmp_path / "home" / "evil.yaml")
    result = hadr_lint.scan(repo)
    assert "HA005" in {f.rule_id for f in result.findings}  # the defaults, not select: [HA001]
    assert any("not read: the configuration file lies or links outside" in n
               for n in result.notes)
