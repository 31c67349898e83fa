"""A data store's copies in other regions, one fact each, read by DR005, OB003, OB004/OB005
and the posture report (``hadr_lint.objectives.estimate``).

``store_copies(graph, store, config)`` lists every copy of a store's data that is not in the
store itself: a ``Copy`` says of what kind (``COPY_KINDS``), to which region (a region name,
an ``Unknown`` for a copy that might exist or whose region cannot be resolved), declared by
which resource and attribute (the evidence), which scanned resource holds it (when scanned) and
its typical lag behind the store (``lag``: seconds, ``math.inf`` for no time bound, or an
``Unknown``). Every reader takes the copies from here: a store DR005 passes as copied is the
store whose region-loss RPO the estimates bound by the same copy.

``copies(graph, store, config)`` returns ``(exempt, regions)`` (DR005): ``exempt`` True when the
store is itself a replica or secondary (its data already lives elsewhere) or a store that holds
no workload data (logs: ``store_classes``), an ``Unknown`` when it may be (an unresolved
replication destination or log delivery), and the regions of its copies. ECR repositories
(copied by registry replication) and Secrets Manager secrets (copied by their replicas) are
``artifacts`` unless a team classes them otherwise: exempt here, read by OB003 through
``copy_regions``.

Typical lag per copy kind (``COPY_KINDS``; the region-loss RPO a copy gives, as AWS documents
it):

* DynamoDB global table replica, Aurora Global Database secondary, cross-region Aurora replica
  cluster, RDS cross-region read replica, DocumentDB and Neptune global cluster secondaries,
  MemoryDB Multi-Region cluster, Secrets Manager replica: asynchronous replication, 1 s
  ("typically under a second").
* RDS automated backups replicated to another region: 5 min (transaction logs are uploaded
  every 5 minutes).
* S3 replication: 15 min with Replication Time Control (its SLA); without it no time bound
  (``math.inf``: most objects replicate within minutes, some take hours).
* EFS replication: 15 min (AWS's stated RPO).
* Redshift cross-region snapshot copy: 8 h, the automated snapshot interval (Redshift takes an
  automated snapshot every 8 hours or after 5 GB per node of changes, whichever comes first;
  each one is copied to the destination region).
* ECR registry replication: 30 min ("most images replicate in under 30 minutes").
* ElastiCache Global Datastore (Redis OSS / Valkey): asynchronous replication to the secondary
  clusters, 1 s ("typically under one second"; a failover loses the writes not yet
  replicated). Only a replication group a team classes ``workload`` is judged: by default an
  ElastiCache group is a ``cache`` (``store_classes``), rebuilt rather than restored.

``BACKUP_COPY_KINDS`` are copies of backups (restored, not promoted): OB003 counts them as
backup copies, not as replication.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from hadr_lint.analysis.region_scope import find_store, region_of, value_region
from hadr_lint.analysis.store_classes import NOT_WORKLOAD, store_class
from hadr_lint.model import Resource, Unknown, existence
from hadr_lint.ruleutil import is_set

ASYNC_TEXT = "asynchronous replication, typically under a second"
# copy kind -> (typical lag in seconds, what the copy is; "{}" is its region)
COPY_KINDS: dict[str, tuple[float, str]] = {
    "dynamodb_global_table": (1.0, f"global table replica in {{}}; {ASYNC_TEXT}"),
    "aurora_global": (1.0, f"Aurora Global Database secondary in {{}}; {ASYNC_TEXT}"),
    "db_cluster_replica": (1.0, f"cross-region replica in {{}}; {ASYNC_TEXT}"),
    "db_instance_replica": (1.0, f"cross-region read replica in {{}}; {ASYNC_TEXT}"),
    "rds_backup_replication": (300.0, "automated backups replicated to {} (transaction logs "
                                      "every 5 min)"),
    "s3_replication_rtc": (900.0, "S3 replication to {} with Replication Time Control"),
    "s3_replication": (math.inf, "S3 replication to {} without Replication Time Control (no "
                                 "time bound)"),
    "efs_replication": (900.0, "EFS replication to {} (AWS states an RPO of 15 min)"),
    "docdb_global": (1.0, f"DocumentDB global cluster secondary in {{}}; {ASYNC_TEXT}"),
    "neptune_global": (1.0, f"Neptune global database secondary in {{}}; {ASYNC_TEXT}"),
    "redshift_snapshot_copy": (8 * 3600.0, "Redshift snapshot copy to {} (automated snapshots "
                                           "every 8 hours or 5 GB per node of changes)"),
    "memorydb_multi_region": (1.0, f"MemoryDB Multi-Region cluster in {{}}; {ASYNC_TEXT}"),
    "ecr_replication": (1800.0, "ECR registry replication to {}; most images replicate in "
                                "under 30 minutes"),
    "secret_replica": (1.0, "secret replica in {}; asynchronous replication"),
    "elasticache_global": (1.0, f"ElastiCache Global Datastore member in {{}}; {ASYNC_TEXT}"),
}
BACKUP_COPY_KINDS = ("rds_backup_replication", "redshift_snapshot_copy")
GLOBAL_COPY_KINDS = {"db_cluster": "aurora_global", "docdb_cluster": "docdb_global",
                     "neptune_cluster": "neptune_global"}


@dataclass(frozen=True)
class Copy:
    """One copy of a store's data outside the store: its kind (``COPY_KINDS``), region (a name,
    an Unknown, or a value known only after apply), the resource and attribute that declare it,
    the scanned resource that holds it (None when not scanned) and its typical lag (seconds,
    ``math.inf`` or Unknown)."""

    kind: str
    region: Any
    resource: Resource
    attribute: str
    lag: Any
    target: Resource | None = None

    @property
    def text(self) -> str:
        return COPY_KINDS[self.kind][1].format(self.region)


def _copy(kind: str, region: Any, resource: Resource, attribute: str,
          target: Resource | None = None, lag: Any = None) -> Copy:
    return Copy(kind, region, resource, attribute, COPY_KINDS[kind][0] if lag is None else lag,
                target)


def store_copies(graph, store, config) -> list[Copy]:
    """Every copy of ``store``'s data outside the store, whatever the store's class."""
    reader = READERS.get(store.kind)
    return reader(graph, store, config)[1] if reader is not None else []


def copies(graph, store, config) -> tuple[Any, list[Any]]:
    reader = READERS.get(store.kind)
    if reader is None or store_class(graph, store, config) in NOT_WORKLOAD:
        return True, []
    exempt, found = reader(graph, store, config)
    return exempt, [c.region for c in found]


def is_copy(graph, store, config) -> bool:
    """True when ``store`` is itself a copy of another store (a read replica, an Aurora member,
    a replica cluster, an EFS replication destination): its data is that store's."""
    return store.kind in COPY_HOLDERS and READERS[store.kind](graph, store, config)[0] is True


