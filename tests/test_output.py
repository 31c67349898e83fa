"""The text report people read, through the real executable: colour only on a terminal (NO_COLOR,
FORCE_COLOR, --color), findings grouped by file with one explain hint per rule, --statistics,
notes condensed on standard error, --quiet, --verbose."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = "fixtures/seed/broken"
TWO_FILES = ("fixtures/seed/broken", "fixtures/cloudformation/loader")
ESC = "\x1b["
RED_BOLD_HA001 = "\x1b[31m\x1b[1mHA001\x1b[0m"


def hadr_lint(*args: str, env: dict[str, str] | None = None,
              cwd: Path = ROOT) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    return subprocess.run([sys.executable, "-m", "hadr_lint", *args], cwd=cwd,
                          env={**clean, **(env or {})}, capture_output=True, text=True,
                          timeout=300)


def on_a_terminal(*args: str, env: dict[str, str] | None = None) -> str:
    """Standard output of hadr-lint written to a pseudo-terminal."""
    leader, follower = pty.openpty()
    clean = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    process = subprocess.Popen([sys.executable, "-m", "hadr_lint", *args], cwd=ROOT,
                               stdout=follower, stderr=subprocess.DEVNULL,
                               env={**clean, **(env or {})})
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=300)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


def test_a_terminal_gets_colour_a_pipe_does_not():
    coloured = on_a_terminal("scan", SEED)
    assert RED_BOLD_HA001 in coloured
    assert "\x1b[1mfixtures/seed/broken/main.tf\x1b[0m:62:" in coloured
    assert "(\x1b[31merror\x1b[0m)" in coloured
    assert ESC not in hadr_lint("scan", SEED).stdout


@pytest.mark.parametrize(("option", "env", "coloured"), [
    ((), {"FORCE_COLOR": "1"}, True),
    ((), {"NO_COLOR": "1", "FORCE_COLOR": "1"}, False),
    (("--color", "always"), {"NO_COLOR": "1"}, True),
    (("--color", "never"), {"FORCE_COLOR": "1"}, False),
])
def test_no_color_force_color_and_the_option(option, env, coloured):
    done = hadr_lint("scan", SEED, *option, env=env)
    assert done.returncode == 1
    assert (RED_BOLD_HA001 in done.stdout) is coloured
    assert (ESC in done.stdout) is coloured


def test_no_color_on_a_terminal_and_never_in_an_output_file(tmp_path):
    assert ESC not in on_a_terminal("scan", SEED, env={"NO_COLOR": "1"})
    report = tmp_path / "report.txt"
    hadr_lint("scan", SEED, "--output", str(report), env={"FORCE_COLOR": "1"})
    assert "HA001" in report.read_text() and ESC not in report.read_text()


def test_findings_are_grouped_by_file_with_one_hint_per_rule():
    out = hadr_lint("scan", *TWO_FILES).stdout
    body, _, summary = out.rstrip("\n").rpartition("\n")
    assert " findings (" in summary
    files = [{line.split(":")[0] for line in block.splitlines() if not line.startswith(" ")}
             for block in body.split("\n\n")]
    assert all(len(f) == 1 for f in files)  # one file per block
    names = [f.pop() for f in files]
    assert len(names) == len(set(names)) >= 3 and names == sorted(names)
    findings = json.loads(hadr_lint("scan", *TWO_FILES, "--format", "json").stdout)["findings"]
    rules = Counter(f["rule_id"] for f in findings)
    assert rules["HE001"] >= 2  # the same rule twice, explained once
    for rule in rules:
        assert out.count(f"  help: hadr-lint explain {rule}\n") == 1
    first_he001 = out.index(" HE001 ")
    assert out.index("help: hadr-lint explain HE001") > first_he001


def test_statistics_counts_findings_per_rule():
    done = hadr_lint("scan", *TWO_FILES, "--statistics")
    findings = json.loads(hadr_lint("scan", *TWO_FILES, "--format", "json").stdout)["findings"]
    expected = Counter(f["rule_id"] for f in findings)
    rows = [line.split() for line in done.stdout.splitlines() if line[:5].strip().isdigit()]
    assert {row[1]: int(row[0]) for row in rows} == dict(expected)
    assert [int(r[0]) for r in rows] == sorted((int(r[0]) for r in rows), reverse=True)
    assert "asg-az-spread" in done.stdout and "main.tf:62" not in done.stdout
    assert done.returncode == 2  # malformed.yaml: its error is listed after the counts
    after = done.stdout.splitlines()[len(rows):]
    assert any(line.startswith("fixtures/cloudformation/loader/malformed.yaml:8: error:")
               for line in after)


TEMPLATE = """AWSTemplateFormatVersion: 2010-09-09
Parameters:
  Stage: {{Type: String, Default: dev}}
{extra}Conditions:
  Never: !Equals [a, b]
Resources:
{resources}"""
SKIPPED = "  Bucket{n}:\n    Type: AWS::S3::Bucket\n    Condition: Never\n"


def _templates(folder: Path) -> None:
    folder.mkdir()
    (folder / "a.yaml").write_text(TEMPLATE.format(
        extra="", resources="".join(SKIPPED.format(n=n) for n in range(3))))
    (folder / "b.yaml").write_text(TEMPLATE.format(extra="", resources=SKIPPED.format(n=9)))
    (folder / "c.yaml").write_text(TEMPLATE.format(
        extra="  Env: {Type: String}\n", resources=SKIPPED.format(n=7)))


def test_notes_are_counted_on_standard_error(tmp_path):
    _templates(tmp_path / "stacks")
    done = hadr_lint("scan", "stacks", "--parameter", "Env=prod", "--parameter", "Other=1",
                     cwd=tmp_path)
    assert "note:" not in done.stdout
    notes = [line for line in done.stderr.splitlines() if line.startswith("note:")]
    assert "note: 5 resources skipped: their condition is false" in notes
    # Env is declared by c.yaml: one line for a.yaml and b.yaml, not one per template.
    assert ("note: --parameter Env is not declared in 2 templates (it applies where it is "
            "declared)") in notes
    assert ("note: --parameter Other is not declared in 3 templates (it applies where it is "
            "declared)") in notes
    assert sum("not declared" in n for n in notes) == 2
    assert "note: --verbose lists every note" in notes


def test_verbose_lists_every_note(tmp_path):
    _templates(tmp_path / "stacks")
    done = hadr_lint("scan", "stacks", "--parameter", "Env=prod", "--verbose", cwd=tmp_path)
    notes = [line for line in done.stderr.splitlines() if line.startswith("note:")]
    assert sum("omitted: condition Never is false" in n for n in notes) == 5
    assert sum("parameter Env is not declared" in n for n in notes) == 2


def test_quiet_prints_findings_only(tmp_path):
    done = hadr_lint("scan", SEED, "--quiet")
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert len(lines) == 2 and all(" HA00" in line for line in lines)
    assert done.stderr == ""
    _templates(tmp_path / "stacks")
    (tmp_path / "stacks" / "bad.tf").write_text('resource "aws_instance" "x" {\n  ami = {\n')
    broken = hadr_lint("scan", "stacks", "--quiet", "--parameter", "Env=x", cwd=tmp_path)
    assert broken.returncode == 2
    assert "bad.tf" in broken.stderr and "note:" not in broken.stderr  # errors are never silent
