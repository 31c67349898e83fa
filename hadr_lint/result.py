"""What a scan produces: the data every formatter reads (``hadr_lint.report``).

The engine builds a ``ScanResult``; reports depend on this module and the model only, never on
the engine, a loader or an integration.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from hadr_lint.model import Finding, LoadError, Resource, UnknownNote

if TYPE_CHECKING:  # annotations only
    from hadr_lint.rulebase import LoadedRule


@dataclass(frozen=True)
class ScanResult:
    findings: tuple[Finding, ...]
    unknowns: tuple[UnknownNote, ...]
    errors: tuple[LoadError, ...]
    notes: tuple[str, ...]
    files: tuple[str, ...]
    resources: tuple[Resource, ...]
    rules: tuple[LoadedRule, ...]
    metadata: Mapping[str, Any] = field(default_factory=dict)
    graph: Any = field(default=None, repr=False, compare=False)  # the Graph the rules saw
    config: Any = field(default=None, repr=False, compare=False)  # with template objectives
    suppressed: tuple[Any, ...] = ()  # suppress.SuppressedFinding
    baselined: tuple[Finding, ...] = ()  # hidden by --baseline
    fixed: tuple[Mapping[str, Any], ...] = ()  # baseline entries no longer found
    external: tuple[Any, ...] = ()  # integrations.checkov.ExternalRun (--with-checkov)
    configs: tuple[str, ...] = ()  # the configuration files the findings were judged under

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)
