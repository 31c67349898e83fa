"""The picture's structure, neutral to how it is drawn: region boxes holding AZ boxes, nodes of
grouped resources (``Member``), global nodes and edges (``Layout``). ``build.layout`` makes one."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from hadr_lint.report.picture.fold import SUPPORTING, families

UNKNOWN_REGION = "region unknown"
SEVERITY_RANK = {"note": 0, "warning": 1, "error": 2}
# The palette the dot and SVG renderers share.
COLOURS = {  # severity -> (stroke, fill)
    "error": ("#c62828", "#fdecea"),
    "warning": ("#e65100", "#fff4e5"),
    "note": ("#1565c0", "#e8f1fb"),
    None: ("#57606a", "#ffffff"),
}
EDGE_COLOURS = {"replication": "#0969da", "backup": "#1a7f37", "failover": "#8250df",
                "routing": "#57606a"}


@dataclass
class Member:
    """One resource (or a copy outside the scanned files) inside a node."""

    name: str
    type: str
    kind: str
    file: str = ""
    line: int = 0
    findings: list[dict[str, str]] = field(default_factory=list)

    @property
    def severity(self) -> str | None:
        return worst(f["severity"] for f in self.findings)


@dataclass
class Node:
    id: str
    kind: str
    note: str
    members: list[Member]
    synthetic: bool = False

    @property
    def count(self) -> int:
        return len(self.members)

    @property
    def severity(self) -> str | None:
        return worst(m.severity for m in self.members)

    @property
    def label(self) -> str:
        if self.kind == SUPPORTING:
            return f"{self.count} supporting resource{'s' if self.count > 1 else ''}"
        if self.count == 1:
            return self.members[0].name
        types = {m.type for m in self.members}
        return f"{types.pop() if len(types) == 1 else self.kind} ×{self.count}"

    @property
    def findings(self) -> int:
        return sum(len(m.findings) for m in self.members)

    @property
    def detail(self) -> str:
        """The second line: the kind (unless the name already says it) and the AZ span."""
        if self.kind == SUPPORTING:
            return families(self.members)
        parts = []
        if self.count == 1:
            member = self.members[0]
            if not (member.kind == "other" and member.name.startswith(member.type + ".")):
                parts.append(self.kind)
        if self.note:
            parts.append(self.note)
        return " · ".join(parts)

    @property
    def caption(self) -> str:
        """The detail line with the number of findings, for renderers without badges."""
        found = self.findings
        extra = f"{found} finding{'s' if found > 1 else ''}" if found else ""
        return " · ".join(p for p in (self.detail, extra) if p)

    def tooltip(self, limit: int = 40) -> str:
        lines = []
        for member in self.members[:limit]:
            where = f" ({member.file}:{member.line})" if member.file else ""
            lines.append(f"{member.name} [{member.type}]{where}")
            lines += [f"  {f['severity']} {f['rule_id']}: {f['message']}" for f in member.findings]
        if self.count > limit:
            lines.append(f"… and {self.count - limit} more")
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "label": self.label, "kind": self.kind, "note": self.note,
            "count": self.count, "severity": self.severity, "synthetic": self.synthetic,
            "members": [{"name": m.name, "type": m.type, "file": m.file, "line": m.line,
                         "severity": m.severity, "findings": m.findings} for m in self.members],
        }


@dataclass
class AzBox:
    id: str
    label: str
    zone: str
    nodes: list[Node]


@dataclass
class RegionBox:
    id: str
    name: str
    azs: list[AzBox]
    nodes: list[Node]  # the regional band: no AZ, or several


@dataclass
class Edge:
    source: str
    target: str
    label: str
    kind: str  # replication, failover, routing, backup


@dataclass
class Layout:
    regions: list[RegionBox]
    global_nodes: list[Node]
    edges: list[Edge]
    resources: int = 0
    dependencies: list[Edge] = field(default_factory=list)  # references between nodes
    notes: list[str] = field(default_factory=list)  # what was folded or grouped, and why

    def nodes(self) -> list[Node]:
        found = list(self.global_nodes)
        for region in self.regions:
            found += region.nodes
            for az in region.azs:
                found += az.nodes
        return found

    def as_dict(self) -> dict[str, Any]:
        return {
            "resources": self.resources,
            "global": [n.as_dict() for n in self.global_nodes],
            "regions": [{
                "id": r.id, "name": r.name,
                "regional": [n.as_dict() for n in r.nodes],
                "azs": [{"id": a.id, "label": a.label, "zone": a.zone,
                         "nodes": [n.as_dict() for n in a.nodes]} for a in r.azs],
            } for r in self.regions],
            "edges": [vars(e) for e in self.edges],
            "dependencies": [vars(e) for e in self.dependencies],
            "notes": list(self.notes),
        }


def worst(severities: Iterable[str | None]) -> str | None:
    found = [s for s in severities if s in SEVERITY_RANK]
    return max(found, key=SEVERITY_RANK.__getitem__) if found else None
