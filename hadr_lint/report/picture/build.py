"""Building the picture's ``Layout`` from the resource graph: where each resource sits (AZ box,
regional band, global, region unknown), the replication, failover and backup-copy edges each
service adds (``LINKERS``), then grouping into nodes."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from hadr_lint.analysis.backup_links import arn_parts, find_store
from hadr_lint.model import AZ, Resource, Unknown
from hadr_lint.regions import region_of_az_name
from hadr_lint.report.picture.fold import NODE_BUDGET, SUPPORTING, families, is_architecture
from hadr_lint.report.picture.model import (
    UNKNOWN_REGION,
    AzBox,
    Edge,
    Layout,
    Member,
    Node,
    RegionBox,
)

GLOBAL = "global"
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
# Kinds that live in one AZ unless set otherwise: "AZ not set" says where they are unknown.
ONE_AZ_KINDS = ("instance", "db_instance", "docdb_instance", "neptune_instance",
                "cache_cluster")
_REGION = re.compile(r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$")


@dataclass
class _Item:
    """One member before grouping: where it goes, and what it groups with."""

    place: tuple  # ("global",) | ("region", region) | ("az", region, sort key, label, zone)
    kind: str
    note: str
    member: Member
    synthetic: bool = False
    drawn: bool = True  # an architecture kind (``fold``); else folded unless an edge needs it


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
        self.items[resource.address] = _Item(place, kind, note, member,
                                             drawn=is_architecture(resource))

    def place(self, resource: Resource) -> tuple[tuple, str]:
        if is_global(resource):
            return (GLOBAL,), ""
        region = self.region(resource)
        if resource.kind == "other":
            return ((GLOBAL,) if region == UNKNOWN_REGION and _no_region(resource)
                    else ("region", region)), ""
        if resource.get("multi_az") is True:  # a standby in another AZ: not in one AZ box
            return ("region", region), "Multi-AZ"
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
        if resource.kind in ONE_AZ_KINDS:
            return ("region", region), "AZ not set"
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


def _no_region(resource: Resource) -> bool:
    """A Terraform resource of another provider than AWS (random, time, null, tls...): it has
    no region, like IAM."""
    return resource.source in ("terraform", "plan") and resource.type != "module" and \
        not resource.type.startswith("aws_")


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


def layout(graph, findings: Iterable[Any] = (), config: Any = None,
           budget: int = NODE_BUDGET) -> Layout:
    """The picture's structure: regions -> AZ boxes -> grouped nodes, global nodes, edges.
    Plumbing is folded into one supporting node per region (``fold``); beyond ``budget``
    nodes, resources are grouped further (``_groups``)."""
    builder = _Builder(graph, findings, config)
    resources = graph.resources()
    for resource in resources:
        builder.add(resource)
    for linker in LINKERS:
        linker(builder)
    return _assemble(builder, len(resources), budget)


def _fold(builder: _Builder) -> tuple[dict[str, _Item], list[Member]]:
    """The items to draw, plumbing moved into its region's supporting node; the folded
    members. An end of a replication, backup or failover edge is always drawn."""
    ends = {key for source, target, _, _ in builder.links for key in (source, target)}
    items, folded = {}, []
    for key, item in builder.items.items():
        if item.drawn or item.synthetic or key in ends:
            items[key] = item
            continue
        place = item.place if item.place[0] != "az" else ("region", item.place[1])
        items[key] = _Item(place, SUPPORTING, "", item.member)
        folded.append(item.member)
    return items, folded


def _groups(items: dict[str, _Item], level: int) -> dict[tuple, list[tuple[str, _Item]]]:
    """Level 0: one node per kind, place, AZ note (small groups drawn one by one); level 1:
    one node per kind and place; level 2: also single-AZ resources grouped per region."""
    groups: dict[tuple, list[tuple[str, _Item]]] = {}
    for key, item in items.items():
        place, note = item.place, item.note
        if level >= 1:
            note = ""
        if level >= 2 and place[0] == "az":
            place, note = ("region", place[1]), "one AZ each"
        groups.setdefault((place, item.kind, note, item.synthetic), []).append((key, item))
    return groups


def _chunks(kind: str, items: list[tuple[str, _Item]], level: int) -> list[list]:
    items.sort(key=lambda entry: (entry[1].member.name, entry[1].member.file,
                                  entry[1].member.line))
    distinct = {i.member.name for _, i in items}
    apart = level == 0 and kind != SUPPORTING and len(items) < GROUP_MIN and \
        len(distinct) == len(items)
    return [[entry] for entry in items] if apart else [items]


def _within_budget(items: dict[str, _Item], budget: int) -> tuple[dict, int, list[int]]:
    """The grouping at the first level whose node count fits ``budget`` (else the last)."""
    counts: list[int] = []
    for level in range(3):
        groups = _groups(items, level)
        counts.append(sum(len(_chunks(k[1], list(v), level)) for k, v in groups.items()))
        if counts[-1] <= budget:
            break
    return groups, level, counts


def _notes(folded: list[Member], level: int, counts: list[int], budget: int) -> list[str]:
    notes = []
    if folded:
        many = len(folded) > 1
        notes.append(f"{len(folded)} supporting resource{'s' if many else ''} "
                     f"({families(folded)}) {'are' if many else 'is'} folded into one node "
                     "per region; its tooltip and `hadr-lint graph --format json` list them.")
    if level:
        grouped = "resources of one kind in one place are grouped (×N)" + (
            "; single-AZ resources are grouped per region, without AZ boxes"
            if level >= 2 else "")
        notes.append(f"{counts[0]} nodes exceed the node budget of {budget}: {grouped}.")
    if counts[-1] > budget:
        notes.append(f"Still {counts[-1]} nodes after grouping.")
    return notes


def _assemble(builder: _Builder, count: int, budget: int) -> Layout:
    items, folded = _fold(builder)
    groups, level, counts = _within_budget(items, budget)
    regions: dict[str, dict] = {}
    global_nodes: list[Node] = []
    node_of: dict[str, Node] = {}
    counter = iter(range(1, 1_000_000))
    for (place, kind, note, synthetic), entries in sorted(groups.items(), key=_group_order):
        for chunk in _chunks(kind, entries, level):
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
                  _edges(_references(builder.graph), node_of),
                  _notes(folded, level, counts, budget))


def _references(graph) -> list[tuple[str, str, str, str]]:
    """The graph's reference edges, without those an identity string may have matched by
    chance (two resources both named "orders-dr")."""
    skip = {"name", "identifier", "id", "arn", "record_name"}
    return [(s, t, d["relation"], "reference") for s, t, d in graph.nx.edges(data=True)
            if d["relation"] not in skip]


def _group_order(entry) -> tuple:
    (place, kind, note, synthetic), items = entry
    return (place[0] != GLOBAL, str(place[1:]), synthetic, kind == SUPPORTING, kind, note)


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