COPY_HOLDERS = ("db_instance", "db_cluster", "efs_file_system")


def copy_regions(graph, store, config) -> list[Any]:
    """The regions of ``store``'s copies whatever its class (OB003's artifacts block)."""
    return [r if isinstance(r, (str, Unknown)) else Unknown(f"region {r} known only after apply")
            for r in (c.region for c in store_copies(graph, store, config))]


def _pointing(graph, kind: str, attribute: str, store, kinds: tuple[str, ...]):
    """Resources of ``kind`` whose ``attribute`` designates ``store``, and (resource, Unknown)
    for the unknown ones that may designate it (a reference to an undefined address designates
    none; one of several values only what each may be). The index is built once per scan."""
    index, unknown = graph.memo(f"copies: {kind}.{attribute} -> {kinds}",
                                lambda: _pointing_index(graph, kind, attribute, kinds))
    def resolve(value):
        return find_store(graph, value, kinds)

    doubts = [(resource, Unknown(f"{resource.name}: {value.reason}"))
              for resource, value in unknown if graph.may_designate(value, store, resolve)]
    return list(index.get(store.address, ())), doubts


def _pointing_index(graph, kind: str, attribute: str, kinds: tuple[str, ...]):
    index: dict[str, list[Resource]] = {}
    unknown = []
    for resource in graph.resources(kind):
        value = resource.get(attribute)
        if isinstance(value, Unknown):
            unknown.append((resource, value))
        elif value is not None:
            target = find_store(graph, value, kinds)
            if target is not None:
                index.setdefault(target.address, []).append(resource)
    return index, unknown


