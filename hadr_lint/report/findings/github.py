"""GitHub Actions workflow commands: one annotation line per finding and per file error.

``::error file=main.tf,line=60,endLine=75,title=HA001::message`` shows the finding on the pull
request's diff without code scanning. Severities map to ``error``, ``warning`` and ``notice``.
"""

from __future__ import annotations

from hadr_lint.report.escape import printable, text_line
from hadr_lint.report.findings.text import summary
from hadr_lint.result import ScanResult

COMMAND = {"error": "error", "warning": "warning", "note": "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(command: str, message: str, file: str | None = None, line: int | None = None,
               end_line: int | None = None, title: str | None = None) -> str:
    props = []
    if file:
        props.append(f"file={_property(file)}")
    if line:
        props.append(f"line={line}")
        props.append(f"endLine={max(line, end_line or line)}")
    if title:
        props.append(f"title={_property(title)}")
    head = f"::{command} {','.join(props)}" if props else f"::{command}"
    return f"{head}::{_data(message)}"


def render(result: ScanResult, show_unknown: bool = False) -> str:
    """Repository text (file names, ids, messages) goes through ``escape.printable`` first: a
    line break in a file name is shown as ``\\n``, not passed on as ``%0A``."""
    p = printable
    lines = [
        annotation(COMMAND[f.severity], p(f"{f.message} [{f.resource}]"), p(f.file), f.line,
                   f.end_line, f.rule_id)
        for f in result.findings
    ]
    lines += [annotation("error", p(e.message), p(e.file), e.line, None, "hadr-lint: file error")
              for e in result.errors]
    if show_unknown:
        lines += [annotation("notice", p(f"unverified: {u.reason} [{u.resource}]"), p(u.file),
                             u.line, None, u.rule_id) for u in result.unknowns]
    lines.append(text_line(summary(result, show_unknown)))
    return "\n".join(lines) + "\n"
