"""Terminal colour for the text report: whether to use it, and how each part looks.

``--color auto`` (the default) colours only a terminal; ``NO_COLOR`` (any non-empty value) turns
it off and ``FORCE_COLOR`` (any non-empty value) on, as no-color.org and force-color.org ask;
``--color always`` / ``never`` override both. Repository-controlled text (paths, messages,
resource names) is never interpreted: ANSI escapes in it are shown, not obeyed (``plain``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import IO

import click

from hadr_lint.report.escape import printable

CHOICES = ("auto", "always", "never")
SEVERITY_COLOUR = {"error": "red", "warning": "yellow", "note": "cyan"}


def wants_colour(choice: str, stream: IO | None, environ: Mapping[str, str] = os.environ) -> bool:
    """Colour for ``stream``: ``--color`` first, then NO_COLOR, FORCE_COLOR, then a terminal."""
    if choice != "auto":
        return choice == "always"
    if environ.get("NO_COLOR"):
        return False
    if environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def plain(text: str) -> str:
    """``text`` from the repository with control characters (ANSI escapes, carriage returns,
    line breaks, bidirectional overrides) made visible (``escape.printable``), so a file name or
    tag value cannot recolour or rewrite the terminal or add lines to the output."""
    return printable(text)


@dataclass(frozen=True)
class Style:
    on: bool = False

    def _paint(self, text: str, **how) -> str:
        return click.style(text, **how) if self.on else text

    def path(self, text: str) -> str:
        return self._paint(plain(text), bold=True)

    def rule(self, rule_id: str, severity: str) -> str:
        return self._paint(plain(rule_id), fg=SEVERITY_COLOUR.get(severity), bold=True)

    def severity(self, severity: str) -> str:
        return self._paint(severity, fg=SEVERITY_COLOUR.get(severity))

    def error(self, text: str) -> str:
        return self._paint(text, fg="red", bold=True)

    def dim(self, text: str) -> str:
        return self._paint(text, dim=True)
