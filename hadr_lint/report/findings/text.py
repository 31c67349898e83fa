"""Text report for people: findings grouped by file, ``path:line: ID message [resource]
(severity)``, each rule followed once by how to learn more, then a summary line.

``View`` says how: colour (``report.style``), ``--statistics`` (counts per rule instead of the
list), ``--quiet`` (findings only), ``--verbose`` (every note, not condensed), and whether the
notes go with the report or apart (the command line writes them to standard error).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from hadr_lint.report.escape import workflow_safe
from hadr_lint.report.findings.external import text_lines, text_summary
from hadr_lint.report.findings.notes import condensed
from hadr_lint.report.style import Style, plain
from hadr_lint.result import ScanResult
from hadr_lint.ruleutil import plural


@dataclass(frozen=True)
class View:
    style: Style = field(default_factory=Style)
    statistics: bool = False
    quiet: bool = False
    verbose: bool = False
    notes_apart: bool = False  # notes are written elsewhere (standard error): not in render()


def render(result: ScanResult, show_unknown: bool = False, view: View | None = None) -> str:
    view = view or View()
    lines = statistics(result, view.style) if view.statistics else findings(result, view)
    if result.external:
        lines += text_lines(result)
    if view.quiet:
        return "".join(f"{line}\n" for line in lines)
    if show_unknown:
        for note in result.unknowns:
            lines.append(f"{view.style.path(note.file)}:{note.line}: {plain(note.rule_id)} "
                         f"unverified: {plain(note.reason)} [{plain(note.resource)}]")
    if not view.notes_apart:
        lines += note_lines(result, view)
    for entry in result.fixed:
        lines.append(f"fixed: {entry['file']}: {entry['rule']} {entry['message']} "
                     f"[{entry['resource']}] (remove it from the baseline)")
    if result.external:
        lines += text_summary(result)
    lines.append(summary(result, show_unknown))
    return "\n".join(workflow_safe(line) for line in lines) + "\n"


def findings(result: ScanResult, view: View) -> list[str]:
    """Each file's findings and errors together, files apart by a blank line; the first finding
    of each rule is followed by ``hadr-lint explain ID`` (not with ``--quiet``)."""
    style, explained = view.style, set()
    by_file: dict[str, list[tuple[int, int, str]]] = {}
    for f in result.findings:
        text = (f"{style.path(f.file)}:{f.line}: {style.rule(f.rule_id, f.severity)} "
                f"{plain(f.message)} [{plain(f.resource)}] ({style.severity(f.severity)})")
        if f.rule_id not in explained and not view.quiet:
            explained.add(f.rule_id)
            text += "\n" + style.dim(f"  help: hadr-lint explain {f.rule_id}")
        by_file.setdefault(f.file, []).append((f.line, 0, text))
    if not view.quiet:
        for error in result.errors:
            by_file.setdefault(error.file, []).append((error.line or 0, 1, error_line(error,
                                                                                      style)))
    lines: list[str] = []
    for file in sorted(by_file):
        if lines:
            lines.append("")
        lines += [text for _, _, text in sorted(by_file[file], key=lambda e: (e[0], e[1]))]
    return lines


def error_line(error, style: Style | None = None) -> str:
    style = style or Style()
    where = f"{style.path(error.file)}:{error.line}" if error.line else style.path(error.file)
    return f"{where}: {style.error('error')}: {plain(error.message)}"


def statistics(result: ScanResult, style: Style) -> list[str]:
    """``--statistics``: findings per rule, most first, as ruff prints them; file errors after."""
    counts = Counter(f.rule_id for f in result.findings)
    first: dict[str, Any] = {}
    for f in result.findings:
        first.setdefault(f.rule_id, f)
    lines = []
    for rule_id, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        f = first[rule_id]
        pad = " " * max(0, 6 - len(rule_id))  # padded outside the colour codes
        lines.append(f"{count:>5}  {style.rule(rule_id, f.severity)}{pad}  {f.rule_name:<30} "
                     f"[{style.severity(f.severity)}]")
    return lines + [error_line(e, style) for e in result.errors]


def note_lines(result: ScanResult, view: View) -> list[str]:
    notes = list(result.notes) if view.verbose else condensed(result.notes)
    lines = [f"note: {plain(note)}" for note in notes]
    if len(notes) < len(result.notes):
        lines.append("note: --verbose lists every note")
    return lines


def summary(result: ScanResult, show_unknown: bool) -> str:
    counts = ", ".join(plural(result.count(s), s) for s in ("error", "warning", "note"))
    text = (
        f"{plural(len(result.findings), 'finding')} ({counts}) "
        f"in {plural(len(result.resources), 'resource')} from "
        f"{plural(len(result.files), 'file')}; {plural(len(result.unknowns), 'check')} unverified"
    )
    if result.unknowns and not show_unknown:
        text += " (--show-unknown lists them)"
    if result.errors:
        text += f"; {plural(len(result.errors), 'file error')}"
    if result.suppressed:
        text += f"; {len(result.suppressed)} suppressed"
    if result.baselined or result.fixed:
        text += f"; {len(result.baselined)} in the baseline, {len(result.fixed)} fixed since"
    if result.configs:
        text += f"; configuration: {', '.join(result.configs)}"
    return text
