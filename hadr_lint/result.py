"""What a scan produces: the data every formatter reads (``hadr_lint.report``).

The engine builds a ``ScanResult``; an integration (``--with-checkov``) adds an ``ExternalRun``.
Reports depend on this module and the model only, never on the engine, a loader or an
integration.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from hadr_lint.model import Finding, LoadError, Resource, UnknownNote

if TYPE_CHECKING:  # annotations only
    from hadr_lint.config import Config
    from hadr_lint.graph import Graph
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
    graph: Graph | None = field(default=None, repr=False, compare=False)  # what the rules saw
    config: Config | None = field(default=None, repr=False, compare=False)  # with objectives
    suppressed: tuple[SuppressedFinding, ...] = ()  # see hadr_lint.suppress
    baselined: tuple[Finding, ...] = ()  # hidden by --baseline
    fixed: tuple[Mapping[str, Any], ...] = ()  # baseline entries no longer found
    external: tuple[ExternalRun, ...] = ()  # --with-checkov
    configs: tuple[str, ...] = ()  # the configuration files the findings were judged under

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def counts(self) -> dict[str, int]:
        """The summary both JSON reports open with (``scan --format json`` adds the gate's)."""
        return {
            "files": len(self.files),
            "resources": len(self.resources),
            "findings": len(self.findings),
            "errors": self.count("error"),
            "warnings": self.count("warning"),
            "notes": self.count("note"),
            "unverified": len(self.unknowns),
            "file_errors": len(self.errors),
        }


@dataclass(frozen=True)
class ExternalFinding:
    """A failed check of another tool (checkov), rendered beside hadr-lint's findings."""

    tool: str
    check_id: str
    check_name: str
    severity: str
    resource: str
    file: str
    line: int
    end_line: int
    guideline: str | None = None


@dataclass(frozen=True)
class ExternalRun:
    """One run of another tool: its findings, those dropped as duplicates of hadr-lint's, and
    its failures to run. ``information_uri`` and ``help_uri`` describe the tool in SARIF;
    ``default_severity`` is the level of a check the tool gives none."""

    tool: str
    version: str
    command: tuple[str, ...]
    checks: tuple[str, ...]
    findings: tuple[ExternalFinding, ...] = ()
    duplicates: tuple[tuple[ExternalFinding, str], ...] = ()  # (its result, hadr-lint id)
    errors: tuple[str, ...] = field(default=())
    information_uri: str = ""
    help_uri: str = ""
    default_severity: str = "warning"

    def as_dict(self) -> dict[str, Any]:
        return {
            "tool": self.tool,
            "version": self.version,
            "checks": list(self.checks),
            "findings": [asdict(f) for f in self.findings],
            "duplicates": [dict(asdict(f), duplicate_of=rule) for f, rule in self.duplicates],
            "errors": list(self.errors),
        }


def check_id_order(check_id: str) -> tuple:
    """External check ids by prefix, then number: ``CKV_AWS_9`` before ``CKV_AWS_10``."""
    prefix, _, number = check_id.rpartition("_")
    return (prefix, int(number)) if number.isdigit() else (check_id, -1)


@dataclass(frozen=True)
class Suppression:
    """One ignore directive: the rule ids it names, why, until when, and where it is written."""

    rule_ids: tuple[str, ...]
    reason: str | None
    expires: str | None
    file: str
    line: int
    target: str
    problem: str | None = None
    # a Terragrunt unit's suppression covers the unit's findings only: those whose message
    # ends " (via <via>)" (``engine.caller_note``), not other units over the same module file
    via: str = ""

    def covers(self, finding: Finding) -> bool:
        return not self.via or finding.message.endswith(f" (via {self.via})")

    def expiry(self) -> datetime.date | None:
        try:
            return datetime.date.fromisoformat(self.expires) if self.expires else None
        except ValueError:
            return None

    def expired(self, today: datetime.date) -> bool:
        day = self.expiry()
        return day is not None and day < today

    def as_dict(self) -> dict[str, Any]:
        return {"rules": list(self.rule_ids), "reason": self.reason, "expires": self.expires,
                "file": self.file, "line": self.line, "target": self.target}


@dataclass(frozen=True)
class SuppressedFinding:
    finding: Finding
    suppression: Suppression

    def as_dict(self) -> dict[str, Any]:
        """For the JSON report: the finding plus why and where."""
        data = asdict(self.finding)
        data["reason"] = self.suppression.reason
        data["suppression"] = self.suppression.as_dict()
        return data
