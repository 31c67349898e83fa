"""A picture of the architecture: regions, Availability Zones and what fails together.

``layout(graph, findings, config)`` turns the resource graph into a neutral structure: region
boxes holding AZ boxes, resources grouped into nodes, global nodes outside every region, and the
replication, failover and backup-copy edges between them. The renderers draw that structure:
``mermaid`` (a flowchart with subgraphs, for Markdown), ``dot`` (Graphviz clusters), ``svg``
(drawn here, no Graphviz, no JavaScript, no network) and ``as_dict`` (JSON).

Placement:

* A resource whose zones (``Graph.zones``) are exactly one AZ sits in that AZ's box: it fails
  with that zone. A single-AZ Auto Scaling group lands inside one AZ, which is the problem.
* A resource spanning several AZs (an ALB, an ASG across three subnets) or with no AZ (a DynamoDB
  table, a vault) sits in the region's *regional* band at the top of the region box, with a note
  such as "spans 3 AZs". One node per AZ would draw one resource three times and suggest three
  things that fail separately; the band says "this survives the loss of one AZ, not of the
  region", which is the failure domain it belongs to.
* Global resources (Route 53, CloudFront, Global Accelerator, IAM) sit outside every region.
* A resource whose region is not known goes in a box "region unknown".

Symbolic zones ``AZ(region, index)`` are shown as in findings, "us-east-1 AZ 1": the first zone
``data "aws_availability_zones"`` returns.

Resources of the same kind in the same place (AZ, regional band, global) with the same AZ span
become one node, "aws_subnet ×3", whose members are listed in its tooltip: the picture stays
readable at hundreds of resources. A node's colour is the worst severity among its members'
findings.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from hadr_lint.analysis.backup_links import arn_parts, find_store
from hadr_lint.model import AZ, Resource, Unknown
from hadr_lint.regions import region_of_az_name
from hadr_lint.report.escape import mermaid_text, xml_text

UNKNOWN_REGION = "region unknown"
GLOBAL = "global"
SEVERITY_RANK = {"note": 0, "warning": 1, "error": 2}
GLOBAL_KINDS = {"dns_record", "dns_record_group", "health_check", "dns_zone", "cdn_distribution",
                "global_accelerator"}
# Types of kind "other" that have no region (IAM, Route 53, CloudFront, Global Accelerator...).
GLOBAL_TYPE_PREFIXES = ("aws_iam_", "AWS::IAM::", "aws_route53_", "AWS::Route53::",
                        "aws_cloudfront_", "AWS::CloudFront::", "aws_globalaccelerator_",
                        "AWS::GlobalAccelerator::", "aws_organizations_", "AWS::Organizations::",
                        "aws_route53recoverycontrolconfig_", "AWS::Route53RecoveryControl::")
REGIONAL_TYPE_PREFIXES = ("aws_route53_resolver_",)
NO_ZONES = "no subnets or availability zones set"
GROUP_MIN = 3  # fewer resources of a kind in one place are drawn one by one
_REGION = re.compile(r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$")


# ----- the layout structure ----------------------------------------------------------------------
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
        }


def worst(severities: Iterable[str | None]) -> str | None:
    found = [s for s in severities if s in SEVERITY_RANK]
    return max(found, key=SEVERITY_RANK.__getitem__) if found else None


# ----- building ----------------------------------------------------------------------------------
@dataclass
class _Item:
    """One member before grouping: where it goes, and what it groups with."""

    place: tuple  # ("global",) | ("region", region) | ("az", region, sort key, label, zone)
    kind: str
    note: str
    member: Member
    synthetic: bool = False


class _Builder:
    def __init__(self, graph, findings, config) -> None:
        self.graph, self.config = graph, config
        self.items: dict[str, _Item] = {}
        self.links: list[tuple[str, str, str, str]] = []
        self.by_resource: dict[tuple[str, str], list[dict[str, str]]] = {}
        for finding in findings or ():
            self.by_resource.setdefault((finding.file, finding.resource), []).append({
                "rule_id": finding.rule_id, "severity": finding.severity,
                "message": finding.message})

    # placement
    def add(self, resource: Resource) -> None:
        member = Member(display_name(resource), resource.type, resource.kind,
                        resource.location.file,
                        resource.location.line,
                        self.by_resource.get((resource.location.file, resource.label), []))
        kind = resource.kind if resource.kind != "other" else resource.type
        place, note = self.place(resource)
        self.items[resource.address] = _Item(place, kind, note, member)

    def place(self, resource: Resource) -> tuple[tuple, str]:
        if is_global(resource):
            return (GLOBAL,), ""
        region = self.region(resource)
        if resource.kind == "other":
            return ("region", region), ""
        zones = self.graph.zones(resource)
        if len(zones.zones) == 1 and zones.known:
            zone = next(iter(zones.zones))
            home = zone_region(zone) or region
            return ("az", home, zone_sort(zone), zone_label(zone), str(zone)), ""
        if zones.zones:
            note = f"{len(zones.zones)} AZs" if zones.known else \
                f"{len(zones.zones)} AZs + unknown"
            return ("region", region), note
        if zones.unknown and zones.unknown[0] != NO_ZONES:
            return ("region", region), "AZ unknown"
        return ("region", region), ""

    def region(self, resource: Resource) -> str:
        region = resource.region
        if isinstance(region, str) and region:
            return region
        primary = (getattr(self.config, "objectives", None) or {}).get("primary_region")
        if isinstance(region, Unknown) and "--region" in region.reason and \
                isinstance(primary, str) and primary:
            return primary
        return UNKNOWN_REGION

    def elsewhere(self, source: Resource, region: Any, what: str, name: str = "") -> str | None:
        """A copy in ``region`` that no scanned resource stands for: a node of its own."""
        if not isinstance(region, str) or not _REGION.match(region):
            return None
        key = f"{what}@{region}:{source.address}:{name}"
        if key not in self.items:
            member = Member(name or f"{source.name} ({what})", f"{what}, not in the scan", what)
            self.items[key] = _Item(("region", region), what, "", member, synthetic=True)
        return key

    def link(self, source: Any, target: Any, label: str, kind: str) -> None:
        if source is None or target is None:
            return
        source = source.address if isinstance(source, Resource) else source
        target = target.address if isinstance(target, Resource) else target
        if source != target:
            self.links.append((source, target, label, kind))

    def store(self, value: Any, kinds: tuple[str, ...]) -> Resource | None:
        if value is None or isinstance(value, Unknown):
            return None
        return find_store(self.graph, value, kinds)

    def store_or_arn(self, source: Resource, value: Any, kinds: tuple[str, ...], what: str):
        found = self.store(value, kinds)
        if found is not None:
            return found
        parts = arn_parts(value)
        if parts:
            name = parts["resource"].split(":")[-1].split("/")[-1]
            return self.elsewhere(source, parts["region"], what, name)
        return None


def _listed(value: Any) -> list[Any]:
    if isinstance(value, (list, tuple)):
        return [v for v in value if v is not None and not isinstance(v, Unknown)]
    if value is None or isinstance(value, Unknown):
        return []
    return [value]


def _own_region(builder: _Builder, resource: Resource) -> str:
    return builder.region(resource)


def _dynamodb(b: _Builder) -> None:
    for table in b.graph.resources("dynamodb_table"):
        for region in _listed(table.get("replica_regions")):
            if region != _own_region(b, table):
                b.link(table, b.elsewhere(table, region, "replica"), "replica", "replication")
    for replica in b.graph.resources("dynamodb_replica"):
        b.link(b.store(replica.get("table"), ("dynamodb_table",)), replica, "replica",
               "replication")


def _s3(b: _Builder) -> None:
    for bucket in b.graph.resources("s3_bucket"):
        for dest in _listed(bucket.get("replication_destinations")):
            b.link(bucket, b.store_or_arn(bucket, dest, ("s3_bucket",), "bucket"),
                   "S3 replication", "replication")
    for config in b.graph.resources("s3_replication"):
        source = b.store(config.get("bucket"), ("s3_bucket",)) or config
        for dest in _listed(config.get("destinations")):
            b.link(source, b.store_or_arn(config, dest, ("s3_bucket",), "bucket"),
                   "S3 replication", "replication")


def _efs(b: _Builder) -> None:
    for fs in b.graph.resources("efs_file_system"):
        for region in _listed(fs.get("replication_regions")):
            b.link(fs, b.elsewhere(fs, region, "EFS replica"), "EFS replication", "replication")
    for config in b.graph.resources("efs_replication"):
        source = b.store(config.get("file_system"), ("efs_file_system",)) or config
        stores = _listed(config.get("destination_file_systems"))
        targets: list[Resource | str | None] = [b.store(v, ("efs_file_system",)) for v in stores]
        targets = [t for t in targets if t is not None]
        if not targets:
            targets = [b.elsewhere(config, r, "EFS replica")
                       for r in _listed(config.get("destination_regions"))]
        for target in targets:
            b.link(source, target, "EFS replication", "replication")


def _databases(b: _Builder) -> None:
    members: dict[str, list[Resource]] = {}
    for cluster in b.graph.resources("db_cluster"):
        found = b.store(cluster.get("global_cluster"), ("db_global_cluster",))
        if found is not None:
            members.setdefault(found.address, []).append(cluster)
        source = b.store(cluster.get("replication_source"), ("db_cluster", "db_instance"))
        b.link(source, cluster, "read replica", "replication")
    for address, clusters in sorted(members.items()):
        primary = _global_primary(b, b.graph.get(address), clusters)
        for cluster in clusters:
            if cluster is not primary:
                b.link(primary, cluster, "Aurora global", "replication")
    for instance in b.graph.resources("db_instance"):
        source = b.store(instance.get("replicate_source"), ("db_instance",))
        b.link(source, instance, "read replica", "replication")
        region = instance.get("backup_replication_region")
        if isinstance(region, str) and region != _own_region(b, instance):
            b.link(instance, b.elsewhere(instance, region, "automated backups"),
                   "backup replication", "backup")
    for copy in b.graph.resources("db_backup_replication"):
        b.link(b.store(copy.get("source"), ("db_instance", "db_cluster")), copy,
               "backup replication", "backup")


def _global_primary(b: _Builder, global_cluster: Resource, clusters: list[Resource]) -> Resource:
    """The writer: the global cluster's source, else the cluster in its region, else the first."""
    source = b.store(global_cluster.get("source_cluster"), ("db_cluster",))
    if source in clusters:
        return source
    home = [c for c in clusters if b.region(c) == b.region(global_cluster)]
    return (home or clusters)[0]


