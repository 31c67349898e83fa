"""Shell completion of rule ids for ``explain``, ``--select`` and ``--ignore`` (click's
completion, enabled as the README's "Shell completion" says). The rules are loaded only when
the shell asks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # click.shell_completion is imported only when a shell asks
    from click.shell_completion import CompletionItem


def _rules() -> list:
    # start-up: the rules load only when the shell asks (the CLI imports this module)
    from hadr_lint.rulebase import all_rules
    from hadr_lint.suppress import pseudo_rules

    return all_rules() + pseudo_rules()


def rule_id(ctx: Any, param: Any, incomplete: str) -> list[CompletionItem]:
    """Rule ids starting with ``incomplete`` (any case), each with its short description."""
    from click.shell_completion import CompletionItem  # start-up: only when a shell asks

    wanted = incomplete.upper()
    return [CompletionItem(r.id, help=r.meta.short) for r in _rules()
            if r.id.upper().startswith(wanted)]


def rule_ids(ctx: Any, param: Any, incomplete: str) -> list[CompletionItem]:
    """For comma-separated ``--select`` / ``--ignore`` values: the ids and the family prefixes
    (``HA``) that complete the last item, after the ones already typed."""
    from click.shell_completion import CompletionItem  # start-up: only when a shell asks

    done, comma, last = incomplete.rpartition(",")
    head = done + comma
    typed = {p.strip().upper() for p in done.split(",")}
    ids = [r.id for r in _rules()]
    families = sorted({i.rstrip("0123456789") for i in ids})
    return [CompletionItem(head + name) for name in families + ids
            if name.upper().startswith(last.upper()) and name.upper() not in typed]
