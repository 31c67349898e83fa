"""Formatters: each turns one ScanResult into text. Chosen with ``--format``."""

from __future__ import annotations

from collections.abc import Callable

from hadr_lint.engine import ScanResult


def formatter(name: str) -> Callable[[ScanResult, bool], str]:
    if name == "json":
        from hadr_lint.report.json_report import render
    else:
        from hadr_lint.report.text import render
    return render


FORMATS = ("text", "json")