def _dns(b: _Builder) -> None:
    for resource in b.graph.resources("dns_record", "dns_record_group"):
        records = [resource.attributes] if resource.kind == "dns_record" else \
            [r for r in _listed(resource.get("records")) if isinstance(r, dict)]
        for record in records:
            target = record.get("alias_target")
            found = b.graph.resolve(target) if not isinstance(target, Unknown) else None
            failover = record.get("failover")
            if isinstance(failover, str):
                b.link(resource, found, f"failover {failover}", "failover")
            else:
                routing = record.get("routing")
                label = f"alias ({routing})" if isinstance(routing, str) and \
                    routing != "simple" else "alias"
                b.link(resource, found, label, "routing")


def _backups(b: _Builder) -> None:
    for plan in b.graph.resources("backup_plan"):
        for rule in _listed(plan.get("rules")):
            if not isinstance(rule, dict):
                continue
            source = b.store(rule.get("vault"), ("backup_vault",)) or plan
            for copy in _listed(rule.get("copy_actions")):
                if isinstance(copy, dict):
                    target = b.store_or_arn(plan, copy.get("destination_vault"),
                                            ("backup_vault",), "vault")
                    b.link(source, target, "backup copy", "backup")
    for policy in b.graph.resources("dlm_policy"):
        for region in _listed(policy.get("copy_targets")):
            b.link(policy, b.elsewhere(policy, region, "snapshot copies"), "snapshot copy",
                   "backup")


