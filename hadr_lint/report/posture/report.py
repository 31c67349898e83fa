"""The recovery posture report (``hadr-lint report``): one dict built from a ScanResult, rendered
as Markdown (a pull-request comment), HTML (one self-contained page) or JSON.

Per workload: the declared objectives and where each came from; the estimated RPO and RTO for an
Availability Zone loss and a region loss with their evidence chains; a table of the stateful
stores and their protection (Multi-AZ, backups, cross-region copy, human error); the strategy's
building blocks. Then every finding of the scan. Deterministic: everything is sorted, nothing
depends on the clock.
"""

from __future__ import annotations

import json
import math
from typing import Any

from hadr_lint import __version__
from hadr_lint.analysis.protection import (
    automated_backup_days,
    backup_plans,
    efs_automatic_backups,
    point_in_time_recovery,
    zone_redundancy,
)
from hadr_lint.analysis.recoverability import recoverability
from hadr_lint.analysis.store_classes import describe, store_class
from hadr_lint.model import Resource, Unknown
from hadr_lint.objectives.assess import Assessment, assess
from hadr_lint.objectives.durations import format_duration
from hadr_lint.objectives.estimate import SCOPES, Estimate, region
from hadr_lint.report.picture import for_report
from hadr_lint.report.posture.html import render_html
from hadr_lint.report.posture.markdown import COMMENT_LIMIT, render_markdown
from hadr_lint.ruleutil import plural

SCOPE_NAMES = {"az": "Availability Zone loss", "region": "region loss"}


def render(result, output_format: str = "markdown", max_length: int | None = None) -> str:
    """The report; Markdown is kept under ``max_length`` characters (None: GitHub's comment
    limit, 0: no limit), see ``markdown.render_markdown``."""
    data = as_dict(result)
    if output_format == "json":
        return json.dumps(data, indent=2) + "\n"
    data = dict(data, architecture=for_report(result, output_format))
    if output_format == "html":
        return render_html(data)
    return render_markdown(data, COMMENT_LIMIT if max_length is None else (max_length or None))


def as_dict(result) -> dict[str, Any]:
    graph, config = result.graph, result.config
    assessments = assess(graph, config) if graph is not None else []
    return {
        "version": 1,
        "tool": {"name": "hadr-lint", "version": __version__},
        "workloads": [_workload(graph, a, config) for a in assessments],
        "findings": [_finding(f) for f in result.findings],
        "summary": result.counts(),
    }


def _finding(finding) -> dict[str, Any]:
    return {
        "rule_id": finding.rule_id, "severity": finding.severity, "message": finding.message,
        "resource": finding.resource, "file": finding.file, "line": finding.line,
    }


def _workload(graph, assessment: Assessment, config: Any) -> dict[str, Any]:
    declared = assessment.workload.declared
    where = assessment.regions
    return {
        "name": assessment.workload.name,
        "declared": {
            "strategy": declared.strategy,
            "rpo": _seconds(declared.rpo), "rpo_text": _declared(declared.rpo),
            "rto": _seconds(declared.rto), "rto_text": _declared(declared.rto),
            "sources": dict(sorted(declared.sources.items())),
        },
        "regions": {
            "primary": where.primary if isinstance(where.primary, str) else None,
            "primary_unknown": where.primary.reason if isinstance(where.primary, Unknown)
            else None,
            "primary_source": where.source,
            "dr": list(where.dr),
        },
        "rpo": {scope: estimate_dict(assessment.rpo[scope]) for scope in SCOPES},
        "rto": {scope: estimate_dict(assessment.rto[scope]) for scope in SCOPES},
        "resources": len(assessment.workload.resources),
        "stores": [_store(graph, assessment, s, config) for s in assessment.stores]
        + [_aside(graph, s, config) for s in assessment.set_aside],
        "blocks": [{
            "strategy": b.strategy, "name": b.name, "resource": b.resource.name,
            "status": _status(b.present), "detail": b.detail,
        } for b in assessment.blocks],
    }


def _declared(seconds: float | None) -> str:
    return "not declared" if seconds is None else format_duration(seconds)


def _seconds(value: float | None) -> Any:
    if value is None:
        return None
    return "unbounded" if math.isinf(value) else value


def _status(present: Any) -> str:
    if present is True:
        return "present"
    return "unknown" if isinstance(present, Unknown) else "missing"


