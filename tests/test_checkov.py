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


# ---------------------------------------------------------------------------------------------
# A hostile repository: checkov must honour no configuration, check or plugin from it.


def _hostile_repository(tmp_path: Path) -> tuple[Path, Path]:
    """A repository whose .checkov.yaml (in the scanned folder and in its root, the working
    directory of a CI job) names a folder of external checks that write a marker when imported;
    the paths are absolute, as an attacker who knows the CI checkout path would write them."""
    repo = tmp_path / "repo"
    marker = tmp_path / "MARKER"
    evil = repo / "evil"
    evil.mkdir(parents=True)
    payload = f"open({str(marker)!r}, 'w').write('code from the scanned repository ran')\n"
    (evil / "__init__.py").write_text(payload)
    (evil / "evil_check.py").write_text(payload)
    config = f"external-checks-dir:\n  - {evil}\n  - evil\nskip-check: CKV_AWS_157\n"
    (repo / ".checkov.yaml").write_text(config)
    (repo / ".checkov.yml").write_text(config)
    (repo / "main.tf").write_text('resource "aws_db_instance" "db" {\n  engine = "postgres"\n'
                                  '  multi_az = false\n}\n')
    return repo, marker


def test_checkov_runs_in_a_neutral_folder_with_a_clean_environment(tmp_path: Path,
                                                                    monkeypatch) -> None:
    """What the stand-in checkov sees: no -d/--directory pair (checkov would read that folder's
    .checkov.yaml), an empty config file and external-checks folder, a working directory and
    HOME outside the repository, and none of the variables that change checkov's behaviour."""
    repo, _ = _hostile_repository(tmp_path)
    seen = tmp_path / "seen.json"
    script = tmp_path / "bin" / "checkov"
    script.parent.mkdir()
    script.write_text(textwrap.dedent(f"""\
        #!{sys.executable}
        import json, os, sys
        checks = sys.argv[sys.argv.index("--external-checks-dir") + 1]
        config = sys.argv[sys.argv.index("--config-file") + 1]
        json.dump({{"argv": sys.argv[1:], "cwd": os.getcwd(), "env": dict(os.environ),
                   "checks": os.listdir(checks), "config": open(config).read()}},
                  open({str(seen)!r}, "w"))
        print("[]")
        """))
    script.chmod(0o755)
    env = dict(os.environ, CKV_EXTERNAL_CHECKS_DIR=str(repo / "evil"), BC_API_KEY="secret",
               CKV_SKIP_CHECK="CKV_AWS_157", PYTHONPATH=str(repo / "evil"),
               PRISMA_API_URL="https://attacker.example", DOWNLOAD_EXTERNAL_MODULES="true")
    done = subprocess.run([sys.executable, "-m", "hadr_lint", "scan", "--checkov", str(script),
                           "."], capture_output=True, text=True, cwd=repo, env=env, timeout=300,
                          check=False)
    assert done.returncode in (0, 1), done.stderr
    run = json.loads(seen.read_text())
    assert "-d" not in run["argv"] and "--directory" not in run["argv"]
    assert f"--directory={repo.resolve()}" in run["argv"]
    assert run["checks"] == [] and run["config"].strip() == "{}"
    for where in (run["cwd"], run["env"]["HOME"]):
        assert not Path(where).resolve().is_relative_to(repo.resolve())
        assert not (Path(where) / ".checkov.yaml").exists()
    leaked = {k for k in run["env"] if k.startswith(("CKV_", "PRISMA_", "PYTHON", "DOWNLOAD_"))
              or (k.startswith("BC_") and k != "BC_SKIP_MAPPING")}
    assert not leaked


@pytest.mark.slow
def test_real_checkov_ignores_the_repositorys_config_and_checks(tmp_path: Path) -> None:
    """The repository's .checkov.yaml names external checks that write a marker: with the real
    checkov, scanned from the repository's root, the marker never appears and the repository's
    skip-check does not hide checkov's result."""
    exe = _real_checkov()
    repo, marker = _hostile_repository(tmp_path)
    done = subprocess.run([sys.executable, "-m", "hadr_lint", "scan", "--checkov", str(exe),
                           ".", "--format", "json"], capture_output=True, text=True, cwd=repo,
                          timeout=900, check=False)
    assert not marker.exists(), "checkov imported a check from the scanned repository"
    report = json.loads(done.stdout)
    assert not report["errors"], report["errors"]
    [run] = report["external"]
    found = [(d["check_id"], d["resource"]) for d in run["findings"] + run["duplicates"]]
    assert ("CKV_AWS_157", "aws_db_instance.db") in found
    # the same repository, checkov run naively from its root, does import the checks
    naive = subprocess.run([str(exe), "--quiet", "-o", "json", "--framework", "terraform",
                            "-d", "."], capture_output=True, text=True, cwd=repo, timeout=900,
                           check=False)
    assert marker.exists(), f"the hostile repository no longer attacks checkov: {naive.stderr}"
