"""Helpers the recovery-objective rules (OB001-OB005) share: the per-workload assessment, and
how declared values and estimates read in messages."""

from __future__ import annotations

from hadr_lint.objectives.assess import Assessment, assess
from hadr_lint.objectives.durations import format_duration
from hadr_lint.objectives.estimate import SCOPE_TEXT, Estimate

__all__ = ["Assessment", "assess", "because", "declared_text", "workload_label"]


def workload_label(assessment: Assessment) -> str:
    name = assessment.workload.name
    return "the default workload" if name == "default" else f"workload {name}"


def declared_text(seconds: float) -> str:
    return format_duration(seconds)


def because(estimate: Estimate, limit: int = 4, on: str = "") -> str:
    """The evidence chain in one line: ``a: 30s; b: 1m``; evidence about the resource the
    finding is ``on`` does not name it again."""
    parts = [e.contribution + (f" [{e.resource}]" if e.resource and e.resource != on else "")
             for e in estimate.evidence][:limit]
    return "; ".join(parts)


def scope_text(scope: str) -> str:
    return SCOPE_TEXT[scope]
