"""Formatters: each turns one ScanResult into text. Chosen with ``--format``."""

from __future__ import annotations

from collections.abc import Callable

from hadr_lint.result import ScanResult


def formatter(name: str) -> Callable[[ScanResult, bool], str]:
    if name == "json":
        from hadr_lint.report.json_report import render
    elif name == "sarif":
        from hadr_lint.report.sarif import render
    elif name == "junit":
        from hadr_lint.report.junit import render
    elif name == "github":
        from hadr_lint.report.github import render
    else:
        from hadr_lint.report.text import render
    return render


FORMATS = ("text", "json", "sarif", "junit", "github")
