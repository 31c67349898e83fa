"""Formatters: each turns one ScanResult into text. Chosen with ``--format``.

``FORMATS`` is the one registry: the command line's ``--format`` choices and the formatter
lookup both come from it. A module is imported only when its format is asked for.

Three products live here: ``findings/`` (the scan formatters ``FORMATS`` points at),
``posture/`` (``hadr-lint report``) and ``picture/`` (the architecture drawing, also
``hadr-lint graph``); ``escape`` and ``style`` are shared by all three.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hadr_lint.result import ScanResult

# name -> module with ``render(result, show_unknown) -> str``
FORMATS: dict[str, str] = {
    "text": "hadr_lint.report.findings.text",
    "json": "hadr_lint.report.findings.json_report",
    "sarif": "hadr_lint.report.findings.sarif",
    "junit": "hadr_lint.report.findings.junit",
    "github": "hadr_lint.report.findings.github",
    "gitlab": "hadr_lint.report.findings.gitlab",
}


def formatter(name: str) -> Callable[[ScanResult, bool], str]:
    """The ``render`` function of format ``name`` (a key of ``FORMATS``)."""
    return importlib.import_module(FORMATS[name]).render
