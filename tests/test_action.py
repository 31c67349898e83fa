"""action.yml: the composite GitHub Action's shell steps, run locally with bash as the runner
would (inputs through env:, GITHUB_OUTPUT, GITHUB_PATH, RUNNER_TEMP), on the bundled seed.

The install step really installs the Action's files into a fresh virtual environment; pip works
offline here (PIP_NO_INDEX, no build isolation, dependencies visible through a .pth file)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
STEPS = ACTION["runs"]["steps"]
EXPRESSION = re.compile(r"\$\{\{\s*([^}]+?)\s*\}\}")
PACKAGE_FILES = ("pyproject.toml", "README.md", "LICENSE", "hadr_lint", "rules")

pytestmark = pytest.mark.slow


class Runner:
    """Runs the composite's steps one after the other, as the GitHub runner does."""

    def __init__(self, tmp: Path, action_path: Path, extra_env: dict[str, str]) -> None:
        self.tmp, self.action_path = tmp, action_path
        self.path = os.environ["PATH"]
        self.extra_env = extra_env
        self.outputs: dict[str, dict[str, str]] = {}

    def value(self, expression: str, inputs: dict[str, str]) -> str:
        if expression.startswith("inputs."):
            name = expression.removeprefix("inputs.")
            assert name in ACTION["inputs"], f"action.yml uses an undeclared input {name}"
            given = inputs.get(name, str(ACTION["inputs"][name].get("default", "")))
            return self.substitute(given, inputs)
        if expression.startswith("steps."):
            _, step, _, key = expression.split(".", 3)
            return self.outputs.get(step, {}).get(key, "")
        known = {"github.action_path": str(self.action_path), "github.token": "",
                 "github.event.pull_request.number": inputs.get("_pr", "")}
        return known[expression]

    def substitute(self, text: str, inputs: dict[str, str]) -> str:
        return EXPRESSION.sub(lambda m: self.value(m.group(1), inputs), text)

    def run(self, steps: list[dict], inputs: dict[str, str],
            cwd: Path) -> list[subprocess.CompletedProcess]:
        done = []
        for number, step in enumerate(steps):
            assert step["shell"] == "bash" and "${{" not in step["run"]
            files = {k: self.tmp / f"{k}-{number}" for k in ("GITHUB_OUTPUT", "GITHUB_PATH")}
            for file in files.values():
                file.write_text("")
            env = {**os.environ, **self.extra_env, "PATH": self.path,
                   "RUNNER_TEMP": str(self.tmp), "GITHUB_REPOSITORY": "acme/infra",
                   **{k: str(v) for k, v in files.items()},
                   **{k: self.substitute(str(v), inputs) for k, v in step.get("env", {}).items()}}
            result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c",
                                     step["run"]], cwd=cwd, env=env, capture_output=True,
                                    text=True, timeout=600)
            done.append(result)
            for line in files["GITHUB_PATH"].read_text().splitlines():
                self.path = f"{line}{os.pathsep}{self.path}"
            self.outputs[step.get("id", str(number))] = dict(
                line.split("=", 1) for line in files["GITHUB_OUTPUT"].read_text().splitlines())
            if result.returncode != 0:
                break
        return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Runner:
    """The install step, once: the Action's files into $RUNNER_TEMP/hadr-lint-venv."""
    tmp = tmp_path_factory.mktemp("runner")
    action_path = tmp_path_factory.mktemp("action")
    for name in PACKAGE_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, action_path / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy2(source, action_path / name)
    venv = tmp / "hadr-lint-venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    site = next(venv.glob("lib/python*/site-packages"))
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    offline = {"PIP_NO_INDEX": "1", "PIP_NO_DEPS": "1", "PIP_NO_BUILD_ISOLATION": "false",
               "PIP_IGNORE_INSTALLED": "1", "HADR_LINT_NO_CACHE": "1"}
    # The build backend must be this environment's setuptools (>= 77, the test extra), not the
    # older one ensurepip puts into a new venv.
    runner = Runner(tmp, action_path, {**offline, "PYTHONPATH": sysconfig.get_paths()["purelib"]})
    (done,) = runner.run([s for s in STEPS if s.get("id") == "install"], {}, cwd=tmp)
    runner.extra_env = offline
    assert done.returncode == 0, done.stderr
    assert (venv / "bin" / "hadr-lint").exists()
    return runner


