"""Each rule's declared ``kinds`` are the kinds it reports on: every finding and unverified line
its fixtures produce names a resource of one of them (JUnit's pass cases and the rule docs rely on
the list). Rules that judge workloads (scope ``objectives``) point at the workload's anchor (its
first stateful store, else its first resource), so they may name any resource."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from hadr_lint.config import parse_config
from hadr_lint.engine import ScanOptions, scan
from hadr_lint.rulebase import all_rules, select

ROOT = Path(__file__).resolve().parent.parent / "fixtures" / "rules"
RULES = {r.id: r for r in all_rules()}
CASES = sorted(p.parent for p in ROOT.glob("*/*/expect.yaml")
               if RULES[p.parent.parent.name].meta.scope != "objectives")


def _kinds_reported(case: Path) -> set[tuple[str, str]]:
    options = (yaml.safe_load((case / "expect.yaml").read_text()) or {}).get("options") or {}
    config = parse_config({k: v for k, v in options.items()
                           if k in ("min_azs", "objectives", "recovery_steps", "strategies")})
    result = scan(ScanOptions(paths=(case,), region=options.get("region"),
                              parameters=options.get("parameters") or {},
                              variables=options.get("variables") or {}),
                  config, select(all_rules(), [case.parent.name], []))
    kind_of = {r.name: r.kind for r in result.resources} | {
        r.label: r.kind for r in result.resources}
    named = [f.resource for f in result.findings] + [u.resource for u in result.unknowns]
    return {(name, kind_of.get(name, kind_of.get(name.split("[")[0], "?"))) for name in named}


@pytest.mark.parametrize("case", CASES, ids=[f"{c.parent.name}/{c.name}" for c in CASES])
def test_rule_reports_only_its_declared_kinds(case: Path) -> None:
    declared = set(RULES[case.parent.name].meta.kinds)
    stray = {(name, kind) for name, kind in _kinds_reported(case) if kind not in declared}
    assert not stray, f"{case.parent.name} declares {sorted(declared)} but reports {stray}"


def test_every_rule_with_kinds_has_a_fixture_that_reports() -> None:
    reporting = {c.parent.name for c in CASES if _kinds_reported(c)}
    assert {rule_id for rule_id, r in RULES.items()
            if r.meta.scope != "objectives"} <= reporting
