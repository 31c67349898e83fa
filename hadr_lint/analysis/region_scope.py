"""Helpers the region-scope rules (DR001-DR007) share: regions, ARNs, DNS records, copies.

Regions: ``region_of(resource, config)`` is the resource's region, or the configured
``objectives.primary_region`` for a CloudFormation template deployed to an unspecified region,
else an ``Unknown``. ``value_region(graph, value, config)`` is the region of what a value
designates: a Ref or an id/name/ARN string of a scanned resource, else the region field of an ARN.

DNS: ``dns_entries(graph)`` yields one ``DnsEntry`` per record, for ``dns_record`` resources and
for each member of a ``dns_record_group``; ``entry.key`` is (zone, name, type) or an Unknown.

AWS Backup: ``backup_coverage`` and ``is_covered`` live in ``analysis.backup_links`` and are
re-exported here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from hadr_lint.analysis.backup_links import (
    BACKUP_KINDS,
    arn_parts,
    backup_coverage,
    find_store,
    is_covered,
)
from hadr_lint.model import REGION_FALLBACK, Ref, Resource, Unknown
from hadr_lint.objectives.declare import workloads
from hadr_lint.ruleutil import is_set

__all__ = [
    "BACKUP_KINDS", "DnsEntry", "arn_parts", "backup_coverage", "dns_entries", "find_store",
    "is_covered", "region_of", "copy_strategies", "value_region",
]

COPY_STRATEGIES = ("pilot-light", "warm-standby", "active-active")
GLOBAL_KINDS = ("cdn_distribution", "global_accelerator")
_REGION = re.compile(r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$")
_ENDPOINT_REGION = re.compile(
    r"\.((?:[a-z]{2}(?:-gov)?-[a-z]+-\d))\.(?:elb|elasticbeanstalk|execute-api|"
    r"s3-website|awsglobalaccelerator)?[.a-z]*amazonaws\.com\.?$"
)
_S3_WEBSITE = re.compile(r"s3-website[.-]([a-z]{2}(?:-gov)?-[a-z]+-\d)\.amazonaws\.com\.?$")


# ----- regions -----------------------------------------------------------------------------------
def is_region(value: Any) -> bool:
    return isinstance(value, str) and bool(_REGION.match(value))


def region_of(resource: Resource, config: Any) -> Any:
    """The resource's region: a string, or an Unknown saying why not."""
    region = resource.region
    if isinstance(region, str) and region:
        return region
    if isinstance(region, Unknown) and region.kind == REGION_FALLBACK:
        primary = (getattr(config, "objectives", None) or {}).get("primary_region")
        if isinstance(primary, str) and primary:
            return primary
    if isinstance(region, Unknown):
        return region
    return Unknown(f"region of {resource.name} unknown")


def value_region(graph, value: Any, config: Any, kinds: tuple[str, ...] = ()) -> Any:
    """The region of the resource ``value`` designates, or the region field of an ARN."""
    if isinstance(value, Unknown):
        return value
    target = find_store(graph, value, kinds) if kinds else graph.resolve(value)
    if target is not None:
        return region_of(target, config)
    if isinstance(value, Ref):
        return Unknown(f"{value.address} is not among the scanned resources")
    parts = arn_parts(value)
    if parts and is_region(parts["region"]):
        return parts["region"]
    if isinstance(value, str) and is_region(value):
        return value
    return Unknown(f"the region of {value} cannot be told from the scanned files")


def endpoint_region(name: Any) -> str | None:
    """The region an AWS endpoint name carries (ELB, API Gateway, S3 website), else None."""
    if not isinstance(name, str):
        return None
    found = _S3_WEBSITE.search(name) or _ENDPOINT_REGION.search(name.lower())
    return found.group(1) if found else None


def copy_strategies(graph: Any, config: Any) -> dict[str, str]:
    """Resource address -> the declared DR strategy of its workload, for the resources whose
    strategy needs live copies in another region. Every declaration counts: ``objectives`` and
    ``workloads`` in the configuration, a template's ``Metadata: HadrLint``, ``--strategy``."""
    found = {}
    for workload in workloads(graph.resources(), config):
        if workload.declared.strategy in COPY_STRATEGIES:
            found.update({r.address: workload.declared.strategy for r in workload.resources})
    return found


