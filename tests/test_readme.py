"""The README's adoption sections match what ships: the Action's example uses only inputs
action.yml declares, the GitLab job names the report --format gitlab writes, the text-output
options it lists exist, and the sample output is what the seed prints."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from click.testing import CliRunner

from hadr_lint.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    start = README.index(f"### {title}")
    return README[start:README.index("\n#", start + 1)]


def _yaml_blocks(text: str) -> list:
    return [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", text, re.S)]


def test_install_shows_pip_and_pipx():
    install = README[README.index("## Install"):README.index("## Unknown")]
    assert "pipx install hadr-lint" in install and "pip install hadr-lint" in install


def test_the_action_example_uses_declared_inputs_and_outputs():
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    workflow = _yaml_blocks(_section("GitHub Action"))[0]
    steps = workflow["jobs"]["hadr-lint"]["steps"]
    ours = next(s for s in steps if s.get("uses", "").startswith("hadr-lint/hadr-lint@"))
    assert set(ours["with"]) <= set(action["inputs"])
    upload = next(s for s in steps if "upload-sarif" in s.get("uses", ""))
    output = re.search(r"outputs\.([\w-]+)", upload["with"]["sarif_file"]).group(1)
    assert output in action["outputs"]
    for name in action["inputs"]:
        assert f"`{name}`" in _section("GitHub Action")


def test_the_gitlab_job_uploads_what_it_writes():
    job = _yaml_blocks(_section("GitLab CI: Code Quality"))[0]["hadr-lint"]
    command = next(line for line in job["script"] if line.startswith("hadr-lint scan"))
    assert "--format gitlab" in command
    written = command.split("--output ")[1].split()[0]
    assert job["artifacts"]["reports"]["codequality"] == written


def test_the_output_options_listed_exist():
    help_text = CliRunner().invoke(main, ["scan", "--help"]).stdout
    for option in re.findall(r"`(--[a-z-]+)", _section("Reading the output")):
        assert option in help_text, option
    assert "NO_COLOR" in _section("Reading the output")
    assert "FORCE_COLOR" in _section("Reading the output")


def test_the_sample_output_is_what_the_seed_prints(monkeypatch):
    monkeypatch.chdir(ROOT)
    sample = re.search(r"```\n\$ hadr-lint scan fixtures/seed\n(.*?)```", README, re.S).group(1)
    done = CliRunner().invoke(main, ["scan", "fixtures/seed"])
    assert done.stdout == sample


def test_the_report_excerpt_is_what_report_prints(monkeypatch):
    """The posture report excerpt: every line but the ``…`` marks is a line of the real output,
    in the same order (the excerpt leaves lines out, never changes one)."""
    monkeypatch.chdir(ROOT)
    found = re.search(r"```\n\$ (hadr-lint report [^\n]*)\n(.*?)```", README, re.S)
    command, excerpt = found.group(1), found.group(2)
    output = CliRunner().invoke(main, command.split()[1:] + ["--max-length", "0"]).stdout
    lines = output.splitlines()
    at = 0
    for line in excerpt.splitlines():
        if line in ("…", ""):
            continue
        assert line in lines[at:], line
        at = lines.index(line, at) + 1
    assert excerpt.count("\n") > 30  # the headline, evidence, stores, blocks and a finding