def _where(resource, config) -> Any:
    """The region of a copy; a copy that may not exist is no certain copy (an Unknown)."""
    return region_of(resource, config) if existence(resource) is True else existence(resource)


def _held(kind: str, resources, attribute: str, config) -> list[Copy]:
    """Copies held by scanned resources (replicas, member clusters), each in its own region."""
    return [_copy(kind, _where(r, config), r, attribute, r) for r in resources]


def _doubts(kind: str, unknown, attribute: str) -> list[Copy]:
    """Copies that may exist: a resource whose designation is unknown."""
    return [_copy(kind, reason, resource, attribute) for resource, reason in unknown]


def _listed(value: Any) -> list[Any]:
    """A list attribute's items; a single value of another type (a reference, a string) is one
    item, never iterated."""
    if isinstance(value, Unknown):
        return [value]
    if not value:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


# ----- RDS ---------------------------------------------------------------------------------------
def _db_instance(graph, db, config):
    engine = db.get("engine")
    member = is_set(db.get("cluster")) or isinstance(engine, str) and engine.startswith("aurora")
    if member or is_set(db.get("replicate_source")):
        return True, []
    replicas, unknown = _pointing(graph, "db_instance", "replicate_source", db, ("db_instance",))
    backups, unknown2 = _pointing(graph, "db_backup_replication", "source", db, ("db_instance",))
    found = _held("db_instance_replica", replicas, "replicate_source", config)
    found += [_copy("rds_backup_replication", _where(b, config), b, "source") for b in backups]
    found += _doubts("db_instance_replica", unknown, "replicate_source")
    found += _doubts("rds_backup_replication", unknown2, "source")
    own = db.get("backup_replication_region")
    if own is not None:
        found.append(_copy("rds_backup_replication", own, db, "backup_replication_region"))
    return False, found


def _db_cluster(graph, cluster, config):
    if is_set(cluster.get("replication_source")):
        return True, []
    replicas, unknown = _pointing(graph, "db_cluster", "replication_source", cluster,
                                  ("db_cluster",))
    found = _held("db_cluster_replica", replicas, "replication_source", config)
    found += _doubts("db_cluster_replica", unknown, "replication_source")
    return False, found + _global_members(graph, cluster, config)


# A cluster kind -> the kind of the global database its ``global_cluster`` names.
GLOBAL_KINDS = {"db_cluster": "db_global_cluster", "docdb_cluster": "docdb_global_cluster",
                "neptune_cluster": "neptune_global_cluster"}


def _global_members(graph, cluster, config) -> list[Copy]:
    """The other clusters of the global database ``cluster`` belongs to. A global database
    with no other member among the scanned files may have one elsewhere: an unknown copy."""
    kind = GLOBAL_COPY_KINDS[cluster.kind]
    group = global_group(graph, cluster)
    if isinstance(group, Unknown):
        return [_copy(kind, group, cluster, "global_cluster")]
    if group is None:
        return []
    members = global_members(graph, cluster)
    if not members:
        return [_copy(kind, Unknown(f"global cluster of {cluster.name} has no secondary cluster "
                                    "among the scanned files"), cluster, "global_cluster")]
    return _held(kind, members, "global_cluster", config)


def global_members(graph, cluster) -> list[Resource]:
    """The other clusters of ``cluster``'s global database (none when it has none)."""
    group = global_group(graph, cluster)
    if group is None or isinstance(group, Unknown):
        return []
    return [c for c in graph.resources(cluster.kind)
            if c is not cluster and global_group(graph, c) == group]


def global_group(graph, cluster) -> Any:
    """The global database a cluster belongs to (an address or id), None, or Unknown."""
    global_kind = GLOBAL_KINDS[cluster.kind]
    value = cluster.get("global_cluster")
    if isinstance(value, Unknown):
        return Unknown(f"global cluster of {cluster.name}: {value.reason}")
    if value is not None:
        target = find_store(graph, value, (global_kind,))
        if target is not None and existence(target) is not True:
            return existence(target)
        return target.address if target is not None else str(value)
    for glob in graph.resources(global_kind):
        source = glob.get("source_cluster")
        if source is not None and find_store(graph, source, (cluster.kind,)) is cluster:
            return glob.address if existence(glob) is True else existence(glob)
    return None


