"""Formatters: each turns one ScanResult into text. Chosen with ``--format``.

``FORMATS`` is the one registry: the command line's ``--format`` choices and the formatter
lookup both come from it. A module is imported only when its format is asked for.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hadr_lint.result import ScanResult

# name -> module with ``render(result, show_unknown) -> str``
FORMATS: dict[str, str] = {
    "text": "hadr_lint.report.text",
    "json": "hadr_lint.report.json_report",
    "sarif": "hadr_lint.report.sarif",
    "junit": "hadr_lint.report.junit",
    "github": "hadr_lint.report.github",
    "gitlab": "hadr_lint.report.gitlab",
}


def formatter(name: str) -> Callable[[ScanResult, bool], str]:
    """The ``render`` function of format ``name`` (a key of ``FORMATS``)."""
    return importlib.import_module(FORMATS[name]).render