def scan_steps(runner: Runner, inputs: dict[str, str], cwd: Path, token: str = ""):
    """Every step after the install; ``token``: the github-token input's default."""
    steps = [s for s in STEPS if s.get("id") != "install"]
    if token:
        steps = [{**s, "env": {**s.get("env", {}), "GH_TOKEN": token}}
                 if s["name"] == "Posture report comment" else s for s in steps]
    return runner.run(steps, inputs, cwd)


def test_inputs_are_the_documented_ones():
    assert {"fail-on", "paths", "config", "baseline", "version"} <= set(ACTION["inputs"])
    assert ACTION["runs"]["using"] == "composite"


def test_the_installed_action_writes_sarif_and_fails_on_findings(installed, tmp_path):
    sarif = tmp_path / "out.sarif"
    done = scan_steps(installed, {"paths": "fixtures/seed", "sarif-file": str(sarif)}, ROOT)
    assert [d.returncode for d in done] == [0, 0, 1]  # scan, comment (off), verdict
    log = json.loads(sarif.read_text())
    assert sorted(r["ruleId"] for r in log["runs"][0]["results"]) == ["HA001", "HA005"]
    assert installed.outputs["scan"] == {"sarif-file": str(sarif), "exit-code": "1"}
    assert "\x1b[31m\x1b[1mHA001\x1b[0m" in done[0].stdout  # the job log, in colour
    installed_from = str(installed.tmp / "hadr-lint-venv")
    which = subprocess.run(["bash", "-c", "command -v hadr-lint"], capture_output=True,
                           text=True, env={**os.environ, "PATH": installed.path})
    assert which.stdout.startswith(installed_from)


def test_fail_on_config_and_several_paths(installed, tmp_path):
    sarif = tmp_path / "out.sarif"
    inputs = {"paths": "fixtures/seed/good\nfixtures/seed/broken", "fail-on": "never",
              "config": "fixtures/seed/.hadr-lint.yaml", "sarif-file": str(sarif)}
    done = scan_steps(installed, inputs, ROOT)
    assert [d.returncode for d in done] == [0, 0, 0]
    assert len(json.loads(sarif.read_text())["runs"][0]["results"]) == 2


def test_a_bad_input_is_exit_2(installed, tmp_path):
    done = scan_steps(installed, {"paths": "no/such/folder", "sarif-file": str(tmp_path / "x")},
                      ROOT)
    assert done[-1].returncode == 2


def test_comment_is_skipped_without_a_token(installed, tmp_path):
    inputs = {"paths": "fixtures/seed", "comment": "true", "_pr": "7",
              "sarif-file": str(tmp_path / "out.sarif")}
    done = scan_steps(installed, inputs, ROOT)
    assert "the posture report is not posted" in done[1].stdout


def _fake_gh(folder: Path, existing: str) -> Path:
    """A ``gh`` that records its arguments and the body it is given, and answers the comment
    list query with ``existing`` (a comment id or nothing)."""
    log = folder / "gh.log"
    script = folder / "gh"
    script.write_text(f"""#!/usr/bin/env bash
echo "$*" >> {log}
for a in "$@"; do case "$a" in body=@*) cp "${{a#body=@}}" {folder}/body.md;; esac; done
case "$*" in *--jq*) [ -n "{existing}" ] && echo "{existing}";; esac
exit 0
""")
    script.chmod(0o755)
    return log


@pytest.mark.parametrize("existing", ["", "991"])
def test_comment_posts_once_then_updates(installed, tmp_path, existing):
    log = _fake_gh(tmp_path, existing)
    path = installed.path
    installed.path = f"{tmp_path}{os.pathsep}{path}"
    try:
        done = scan_steps(installed, {"paths": "fixtures/seed", "comment": "true", "_pr": "7",
                                      "sarif-file": str(tmp_path / "out.sarif")}, ROOT,
                          token="secret")
    finally:
        installed.path = path
    assert done[1].returncode == 0, done[1].stderr
    calls = log.read_text().splitlines()
    if existing:
        assert calls[-1].startswith("api --method PATCH repos/acme/infra/issues/comments/991")
    else:
        assert calls[-1].startswith("api --method POST repos/acme/infra/issues/7/comments")
    body = (tmp_path / "body.md").read_text()
    assert body.startswith("<!-- hadr-lint posture report -->\n")
    assert "HA001" in body and len(body) <= 65536
