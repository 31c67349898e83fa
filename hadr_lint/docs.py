"""Generate ``docs/rules.md`` from the rules' metadata and docstrings: one source for the docs,
``hadr-lint rules``, ``explain`` and SARIF. Run ``python -m hadr_lint.docs > docs/rules.md``.

``docs/coverage.md`` (``python -m hadr_lint.docs coverage > docs/coverage.md``) comes from
``hadr_lint/data/coverage.yaml``: which hadr-lint rules decide each resilience check AWS Config
and Trusted Advisor run after deployment."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from hadr_lint.rulebase import LoadedRule, all_rules
from hadr_lint.suppress import pseudo_rules

COVERAGE = Path(__file__).resolve().parent / "data" / "coverage.yaml"
SOURCES = {"aws_config": "AWS Config managed rule", "trusted_advisor": "Trusted Advisor check"}
VERDICTS = ("rules", "planned", "runtime", "out_of_scope")


@dataclass(frozen=True)
class AwsCheck:
    """One resilience check AWS runs after deployment, and how hadr-lint decides it."""

    source: str  # a key of SOURCES
    id: str
    checks: str
    rules: tuple[str, ...]
    gap: str = ""
    planned: str = ""
    runtime: str = ""
    out_of_scope: str = ""

    @property
    def status(self) -> str:
        if self.rules:
            return "partly" if self.gap else "decided"
        return next(v for v in VERDICTS[1:] if getattr(self, v)).replace("_", " ")

    @property
    def detail(self) -> str:
        return self.gap or self.planned or self.runtime or self.out_of_scope


def aws_checks(path: Path = COVERAGE) -> list[AwsCheck]:
    """The entries of ``coverage.yaml``; each has rules or exactly one reason it has none."""
    import yaml  # lazy: only `explain` and the docs generator read the table

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    found = []
    for source, entries in data.items():
        for entry in entries:
            reasons = [v for v in VERDICTS[1:] if entry.get(v)]
            if bool(entry.get("rules")) == bool(reasons) or len(reasons) > 1:
                raise ValueError(f"{path}: {entry.get('id')}: give rules or one reason")
            found.append(AwsCheck(source=source, rules=tuple(entry.pop("rules", ())), **entry))
    return found


def aws_checks_for(rule_id: str) -> list[AwsCheck]:
    return [c for c in aws_checks() if rule_id in c.rules]


def coverage_markdown(checks: list[AwsCheck] | None = None) -> str:
    checks = checks if checks is not None else aws_checks()
    lines = ["# Coverage: AWS's own resilience checks, decided from code", "",
             "AWS checks resilience after deployment (AWS Config managed rules, Trusted Advisor's "
             "fault-tolerance checks). This table says which hadr-lint rule decides the same "
             "thing from Terraform or CloudFormation before anything exists, or why none does. "
             "Generated from `hadr_lint/data/coverage.yaml` by "
             "`python -m hadr_lint.docs coverage > docs/coverage.md`; do not edit by hand."]
    for source, title in SOURCES.items():
        lines += ["", f"## {title}s", "", "| check | what AWS checks | hadr-lint | status | note |",
                  "|---|---|---|---|---|"]
        for c in (c for c in checks if c.source == source):
            rules = ", ".join(f"[{r}](rules.md#{_anchor(r)})" for r in c.rules) or "–"
            lines.append(f"| `{c.id}` | {c.checks} | {rules} | {c.status} | {c.detail} |")
    return "\n".join(lines) + "\n"


def _anchor(rule_id: str) -> str:
    rule = next((r for r in all_rules() if r.id == rule_id), None)
    return f"{rule_id.lower()}-{rule.meta.name}" if rule else rule_id.lower()


def rule_markdown(rule: LoadedRule) -> str:
    meta = rule.meta
    title, _, body = rule.doc.partition("\n")
    kinds = f" · kinds: {', '.join(f'`{k}`' for k in meta.kinds)}" if meta.kinds else ""
    lines = [
        f"## {meta.id} {meta.name}",
        "",
        f"*{title.strip()}*",
        "",
        f"Severity: **{meta.severity}** · scope: **{meta.scope}**{kinds} · tags: "
        f"{', '.join(meta.tags)}",
        "",
    ]
    if meta.equivalents:
        pairs = "; ".join(f"{tool}: {ids}" for tool, ids in sorted(meta.equivalents.items()))
        lines += [f"Equivalent checks in other tools: {pairs}", ""]
    aws = [f"{SOURCES[c.source]} `{c.id}`" + (" (partly)" if c.gap else "")
           for c in aws_checks_for(meta.id)]
    if aws:
        lines += [f"AWS checks the same after deployment: {'; '.join(aws)} "
                  "([coverage](coverage.md))", ""]
    lines += [("\n" + body.strip()).replace("\n## ", "\n### ").strip(), ""]
    lines += options_and_references(meta.id, "###")
    return "\n".join(lines)


RULE_DOCS = Path(__file__).resolve().parent / "data" / "rule_docs.yaml"
OPTIONS = {
    "min_azs": "`min_azs` (default 3): how many Availability Zones a spread needs, capped by the "
               "AZs the region has",
    "objectives": "`objectives` (strategy, RPO, RTO, `primary_region`, `dr_regions`): what the "
                  "workload must survive; region rules that need a strategy run only with one",
    "workloads": "`workloads`: folders with objectives of their own",
    "strategies": "`strategies`: the floors of each strategy (OB002)",
    "recovery_steps": "`recovery_steps`: the time of each recovery step (RTO estimates, OB002's "
                      "RTO floors)",
}


def rule_docs(path: Path = RULE_DOCS) -> dict:
    import yaml  # lazy: only the docs generator and `explain` read it

    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def options_and_references(rule_id: str, heading: str) -> list[str]:
    """The ``Options`` and ``References`` sections of a rule's documentation."""
    entry = rule_docs().get(rule_id) or {}
    lines = []
    if entry.get("options"):
        lines += [f"{heading} Options", ""] + [f"- {OPTIONS[o]}" for o in entry["options"]]
        lines.append("")
    references = list(entry.get("references") or [])
    references += [f"{SOURCES[c.source]}: `{c.id}`" for c in aws_checks_for(rule_id)]
    if references:
        lines += [f"{heading} References", ""] + [f"- {r}" for r in references] + [""]
    return lines


