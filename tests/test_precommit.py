"""The pre-commit hook: a valid manifest, and a real `pre-commit try-repo` run in a temporary git
repository that fails on a bad change and passes on a good one.

try-repo installs the hook from a git repository. A snapshot of this checkout's working tree
(package, rules, pyproject, manifest) is committed to a temporary repository first, so the test
exercises the code as it is, committed or not. pre-commit builds a virtualenv and installs the
package's dependencies from the package index (about 10 s with a warm pip cache).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / ".pre-commit-hooks.yaml"


def test_manifest_declares_the_hook() -> None:
    from pre_commit.clientlib import load_manifest

    hooks = {h["id"]: h for h in load_manifest(str(MANIFEST))}
    hook = hooks["hadr-lint"]
    assert hook["entry"] == "hadr-lint scan" and hook["language"] == "python"
    assert hook["pass_filenames"] is True and hook["require_serial"] is True
    files = re.compile(hook["files"])
    for name in ("main.tf", "main.tf.json", "main.tofu", "main.tofu.json", "prod.tfvars",
                 "stack.json", "stack.yaml", "stack.yml", "stack.template",
                 "terraform.tfvars.json"):
        assert files.search(f"infra/{name}"), name
    for name in ("README.md", "main.py", "Makefile"):
        assert not files.search(name), name


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.email=ci@example.com", "-c", "user.name=ci",
                    "-c", "commit.gpgsign=false", *args], cwd=repo, check=True,
                   capture_output=True)


def hook_snapshot(target: Path) -> Path:
    """The working tree of this checkout as a one-commit git repository."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for name in ("hadr_lint", "rules"):
        shutil.copytree(ROOT / name, target / name, ignore=ignore)
    for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml"):
        shutil.copy2(ROOT / name, target / name)
    git(target, "init", "-q")
    git(target, "add", ".")
    git(target, "commit", "-q", "-m", "snapshot")
    return target


def try_repo(hook_repo: Path, repo: Path, *files: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PRE_COMMIT_HOME=str(repo.parent / "pre-commit-home"))
    env.pop("PYTHONPATH", None)
    return subprocess.run(
        ["pre-commit", "try-repo", str(hook_repo), "hadr-lint", "--files", *files],
        cwd=repo, env=env, capture_output=True, text=True, timeout=600,
    )


@pytest.mark.slow  # pre-commit builds a virtualenv and installs the hook's dependencies
@pytest.mark.skipif((shutil.which("pre-commit") is None or shutil.which("git") is None)
                    and not os.environ.get("CI"),
                    reason="needs pre-commit (a test extra) and git; never skipped in CI")
def test_try_repo_fails_on_bad_change_and_passes_on_good(tmp_path: Path) -> None:
    hook_repo = hook_snapshot(tmp_path / "hook")
    repo = tmp_path / "platform"
    shutil.copytree(ROOT / "fixtures" / "gate" / "precommit", repo / "infra" / "web")
    (repo / ".hadr-lint.yaml").write_text(yaml.safe_dump({"select": ["HA001", "HA005", "HL"]}))
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "web tier")

    main_tf = repo / "infra" / "web" / "main.tf"
    # good change: a tag on the load balancer; legacy.tf's single-AZ database is not reported
    main_tf.write_text(main_tf.read_text().replace(
        'load_balancer_type = "application"',
        'load_balancer_type = "application"\n  tags               = { team = "web" }'))
    good = try_repo(hook_repo, repo, "infra/web/main.tf")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Passed" in good.stdout

    # bad change: the database loses Multi-AZ
    main_tf.write_text(main_tf.read_text().replace("multi_az             = true",
                                                   "multi_az             = false"))
    bad = try_repo(hook_repo, repo, "infra/web/main.tf", "infra/web/variables.tf")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "Failed" in bad.stdout
    assert "infra/web/main.tf:80: HA005 RDS DB instance is not Multi-AZ" in bad.stdout, bad.stdout
    assert "legacy_reports" not in bad.stdout, bad.stdout


def run_hooks(repo: Path, *files: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PRE_COMMIT_HOME=str(repo.parent / "pre-commit-home"))
    env.pop("PYTHONPATH", None)
    return subprocess.run(["pre-commit", "run", "--files", *files], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=600)


@pytest.mark.slow  # pre-commit builds a virtualenv and installs the hook's dependencies
@pytest.mark.skipif((shutil.which("pre-commit") is None or shutil.which("git") is None)
                    and not os.environ.get("CI"),
                    reason="needs pre-commit (a test extra) and git; never skipped in CI")
def test_monorepo_each_service_under_its_own_config(tmp_path: Path) -> None:
    """`pre-commit run --files` over two services, each with its own .hadr-lint.yaml: each
    file is judged under its own service's configuration, whatever the order of the files."""
    hook_repo = hook_snapshot(tmp_path / "hook")
    revision = subprocess.run(["git", "rev-parse", "HEAD"], cwd=hook_repo, check=True,
                              capture_output=True, text=True).stdout.strip()
    repo = tmp_path / "monorepo"
    for service in ("billing", "search"):
        shutil.copytree(ROOT / "fixtures" / "gate" / "precommit", repo / "services" / service)
    # billing accepts a single-AZ database (a note does not fail); search does not
    (repo / "services" / "billing" / ".hadr-lint.yaml").write_text(yaml.safe_dump(
        {"select": ["HA005"], "severity": {"HA005": "note"}}))
    (repo / "services" / "search" / ".hadr-lint.yaml").write_text(yaml.safe_dump(
        {"select": ["HA005"]}))
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump({"repos": [{
        "repo": str(hook_repo), "rev": revision, "hooks": [{"id": "hadr-lint"}]}]}))
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "two services")
    for service in ("billing", "search"):
        main_tf = repo / "services" / service / "main.tf"
        main_tf.write_text(main_tf.read_text().replace("multi_az             = true",
                                                       "multi_az             = false"))
    billing, search = "services/billing/main.tf", "services/search/main.tf"
    lines = (repo / billing).read_text().splitlines()
    line = next(i for i, text in enumerate(lines, 1) if '"aws_db_instance" "main"' in text)

    both = run_hooks(repo, billing, search)
    assert both.returncode == 1, both.stdout + both.stderr
    assert (f"{billing}:{line}: HA005 RDS DB instance is not Multi-AZ: a zone failure takes it "
            "down [aws_db_instance.main] (note)") in both.stdout
    assert (f"{search}:{line}: HA005 RDS DB instance is not Multi-AZ: a zone failure takes it "
            "down [aws_db_instance.main] (error)") in both.stdout
    assert ("configuration: services/billing/.hadr-lint.yaml, "
            "services/search/.hadr-lint.yaml") in both.stdout
    reversed_order = run_hooks(repo, search, billing)
    assert reversed_order.returncode == 1
    assert reversed_order.stdout in both.stdout  # the first run also installed the hook

    alone = run_hooks(repo, billing)
    assert alone.returncode == 0, alone.stdout + alone.stderr
    assert "Passed" in alone.stdout
