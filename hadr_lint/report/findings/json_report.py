"""JSON report: exactly one object, stable key order, deterministic."""

from __future__ import annotations

import dataclasses
import json

from hadr_lint import __version__
from hadr_lint.result import ScanResult


def as_dict(result: ScanResult) -> dict:
    return {
        "version": 1,
        "tool": {"name": "hadr-lint", "version": __version__},
        "findings": [dataclasses.asdict(f) for f in result.findings],
        "unknowns": [dataclasses.asdict(u) for u in result.unknowns],
        "errors": [dataclasses.asdict(e) for e in result.errors],
        "notes": list(result.notes),
        "suppressed": [s.as_dict() for s in result.suppressed],
        "baselined": [dataclasses.asdict(f) for f in result.baselined],
        "fixed": [dict(f) for f in result.fixed],
        "summary": {
            **result.counts(),
            "suppressed": len(result.suppressed),
            "baselined": len(result.baselined),
            "fixed": len(result.fixed),
        },
    }


def render(result: ScanResult, show_unknown: bool = False) -> str:
    data = as_dict(result)
    if result.external:  # --with-checkov: other tools' results, kept apart from hadr-lint's
        data["external"] = [run.as_dict() for run in result.external]
    return json.dumps(data, indent=2, sort_keys=False) + "\n"
