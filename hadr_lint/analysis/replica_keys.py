"""The KMS keys of cross-region replicas of encrypted databases and tables (DR009).

A KMS key lives in one region, and a replica can only be encrypted with a key of its own region.
``replica_keys(graph, config)`` yields one ``ReplicaKey`` per replica that names a key:

* an RDS read replica (``replicate_source``) and an Aurora replica cluster
  (``replication_source``): its ``kms_key`` against its source;
* every member cluster of an Aurora global database: its ``kms_key`` against its own region
  and, for a secondary, the source's key (the source: the global database's
  ``source_cluster``, else the first member by address);
* a DynamoDB global table replica: each ``replica_keys`` entry, and each
  ``aws_dynamodb_table_replica``'s ``kms_key``, against the table.

``key_region(graph, value, config)`` says where a key named by ``value`` lives: a region, an
``Unknown``, or None for an alias or bare key id (AWS looks those up in the replica's own
region, so they name a key there).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from hadr_lint.analysis.backup_links import arn_parts
from hadr_lint.analysis.copies import global_group
from hadr_lint.analysis.region_scope import find_store, is_region, region_of, value_region
from hadr_lint.model import Ref, Resource, Unknown


@dataclass(frozen=True)
class ReplicaKey:
    replica: Resource   # what a finding points at (the replica, or the table of a replica block)
    what: str           # how the message names the replica
    region: Any         # the replica's region: a name or Unknown
    key: Any            # the key as written
    source: Resource | None
    source_region: Any  # the source's region: a name or Unknown
    source_key: Any     # the source's key as written (None when it names none)
    place: Resource | None = None  # the resource whose region is the replica's (None: a block)

    def same_place(self, other: Resource | None) -> bool:
        """True when ``other`` is certainly in the replica's region, even an unknown one: the
        same provider or template gives both the same region value."""
        return (self.place is not None and other is not None
                and self.place.region == other.region)


def key_region(graph, value: Any, config: Any) -> Any:
    if isinstance(value, Unknown):
        return value
    if isinstance(value, Ref) or graph.resolve(value) is not None:
        return value_region(graph, value, config)
    parts = arn_parts(value)
    if parts is None:
        return None
    if is_region(parts["region"]):
        return parts["region"]
    return Unknown(f"the region of {value} cannot be told from the scanned files")


def replica_keys(graph, config: Any) -> Iterator[ReplicaKey]:
    yield from _read_replicas(graph, config)
    yield from _global_members(graph, config)
    yield from _table_replicas(graph, config)


def _source_region(value: Any, source: Resource | None, replica: Resource, config: Any) -> Any:
    """The source's region: its resource's, its ARN's; a bare identifier names a source in the
    replica's own region (a cross-region replica needs the source's ARN)."""
    if isinstance(value, Unknown):
        return Unknown(f"source unknown: {value.reason}")
    if source is not None:
        return region_of(source, config)
    parts = arn_parts(value)
    if parts is not None:
        return parts["region"] if is_region(parts["region"]) else Unknown(
            f"the region of {value} cannot be told")
    if isinstance(value, Ref):
        return Unknown(f"{value.address} is not among the scanned resources")
    return region_of(replica, config)


def _read_replicas(graph, config) -> Iterator[ReplicaKey]:
    for kind, attribute in (("db_instance", "replicate_source"),
                            ("db_cluster", "replication_source")):
        for replica in graph.resources(kind):
            value, key = replica.get(attribute), replica.get("kms_key")
            if value is None or key is None:
                continue
            source = None if isinstance(value, Unknown) else find_store(graph, value, (kind,))
            yield ReplicaKey(replica, "read replica" if kind == "db_instance" else
                             "replica cluster", region_of(replica, config), key, source,
                             _source_region(value, source, replica, config),
                             source.get("kms_key") if source is not None else None, replica)


def _global_members(graph, config) -> Iterator[ReplicaKey]:
    groups: dict[str, list[Resource]] = {}
    for cluster in graph.resources("db_cluster"):
        group = global_group(graph, cluster)
        if isinstance(group, str):
            groups.setdefault(group, []).append(cluster)
    for group, members in groups.items():
        source = _global_source(graph, group, members)
        for member in members:
            if member.get("kms_key") is None:
                continue
            if member is source:  # its own key's region is still checked
                yield ReplicaKey(member, "cluster of a global database",
                                 region_of(member, config), member.get("kms_key"), None,
                                 region_of(member, config), None, member)
                continue
            yield ReplicaKey(member, "secondary cluster of a global database",
                             region_of(member, config), member.get("kms_key"), source,
                             region_of(source, config), source.get("kms_key"), member)


def _global_source(graph, group: str, members: list[Resource]) -> Resource:
    glob = graph.get(group)
    value = glob.get("source_cluster") if glob is not None else None
    found = find_store(graph, value, ("db_cluster",)) if value is not None else None
    return found if found in members else min(members, key=lambda m: m.address)


def _table_replicas(graph, config) -> Iterator[ReplicaKey]:
    for table in graph.resources("dynamodb_table"):
        own = region_of(table, config)
        entries = table.get("replica_keys")
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry, Unknown):
                continue  # a replica that cannot be read names no key we know of
            if entry.get("key") is None or entry.get("region") == own:
                continue
            region = entry.get("region")
            yield ReplicaKey(table, "global table replica", region,
                             entry.get("key"), table, own, table.get("kms_key"))
        for replica in graph.sources(table, "table", kind="dynamodb_replica"):
            if replica.get("kms_key") is not None:
                yield ReplicaKey(replica, "global table replica", region_of(replica, config),
                                 replica.get("kms_key"), table, own, table.get("kms_key"),
                                 replica)
