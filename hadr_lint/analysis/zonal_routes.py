"""Route tables that send their subnets' traffic to a zonal next hop in another Availability
Zone (HA008: NAT gateways; HA017: Network Firewall and Gateway Load Balancer endpoints).

A next hop lives in one zone; a route table associated with subnets in other zones makes them
depend on that zone. ``zone_mismatch(graph, table, hop)`` follows the table's routes of one next
hop kind (``NAT``: the default route's ``nat_gateway``; ``ENDPOINT``: any route's
``vpc_endpoint``), resolves the next hops and the associated subnets to their zones, and
answers a ``Mismatch``: the subnet zones no next hop is in, the next hops' zones, and what is
unknown (a next hop or subnet that cannot be resolved, an unknown zone). A route table without
such routes or without associated subnets gives None.

A Network Firewall endpoint's id is only known after apply, but the evaluator knows which
subnet's endpoint a route picks when the configuration decides it (``FirewallEndpoint``): the
next hop is then placed by that subnet.
"""

from __future__ import annotations

from dataclasses import dataclass

from hadr_lint.model import FirewallEndpoint, Resource, Unknown

DEFAULT = "0.0.0.0/0"


@dataclass(frozen=True)
class Hop:
    """One kind of zonal next hop: the ``route`` attribute naming it, the ``route_table``
    attribute listing the inline routes' next hops, whether only the default route counts, and
    how messages name it."""

    attribute: str
    inline: str
    default_only: bool
    label: str


NAT = Hop("nat_gateway", "default_nat", True, "NAT gateway")
ENDPOINT = Hop("vpc_endpoint", "endpoint_routes", False, "endpoint")


@dataclass(frozen=True)
class Mismatch:
    hops: tuple[Resource, ...]     # the resolved next hops
    outside: frozenset             # subnet zones where no next hop is
    hop_zones: frozenset           # zones of the next hops
    hop_unknown: tuple[str, ...]   # next hops that cannot be resolved or placed
    unknown: tuple[str, ...]       # every reason, next hops' and subnets'


def next_hops(graph, table: Resource, hop: Hop) -> tuple[list[Resource], list[str]]:
    """The next hops of ``hop``'s kind a route table's routes go to, and what is unknown. A
    Network Firewall endpoint is given as the subnet it lives in."""
    found = list(graph.targets(table, hop.inline))
    unknown = []
    inline = table.get(hop.inline)
    if isinstance(inline, FirewallEndpoint):
        inline = [inline]
    if isinstance(inline, Unknown):
        unknown.append(f"inline routes unknown: {inline.reason}")
    elif isinstance(inline, list):
        for item in inline:
            if isinstance(item, FirewallEndpoint):
                _place(graph, item, found, unknown)
            elif isinstance(item, Unknown):
                unknown.append(f"{hop.label} of an inline route unknown: {item.reason}")
    for route in graph.sources(table, relation="route_table", kind="route"):
        destination, target = route.get("destination"), route.get(hop.attribute)
        if target is None or hop.default_only and destination != DEFAULT:
            continue
        resolved = graph.targets(route, hop.attribute)
        found.extend(resolved)
        if isinstance(target, FirewallEndpoint):
            _place(graph, target, found, unknown)
        elif isinstance(target, Unknown):
            unknown.append(f"{hop.label} of {route.name} unknown: {target.reason}")
        elif not resolved:
            unknown.append(f"{hop.label} {target} of {route.name} is not in the scanned files")
    return found, unknown


def _place(graph, endpoint: FirewallEndpoint, found: list[Resource],
           unknown: list[str]) -> None:
    """The subnet a Network Firewall endpoint lives in, added to ``found``; else why not."""
    subnet = graph.resolve(endpoint.subnet, "subnet")
    if subnet is not None:
        found.append(subnet)
    elif isinstance(endpoint.subnet, Unknown):
        unknown.append(f"subnet of {endpoint.firewall}'s endpoint unknown: "
                       f"{endpoint.subnet.reason}")
    else:
        unknown.append(f"subnet {endpoint.subnet} of {endpoint.firewall}'s endpoint is not in "
                       "the scanned files")


def subnets_of(graph, table: Resource) -> tuple[list[Resource], list[str]]:
    """The subnets associated with a route table, and the associations that cannot be
    resolved."""
    found, unknown = [], []
    for link in graph.sources(table, relation="route_table", kind="route_table_association"):
        resolved = graph.targets(link, "subnet")
        found.extend(resolved)
        if not resolved and link.get("subnet") is not None:
            unknown.append(f"subnet of {link.name} is not in the scanned files")
    return found, unknown


def zone_mismatch(graph, table: Resource, hop: Hop, hops: list[Resource] | None = None,
                  hop_unknown: list[str] | None = None) -> Mismatch | None:
    """How the zones of ``table``'s subnets and of its next hops compare; None when the table
    routes to no such next hop or has no subnets. ``hops``/``hop_unknown`` override the next
    hops found (a rule that sets some aside, such as regional NAT gateways)."""
    if hops is None:
        hops, hop_unknown = next_hops(graph, table, hop)
    hop_unknown = list(hop_unknown or [])
    if not hops and not hop_unknown:
        return None
    subnets, subnet_unknown = subnets_of(graph, table)
    if not subnets and not subnet_unknown:
        return None
    hop_zones = _zones(graph, hops, hop_unknown)
    subnet_zones = _zones(graph, subnets, subnet_unknown)
    reasons = tuple(dict.fromkeys(hop_unknown + subnet_unknown))
    return Mismatch(tuple(hops), frozenset(subnet_zones - hop_zones), frozenset(hop_zones),
                    tuple(hop_unknown), reasons)


def _zones(graph, resources: list[Resource], unknown: list[str]) -> set:
    found: set = set()
    for resource in resources:
        zones = graph.zones(resource)
        found |= zones.zones
        unknown.extend(zones.unknown)
    return found


def shown(zones: frozenset) -> str:
    return ", ".join(sorted(str(z) for z in zones))
