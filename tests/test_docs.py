"""docs/rules.md is generated from the rule metadata and must not go stale."""

from __future__ import annotations

from pathlib import Path

import pytest

from hadr_lint.docs import aws_checks, coverage_markdown, rules_markdown
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


COVERAGE_MD = DOCS.parent / "coverage.md"


def test_coverage_md_is_current() -> None:
    assert COVERAGE_MD.read_text(encoding="utf-8") == coverage_markdown(), (
        "docs/coverage.md is stale: run `python -m hadr_lint.docs coverage > docs/coverage.md`"
    )


def test_coverage_names_only_rules_that_exist() -> None:
    known = {r.id for r in all_rules()}
    named = {rule for check in aws_checks() for rule in check.rules}
    assert named and named <= known, sorted(named - known)


def test_coverage_lists_the_anchors_the_issue_names() -> None:
    ids = " ".join(c.id for c in aws_checks())
    for anchor in ("autoscaling-multiple-az", "elbv2-multiple-az", "clb-multiple-az",
                   "rds-multi-az-support", "lambda-vpc-multi-az-check", "dynamodb-pitr-enabled",
                   "s3-bucket-replication-enabled", "vpc-vpn-2-tunnels-up",
                   "NAT Gateway AZ Independence", "Amazon MemoryDB Multi-AZ clusters",
                   "Amazon Route 53 High TTL Resource Record Sets"):
        assert anchor in ids


def test_an_entry_needs_rules_or_one_reason(tmp_path) -> None:
    bad = tmp_path / "coverage.yaml"
    bad.write_text("aws_config:\n  - id: x\n    checks: y\n", encoding="utf-8")
    with pytest.raises(ValueError, match="give rules or one reason"):
        aws_checks(bad)
    bad.write_text("aws_config:\n  - id: x\n    checks: y\n    rules: [HA001]\n"
                   "    runtime: z\n", encoding="utf-8")
    with pytest.raises(ValueError, match="give rules or one reason"):
        aws_checks(bad)


def test_explain_lists_aws_checks_beside_other_tools() -> None:
    from click.testing import CliRunner

    from hadr_lint.cli import main

    out = CliRunner().invoke(main, ["explain", "HA008"]).output
    assert "checkov: none" in out
    assert "Trusted Advisor check: NAT Gateway AZ Independence" in out
    out = CliRunner().invoke(main, ["explain", "DR006"]).output
    assert "AWS Config managed rule: dynamodb-pitr-enabled (partly: DR006 accepts" in out


def test_docs_check_names_stale_docs(tmp_path, monkeypatch) -> None:
    from hadr_lint import docs

    assert docs.main(["--check"]) == 0
    (tmp_path / "rules.md").write_text("old\n", encoding="utf-8")
    (tmp_path / "coverage.md").write_text(docs.coverage_markdown(), encoding="utf-8")
    monkeypatch.setattr(docs, "DOCS", tmp_path)
    assert docs.stale() == ["rules.md"]
    assert docs.main(["--check"]) == 1


def test_every_rule_has_references_and_known_options() -> None:
    from hadr_lint.config import Config
    from hadr_lint.docs import OPTIONS, rule_docs

    entries = rule_docs()
    assert {r.id for r in all_rules()} == set(entries)
    fields = set(Config.__dataclass_fields__)
    for rule_id, entry in entries.items():
        assert entry.get("references"), rule_id
        assert all(r.startswith("https://") for r in entry["references"]), rule_id
        for option in entry.get("options") or []:
            assert option in OPTIONS and option in fields, (rule_id, option)


def test_explain_shows_options_and_references() -> None:
    from click.testing import CliRunner

    from hadr_lint.cli import main

    out = CliRunner().invoke(main, ["explain", "HA001"]).output
    assert "## Options\n\n- `min_azs` (default 3)" in out
    assert "## References\n\n- https://docs.aws.amazon.com/autoscaling/" in out
    assert "- AWS Config managed rule: `autoscaling-multiple-az`" in out
