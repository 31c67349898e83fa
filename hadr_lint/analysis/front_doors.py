"""Routing between regions without DNS records: Global Accelerator endpoint groups (always
health-checked) and CloudFront origin groups with failover criteria. The objectives' building
blocks count them like health-checked Route 53 routing.

``front_door_routes(graph, resources, config)`` yields a ``FrontDoor`` per accelerator (all its
endpoint groups) and per CloudFront origin group with failover criteria: the resource, what it
is, and the regions it routes to (region names, or Unknowns).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from hadr_lint.analysis.region_scope import endpoint_region, value_region
from hadr_lint.model import Resource, Unknown, existence


@dataclass(frozen=True)
class FrontDoor:
    resource: Resource
    what: str
    regions: tuple[Any, ...]

    @property
    def known(self) -> list[str]:
        return sorted({r for r in self.regions if isinstance(r, str)})

    @property
    def unknown(self) -> Unknown | None:
        return next((r for r in self.regions if isinstance(r, Unknown)), None)


def front_door_routes(graph, resources: Iterable[Resource], config: Any) -> Iterator[FrontDoor]:
    resources = list(resources)
    groups = [r for r in resources if r.kind == "ga_endpoint_group"]
    if groups:
        yield FrontDoor(groups[0], "Global Accelerator endpoint groups",
                        tuple(_group_region(g) for g in groups))
    for cdn in (r for r in resources if r.kind == "cdn_distribution"):
        origins = cdn.get("failover_origins")
        if isinstance(origins, Unknown):
            yield FrontDoor(cdn, "CloudFront origin failover", (origins,))
            continue
        for members in origins or []:
            yield FrontDoor(cdn, "CloudFront origin failover",
                            tuple(_origin_region(graph, m, config) for m in members))


def _group_region(group: Resource) -> Any:
    if existence(group) is not True:
        return existence(group)
    endpoints = group.get("endpoints")
    if isinstance(endpoints, Unknown):
        return endpoints
    if not endpoints:
        return Unknown(f"{group.name} has no endpoints in the scanned files")
    region = group.get("group_region")
    if region is None:
        return group.region if isinstance(group.region, str) else Unknown(
            f"region of {group.name} unknown")
    return region


def _origin_region(graph, domain: Any, config: Any) -> Any:
    if isinstance(domain, str):
        return endpoint_region(domain) or Unknown(f"the region of origin {domain} cannot be told")
    return value_region(graph, domain, config)
