"""What the posture report's Markdown and HTML both say, written once; each passes its own
escaping (``escape.md_text`` or ``escape.html_text``) for the repository's parts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hadr_lint.objectives.estimate import NO_STORES
from hadr_lint.ruleutil import plural

SCOPE_NAMES = {"az": "AZ loss", "region": "region loss"}
Escape = Callable[[Any], str]


def summary_line(summary: dict[str, Any]) -> str:
    """The counts under the title (numbers only: nothing to escape)."""
    return (f"{plural(summary['resources'], 'resource')} from {plural(summary['files'], 'file')}"
            f"; {plural(summary['findings'], 'finding')} ({plural(summary['errors'], 'error')}, "
            f"{plural(summary['warnings'], 'warning')}, {plural(summary['notes'], 'note')}); "
            f"{plural(summary['unverified'], 'check')} unverified.")


def regions_sentence(regions: dict[str, Any], escape: Escape) -> str:
    """``Primary region eu-west-1 (--region); DR regions: eu-central-1.``"""
    if regions["primary"] is None:
        return f"Primary region unknown ({escape(regions['primary_unknown'])})."
    dr = ", ".join(escape(r) for r in regions["dr"]) or "none"
    return (f"Primary region {escape(regions['primary'])} ({escape(regions['primary_source'])}); "
            f"DR regions: {dr}.")


def estimate_cell(found: dict[str, Any], escape: Escape) -> tuple[str, str]:
    """An estimate in the workload table: how to show it (``muted``: no stateful store,
    ``unknown`` or ``estimate``) and its text, escaped."""
    if found["unknown_reason"] == NO_STORES:
        return "muted", "n/a (no stateful store)"
    if found["text"] == "unknown":
        return "unknown", f"unknown: {escape(found['unknown_reason'])}"
    return "estimate", escape(found["text"])