def rules_markdown(rules: list[LoadedRule] | None = None) -> str:
    rules = rules if rules is not None else all_rules() + pseudo_rules()
    head = [
        "# hadr-lint rules",
        "",
        "Generated from the rule modules by `python -m hadr_lint.docs > docs/rules.md`; "
        "do not edit by hand.",
        "",
        "| id | name | severity | scope | what it reports |",
        "|---|---|---|---|---|",
    ]
    head += [
        f"| [{r.id}](#{r.id.lower()}-{r.meta.name}) | {r.meta.name} | {r.meta.severity} "
        f"| {r.meta.scope} | {r.meta.short} |"
        for r in rules
    ]
    return "\n".join(head) + "\n\n" + "\n".join(rule_markdown(r) for r in rules)


DOCS = Path(__file__).resolve().parent.parent / "docs"


def stale() -> list[str]:
    """The generated docs whose committed text differs from what the generator writes."""
    pairs = (("rules.md", rules_markdown), ("coverage.md", coverage_markdown))
    return [name for name, make in pairs
            if not (DOCS / name).is_file() or (DOCS / name).read_text(encoding="utf-8") != make()]


def main(args: list[str]) -> int:
    """``coverage``: print docs/coverage.md; ``--check``: exit 1 naming stale docs; else print
    docs/rules.md."""
    if args == ["--check"]:
        for name in stale():
            print(f"docs/{name} is stale: run python -m hadr_lint.docs"
                  f"{' coverage' if name == 'coverage.md' else ''} > docs/{name}", file=sys.stderr)
        return 1 if stale() else 0
    print(coverage_markdown() if args == ["coverage"] else rules_markdown(), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
