"""Small helpers rules share: required AZ counts, naming zones, reading a resource's region."""

from __future__ import annotations

from typing import Any

from hadr_lint.graph import ZoneSet
from hadr_lint.model import AZ, Resource
from hadr_lint.regions import FEWEST_AZS, az_count, region_of_az_name


def region_of(resource: Resource, zones: ZoneSet | None = None) -> str | None:
    """The resource's region when known: its provider's, or the one its AZ names imply."""
    if isinstance(resource.region, str):
        return resource.region
    for zone in zones.zones if zones else ():
        if isinstance(zone, AZ) and zone.region:
            return zone.region
        if isinstance(zone, str) and region_of_az_name(zone):
            return region_of_az_name(zone)
    return None


def required_azs(wanted: int, region: str | None) -> tuple[int, str]:
    """``min_azs`` capped by the AZs the region has; the second item explains a cap."""
    available = az_count(region)
    if available is not None and available < wanted:
        return available, f" (min_azs {wanted} capped to the {available} AZs of {region})"
    return wanted, ""


def certain_required(wanted: int, region: str | None) -> tuple[int, str]:
    """The fewest AZs below which a spread is certainly too small: ``required_azs`` where the
    region's AZ count is known; else ``min_azs`` capped by the fewest AZs any region has (2 AZs
    in an unknown region may be all that region has). The second item explains a cap."""
    if az_count(region) is not None or wanted <= FEWEST_AZS:
        return required_azs(wanted, region)
    return FEWEST_AZS, f" (region unknown: some regions have only {FEWEST_AZS} AZs)"


def zone_names(zones: ZoneSet) -> str:
    return ", ".join(sorted(str(z) for z in zones.zones)) or "none"


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def is_set(value: Any) -> bool:
    """True when an attribute is present (known or unknown), False when absent or empty."""
    return value not in (None, "", [], {})