LINKERS = (_dynamodb, _s3, _efs, _databases, _dns, _backups)


def display_name(resource: Resource) -> str:
    """The name users know, with the instance key when the address has one (``x.y[0]``)."""
    tail = resource.address.rsplit("::", 1)[-1]
    return tail if tail != resource.name and tail.startswith(resource.name + "[") else \
        resource.name


def is_global(resource: Resource) -> bool:
    if resource.kind in GLOBAL_KINDS:
        return True
    if resource.kind != "other" or resource.type.startswith(REGIONAL_TYPE_PREFIXES):
        return False
    return resource.type.startswith(GLOBAL_TYPE_PREFIXES)


def zone_label(zone: Any) -> str:
    return str(zone)


def zone_region(zone: Any) -> str | None:
    if isinstance(zone, AZ):
        return zone.region
    if isinstance(zone, str):
        region = region_of_az_name(zone)
        return region if region and _REGION.match(region) else None
    return None


def zone_sort(zone: Any) -> tuple:
    return (0, zone.index, "") if isinstance(zone, AZ) else (1, 0, str(zone))


def layout(graph, findings: Iterable[Any] = (), config: Any = None) -> Layout:
    """The picture's structure: regions -> AZ boxes -> grouped nodes, global nodes, edges."""
    builder = _Builder(graph, findings, config)
    resources = graph.resources()
    for resource in resources:
        builder.add(resource)
    for linker in LINKERS:
        linker(builder)
    return _assemble(builder, len(resources))


def _assemble(builder: _Builder, count: int) -> Layout:
    groups: dict[tuple, list[tuple[str, _Item]]] = {}
    for key, item in builder.items.items():
        groups.setdefault((item.place, item.kind, item.note, item.synthetic), []).append(
            (key, item))
    regions: dict[str, dict] = {}
    global_nodes: list[Node] = []
    node_of: dict[str, Node] = {}
    counter = iter(range(1, 1_000_000))
    for (place, kind, note, synthetic), items in sorted(groups.items(), key=_group_order):
        items.sort(key=lambda entry: (entry[1].member.name, entry[1].member.file,
                                      entry[1].member.line))
        distinct = {i.member.name for _, i in items}
        apart = len(items) < GROUP_MIN and len(distinct) == len(items)
        chunks = [[entry] for entry in items] if apart else [items]
        for chunk in chunks:
            node = Node(f"n{next(counter)}", kind, note, [i.member for _, i in chunk], synthetic)
            for key, _ in chunk:
                node_of[key] = node
            if place[0] == GLOBAL:
                global_nodes.append(node)
                continue
            region = regions.setdefault(place[1], {"nodes": [], "azs": {}})
            if place[0] == "region":
                region["nodes"].append(node)
            else:
                region["azs"].setdefault((place[2], place[3], place[4]), []).append(node)
    boxes = []
    names = sorted(regions, key=lambda r: (r == UNKNOWN_REGION, r))
    for index, name in enumerate(names, 1):
        rid = f"r{index}"
        azs = [AzBox(f"{rid}_az{i}", label, zone, nodes) for i, ((_, label, zone), nodes)
               in enumerate(sorted(regions[name]["azs"].items()), 1)]
        boxes.append(RegionBox(rid, name, azs, regions[name]["nodes"]))
    return Layout(boxes, global_nodes, _edges(builder.links, node_of), count,
                  _edges(_references(builder.graph), node_of))


def _references(graph) -> list[tuple[str, str, str, str]]:
    """The graph's reference edges, without those an identity string may have matched by
    chance (two resources both named "orders-dr")."""
    skip = {"name", "identifier", "id", "arn", "record_name"}
    return [(s, t, d["relation"], "reference") for s, t, d in graph.nx.edges(data=True)
            if d["relation"] not in skip]


