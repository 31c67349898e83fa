"""Every rule fixture case is scanned with its rule alone and must give exactly what it expects.

Layout: ``fixtures/rules/<RULE>/<case>/`` holds IaC files and ``expect.yaml``::

    findings:            # resources the rule must report (empty list: must not trigger)
      - resource: aws_autoscaling_group.web
        contains: "1 AZ"          # optional, part of the message
        severity: warning         # optional, the finding's severity
    unverified:          # optional: every unverified line, one entry per line (a resource
      - aws_autoscaling_group.web              # twice if two checks on it are open)
      - resource: aws_db_instance.db["a"]      # with its instance key, as reported
        contains: "exists only if"             # optional, part of the reason
        rule: DR006                            # optional, default: the fixture's rule
    options: {region: us-east-1, min_azs: 3, parameters: {Env: prod}, variables: {x: y},
              objectives: {...}, recovery_steps: {...}, strategies: {...},
              store_classes: {...}}
    source: ../../OB003/tf-bucket-marked-logs   # optional: judge another case's IaC files
                                                # (two rules, or two options, on one setup)
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from hadr_lint.config import parse_config
from hadr_lint.engine import ScanOptions, scan
from hadr_lint.rulebase import all_rules, select

ROOT = Path(__file__).resolve().parent.parent / "fixtures" / "rules"
CASES = sorted(p.parent for p in ROOT.glob("*/*/expect.yaml"))
RULE_IDS = sorted(r.id for r in all_rules())


def _run(case: Path):
    expect = yaml.safe_load((case / "expect.yaml").read_text()) or {}
    options = expect.get("options") or {}
    config_data = {k: v for k, v in options.items()
                   if k in ("min_azs", "objectives", "recovery_steps", "strategies",
                            "store_classes")}
    config = parse_config(config_data)
    rule_id = case.parent.name
    rules = select(all_rules(), [rule_id], [])
    scan_options = ScanOptions(
        paths=(_folder(case, expect),),
        region=options.get("region"),
        parameters=options.get("parameters") or {},
        variables=options.get("variables") or {},
    )
    return expect, scan(scan_options, config, rules)


@pytest.mark.parametrize("case", CASES, ids=[f"{c.parent.name}/{c.name}" for c in CASES])
def test_rule_fixture(case: Path) -> None:
    expect, result = _run(case)
    case = _folder(case, expect)  # {case} in expectations: the folder whose files are judged
    assert not result.errors, result.errors
    assert result.resources, "the fixture loaded no resources"
    wanted = [_placed(w, case) for w in expect.get("findings") or []]
    got = sorted((f.resource, f.message, f.severity) for f in result.findings)
    assert sorted(w["resource"] for w in wanted) == [g[0] for g in got], got
    for want in wanted:
        messages = [(m, s) for r, m, s in got if r == want["resource"]]
        assert any(want.get("contains", "") in m and want.get("severity", s) == s
                   for m, s in messages), (want, messages)
        if "file" in want:  # where the finding points (a workload's declaration)
            places = {(f.file, f.line) for f in result.findings if f.resource == want["resource"]}
            assert (want["file"], want.get("line", 1)) in places, (want, places)
    if "unverified" in expect:
        _assert_unverified(expect["unverified"] or [], result.unknowns, case.parent.name)


def _folder(case: Path, expect: dict) -> Path:
    """The folder whose IaC files the case judges: its own, or the ``source`` it names."""
    source = expect.get("source")
    if not source:
        return case
    folder = (case / source).resolve()
    assert folder.is_dir(), f"{case}: source {source} is no folder"
    assert [p.name for p in case.iterdir()] == ["expect.yaml"], "a sourced case holds no IaC"
    return folder


def _placed(want: dict, case: Path) -> dict:
    """``{case}`` in an expected resource or file: the case folder as findings name it (workload
    findings are on ``workload <name>`` and point at its template or folder)."""
    here = os.path.relpath(case)
    return {k: v.replace("{case}", here) if isinstance(v, str) else v for k, v in want.items()}


def _assert_unverified(wanted: list, unknowns: tuple, rule_id: str) -> None:
    """Each listed line matches one unverified line (rule, resource, reason fragment), and
    every unverified line is listed: none merged, none lost."""
    entries = [w if isinstance(w, dict) else {"resource": w} for w in wanted]
    got = sorted((u.rule_id, u.resource, u.reason) for u in unknowns)
    assert sorted(e["resource"] for e in entries) == sorted(g[1] for g in got), got
    left = list(got)
    for entry in sorted(entries, key=lambda e: -len(e.get("contains", ""))):
        rule = entry.get("rule", rule_id)
        match = next((g for g in left if g[0] == rule and g[1] == entry["resource"]
                      and entry.get("contains", "") in g[2]), None)
        assert match is not None, (entry, left)
        left.remove(match)


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_every_rule_has_triggering_and_quiet_fixtures(rule_id: str) -> None:
    cases = [c for c in CASES if c.parent.name == rule_id]
    expectations = [yaml.safe_load((c / "expect.yaml").read_text()) or {} for c in cases]
    assert any(e.get("findings") for e in expectations), f"{rule_id} has no triggering fixture"
    assert any(not e.get("findings") for e in expectations), f"{rule_id} has no quiet fixture"