def global_source(graph, group: Any) -> Resource | None:
    """The source cluster a scanned global database names (its primary), if any."""
    glob = graph.get(group) if isinstance(group, str) else None
    source = glob.get("source_cluster") if glob is not None else None
    if source is None or isinstance(source, Unknown):
        return None
    return find_store(graph, source, tuple(GLOBAL_KINDS))


def _graph_cluster(graph, cluster, config):
    """DocumentDB and Neptune: the other members of their global database."""
    return False, _global_members(graph, cluster, config)


def _redshift(graph, cluster, config):
    """Cross-region snapshot copy: inline (``snapshot_copy``, ``DestinationRegion``) or an
    ``aws_redshift_snapshot_copy``."""
    kind = "redshift_snapshot_copy"
    found = [_copy(kind, r, cluster, "snapshot_copy")
             for r in _listed(cluster.get("snapshot_copy_region"))]
    items, unknown = _pointing(graph, "redshift_snapshot_copy", "cluster", cluster,
                               ("redshift_cluster",))
    for item in items:
        region = item.get("destination_region")
        found.append(_copy(kind, region if existence(item) is True else existence(item), item,
                           "destination_region"))
    return False, found + _doubts(kind, unknown, "cluster")


def _memorydb(graph, cluster, config):
    """MemoryDB Multi-Region: the other regional clusters of the same multi-Region cluster."""
    kind = "memorydb_multi_region"
    group = cluster.get("multi_region_cluster")
    if group is None:
        return False, []
    if isinstance(group, Unknown):
        return False, [_copy(kind, group, cluster, "multi_region_cluster_name")]
    members = [c for c in graph.resources("memorydb_cluster")
               if c is not cluster and c.get("multi_region_cluster") == group]
    unknown = [(c, c.get("multi_region_cluster")) for c in graph.resources("memorydb_cluster")
               if isinstance(c.get("multi_region_cluster"), Unknown)]
    return False, (_held(kind, members, "multi_region_cluster_name", config)
                   + _doubts(kind, unknown, "multi_region_cluster_name"))


# ----- DynamoDB ----------------------------------------------------------------------------------
def _dynamodb(graph, table, config):
    kind = "dynamodb_global_table"
    found = [_copy(kind, r, table, "replica_regions")
             for r in _listed(table.get("replica_regions"))]
    replicas, unknown = _pointing(graph, "dynamodb_replica", "table", table, ("dynamodb_table",))
    return False, (found + _held(kind, replicas, "table", config)
                   + _doubts(kind, unknown, "table"))


# ----- S3 ----------------------------------------------------------------------------------------
def _s3(graph, bucket, config):
    role = _bucket_role(graph, bucket, config)
    found = [_s3_copy(graph, bucket, d, bucket, config)
             for d in _listed(bucket.get("replication_destinations"))]
    items, unknown = _pointing(graph, "s3_replication", "bucket", bucket, ("s3_bucket",))
    for item in items:
        for destination in _listed(item.get("destinations")):
            found.append(_s3_copy(graph, item, destination, item, config))
    return role, found + _doubts("s3_replication", unknown, "bucket")


def _s3_copy(graph, declared, destination, rules, config) -> Copy:
    """A replication rule's copy: its destination's region, and its lag from Replication Time
    Control (on: 15 min; off or unset: no time bound; unknown: unknown)."""
    region = value_region(graph, destination, config, ("s3_bucket",))
    if existence(declared) is not True:
        region = existence(declared)
    target = (find_store(graph, destination, ("s3_bucket",))
              if destination is not None and not isinstance(destination, Unknown) else None)
    rtc = rules.get("replication_time")
    if isinstance(rtc, Unknown):
        return _copy("s3_replication", region, declared, "replication_time", target,
                     Unknown(f"Replication Time Control unknown: {rtc.reason}"))
    kind = "s3_replication_rtc" if rtc is True else "s3_replication"
    return _copy(kind, region, declared, "replication_time", target)


def _bucket_role(graph, bucket, config) -> Any:
    """True when the bucket is a replication destination or holds no workload data (logs, or
    artifacts: see ``store_classes``), Unknown when an unresolved destination or log delivery
    might be it, else False."""
    destinations, doubts = graph.memo("replication destinations",
                                      lambda: _replication_index(graph))
    if bucket.address in destinations:
        return True
    unknown = next((why for why, item in doubts if graph.may_designate(
        item, bucket, lambda v: find_store(graph, v, ("s3_bucket",)))), None)
    kind = store_class(graph, bucket, config)  # logs, caches, artifacts: see ``copies``
    return unknown or (kind if isinstance(kind, Unknown) else False)


