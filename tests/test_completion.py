"""Shell completion through the real executable, as bash and zsh ask for it (click's protocol):
rule ids for ``explain``, ``--select`` and ``--ignore``."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

EXECUTABLE = shutil.which("hadr-lint", path=str(Path(sys.executable).parent))


def complete(words: str, shell: str = "bash") -> list[str]:
    if EXECUTABLE is None:
        pytest.skip("the hadr-lint script is not installed beside this Python")
    env = {**os.environ, "_HADR_LINT_COMPLETE": f"{shell}_complete", "COMP_WORDS": words,
           "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1))}
    done = subprocess.run([EXECUTABLE], env=env, capture_output=True, text=True, timeout=60,
                          check=True)
    return done.stdout.splitlines()


def test_explain_completes_rule_ids():
    assert complete("hadr-lint explain HA00") == [f"plain,HA00{n}" for n in range(1, 10)]
    assert "plain,HL001" in complete("hadr-lint explain hl")  # any case; pseudo rules too


def test_zsh_gets_each_rule_with_its_description():
    lines = complete("hadr-lint explain DR001", shell="zsh")
    assert lines == ["plain", "DR001", "Route 53 failover record has no partner of the other type"]


@pytest.mark.parametrize("option", ["--select", "--ignore"])
def test_select_and_ignore_complete_the_last_comma_separated_item(option):
    found = complete(f"hadr-lint scan {option} HA001,H")
    assert "plain,HA001,HE" in found and "plain,HA001,HA005" in found
    assert "plain,HA001,HA001" not in found  # already given
    assert all(item.startswith("plain,HA001,H") for item in found)


def test_report_and_graph_select_complete_too():
    assert "plain,OB001" in complete("hadr-lint report --select OB")
    assert "plain,DR" in complete("hadr-lint graph --ignore D")
