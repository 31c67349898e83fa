"""SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

One run. ``tool.driver.rules`` lists every selected rule with its documentation; results carry a
repository-relative location (``uriBaseId`` ``%SRCROOT%``: the git work tree holding the current
folder, else the current folder) and a ``partialFingerprints`` entry that hashes rule, file,
resource and message (not the line), so a finding keeps its identity when unrelated lines move.
Reliability rules set ``properties["problem.severity"]``, never ``security-severity``: these are
not security alerts. Suppressed findings stay in the log with ``suppressions`` (``inSource`` for
comments and Metadata, ``external`` for the baseline). Files that could not be read or parsed go
to ``invocations[0].toolExecutionNotifications`` and make ``executionSuccessful`` false.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from hadr_lint import __version__
from hadr_lint.model import Finding
from hadr_lint.report.escape import uri_path
from hadr_lint.report.findings.external import sarif_runs
from hadr_lint.result import ScanResult

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/hadr-lint/hadr-lint"
SRCROOT = "%SRCROOT%"
PROBLEM_SEVERITY = {"error": "error", "warning": "warning", "note": "recommendation"}
FINGERPRINT_KEY = "hadrLintFinding/v1"


def source_root(start: Path | None = None) -> Path:
    """The git work tree holding ``start`` (default: the current folder), else ``start``."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return here


class _Locator:
    def __init__(self, root: Path) -> None:
        self.root = root

    def artifact(self, file: str) -> dict[str, Any]:
        """A file, or a folder (a workload-level finding: its URI ends with ``/``)."""
        real = Path(file).resolve()
        folder = "/" if real.is_dir() else ""
        if real == self.root or self.root in real.parents:
            relative = Path(os.path.relpath(real, self.root)).as_posix()
            return {"uri": uri_path(relative).rstrip("/") + folder, "uriBaseId": SRCROOT}
        return {"uri": real.as_uri().rstrip("/") + folder}

    def physical(self, file: str, line: int | None, end_line: int | None = None) -> dict:
        location: dict[str, Any] = {"artifactLocation": self.artifact(file)}
        if line and line > 0:
            location["region"] = {"startLine": line, "endLine": max(line, end_line or line)}
        return location


def rule_descriptor(rule) -> dict[str, Any]:
    meta = rule.meta
    doc = rule.doc or meta.short
    tags = list(dict.fromkeys([*meta.tags, "reliability", f"scope:{meta.scope}"]))
    return {
        "id": meta.id,
        "name": meta.name,
        "shortDescription": {"text": meta.short},
        "fullDescription": {"text": meta.description or meta.short},
        "help": {"text": doc, "markdown": doc},
        "helpUri": meta.help_url,
        "defaultConfiguration": {"level": meta.severity},
        "properties": {
            "tags": tags,
            "problem.severity": PROBLEM_SEVERITY[meta.severity],
            "precision": "high",
            "scope": meta.scope,
        },
    }


def fingerprint(finding: Finding, uri: str) -> str:
    text = "\x1f".join((finding.rule_id, uri, finding.resource, finding.message))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _result(finding: Finding, index: dict[str, int], where: _Locator) -> dict[str, Any]:
    physical = where.physical(finding.file, finding.line, finding.end_line)
    result: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "level": finding.severity,
        "message": {"text": f"{finding.message} [{finding.resource}]"},
        "locations": [{
            "physicalLocation": physical,
            "logicalLocations": [{"fullyQualifiedName": finding.resource, "kind": "resource"}],
        }],
        "partialFingerprints": {
            FINGERPRINT_KEY: fingerprint(finding, physical["artifactLocation"]["uri"]),
        },
        "properties": {"resource": finding.resource, "resourceType": finding.resource_type,
                       "scope": finding.scope},
    }
    if finding.rule_id in index:
        result["ruleIndex"] = index[finding.rule_id]
    return result


def _suppressed(item, index: dict[str, int], where: _Locator) -> dict[str, Any]:
    result = _result(item.finding, index, where)
    suppression: dict[str, Any] = {
        "kind": "inSource",
        "status": "accepted",
        "location": {"physicalLocation": where.physical(item.suppression.file,
                                                        item.suppression.line)},
    }
    if item.suppression.reason:
        suppression["justification"] = item.suppression.reason
    result["suppressions"] = [suppression]
    return result


def _notification(error, where: _Locator, level: str = "error") -> dict[str, Any]:
    notification: dict[str, Any] = {
        "level": level,
        "message": {"text": error.message},
        "descriptor": {"id": "load-error"},
    }
    if Path(error.file).exists():
        notification["locations"] = [{"physicalLocation": where.physical(error.file, error.line)}]
    else:
        notification["message"]["text"] = f"{error.file}: {error.message}"
    return notification


def as_dict(result: ScanResult, root: Path | None = None) -> dict[str, Any]:
    where = _Locator(root or source_root())
    rules = list(result.rules)
    index = {rule.id: i for i, rule in enumerate(rules)}
    baseline_used = bool(result.baselined or result.fixed) or None
    results = []
    for finding in result.findings:
        item = _result(finding, index, where)
        if baseline_used:
            item["baselineState"] = "new"
        results.append(item)
    results += [_suppressed(s, index, where) for s in result.suppressed]
    for finding in result.baselined:
        item = _result(finding, index, where)
        item["baselineState"] = "unchanged"
        item["suppressions"] = [{"kind": "external", "status": "accepted",
                                 "justification": "accepted in the baseline file"}]
        results.append(item)
    notifications = [_notification(e, where) for e in result.errors]
    notifications += [{"level": "note", "message": {"text": n}} for n in result.notes]
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "hadr-lint",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [rule_descriptor(r) for r in rules],
            }},
            "invocations": [{
                "executionSuccessful": not result.errors,
                "toolExecutionNotifications": notifications,
            }],
            "originalUriBaseIds": {SRCROOT: {"uri": where.root.as_uri().rstrip("/") + "/"}},
            "columnKind": "unicodeCodePoints",
            "results": results,
            "properties": {
                "files": len(result.files),
                "resources": len(result.resources),
                "unverified": len(result.unknowns),
                "suppressed": len(result.suppressed),
                "baselined": len(result.baselined),
                "fixed": [dict(f) for f in result.fixed],
            },
        }],
    }


def render(result: ScanResult, show_unknown: bool = False) -> str:
    log = as_dict(result)
    if result.external:  # --with-checkov: one more run per tool, tool.driver.name "checkov"
        log["runs"] += sarif_runs(result, _Locator(source_root()))
    return json.dumps(log, indent=2) + "\n"
