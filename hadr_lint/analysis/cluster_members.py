"""The instances of a database cluster (Aurora, DocumentDB, Neptune) and the zones they are pinned
to: HA006 and HA014 count them the same way.

``instances(graph, cluster, member_kind)`` returns ``(count, zones)``: the number of member
instances (an ``Unknown`` when a member's ``count``/``for_each`` or cluster is unknown) and the
``availability_zone`` of each (None: not pinned). Members are the resources of ``member_kind``
whose ``cluster`` refers to the cluster, by reference or by its identifier.
``autoscaled_readers(graph, cluster, dimension)`` is the minimum a read-replica auto scaling
target keeps. ``single_zone(zones)`` is the one zone every instance is pinned to, else None.
"""

from __future__ import annotations

from typing import Any

from hadr_lint.analysis.az_spread import same_unit
from hadr_lint.model import Resource, Unknown


def members(graph, cluster: Resource, member_kind: str) -> list[Resource]:
    found = {r.address: r for r in graph.sources(cluster, relation="cluster", kind=member_kind)}
    name = cluster.get("identifier")
    if isinstance(name, str):
        for db in graph.resources(member_kind):
            if db.get("cluster") == name:
                found.setdefault(db.address, db)
    return sorted(found.values(), key=lambda r: r.address)


def autoscaled_readers(graph, cluster: Resource, dimension: str) -> int | Unknown:
    """The minimum number of readers a read-replica scaling target keeps."""
    if cluster.get("autoscaling_min_readers") is not None:
        return cluster.get("autoscaling_min_readers")
    name = cluster.get("identifier")
    linked = {t.address: t for t in graph.sources(cluster, kind="scaling_target")}
    for target in graph.resources("scaling_target"):
        resource_id = target.get("resource_id")
        if isinstance(name, str) and resource_id == f"cluster:{name}":
            linked.setdefault(target.address, target)
        elif target.get("dimension") == dimension and target.address not in linked and (
                isinstance(resource_id, Unknown) or isinstance(name, Unknown)) and same_unit(
                target, cluster) and not any(  # "cluster:${...}" mentioning another cluster
                    other.kind == cluster.kind for other in graph.targets(target)):
            return Unknown(f"the cluster {target.name} scales is unknown")
    total = 0
    for target in linked.values():
        if target.get("dimension") != dimension:
            continue
        minimum = target.get("min_capacity")
        if isinstance(minimum, Unknown):
            return minimum
        total += minimum if isinstance(minimum, int) else 0
    return total


def instances(graph, cluster: Resource, member_kind: str) -> tuple[int | Unknown, list]:
    """How many instances the cluster has, and the AZ each one is pinned to (None: not pinned)."""
    count = cluster.get("instance_count")
    if count is not None:
        zones = cluster.get("instance_zones")
        return count, zones if isinstance(zones, list) else [None]
    found = members(graph, cluster, member_kind)
    for db in found:
        if db.get("count_unknown"):
            return Unknown(f"the count of {db.name} is unknown: {db.get('count_unknown')}"), []
    if len(found) < 2:
        stray = next((db for db in graph.resources(member_kind)
                      if isinstance(db.get("cluster"), Unknown)
                      and graph.resolve(db.get("cluster")) is None), None)
        if stray is not None:
            return Unknown(f"the cluster of {stray.name} is unknown"), []
    return len(found), [db.get("availability_zone") for db in found]


def single_zone(zones: list[Any]) -> str | None:
    """The zone all instances are pinned to, when every one is pinned to the same known zone."""
    if not zones or any(z is None or isinstance(z, Unknown) for z in zones):
        return None
    pinned = {str(z) for z in zones}
    return pinned.pop() if len(pinned) == 1 else None