def _replication_index(graph) -> tuple[set[str], list[tuple[Unknown, Any]]]:
    """The addresses of the buckets replication copies to, resolved once per scan, and
    (why, destination) of each destination that cannot be resolved (it may be any bucket, or,
    a ``OneOf``, one of a few), or whose replication may not exist (then that bucket may be a
    copy, or not): ``Graph.may_designate`` says which buckets each may be."""
    destinations: set[str] = set()
    doubts: list[tuple[Unknown, Any]] = []
    for source in graph.resources("s3_bucket", "s3_replication"):
        sure = existence(source) is True
        for key in ("replication_destinations", "destinations"):
            for item in _listed(source.get(key)):
                if isinstance(item, Unknown) or not sure and item is not None:
                    why = item.reason if sure else existence(source).reason
                    doubts.append((Unknown(f"{source.name} copies to a bucket that may be "
                                           f"this one: {why}"), item))
                elif item is not None:
                    found = find_store(graph, item, ("s3_bucket",))
                    if found is not None:
                        destinations.add(found.address)
    return destinations, doubts


# ----- EFS ---------------------------------------------------------------------------------------
def _efs(graph, fs, config):
    for item in graph.resources("efs_replication"):
        for dest in _listed(item.get("destination_file_systems")):
            if not isinstance(dest, Unknown) and graph.resolve(dest) is fs:
                return existence(item), []
    kind = "efs_replication"
    own = region_of(fs, config)
    found = [_copy(kind, own if r is None else r, fs, "replication_regions")
             for r in _listed(fs.get("replication_regions"))]
    items, unknown = _pointing(graph, "efs_replication", "file_system", fs,
                               ("efs_file_system",))
    for item in items:
        here = _where(item, config)
        found += [_copy(kind, here if r is None or existence(item) is not True else r, item,
                        "destination_regions")
                  for r in _listed(item.get("destination_regions"))]
    return False, found + _doubts(kind, unknown, "file_system")


# ----- artifacts: ECR repositories, Secrets Manager secrets --------------------------------------
def _ecr(graph, repo, config):
    """Registry replication: every rule of a replication configuration of the repository's
    registry (its region) whose prefix filters match the repository's name."""
    kind = "ecr_replication"
    found: list[Copy] = []
    for item in graph.resources("ecr_replication"):
        same = _same_region(item, repo, config)
        if same is False:
            continue
        rules = item.get("rules")
        for rule in _listed(rules):
            if isinstance(rule, Unknown):
                found.append(_copy(kind, Unknown(f"replication rule of {item.name}: "
                                                 f"{rule.reason}"), item, "rules"))
                continue
            match = _name_matches(rule["prefixes"], repo.get("name"))
            if match is False:
                continue
            doubt = next((v for v in (same, match, existence(item)) if v is not True), None)
            found += [_copy(kind, r if doubt is None else doubt, item, "rules")
                      for r in _listed(rule["regions"])]
    return False, found


def _same_region(item, repo, config) -> Any:
    """True when ``item`` is in ``repo``'s region (also an unknown one both share), False when
    certainly not, else Unknown."""
    if item.region == repo.region:
        return True
    mine, theirs = region_of(item, config), region_of(repo, config)
    if isinstance(mine, str) and isinstance(theirs, str):
        return mine == theirs
    unknown = mine if isinstance(mine, Unknown) else theirs
    return Unknown(f"region of {item.name} or {repo.name} unknown: {unknown.reason}")


def _name_matches(prefixes: Any, name: Any) -> Any:
    if isinstance(prefixes, Unknown):
        return prefixes
    if not prefixes:
        return True
    if isinstance(name, Unknown):
        return Unknown(f"repository name unknown: {name.reason}")
    if not isinstance(name, str):
        return Unknown("the repository's name is generated, and the replication rule filters "
                       "by name prefix")
    unknown = next((p for p in prefixes if isinstance(p, Unknown)), None)
    if any(isinstance(p, str) and name.startswith(p) for p in prefixes):
        return True
    return unknown or False