def _group_order(entry) -> tuple:
    (place, kind, note, synthetic), items = entry
    return (place[0] != GLOBAL, str(place[1:]), synthetic, kind, note)


def _edges(links, node_of: dict[str, Node]) -> list[Edge]:
    seen: dict[tuple[str, str, str], Edge] = {}
    for source, target, label, kind in links:
        a, b = node_of.get(source), node_of.get(target)
        if a is None or b is None or a is b:
            continue
        seen.setdefault((a.id, b.id, label), Edge(a.id, b.id, label, kind))
    return sorted(seen.values(), key=lambda e: (_num(e.source), _num(e.target), e.label))


def _num(node_id: str) -> int:
    return int(node_id[1:])


# ----- public entry points -----------------------------------------------------------------------
def mermaid(graph, findings: Iterable[Any] = (), config: Any = None) -> str:
    """The picture as a Mermaid flowchart (the text inside a ```mermaid block)."""
    return render_mermaid(layout(graph, findings, config))


def svg(graph, findings: Iterable[Any] = (), config: Any = None, standalone: bool = True) -> str:
    """The picture as one self-contained SVG element; ``standalone=False`` leaves out the XML
    namespace, which an SVG inline in an HTML page does not need."""
    return render_svg(layout(graph, findings, config), standalone)


def dot(graph, findings: Iterable[Any] = (), config: Any = None) -> str:
    return render_dot(layout(graph, findings, config))


def as_json(graph, findings: Iterable[Any] = (), config: Any = None) -> str:
    return json.dumps(layout(graph, findings, config).as_dict(), indent=2,
                      ensure_ascii=False) + "\n"


# ----- Mermaid -----------------------------------------------------------------------------------
MERMAID_STYLES = {
    "error": "fill:#fdecea,stroke:#c62828,stroke-width:3px,color:#1f2328",
    "warning": "fill:#fff4e5,stroke:#e65100,stroke-width:3px,color:#1f2328",
    "note": "fill:#e8f1fb,stroke:#1565c0,stroke-width:2px,color:#1f2328",
    "synthetic": "fill:#f6f8fa,stroke:#8c959f,stroke-dasharray:4 3,color:#57606a",
}
MERMAID_ARROWS = {"replication": "-.->", "backup": "-.->", "failover": "==>", "routing": "-->"}
def _mermaid_label(node: Node) -> str:
    label = mermaid_text(node.label)
    if node.caption:
        label += "<br/>" + mermaid_text(node.caption)
    return f'"{label}"'


def render_mermaid(picture: Layout) -> str:
    lines = ["flowchart TB"]
    if picture.global_nodes:
        lines.append('  subgraph g0["global · no region"]')
        lines += [f"    {n.id}[{_mermaid_label(n)}]" for n in picture.global_nodes]
        lines.append("  end")
    for region in picture.regions:
        lines.append(f'  subgraph {region.id}["{mermaid_text(region.name)}"]')
        lines.append("    direction TB")
        if region.nodes:
            lines.append(f'    subgraph {region.id}_regional["regional · several AZs or none"]')
            lines += [f"      {n.id}[{_mermaid_label(n)}]" for n in region.nodes]
            lines.append("    end")
        for az in region.azs:
            lines.append(f'    subgraph {az.id}["{mermaid_text(az.label)}"]')
            lines += [f"      {n.id}[{_mermaid_label(n)}]" for n in az.nodes]
            lines.append("    end")
        lines.append("  end")
    for edge in picture.edges:
        arrow = MERMAID_ARROWS.get(edge.kind, "-->")
        lines.append(f'  {edge.source} {arrow}|"{mermaid_text(edge.label)}"| {edge.target}')
    nodes = picture.nodes()
    for name, style in MERMAID_STYLES.items():
        chosen = [n.id for n in nodes if (n.synthetic if name == "synthetic"
                                          else n.severity == name)]
        if chosen:
            lines.append(f"  classDef {name} {style}")
            lines.append(f"  class {','.join(chosen)} {name}")
    return "\n".join(lines) + "\n"


# ----- Graphviz dot ------------------------------------------------------------------------------
COLOURS = {  # severity -> (stroke, fill)
    "error": ("#c62828", "#fdecea"),
    "warning": ("#e65100", "#fff4e5"),
    "note": ("#1565c0", "#e8f1fb"),
    None: ("#57606a", "#ffffff"),
}
EDGE_COLOURS = {"replication": "#0969da", "backup": "#1a7f37", "failover": "#8250df",
                "routing": "#57606a"}


def dot_text(text: Any) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace(
        "\n", "\\n").replace("\r", "") + '"'


def _dot_node(node: Node, indent: str) -> str:
    stroke, fill = COLOURS[node.severity]
    label = node.label + (f"\n{node.caption}" if node.caption else "")
    style = "rounded,filled,dashed" if node.synthetic else "rounded,filled"
    width = 2.5 if node.severity in ("error", "warning") else 1
    return (f"{indent}{node.id} [label={dot_text(label)}, tooltip={dot_text(node.tooltip())}, "
            f"color={dot_text(stroke)}, fillcolor={dot_text(fill)}, style={dot_text(style)}, "
            f"penwidth={width}];")