def estimate_dict(found: Estimate) -> dict[str, Any]:
    return {
        "seconds": _seconds(found.value_seconds),
        "text": format_duration(found.value_seconds) if found.known else "unknown",
        "unknown_reason": found.unknown_reason,
        "summary": found.summary,
        "evidence": [{
            "resource": e.resource, "file": e.file, "line": e.line, "attribute": e.attribute,
            "contribution": e.contribution,
        } for e in found.evidence],
    }


# ----- stores ------------------------------------------------------------------------------------
def _store(graph, assessment: Assessment, store: Resource, config: Any) -> dict[str, Any]:
    own = region(store, config)
    rpo_az = assessment.store_rpo["az"][store.address]
    rpo_region = assessment.store_rpo["region"][store.address]
    return {
        "resource": store.name, "kind": store.kind, "file": store.location.file,
        "line": store.location.line,
        "class": describe(store_class(graph, store, config)),
        "region": own if isinstance(own, str) else "unknown",
        "multi_az": _multi_az(store),
        "backups": _backups(graph, store),
        "cross_region_copy": _copy(rpo_region),
        "rpo_az": rpo_az.text if rpo_az.known else "unknown",
        "rpo_region": rpo_region.text if rpo_region.known else "unknown",
        "human_error": _human(graph, store),
        "evidence": {"rpo_az": estimate_dict(rpo_az)["evidence"],
                     "rpo_region": estimate_dict(rpo_region)["evidence"]},
    }


def _aside(graph, store: Resource, config: Any) -> dict[str, Any]:
    """A store the objectives leave out (logs, caches, artifacts): listed with its class, its
    RPO not counted."""
    own = region(store, config)
    kind = store_class(graph, store, config)
    skipped = f"not counted ({kind})"
    return {
        "resource": store.name, "kind": store.kind, "file": store.location.file,
        "line": store.location.line, "class": describe(kind),
        "region": own if isinstance(own, str) else "unknown",
        "multi_az": _multi_az(store), "backups": _backups(graph, store),
        "cross_region_copy": skipped, "rpo_az": skipped, "rpo_region": skipped,
        "human_error": _human(graph, store), "evidence": {"rpo_az": [], "rpo_region": []},
    }


MULTI_AZ = {"standby": "yes (synchronous standby)", "cluster": "yes (cluster storage)",
            "regional": "yes (regional service)"}


def _multi_az(store: Resource) -> str:
    """The Multi-AZ cell, from the fact the AZ-loss RPO reads (``analysis.protection``)."""
    found = zone_redundancy(store)
    if isinstance(found, Unknown):
        return "unknown"
    if found == "single":
        return "no (One Zone)" if store.kind == "efs_file_system" else "no"
    return MULTI_AZ[found]


def _backups(graph, store: Resource) -> str:
    """The backups cell, from the facts the RPO estimates read (``analysis.protection``)."""
    found = []
    days = automated_backup_days(store)
    if isinstance(days, Unknown):
        found.append("automated backups unknown")
    elif days:
        found.append(f"automated backups {plural(days, 'day')}")
    pitr = point_in_time_recovery(store)
    if pitr is True or isinstance(pitr, Unknown):
        found.append("PITR" if pitr is True else "PITR unknown")
    automatic = efs_automatic_backups(graph, store)
    if automatic is True or isinstance(automatic, Unknown):
        found.append("EFS automatic backups" + ("" if automatic is True else " unknown"))
    plans, covered = backup_plans(graph, store)
    names = sorted({p.name for p in plans})
    if names:
        found.append("AWS Backup " + ", ".join(names))
    elif isinstance(covered, Unknown):
        found.append("AWS Backup unknown")
    elif covered is True:
        found.append("AWS Backup (plan not scanned)")
    return "; ".join(found) or "none"


def _copy(found: Estimate) -> str:
    if not found.known:
        return "unknown"
    if found.value_seconds is not None and math.isinf(found.value_seconds) and \
            not found.summary.startswith("S3"):
        return "none"
    return found.summary


def _human(graph, store: Resource) -> str:
    found = recoverability(graph, store)
    parts = []
    protected = found.get("protected")
    if protected is True:
        parts.append("deletion protection")
    elif protected is False:
        parts.append("no deletion protection")
    earliest = found.get("earliest")
    parts.append(f"restore back {earliest}" if earliest else "no restore point")
    survives = found.get("survives_deletion")
    if survives is False:
        parts.append("nothing survives a delete")
    elif survives is None:
        parts.append("survival of a delete unknown")
    return "; ".join(parts)
