"""The resource graph: resources as nodes, references as named edges, AZs resolved.

An edge ``a -[relation]-> b`` says a canonical attribute ``relation`` of ``a`` refers to ``b``
(by a Ref, or by an id/ARN/name string that a scanned resource carries). References from raw
attributes that no canonical attribute covers become ``references`` edges.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from hadr_lint.model import (
    AZ,
    MaybeAbsent,
    OneOf,
    Prefixed,
    Ref,
    Resource,
    Undefined,
    Unknown,
    iter_refs,
)

IDENTITY_KEYS = ("id", "arn", "name", "identifier")
# Kinds whose subnet list the API joins into one comma-separated string (an Auto Scaling group's
# VPCZoneIdentifier): one item of unknown text, such as an imported "subnet-a,subnet-b", may
# be several subnets, so it does not count as one.
JOINED_SUBNETS = ("autoscaling_group", "beanstalk_environment")


@dataclass(frozen=True)
class ZoneSet:
    """The distinct AZs a resource runs in, and why some could not be resolved.

    ``unlocated`` counts the subnets (or zone names) whose zone is unknown but which are each one
    subnet (a list written with N items, a subnet that sets no known zone): each adds at most one
    zone. None when an unknown stands for an unknown number of them (a whole list unknown).
    """

    zones: frozenset
    unknown: tuple[str, ...] = ()
    unlocated: int | None = 0
    unit: str = "subnet"

    @property
    def known(self) -> bool:
        return not self.unknown

    @property
    def most(self) -> int | None:
        """At most this many distinct AZs, whatever the unknown zones are (N subnets span at
        most N AZs); None when nothing bounds it."""
        if self.unlocated is None:
            return None
        return len(self.zones) + self.unlocated


class Graph:
    """A multigraph of resources (one edge per source, target and relation), with the look-ups
    rules need; ``nx`` is the same graph as a networkx MultiDiGraph."""

    def __init__(self, resources: Iterable[Resource]) -> None:
        self._by_address: dict[str, Resource] = {}
        self._succ: dict[str, dict[str, dict[str, None]]] = {}  # source -> target -> relations
        self._pred: dict[str, dict[str, dict[str, None]]] = {}  # target -> source -> relations
        self._edges: list[tuple[str, str, str]] = []
        self._memo: dict[str, Any] = {}
        for resource in resources:
            self._by_address[resource.address] = resource
        self._by_identity = self._identity_index()
        for resource in self._by_address.values():
            self._add_edges(resource)

    # ----- building -----
    def _identity_index(self) -> dict[str, tuple[str, ...]]:
        """Known id / ARN / name strings -> the resources carrying them (names repeat across
        kinds: a subnet group and a vault may both be called "main")."""
        index: dict[str, list[str]] = {}
        for resource in self._by_address.values():
            for value in _identities(resource):
                found = index.setdefault(value, [])
                if resource.address not in found:
                    found.append(resource.address)
        return {value: tuple(addresses) for value, addresses in index.items()}

    def _add_edges(self, resource: Resource) -> None:
        linked: set[str] = set()
        for relation, value in resource.attributes.items():
            for target in self._targets_in(value):
                self._add_edge(resource.address, target, relation)
                linked.add(target)
        for ref in iter_refs(dict(resource.raw)):
            referred = self._address_of(ref.address)
            if referred and referred not in linked and referred != resource.address:
                self._add_edge(resource.address, referred, "references")
                linked.add(referred)

    def _add_edge(self, source: str, target: str, relation: str) -> None:
        relations = self._succ.setdefault(source, {}).setdefault(target, {})
        if relation not in relations:
            relations[relation] = None
            self._pred.setdefault(target, {}).setdefault(source, {})[relation] = None
            self._edges.append((source, target, relation))

    @functools.cached_property
    def nx(self) -> Any:
        """The graph as a networkx MultiDiGraph (edge key and "relation" = the relation), built
        on first use: importing networkx costs 0.1 s, and scans do not need it."""
        import networkx  # start-up: 0.1 s, only when a caller asks for the networkx view

        graph: networkx.MultiDiGraph[str] = networkx.MultiDiGraph()
        for address, resource in self._by_address.items():
            graph.add_node(address, resource=resource)
        for source, target, relation in self._edges:
            graph.add_edge(source, target, key=relation, relation=relation)
        return graph

    def _targets_in(self, value: Any) -> list[str]:
        found = []
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, Prefixed) and item.whole:
                item = item.ref  # an argument of that resource, unknown: it still names it
            if isinstance(item, Ref):
                if item.address in self._by_address:
                    found.append(item.address)
            elif isinstance(item, str):
                found.extend(self._by_identity.get(item, ()))
        return found

    def _address_of(self, address: str) -> str | None:
        if address in self._by_address:
            return address
        return None

    # ----- look-ups -----
    def resolve(self, value: Any, *kinds: str) -> Resource | None:
        """The scanned resource a Ref or an id/ARN/name string designates, if any.

        A string carried by several resources resolves only when ``kinds`` narrows it to one;
        an ambiguous string resolves to None (callers treat that as unresolved, never guess).
        An unknown argument read from a resource (a ``Prefixed`` with nothing after its
        reference) designates that resource.
        """
        if isinstance(value, Prefixed) and value.whole:
            value = value.ref
        if isinstance(value, Ref):
            found = self._by_address.get(value.address)
            return found if found is not None and (not kinds or found.kind in kinds) else None
        if not isinstance(value, str):
            return None
        candidates = [self._by_address[a] for a in self._by_identity.get(value, ())]
        if kinds:
            candidates = [r for r in candidates if r.kind in kinds]
        managed = [r for r in candidates if not is_data(r)]
        candidates = managed or candidates  # a data source that reads a managed one: the latter
        return candidates[0] if len(candidates) == 1 else None

    def may_designate(self, value: Any, target: Resource | None = None,
                      resolve: Callable[[Any], Resource | None] | None = None) -> bool:
        """Whether an unknown value may be (the id, ARN or name of) one of the scanned resources,
        or, given ``target``, that one: an Unknown may be any of them, but a reference to an
        address that no scanned file defines (``Undefined``: ``aws_s3_bucket.destination.arn``
        with no such bucket) is none of them, and one of several values (``OneOf``, a
        ``MaybeAbsent``'s present value: a condition decides) is only what each may be. A
        known value is what ``resolve`` (default: ``Graph.resolve`` to ``target``'s kind) says
        it is; without ``target``, a known value designates nothing (a known option of a
        ``OneOf`` may be any resource)."""
        options = value.options if isinstance(value, OneOf) else [value.value] \
            if isinstance(value, MaybeAbsent) and value.value is not None else None
        if options is not None:
            return any(self._option_may_designate(v, target, resolve) for v in _flat(options))
        if isinstance(value, Undefined):
            return value.address in self._by_address and (
                target is None or target.address == value.address)
        if isinstance(value, Unknown):
            return True
        if value is None:
            return False
        if resolve is not None:
            found = resolve(value)
            return found is not None and (target is None or found is target)
        return target is not None and self.resolve(value, target.kind) is target

    def _option_may_designate(self, value: Any, target: Resource | None,
                              resolve: Callable[[Any], Resource | None] | None) -> bool:
        """One option of a OneOf: a known option, asked about no resource in particular, may be
        any (which one it names is the caller's question, with ``target``)."""
        if target is None and resolve is None and value is not None and \
                not isinstance(value, Unknown):
            return True
        return self.may_designate(value, target, resolve)

    def memo(self, key: str, compute: Any) -> Any:
        """What ``compute()`` derives from the whole graph, computed once: an index several
        rules (or one rule per resource) read."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def data_sources(self) -> list[Resource]:
        """Data sources read in a plan, by address: never judged, only resolved to."""
        return sorted((r for r in self._by_address.values() if is_data(r)),
                      key=lambda r: r.address)

    def get(self, address: str) -> Resource | None:
        return self._by_address.get(address)

    def resources(self, *kinds: str) -> list[Resource]:
        """The managed resources (of ``kinds``): what rules judge. Data sources read in a plan
        are only there to resolve ids and references (``resolve``, ``zones``)."""
        if not hasattr(self, "_by_kind"):  # rules ask per resource: index once, not n times
            self._by_kind: dict[str, list[Resource]] = {}
            for resource in sorted(self._by_address.values(), key=lambda r: r.address):
                if not is_data(resource):
                    self._by_kind.setdefault(resource.kind, []).append(resource)
        if not kinds:
            return sorted((r for r in self._by_address.values() if not is_data(r)),
                          key=lambda r: r.address)
        found = [r for kind in dict.fromkeys(kinds) for r in self._by_kind.get(kind, ())]
        return found if len(kinds) == 1 else sorted(found, key=lambda r: r.address)

    def targets(self, resource: Resource, relation: str | None = None) -> list[Resource]:
        return [
            self._by_address[target]
            for target, relations in self._succ.get(resource.address, {}).items()
            for name in relations
            if relation is None or name == relation
        ]

    def sources(
        self, resource: Resource, relation: str | None = None, kind: str | None = None
    ) -> list[Resource]:
        found = [
            self._by_address[source]
            for source, relations in self._pred.get(resource.address, {}).items()
            for name in relations
            if relation is None or name == relation
        ]
        return [r for r in found if kind is None or r.kind == kind]

    # ----- availability zones -----
    def zones(self, resource: Resource) -> ZoneSet:
        """Distinct AZs of a resource: its own AZ, its subnets' AZs, or its AZ list."""
        if resource.kind == "subnet":
            return self._subnet_zone(resource)
        subnets = resource.get("subnets")
        if subnets:
            return self._zones_of_subnets(subnets, resource.kind in JOINED_SUBNETS)
        listed = resource.get("availability_zones")
        if listed:
            return _zones_of_names(listed)
        single = resource.get("availability_zone")
        if single is not None:
            return _zones_of_names([single])
        return ZoneSet(frozenset(), ("no subnets or availability zones set",), None)

    def _subnet_zone(self, subnet: Resource) -> ZoneSet:
        zone = subnet.get("availability_zone")
        if zone is None:
            zone = subnet.get("availability_zone_id")
        if zone is None:
            return ZoneSet(frozenset(), (f"{subnet.name} sets no availability zone",), 1)
        return _zones_of_names([zone])

    def _zones_of_subnets(self, subnets: Any, joined: bool = False) -> ZoneSet:
        if isinstance(subnets, Unknown):
            return ZoneSet(frozenset(), (subnets.reason,), None)
        zones: set = set()
        unknown: list[str] = []
        unlocated: int | None = 0
        for item in subnets:
            subnet = self.resolve(item, "subnet")
            if subnet is None:
                unknown.append(_unresolved(item))
                unlocated = _add(unlocated, 1 if _one_item(item, joined) else None)
                continue
            found = self._subnet_zone(subnet)
            zones |= found.zones
            unknown.extend(found.unknown)
            unlocated = _add(unlocated, 1 if found.unknown else 0)
        return ZoneSet(frozenset(zones), tuple(dict.fromkeys(unknown)), unlocated)


def is_data(resource: Resource) -> bool:
    """A data source (read in a plan), not a resource the configuration manages."""
    return resource.meta.get("mode") == "data"


def _identities(resource: Resource) -> list[str]:
    found = []
    for key in IDENTITY_KEYS:
        value = resource.raw.get(key)
        if isinstance(value, str) and value:
            found.append(value)
    for key in ("name", "identifier"):
        value = resource.attributes.get(key)
        if isinstance(value, str) and value and value not in found:
            found.append(value)
    return found


def _unresolved(item: Any) -> str:
    if isinstance(item, Unknown):
        return item.reason
    if isinstance(item, Ref):
        return f"{item.address} is not among the scanned resources"
    return f"subnet {item} is not defined in the scanned files"


def _one_item(item: Any, joined: bool = False) -> bool:
    """An unresolved item of a subnet list that is certainly one subnet: an unknown element of
    a list written item by item, an id string, or the id of a resource not scanned. A reference
    to another attribute (``aws_eks_cluster.x.vpc_config[0].subnet_ids``) may be a whole list.
    Where items are ``joined`` (``JOINED_SUBNETS``), text may hold several ids: only a known
    string without a comma, or a resource's id, is one subnet."""
    if isinstance(item, Ref):
        return item.attribute == "id"
    if joined:
        return isinstance(item, str) and "," not in item
    return isinstance(item, (Unknown, str))


def _add(total: int | None, more: int | None) -> int | None:
    return None if total is None or more is None else total + more


def _zones_of_names(names: Any) -> ZoneSet:
    if isinstance(names, Unknown):
        return ZoneSet(frozenset(), (names.reason,), None, "availability zone")
    zones = set()
    unknown = []
    unlocated: int | None = 0
    for name in names if isinstance(names, list) else [names]:
        if isinstance(name, (str, AZ)):
            zones.add(name)
        elif isinstance(name, Unknown):
            unknown.append(name.reason)
            unlocated = _add(unlocated, 1)
        else:
            unknown.append(f"availability zone {name} cannot be resolved")
            unlocated = None
    return ZoneSet(frozenset(zones), tuple(dict.fromkeys(unknown)), unlocated, "availability zone")


def _flat(values: Any) -> list[Any]:
    """The items of ``values`` with nested lists and mappings opened (a OneOf's option may be
    a list, or a mapping such as ``{bucket, account}``)."""
    found: list[Any] = []
    todo = list(values)[::-1]
    while todo:
        item = todo.pop()
        if isinstance(item, (list, tuple)):
            todo.extend(list(item)[::-1])
        elif isinstance(item, dict):
            todo.extend(list(item.values())[::-1])
        else:
            found.append(item)
    return found