def _secret(graph, secret, config):
    """Secrets Manager replicas (``replica { region }``, ``ReplicaRegions``)."""
    return False, [_copy("secret_replica", r, secret, "replica_regions")
                   for r in _listed(secret.get("replica_regions"))]


# ----- ElastiCache Global Datastore --------------------------------------------------------------
CACHE_GROUP = ("cache_replication_group",)


def _cache_group(graph, group, config):
    """The other replication groups of the Global Datastore ``group`` belongs to: the members
    the global datastore lists (CloudFormation ``Members``, Terraform's primary) and the
    scanned groups that name it (``global_replication_group_id``). A global datastore with no
    other member among the scanned files may have one elsewhere: an unknown copy."""
    kind = "elasticache_global"
    glob = cache_global(graph, group)
    if glob is None:
        return False, []
    if isinstance(glob, Unknown):
        return False, [_copy(kind, glob, group, "global_replication_group")]
    found, seen = _listed_members(graph, group, glob, config)
    for other in graph.resources("cache_replication_group"):
        if other is not group and other.address not in seen and \
                cache_global(graph, other) == glob:
            found += _held(kind, [other], "global_replication_group", config)
    if not found:
        found.append(_copy(kind, Unknown(f"Global Datastore of {group.name} has no other member "
                                         "among the scanned files"), group,
                           "global_replication_group"))
    return False, found


def _listed_members(graph, group, glob, config) -> tuple[list[Copy], set[str]]:
    """Copies from the members a scanned global datastore lists (not ``group`` itself)."""
    kind = "elasticache_global"
    holder = graph.get(glob) if isinstance(glob, str) else None
    if holder is None:
        return [], set()
    members = holder.get("members")
    if isinstance(members, Unknown):
        return [_copy(kind, Unknown(f"members of {holder.name}: {members.reason}"), holder,
                      "members")], set()
    found, seen = [], set()
    for member in members or []:
        value = member.get("group") if isinstance(member, dict) else member
        target = find_store(graph, value, CACHE_GROUP) if not isinstance(value, Unknown) \
            else None
        if target is group:
            continue
        if target is not None:
            seen.add(target.address)
        where = member.get("region") if isinstance(member, dict) else None
        if where is None:
            where = _where(target, config) if target is not None else Unknown(
                f"member {value} of {holder.name} is not among the scanned files")
        if isinstance(value, Unknown):
            where = Unknown(f"a member of {holder.name} is unknown: {value.reason}")
        found.append(_copy(kind, where if existence(holder) is True else existence(holder),
                           holder, "members", target))
    return found, seen


def cache_global(graph, group) -> Any:
    """The Global Datastore a replication group belongs to: the scanned global datastore's
    address, the id the group names, None, or an Unknown."""
    value = group.get("global_replication_group")
    if isinstance(value, Unknown):
        return Unknown(f"Global Datastore of {group.name}: {value.reason}")
    if value is not None:
        target = find_store(graph, value, ("cache_global_group",))
        if target is not None and existence(target) is not True:
            return existence(target)
        return target.address if target is not None else str(value)
    for glob in graph.resources("cache_global_group"):
        members = glob.get("members")
        values = [m.get("group") if isinstance(m, dict) else m
                  for m in (members if isinstance(members, list) else [members])]
        if any(not isinstance(v, Unknown) and find_store(graph, v, CACHE_GROUP) is group
               for v in values):
            return glob.address if existence(glob) is True else existence(glob)
        doubt = next((v for v in values if graph.may_designate(
            v, group, lambda x: find_store(graph, x, CACHE_GROUP))), None)
        if isinstance(doubt, Unknown):
            return Unknown(f"{glob.name} may have {group.name} as a member: {doubt.reason}")
    return None


READERS = {
    "db_instance": _db_instance,
    "db_cluster": _db_cluster,
    "dynamodb_table": _dynamodb,
    "s3_bucket": _s3,
    "efs_file_system": _efs,
    "docdb_cluster": _graph_cluster,
    "neptune_cluster": _graph_cluster,
    "redshift_cluster": _redshift,
    "memorydb_cluster": _memorydb,
    "ecr_repository": _ecr,
    "secret": _secret,
    "cache_replication_group": _cache_group,
}
STORE_KINDS = tuple(READERS)