# ----- DNS ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DnsEntry:
    """One record: the resource that declares it and its canonical record attributes."""

    resource: Resource
    attrs: dict
    zone: Any
    zone_name: str | None = None

    def get(self, key: str, default: Any = None) -> Any:
        return self.attrs.get(key, default)

    @property
    def name(self) -> Any:
        """The record's name, made absolute when it is relative to a known zone name."""
        name = normal_name(self.attrs.get("record_name"))
        zone = self.zone_name
        if isinstance(name, str) and zone and name != zone and not name.endswith("." + zone):
            return f"{name}.{zone}"
        return name

    @property
    def label(self) -> str:
        name = self.attrs.get("record_name")
        kind = self.attrs.get("record_type")
        return f"{name if isinstance(name, str) else '?'} {kind if isinstance(kind, str) else '?'}"

    @property
    def key(self) -> Any:
        """(zone, name, type), or the first Unknown among them."""
        parts = (self.zone, self.name, self.attrs.get("record_type"))
        for part in parts:
            if isinstance(part, Unknown):
                return part
            if part is None:
                return Unknown("record without a zone, name or type")
        return parts

    @property
    def watched(self) -> Any:
        """True when a health check or an evaluated alias target watches the record."""
        check = self.attrs.get("health_check")
        evaluate = self.attrs.get("evaluate_target_health")
        if is_set(check) and not isinstance(check, Unknown) or evaluate is True:
            return True
        for value in (check, evaluate):
            if isinstance(value, Unknown):
                return value
        return False


def normal_name(name: Any) -> Any:
    if isinstance(name, str):
        return name.strip().lower().rstrip(".")
    if name is None or isinstance(name, Unknown):
        return name
    return Unknown(f"record name {name} known only after apply")


def dns_entries(graph) -> Iterator[DnsEntry]:
    for resource in graph.resources("dns_record", "dns_record_group"):
        zone, zone_name = zone_key(graph, resource), _zone_name(graph, resource)
        if resource.kind == "dns_record":
            yield DnsEntry(resource, dict(resource.attributes), zone, zone_name)
            continue
        records = resource.get("records")
        if isinstance(records, Unknown):
            yield DnsEntry(resource, {"record_name": records}, zone, zone_name)
            continue
        for record in records or []:
            yield DnsEntry(resource, dict(record), zone, zone_name)


def _zone_name(graph, resource: Resource) -> str | None:
    name = resource.get("zone_name")
    zone = resource.get("zone")
    target = graph.resolve(zone) if zone is not None else None
    if target is not None:
        name = target.get("name")
    name = normal_name(name)
    return name if isinstance(name, str) and name else None


def zone_key(graph, resource: Resource) -> Any:
    """The hosted zone as a comparable key: its name when known, else its identity."""
    zone, zone_name = resource.get("zone"), resource.get("zone_name")
    if isinstance(zone, Unknown):
        return zone
    if zone is not None:
        target = graph.resolve(zone)
        if target is not None:
            return ("res", target.address)
        if isinstance(zone, Ref):
            return ("ref", zone.address)
        return ("id", zone)
    if isinstance(zone_name, Unknown):
        return zone_name
    if isinstance(zone_name, str):
        return ("name", normal_name(zone_name))
    return Unknown("record without a hosted zone")


def maybe_same(a: DnsEntry, b: DnsEntry) -> bool:
    """Could two records with different keys be one name (its zone given two ways, or a name
    relative to its zone)? Then a missing partner is unverified, not a finding."""
    ka, kb = a.key, b.key
    if isinstance(ka, Unknown) or isinstance(kb, Unknown):
        return True
    if ka[2] != kb[2] or not _names_compatible(ka[1], kb[1]):
        return False
    za, zb = ka[0], kb[0]
    if za == zb:
        return True
    return za[0] != zb[0] or za[0] == "ref"


def _names_compatible(a: str, b: str) -> bool:
    """Equal, or one may be the other written relative to its zone."""
    return a == b or a.startswith(b + ".") or b.startswith(a + ".")


def target_region(graph, entry: DnsEntry, config: Any) -> Any:
    """The region an alias record points to; None for a global front door."""
    target = entry.get("alias_target")
    if target is None:
        return Unknown(f"{entry.label} is not an alias: its target's region is not known")
    if isinstance(target, Unknown):
        return target
    resource = graph.resolve(target)
    if resource is not None:
        if resource.kind in GLOBAL_KINDS:
            return None
        return region_of(resource, config)
    found = endpoint_region(target)
    if found:
        return found
    if isinstance(target, str) and target.lower().rstrip(".").endswith(
            ("cloudfront.net", "awsglobalaccelerator.com")):
        return None
    return Unknown(f"the region of alias target {target} cannot be told")


