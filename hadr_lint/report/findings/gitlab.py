"""GitLab Code Quality (``artifacts: reports: codequality``): a JSON array of issues.

Each finding becomes ``{description, check_name, fingerprint, severity, location: {path,
lines: {begin}}}``, the fields GitLab documents. ``path`` is relative to the repository root
(the same root as SARIF's ``%SRCROOT%``) and ``fingerprint`` is SARIF's partial fingerprint
(rule, file, resource and message, not the line), so a finding keeps its identity in GitLab's
merge-request comparison when unrelated lines move. Severities: a rule error is ``critical``, a
warning ``major``, a note ``minor``; a file that could not be read is ``blocker`` (nothing in it
was checked); with ``--show-unknown`` each unverified check is ``info``.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from hadr_lint.report.findings.sarif import fingerprint, source_root
from hadr_lint.result import ScanResult

SEVERITY = {"error": "critical", "warning": "major", "note": "minor"}
FILE_ERROR = "blocker"
UNVERIFIED = "info"


def repository_path(file: str, root: Path) -> tuple[str, str]:
    """``file`` relative to ``root`` in POSIX form (as given when it lies outside), and the URI
    SARIF names it by (its fingerprints hash that)."""
    real = Path(file).resolve()
    if real == root or root in real.parents:
        relative = Path(os.path.relpath(real, root)).as_posix()
        return relative, relative
    return Path(file).as_posix(), real.as_uri()


def _issue(description: str, check: str, fingerprint_: str, severity: str, path: str,
           line: int | None) -> dict[str, Any]:
    return {
        "description": description,
        "check_name": check,
        "fingerprint": fingerprint_,
        "severity": severity,
        "location": {"path": path, "lines": {"begin": line if line and line > 0 else 1}},
    }


def _hash(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


def issues(result: ScanResult, show_unknown: bool = False,
           root: Path | None = None) -> list[dict[str, Any]]:
    root = (root or source_root()).resolve()
    found = []
    for f in result.findings:
        path, uri = repository_path(f.file, root)
        found.append(_issue(f"{f.rule_id} {f.message} [{f.resource}]", f.rule_id,
                            fingerprint(f, uri), SEVERITY[f.severity], path, f.line))
    for error in result.errors:
        path, _ = repository_path(error.file, root)
        found.append(_issue(f"file not checked: {error.message}", "file-error",
                            _hash("file-error", path, error.message), FILE_ERROR, path,
                            error.line))
    if show_unknown:
        for note in result.unknowns:
            path, _ = repository_path(note.file, root)
            found.append(_issue(f"{note.rule_id} unverified: {note.reason} [{note.resource}]",
                                note.rule_id, _hash("unverified", note.rule_id, path,
                                                    note.resource, note.reason),
                                UNVERIFIED, path, note.line))
    return _unique(found)


def _unique(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """GitLab needs one fingerprint per issue: a repeat gets a numbered one."""
    seen: dict[str, int] = {}
    for issue in found:
        first = issue["fingerprint"]
        seen[first] = seen.get(first, 0) + 1
        if seen[first] > 1:
            issue["fingerprint"] = _hash(first, str(seen[first]))
    return found


def render(result: ScanResult, show_unknown: bool = False) -> str:
    return json.dumps(issues(result, show_unknown), indent=2) + "\n"
