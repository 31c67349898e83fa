"""Text report: ``path:line: ID message [resource]`` and a summary line."""

from __future__ import annotations

from hadr_lint.report.escape import text_line
from hadr_lint.report.external import text_lines, text_summary
from hadr_lint.result import ScanResult


def render(result: ScanResult, show_unknown: bool = False) -> str:
    lines = [
        f"{f.file}:{f.line}: {f.rule_id} {f.message} [{f.resource}] ({f.severity})"
        for f in result.findings
    ]
    if result.external:
        lines += text_lines(result)
    for error in result.errors:
        where = f"{error.file}:{error.line}" if error.line else error.file
        lines.append(f"{where}: error: {error.message}")
    if show_unknown:
        for note in result.unknowns:
            lines.append(
                f"{note.file}:{note.line}: {note.rule_id} unverified: {note.reason} "
                f"[{note.resource}]"
            )
    for note in result.notes:
        lines.append(f"note: {note}")
    for entry in result.fixed:
        lines.append(f"fixed: {entry['file']}: {entry['rule']} {entry['message']} "
                     f"[{entry['resource']}] (remove it from the baseline)")
    if result.external:
        lines += text_summary(result)
    lines.append(summary(result, show_unknown))
    return "\n".join(text_line(line) for line in lines) + "\n"


def summary(result: ScanResult, show_unknown: bool) -> str:
    counts = ", ".join(
        f"{result.count(s)} {s}{'s' if result.count(s) != 1 else ''}"
        for s in ("error", "warning", "note")
    )
    text = (
        f"{len(result.findings)} finding{'s' if len(result.findings) != 1 else ''} ({counts}) "
        f"in {len(result.resources)} resources from {len(result.files)} files; "
        f"{len(result.unknowns)} checks unverified"
    )
    if result.unknowns and not show_unknown:
        text += " (--show-unknown lists them)"
    if result.errors:
        text += f"; {len(result.errors)} file errors"
    if result.suppressed:
        text += f"; {len(result.suppressed)} suppressed"
    if result.baselined or result.fixed:
        text += f"; {len(result.baselined)} in the baseline, {len(result.fixed)} fixed since"
    if result.configs:
        text += f"; configuration: {', '.join(result.configs)}"
    return text
