"""Progress of long steps on standard error, only when standard error is a terminal.

Nothing is written when stderr is redirected (CI logs, pre-commit, ``2>file``), and never to
standard output, so machine-readable output stays clean.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

INTERVAL = 0.1  # seconds between redraws


class Progress:
    """``with Progress(total, "parsing") as p: ... p.advance()`` draws ``parsing 12/500``."""

    def __init__(self, total: int, label: str, stream: TextIO | None = None) -> None:
        self.total = total
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.done = 0
        self.shown = False
        self.last = 0.0
        try:
            self.active = bool(self.stream.isatty())
        except (AttributeError, ValueError):
            self.active = False

    def __enter__(self) -> Progress:
        return self

    def advance(self, count: int = 1) -> None:
        self.done = min(self.total, self.done + count)
        now = time.monotonic()
        if self.active and (now - self.last >= INTERVAL or self.done == self.total):
            self.last = now
            self.stream.write(f"\r{self.label} {self.done}/{self.total}")
            self.stream.flush()
            self.shown = True

    def __exit__(self, *exc: object) -> None:
        if self.shown:
            self.stream.write("\r\033[K")  # erase the line
            self.stream.flush()
