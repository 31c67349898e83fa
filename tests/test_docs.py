"""docs/rules.md is generated from the rule metadata and must not go stale."""

from __future__ import annotations

from pathlib import Path

from hadr_lint.docs import rules_markdown
from hadr_lint.rulebase import all_rules, sections

DOCS = Path(__file__).resolve().parent.parent / "docs" / "rules.md"


def test_rules_md_is_current() -> None:
    assert DOCS.read_text(encoding="utf-8") == rules_markdown(), (
        "docs/rules.md is stale: run `python -m hadr_lint.docs > docs/rules.md`"
    )


def test_every_rule_documents_what_why_example_fix() -> None:
    for rule in all_rules():
        found = sections(rule.doc)
        for heading in ("What it does", "Why is this bad?", "Example", "Fix"):
            assert found.get(heading), f"{rule.id} lacks a '{heading}' section"
        assert rule.meta.short and rule.meta.description and rule.meta.tags, rule.id