def render_dot(picture: Layout) -> str:
    lines = ["digraph hadr {", "  compound=true;", "  rankdir=LR;", "  newrank=true;",
             '  node [shape=box, fontsize=10, fontname="Helvetica"];',
             '  graph [fontname="Helvetica", fontsize=12];']
    if picture.global_nodes:
        lines += ["  subgraph cluster_g0 {", f"    label={dot_text('global · no region')};",
                  '    style="dashed";']
        lines += [_dot_node(n, "    ") for n in picture.global_nodes]
        lines.append("  }")
    for region in picture.regions:
        lines += [f"  subgraph cluster_{region.id} {{", f"    label={dot_text(region.name)};",
                  '    style="rounded"; color="#24292f"; penwidth=2;']
        if region.nodes:
            lines += [f"    subgraph cluster_{region.id}_regional {{",
                      f"      label={dot_text('regional · several AZs or none')};",
                      '      style="dotted"; color="#8c959f";']
            lines += [_dot_node(n, "      ") for n in region.nodes]
            lines.append("    }")
        for az in region.azs:
            lines += [f"    subgraph cluster_{az.id} {{", f"      label={dot_text(az.label)};",
                      '      style="rounded,filled"; fillcolor="#f6f8fa"; color="#8c959f";']
            lines += [_dot_node(n, "      ") for n in az.nodes]
            lines.append("    }")
        lines.append("  }")
    for edge in picture.dependencies:
        lines.append(f"  {edge.source} -> {edge.target} [label={dot_text(edge.label)}, "
                     f'color="#c9d1d9", fontcolor="#8c959f", style=dotted, constraint=false];')
    for edge in picture.edges:
        style = "bold" if edge.kind == "failover" else "dashed" if edge.kind in (
            "replication", "backup") else "solid"
        lines.append(f"  {edge.source} -> {edge.target} [label={dot_text(edge.label)}, "
                     f"color={dot_text(EDGE_COLOURS.get(edge.kind, '#57606a'))}, "
                     f"style={style}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


# ----- SVG ---------------------------------------------------------------------------------------
NODE_W, NODE_H = 188, 44
GAP, PAD, TITLE_H = 10, 12, 26
MAX_WIDTH = 1500
CHAR_W = 6.6  # average width of a 12px sans-serif character
FONT = "system-ui,-apple-system,'Segoe UI',Helvetica,Arial,sans-serif"


def _fit(text: str, width: float, char_w: float = CHAR_W) -> str:
    """The text, shortened in the middle (names differ at their end) to fit ``width``."""
    limit = max(4, int(width / char_w))
    if len(text) <= limit:
        return text
    head = (limit - 1) // 2
    return text[:head] + "…" + text[len(text) - (limit - 1 - head):]


@dataclass
class _Box:
    x: float
    y: float
    w: float
    h: float


def _grid(count: int, columns: int) -> tuple[int, int]:
    columns = max(1, min(columns, count))
    rows = (count + columns - 1) // columns if count else 0
    return columns, rows


def _nodes_size(count: int, columns: int) -> tuple[float, float]:
    columns, rows = _grid(count, columns)
    if not count:
        return 0, 0
    return columns * NODE_W + (columns - 1) * GAP, rows * NODE_H + (rows - 1) * GAP


def _place_nodes(nodes: list[Node], x: float, y: float, columns: int,
                 boxes: dict[str, _Box], by_column: bool = False) -> None:
    columns, rows = _grid(len(nodes), columns)
    for i, node in enumerate(nodes):
        col, row = divmod(i, rows) if by_column else divmod(i, columns)[::-1]
        boxes[node.id] = _Box(x + col * (NODE_W + GAP), y + row * (NODE_H + GAP), NODE_W, NODE_H)


@dataclass
class _RegionGeometry:
    box: _Box
    band: _Box | None
    azs: dict[str, _Box]


def _az_columns(az: AzBox) -> int:
    return 1 if len(az.nodes) <= 5 else 2


def _measure_region(region: RegionBox) -> tuple[float, float]:
    """Width and height of a region box (content laid out from its top-left corner)."""
    az_row = [(_nodes_size(len(a.nodes), _az_columns(a)), a) for a in region.azs]
    az_w = sum(w + 2 * PAD for (w, _), _ in az_row) + GAP * max(0, len(az_row) - 1)
    az_h = max((h + 2 * PAD + TITLE_H for (_, h), _ in az_row), default=0)
    inner = max(az_w, 3 * NODE_W + 2 * GAP + 2 * PAD)
    columns = _band_columns(inner)
    band_w, band_h = _nodes_size(len(region.nodes), columns)
    band_h = band_h + 2 * PAD + TITLE_H if region.nodes else 0
    width = max(inner, band_w + 2 * PAD) + 2 * PAD
    height = TITLE_H + PAD + band_h + (GAP if band_h and az_h else 0) + az_h + PAD
    return width, height


def _band_columns(inner: float) -> int:
    """Columns of nodes that fit a band ``inner`` wide (its own padding included)."""
    return max(1, int((inner - 2 * PAD + GAP) // (NODE_W + GAP)))


def _layout_region(region: RegionBox, x: float, y: float, boxes: dict[str, _Box],
                   pulls: dict[str, tuple]) -> _RegionGeometry:
    width, height = _measure_region(region)
    inner_x, cursor = x + PAD, y + TITLE_H + PAD
    band = None
    if region.nodes:
        columns = _band_columns(width - 2 * PAD)
        _, band_h = _nodes_size(len(region.nodes), columns)
        band = _Box(inner_x, cursor, width - 2 * PAD, band_h + 2 * PAD + TITLE_H)
        ordered = sorted(region.nodes, key=lambda n: pulls.get(n.id, (0, 0)))
        _place_nodes(ordered, inner_x + PAD, cursor + TITLE_H + PAD, columns, boxes,
                     by_column=True)
        cursor += band.h + GAP
    azs = {}
    az_x = inner_x
    row_h = max((_nodes_size(len(a.nodes), _az_columns(a))[1] + 2 * PAD + TITLE_H
                 for a in region.azs), default=0)
    for az in region.azs:
        columns = _az_columns(az)
        w, _ = _nodes_size(len(az.nodes), columns)
        azs[az.id] = _Box(az_x, cursor, w + 2 * PAD, row_h)
        _place_nodes(az.nodes, az_x + PAD, cursor + TITLE_H + PAD, columns, boxes)
        az_x += w + 2 * PAD + GAP
    return _RegionGeometry(_Box(x, y, width, height), band, azs)


@dataclass
class _Geometry:
    width: float
    height: float
    global_box: _Box | None
    regions: dict[str, _RegionGeometry]
    nodes: dict[str, _Box]
    legend_y: float


def _region_rows(picture: Layout, sizes: dict[str, tuple[float, float]]) -> list[list[RegionBox]]:
    rows: list[list[RegionBox]] = [[]]
    row_w = 0.0
    for region in picture.regions:
        w = sizes[region.id][0]
        if rows[-1] and row_w + GAP + w > MAX_WIDTH:
            rows.append([])
            row_w = 0.0
        rows[-1].append(region)
        row_w += (GAP if row_w else 0) + w
    return rows


def _pulls(picture: Layout, centres: dict[str, float]) -> dict[str, tuple]:
    """Sort keys that put a node on the side of its region facing its partners in other
    regions (left, middle, right), nodes linked to global ones first; global nodes above
    the regions they link to."""
    home: dict[str, str | None] = {n.id: None for n in picture.global_nodes}
    for region in picture.regions:
        for node in region.nodes + [n for az in region.azs for n in az.nodes]:
            home[node.id] = region.id
    partners: dict[str, list[str]] = {}
    for edge in picture.edges:
        partners.setdefault(edge.source, []).append(edge.target)
        partners.setdefault(edge.target, []).append(edge.source)
    keys: dict[str, tuple] = {}
    for index, (node_id, own) in enumerate(home.items()):
        linked = partners.get(node_id, [])
        xs = [centres[r] for r in map(home.__getitem__, linked) if r is not None and r != own]
        if own is None:
            keys[node_id] = (sum(xs) / len(xs) if xs else float("inf"), 0, index)
            continue
        side = 0
        if xs:
            delta = sum(xs) / len(xs) - centres[own]
            side = -1 if delta < -1 else 1 if delta > 1 else 0
        to_global = any(home[p] is None for p in linked)
        keys[node_id] = (side, 0 if to_global else 1, index)
    return keys


def geometry(picture: Layout) -> _Geometry:
    """Positions of every box: global band on top, regions in rows below, legend last."""
    nodes: dict[str, _Box] = {}
    sizes = {r.id: _measure_region(r) for r in picture.regions}
    rows = _region_rows(picture, sizes)
    content_w = max([sum(sizes[r.id][0] for r in row) + GAP * (len(row) - 1) for row in rows]
                    + [3 * NODE_W + 2 * GAP + 2 * PAD, 620])
    y: float = PAD
    global_box, global_columns = None, 1
    if picture.global_nodes:
        global_columns = max(1, int((content_w - 2 * PAD + GAP) // (NODE_W + GAP)))
        _, h = _nodes_size(len(picture.global_nodes), global_columns)
        global_box = _Box(PAD, y, content_w, h + 2 * PAD + TITLE_H)
        y += global_box.h + 3 * GAP
    origins: dict[str, tuple[float, float]] = {}
    for row in rows:
        x: float = PAD
        for region in row:
            origins[region.id] = (x, y)
            x += sizes[region.id][0] + GAP
        y += max((sizes[r.id][1] for r in row), default=0) + 3 * GAP
    centres = {rid: x + sizes[rid][0] / 2 for rid, (x, _) in origins.items()}
    pulls = _pulls(picture, centres)
    if global_box is not None:
        ordered = sorted(picture.global_nodes, key=lambda n: pulls[n.id])
        _place_nodes(ordered, 2 * PAD, global_box.y + TITLE_H + PAD, global_columns, nodes)
    regions = {r.id: _layout_region(r, *origins[r.id], nodes, pulls) for r in picture.regions}
    return _Geometry(content_w + 2 * PAD, y + 64, global_box, regions, nodes, y)


def render_svg(picture: Layout, standalone: bool = True) -> str:
    """The picture as SVG. A standalone file sizes itself with ``width``, ``height`` and
    ``viewBox`` only: renderers such as cairosvg draw nothing for a root styled
    ``height:auto``. Embedded in the HTML report it also shrinks to the page's width."""
    geo = geometry(picture)
    namespace = 'xmlns="http://www.w3.org/2000/svg" ' if standalone else ""
    fit = "" if standalone else 'style="max-width:100%;height:auto" '
    out = [f'<svg {namespace}class="hadr-lint-picture" '
           f'viewBox="0 0 {geo.width:.0f} {geo.height:.0f}" width="{geo.width:.0f}" '
           f'height="{geo.height:.0f}" role="img" font-family="{xml_text(FONT)}" '
           f'{fit}aria-label="Architecture: regions, availability zones and resources">',
           "<title>hadr-lint architecture: regions, availability zones and resources</title>",
           _markers(),
           f'<rect x="0" y="0" width="{geo.width:.0f}" height="{geo.height:.0f}" '
           f'fill="#ffffff"/>']
    if geo.global_box is not None:
        out.append('<g class="global" aria-label="global">')
        out.append(_frame(geo.global_box, "global · no region (Route 53, CloudFront, IAM…)",
                          "#ffffff", "#57606a", dashed=True))
        out += [_svg_node(n, geo.nodes[n.id]) for n in picture.global_nodes]
        out.append("</g>")
    for region in picture.regions:
        out += _svg_region(region, geo.regions[region.id], geo.nodes)
    out += _svg_edges(picture.edges, geo.nodes)
    out += _legend(geo.legend_y)
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _markers() -> str:
    found = []
    for kind, colour in EDGE_COLOURS.items():
        found.append(f'<marker id="hadr-arrow-{kind}" viewBox="0 0 10 10" refX="9" refY="5" '
                     f'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
                     f'<path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>')
    return "<defs>" + "".join(found) + "</defs>"


def _frame(box: _Box, title: str, fill: str, stroke: str, dashed: bool = False,
           weight: float = 1.2, size: int = 13) -> str:
    dash = ' stroke-dasharray="6 4"' if dashed else ""
    return (f'<rect x="{box.x:.0f}" y="{box.y:.0f}" width="{box.w:.0f}" height="{box.h:.0f}" '
            f'rx="8" fill="{fill}" stroke="{stroke}" stroke-width="{weight}"{dash}/>'
            f'<text x="{box.x + PAD:.0f}" y="{box.y + 18:.0f}" font-size="{size}" '
            f'font-weight="600" fill="#1f2328">{xml_text(_fit(title, box.w - 2 * PAD, 7.4))}'
            f"</text>")


def _svg_region(region: RegionBox, geo: _RegionGeometry, nodes: dict[str, _Box]) -> list[str]:
    unknown = region.name == UNKNOWN_REGION
    out = [f'<g class="region" id="hadr-{region.id}" aria-label="{xml_text(region.name)}">',
           f"<title>{xml_text(region.name)}</title>",
           _frame(geo.box, region.name, "#fbfcfd", "#24292f", dashed=unknown, weight=2,
                  size=15)]
    if geo.band is not None:
        out.append(f'<g class="regional" aria-label="{xml_text(region.name)} regional">')
        out.append(_frame(geo.band, "regional · several AZs or none", "#ffffff", "#afb8c1",
                          dashed=True, size=11))
        out += [_svg_node(n, nodes[n.id]) for n in region.nodes]
        out.append("</g>")
    for az in region.azs:
        out.append(f'<g class="az" id="hadr-{az.id}" aria-label="{xml_text(az.label)}">')
        out.append(f"<title>{xml_text(az.label)} ({xml_text(az.zone)})</title>")
        out.append(_frame(geo.azs[az.id], az.label, "#eef2f6", "#8c959f", size=12))
        out += [_svg_node(n, nodes[n.id]) for n in az.nodes]
        out.append("</g>")
    out.append("</g>")
    return out


def _svg_node(node: Node, box: _Box) -> str:
    stroke, fill = COLOURS[node.severity]
    width = 2.5 if node.severity else 1
    dash = ' stroke-dasharray="4 3"' if node.synthetic else ""
    severity = f' data-severity="{node.severity}"' if node.severity else ""
    detail = ""
    if node.detail:
        detail = (f'<text x="{box.x + 8:.0f}" y="{box.y + 34:.0f}" font-size="10" '
                  f'fill="#57606a">{xml_text(_fit(node.detail, box.w - 16, 5.8))}</text>')
    return (f'<g class="node" id="hadr-{node.id}" data-count="{node.count}"{severity}>'
            f"<title>{xml_text(node.tooltip())}</title>"
            f'<rect x="{box.x:.0f}" y="{box.y:.0f}" width="{box.w:.0f}" height="{box.h:.0f}" '
            f'rx="5" fill="{fill}" stroke="{stroke}" stroke-width="{width}"{dash}/>'
            f'<text x="{box.x + 8:.0f}" y="{box.y + 18:.0f}" font-size="12" fill="#1f2328">'
            f"{xml_text(_fit(node.label, box.w - (38 if node.findings else 16)))}</text>"
            f"{detail}{_badge(node, box)}</g>")


def _badge(node: Node, box: _Box) -> str:
    """The number of findings in a circle of the worst severity's colour, top right."""
    if not node.findings:
        return ""
    stroke, _ = COLOURS[node.severity]
    cx, cy = box.x + box.w - 14, box.y + 15
    return (f'<circle cx="{cx:.0f}" cy="{cy:.0f}" r="9" fill="{stroke}"/>'
            f'<text x="{cx:.0f}" y="{cy + 3.5:.0f}" font-size="10" font-weight="700" '
            f'text-anchor="middle" fill="#ffffff">{min(node.findings, 99)}</text>')


def _anchor(box: _Box, toward: tuple[float, float]) -> tuple[float, float]:
    """Where the line from the box's centre toward a point leaves the box."""
    cx, cy = box.x + box.w / 2, box.y + box.h / 2
    dx, dy = toward[0] - cx, toward[1] - cy
    if dx == 0 and dy == 0:
        return cx, cy
    scale = min(box.w / 2 / abs(dx) if dx else float("inf"),
                box.h / 2 / abs(dy) if dy else float("inf"))
    return cx + dx * scale, cy + dy * scale


def _svg_edges(edges: list[Edge], nodes: dict[str, _Box]) -> list[str]:
    out = ['<g class="edges" fill="none">']
    for edge in edges:
        a, b = nodes[edge.source], nodes[edge.target]
        ca, cb = (a.x + a.w / 2, a.y + a.h / 2), (b.x + b.w / 2, b.y + b.h / 2)
        (x1, y1), (x2, y2) = _anchor(a, cb), _anchor(b, ca)
        mx, my = (x1 + x2) / 2, (y1 + y2) / 2
        length = max(1.0, ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5)
        bend = min(60.0, length / 5)
        qx, qy = mx - (y2 - y1) / length * bend, my + (x2 - x1) / length * bend
        colour = EDGE_COLOURS.get(edge.kind, "#57606a")
        dash = ' stroke-dasharray="6 4"' if edge.kind in ("replication", "backup") else ""
        width = 2.2 if edge.kind == "failover" else 1.6
        lx, ly = (mx + qx) / 2, (my + qy) / 2
        text_w = len(edge.label) * 5.8 + 8
        out.append(
            f'<g class="edge" data-kind="{edge.kind}" data-source="{edge.source}" '
            f'data-target="{edge.target}"><title>{xml_text(edge.label)}</title>'
            f'<path d="M{x1:.1f},{y1:.1f} Q{qx:.1f},{qy:.1f} {x2:.1f},{y2:.1f}" '
            f'stroke="{colour}" stroke-width="{width}"{dash} '
            f'marker-end="url(#hadr-arrow-{edge.kind})" opacity="0.85"/>'
            f'<rect x="{lx - text_w / 2:.1f}" y="{ly - 8:.1f}" width="{text_w:.1f}" '
            f'height="14" rx="3" fill="#ffffff" opacity="0.9"/>'
            f'<text x="{lx:.1f}" y="{ly + 3:.1f}" font-size="10" text-anchor="middle" '
            f'fill="{colour}">{xml_text(edge.label)}</text></g>')
    out.append("</g>")
    return out


def _legend(y: float) -> list[str]:
    out = [f'<g class="legend" transform="translate({PAD},{y:.0f})" font-size="11">']
    x = 0
    for name in ("error", "warning", "note", None):
        stroke, fill = COLOURS[name]
        out.append(f'<rect x="{x}" y="0" width="14" height="14" rx="3" fill="{fill}" '
                   f'stroke="{stroke}" stroke-width="2"/>'
                   f'<text x="{x + 20}" y="11" fill="#1f2328">{name or "no finding"}</text>')
        x += 100
    for kind, colour in EDGE_COLOURS.items():
        dash = ' stroke-dasharray="6 4"' if kind in ("replication", "backup") else ""
        out.append(f'<line x1="{x}" y1="7" x2="{x + 26}" y2="7" stroke="{colour}" '
                   f'stroke-width="2"{dash}/><text x="{x + 32}" y="11" fill="#1f2328">{kind}'
                   f"</text>")
        x += 118
    out.append('<text x="0" y="34" fill="#57606a">×N: N resources of one kind in the same '
               "place (hover for the list). Dashed node: a copy outside the scanned files."
               "</text>")
    out.append("</g>")
    return out


# ----- the posture report ------------------------------------------------------------------------
LEGEND = ("Red: error, orange: warning, blue: note. ×N: N resources of one kind in the same "
          "place. Dashed arrows: replication and backup copies; thick arrows: DNS failover.")


def for_report(result, output_format: str) -> list[str]:
    """The architecture section of ``hadr-lint report``: a ```mermaid block (GitHub and GitLab
    draw it in pull-request comments) for markdown, the inline SVG for html."""
    graph = getattr(result, "graph", None)
    if graph is None or not graph.resources():
        return []
    findings, config = result.findings, getattr(result, "config", None)
    if output_format == "html":
        return ["<h2>Architecture</h2>", svg(graph, findings, config, standalone=False),
                '<p class="muted">Hover a box for its resources and their findings.</p>']
    return ["## Architecture", "", "```mermaid", mermaid(graph, findings, config).rstrip(),
            "```", "", LEGEND, ""]
