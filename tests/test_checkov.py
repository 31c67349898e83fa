"""``hadr-lint scan --with-checkov``: checkov runs as a separate program, its results are merged
and marked, and the ones that repeat a hadr-lint finding are dropped.

The slow test installs the real checkov into its own virtual environment (cached in
``~/.cache/hadr-lint-test-checkov``; about 70 s the first time) and fails loudly if it cannot.
The other tests use a stand-in ``checkov`` script that prints a canned report.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from hadr_lint.integrations import checkov

ROOT = Path(__file__).resolve().parent.parent
BROKEN = "fixtures/seed/broken"
CACHE = Path(os.environ.get("HADR_LINT_CHECKOV_VENV",
                            Path.home() / ".cache" / "hadr-lint-test-checkov"))

CANNED = {
    "check_type": "terraform",
    "results": {"failed_checks": [
        {"check_id": "CKV_AWS_157", "check_name": "Ensure that RDS instances have Multi-AZ enabled",
         "file_path": "/main.tf", "file_abs_path": str(ROOT / BROKEN / "main.tf"),
         "file_line_range": [83, 101], "resource": "aws_db_instance.main", "severity": None},
        {"check_id": "CKV_AWS_394",
         "check_name": "Ensure aws_availability_zones pins zone identity",
         "file_path": "/main.tf", "file_abs_path": str(ROOT / BROKEN / "main.tf"),
         "file_line_range": [12, 14], "resource": "aws_availability_zones.available",
         "severity": None},
    ]},
    "summary": {"failed": 2, "checkov_version": "9.9.9"},
}


def hadr_lint(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hadr_lint", *args], capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=900, check=False)


@pytest.fixture
def fake_checkov(tmp_path: Path) -> Path:
    """A ``checkov`` that records its arguments and prints the canned report twice, the way
    checkov prints one document per scanned folder."""
    report = tmp_path / "report.json"
    report.write_text(json.dumps(CANNED) + "\n" + json.dumps([CANNED]))
    script = tmp_path / "bin" / "checkov"
    script.parent.mkdir()
    script.write_text(textwrap.dedent(f"""\
        #!{sys.executable}
        import sys
        open({str(tmp_path / 'called')!r}, "a").write(" ".join(sys.argv[1:]) + "\\n")
        sys.stdout.write(open({str(report)!r}).read())
        sys.exit(1)
        """))
    script.chmod(0o755)
    return script


def _env_with(path: Path | None) -> dict:
    env = dict(os.environ)
    folders = [p for p in env.get("PATH", "").split(os.pathsep)
               if not (Path(p) / "checkov").exists()]
    env["PATH"] = os.pathsep.join(([str(path)] if path else []) + folders)
    return env


def test_merged_marked_and_duplicate_dropped(fake_checkov: Path) -> None:
    done = hadr_lint("scan", "--with-checkov", BROKEN, "--format", "json",
                     env=_env_with(fake_checkov.parent))
    report = json.loads(done.stdout)
    [run] = report["external"]
    assert run["tool"] == "checkov" and run["version"] == "9.9.9"
    assert [(f["check_id"], f["resource"], f["tool"]) for f in run["findings"]] == [
        ("CKV_AWS_394", "aws_availability_zones.available", "checkov")]
    assert [(d["check_id"], d["duplicate_of"]) for d in run["duplicates"]] == [
        ("CKV_AWS_157", "HA005")]
    assert "CKV_AWS_157" in run["checks"] and "CKV2_AWS_50" in run["checks"]
    assert {f["rule_id"] for f in report["findings"]} >= {"HA001", "HA005"}
    called = (fake_checkov.parent.parent / "called").read_text()
    assert "--check CKV" in called and "-o json" in called and BROKEN in called
    assert done.returncode == 1


def test_text_and_sarif(fake_checkov: Path) -> None:
    env = _env_with(fake_checkov.parent)
    text = hadr_lint("scan", "--checkov", str(fake_checkov), BROKEN).stdout
    assert f"{BROKEN}/main.tf:12: CKV_AWS_394" in text and "from checkov" in text
    assert "1 dropped as duplicates (CKV_AWS_157 = HA005 on aws_db_instance.main)" in text
    sarif = json.loads(hadr_lint("scan", "--with-checkov", BROKEN, "--format", "sarif",
                                 env=env).stdout)
    assert [r["tool"]["driver"]["name"] for r in sarif["runs"]] == ["hadr-lint", "checkov"]
    assert [r["ruleId"] for r in sarif["runs"][1]["results"]] == ["CKV_AWS_394"]


def test_missing_checkov_says_how_to_install(tmp_path: Path) -> None:
    done = hadr_lint("scan", "--with-checkov", BROKEN, env=_env_with(None))
    assert done.returncode == 2
    assert "pipx install checkov" in done.stderr
    done = hadr_lint("scan", "--checkov", str(tmp_path / "nowhere" / "checkov"), BROKEN)
    assert done.returncode == 2 and "pipx install checkov" in done.stderr


def test_plain_scan_never_runs_checkov(fake_checkov: Path) -> None:
    hadr_lint("scan", BROKEN, env=_env_with(fake_checkov.parent))
    assert not (fake_checkov.parent.parent / "called").exists()


def test_broken_checkov_is_a_file_error(tmp_path: Path) -> None:
    script = tmp_path / "checkov"
    script.write_text(f"#!{sys.executable}\nimport sys\nprint('Traceback: boom', file=sys.stderr)\n"
                      "sys.exit(3)\n")
    script.chmod(0o755)
    done = hadr_lint("scan", "--checkov", str(script), BROKEN)
    assert done.returncode == 2
    assert "checkov: error: checkov exited with 3" in done.stdout


def test_resource_keys_and_groups(tmp_path: Path) -> None:
    assert "OrdersDb" in checkov._resource_keys("AWS::RDS::DBInstance.OrdersDb")
    assert "aws_subnet.private" in checkov._resource_keys("aws_subnet.private[0]")
    assert "aws_db_instance.this" in checkov._resource_keys("module.db.aws_db_instance.this")
    (tmp_path / "t.yaml").write_text("Resources: {}\n")
    (tmp_path / "prod.tfvars").write_text("")
    groups = checkov.path_groups([tmp_path / "t.yaml", tmp_path / "prod.tfvars", tmp_path])
    assert groups == [[tmp_path], [tmp_path / "t.yaml"]]


def _real_checkov() -> Path:
    exe = CACHE / "bin" / "checkov"
    if exe.exists():
        return exe
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    steps = [[sys.executable, "-m", "venv", str(CACHE)],
             [str(CACHE / "bin" / "python"), "-m", "pip", "install", "--quiet", "checkov"]]
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True, timeout=1200, check=False)
        if done.returncode != 0:
            pytest.fail(f"cannot install checkov for the test ({' '.join(step)}):\n"
                        f"{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return exe


@pytest.mark.slow
def test_real_checkov_end_to_end() -> None:
    exe = _real_checkov()
    done = hadr_lint("scan", "--checkov", str(exe), BROKEN, "--format", "json")
    report = json.loads(done.stdout)
    assert not report["errors"], report["errors"]
    [run] = report["external"]
    assert run["tool"] == "checkov" and run["version"]
    dropped = [(d["check_id"], d["resource"], d["duplicate_of"]) for d in run["duplicates"]]
    assert ("CKV_AWS_157", "aws_db_instance.main", "HA005") in dropped
    assert not any(f["check_id"] == "CKV_AWS_157" for f in run["findings"])
    assert run["findings"], "checkov's other HA/DR results must be kept"
    assert all(f["tool"] == "checkov" for f in run["findings"])
    text = hadr_lint("scan", "--checkov", str(exe), BROKEN).stdout
    assert "(warning, from checkov)" in text
