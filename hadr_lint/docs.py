"""Generate ``docs/rules.md`` from the rules' metadata and docstrings: one source for the docs,
``hadr-lint rules``, ``explain`` and SARIF. Run ``python -m hadr_lint.docs > docs/rules.md``."""

from __future__ import annotations

from hadr_lint.rulebase import LoadedRule, all_rules


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
    lines += [("\n" + body.strip()).replace("\n## ", "\n### ").strip(), ""]
    return "\n".join(lines)


def rules_markdown(rules: list[LoadedRule] | None = None) -> str:
    from hadr_lint.suppress import pseudo_rules

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


if __name__ == "__main__":
    print(rules_markdown(), end="")
