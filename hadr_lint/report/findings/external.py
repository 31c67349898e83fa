"""Other tools' results (``ScanResult.external``, e.g. ``--with-checkov``) in the text and SARIF
reports; the JSON report uses ``ExternalRun.as_dict``. Data only: no integration is imported."""

from __future__ import annotations

import hashlib
from typing import Any

from hadr_lint.result import ExternalFinding, ExternalRun, ScanResult, check_id_order


def text_lines(result: ScanResult) -> list[str]:
    lines = []
    for external in result.external:
        for f in external.findings:
            lines.append(f"{f.file}:{f.line}: {f.check_id} {f.check_name} [{f.resource}] "
                         f"({f.severity}, from {f.tool})")
    return lines


def text_summary(result: ScanResult) -> list[str]:
    lines = []
    for external in result.external:
        dropped = ", ".join(f"{f.check_id} = {rule} on {f.resource}"
                            for f, rule in external.duplicates)
        text = (f"{external.tool} {external.version or '?'}: {len(external.findings)} "
                f"finding{'s' if len(external.findings) != 1 else ''} from "
                f"{len(external.checks)} HA/DR checks")
        if external.duplicates:
            text += f"; {len(external.duplicates)} dropped as duplicates ({dropped})"
        lines.append(text)
    return lines


def sarif_runs(result: ScanResult, where: Any) -> list[dict[str, Any]]:
    """One SARIF run per external tool, ``tool.driver.name`` the tool's name; ``where`` is
    ``report.findings.sarif``'s locator."""
    runs = []
    for external in result.external:
        ids = sorted({f.check_id for f in external.findings}, key=check_id_order)
        names = {f.check_id: f.check_name for f in external.findings}
        index = {check_id: i for i, check_id in enumerate(ids)}
        runs.append({
            "tool": {"driver": {
                "name": external.tool,
                "version": external.version or "unknown",
                "informationUri": external.information_uri,
                "rules": [_sarif_rule(external, i, names[i]) for i in ids],
            }},
            "invocations": [{
                "executionSuccessful": not external.errors,
                "toolExecutionNotifications": [
                    {"level": "error", "message": {"text": e}} for e in external.errors],
            }],
            "results": [_sarif_result(f, index, where) for f in external.findings],
            "properties": {"runBy": f"hadr-lint --with-{external.tool}",
                           "droppedDuplicates": len(external.duplicates)},
        })
    return runs


def _sarif_rule(external: ExternalRun, check_id: str, name: str) -> dict[str, Any]:
    return {
        "id": check_id,
        "name": check_id,
        "shortDescription": {"text": name or check_id},
        "fullDescription": {"text": name or check_id},
        "help": {"text": name or check_id, "markdown": name or check_id},
        "helpUri": external.help_uri,
        "defaultConfiguration": {"level": external.default_severity},
        "properties": {"tags": ["reliability", external.tool]},
    }


def _sarif_result(f: ExternalFinding, index: dict[str, int], where: Any) -> dict[str, Any]:
    physical = where.physical(f.file, f.line, f.end_line)
    uri = physical["artifactLocation"]["uri"]
    digest = hashlib.sha256("\x1f".join((f.check_id, uri, f.resource)).encode()).hexdigest()
    return {
        "ruleId": f.check_id,
        "ruleIndex": index[f.check_id],
        "level": f.severity,
        "message": {"text": f"{f.check_name} [{f.resource}] (from {f.tool})"},
        "locations": [{
            "physicalLocation": physical,
            "logicalLocations": [{"fullyQualifiedName": f.resource, "kind": "resource"}],
        }],
        "partialFingerprints": {f"{f.tool}Finding/v1": digest[:32]},
        "properties": {"resource": f.resource, "tool": f.tool},
    }
