"""Where the region-scope rules find a data store's copies in other regions (DR005).

``copies(graph, store, config)`` returns ``(exempt, regions)``: ``exempt`` True when the store is
itself a replica or secondary (its data already lives elsewhere) or a bucket that holds no
workload data (logs: ``store_classes``), an
``Unknown`` when it may be (an unresolved replication destination or log delivery), and the
regions of its copies, each a region name or an ``Unknown`` (a copy that might exist, or whose
region cannot be resolved). What a bucket holds (logs or workload data) is
``store_classes``'s answer. ECR repositories (copied by registry replication) and Secrets
Manager secrets (copied by their replicas) are ``artifacts`` unless a team classes them
otherwise: exempt here, read by OB003 through ``copy_regions``.
"""

from __future__ import annotations

from typing import Any

from hadr_lint.analysis.region_scope import find_store, region_of, value_region
from hadr_lint.analysis.store_classes import NOT_WORKLOAD, store_class
from hadr_lint.model import Unknown, existence
from hadr_lint.ruleutil import is_set


def copies(graph, store, config) -> tuple[Any, list[Any]]:
    reader = READERS.get(store.kind)
    if reader is None or store_class(graph, store, config) in NOT_WORKLOAD:
        return True, []
    return reader(graph, store, config)


def _pointing(graph, kind: str, attribute: str, store, kinds: tuple[str, ...]):
    """Resources of ``kind`` whose ``attribute`` designates ``store``, and unknown ones that
    may designate it (a reference to an undefined address designates none)."""
    found, unknown = [], []
    for resource in graph.resources(kind):
        value = resource.get(attribute)
        if isinstance(value, Unknown):
            if graph.may_designate(value, store, lambda v: find_store(graph, v, kinds)):
                unknown.append(Unknown(f"{resource.name}: {value.reason}"))
        elif value is not None and find_store(graph, value, kinds) is store:
            found.append(resource)
    return found, unknown


def _regions_of(resources, config) -> list[Any]:
    """The region of each copy; a copy that may not exist is no certain copy (an Unknown)."""
    return [region_of(r, config) if existence(r) is True else existence(r) for r in resources]


# ----- RDS ---------------------------------------------------------------------------------------
def _db_instance(graph, db, config):
    engine = db.get("engine")
    member = is_set(db.get("cluster")) or isinstance(engine, str) and engine.startswith("aurora")
    if member or is_set(db.get("replicate_source")):
        return True, []
    replicas, unknown = _pointing(graph, "db_instance", "replicate_source", db, ("db_instance",))
    backups, unknown2 = _pointing(graph, "db_backup_replication", "source", db, ("db_instance",))
    regions = _regions_of(replicas + backups, config) + unknown + unknown2
    own = db.get("backup_replication_region")
    if own is not None:
        regions.append(own)
    return False, regions


def _db_cluster(graph, cluster, config):
    if is_set(cluster.get("replication_source")):
        return True, []
    replicas, unknown = _pointing(graph, "db_cluster", "replication_source", cluster,
                                  ("db_cluster",))
    regions = _regions_of(replicas, config) + unknown
    return False, regions + _global_members(graph, cluster, config)


# A cluster kind -> the kind of the global database its ``global_cluster`` names.
GLOBAL_KINDS = {"db_cluster": "db_global_cluster", "docdb_cluster": "docdb_global_cluster",
                "neptune_cluster": "neptune_global_cluster"}


def _global_members(graph, cluster, config) -> list[Any]:
    """The regions of the other clusters of the global database ``cluster`` belongs to."""
    group = global_group(graph, cluster)
    if isinstance(group, Unknown):
        return [group]
    if group is None:
        return []
    members = [c for c in graph.resources(cluster.kind)
               if c is not cluster and global_group(graph, c) == group]
    return _regions_of(members, config)


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


def _graph_cluster(graph, cluster, config):
    """DocumentDB and Neptune: the other members of their global database."""
    return False, _global_members(graph, cluster, config)


def _redshift(graph, cluster, config):
    """Cross-region snapshot copy: inline (``snapshot_copy``, ``DestinationRegion``) or an
    ``aws_redshift_snapshot_copy``."""
    regions = _listed(cluster.get("snapshot_copy_region"))
    copies, unknown = _pointing(graph, "redshift_snapshot_copy", "cluster", cluster,
                                ("redshift_cluster",))
    for item in copies:
        region = item.get("destination_region")
        regions.append(region if existence(item) is True else existence(item))
    return False, regions + unknown


def _memorydb(graph, cluster, config):
    """MemoryDB Multi-Region: the other regional clusters of the same multi-Region cluster."""
    group = cluster.get("multi_region_cluster")
    if group is None:
        return False, []
    if isinstance(group, Unknown):
        return False, [group]
    members = [c for c in graph.resources("memorydb_cluster")
               if c is not cluster and c.get("multi_region_cluster") == group]
    unknown = [c.get("multi_region_cluster") for c in graph.resources("memorydb_cluster")
               if isinstance(c.get("multi_region_cluster"), Unknown)]
    return False, _regions_of(members, config) + unknown


# ----- DynamoDB ----------------------------------------------------------------------------------
def _dynamodb(graph, table, config):
    listed = table.get("replica_regions")
    regions = [listed] if isinstance(listed, Unknown) else list(listed or [])
    replicas, unknown = _pointing(graph, "dynamodb_replica", "table", table, ("dynamodb_table",))
    return False, regions + _regions_of(replicas, config) + unknown


# ----- S3 ----------------------------------------------------------------------------------------
def _s3(graph, bucket, config):
    role = _bucket_role(graph, bucket, config)
    if role is True:
        return True, []
    destinations = _listed(bucket.get("replication_destinations"))
    configs, unknown = _pointing(graph, "s3_replication", "bucket", bucket, ("s3_bucket",))
    regions = [value_region(graph, d, config, ("s3_bucket",)) for d in destinations]
    for item in configs:
        found = [value_region(graph, d, config, ("s3_bucket",))
                 for d in _listed(item.get("destinations"))]
        regions += found if existence(item) is True else [existence(item)] * len(found)
    return role, regions + unknown


def _listed(value: Any) -> list[Any]:
    if isinstance(value, Unknown):
        return [value]
    return list(value or [])


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
    own = region_of(fs, config)
    regions = [own if r is None else r for r in _listed(fs.get("replication_regions"))]
    configs, unknown = _pointing(graph, "efs_replication", "file_system", fs,
                                 ("efs_file_system",))
    for item in configs:
        here = region_of(item, config) if existence(item) is True else existence(item)
        regions += [here if r is None or existence(item) is not True else r
                    for r in _listed(item.get("destination_regions"))]
    return False, regions + unknown


# ----- artifacts: ECR repositories, Secrets Manager secrets --------------------------------------
def _ecr(graph, repo, config):
    """Registry replication: every rule of a replication configuration of the repository's
    registry (its region) whose prefix filters match the repository's name."""
    regions: list[Any] = []
    for item in graph.resources("ecr_replication"):
        same = _same_region(item, repo, config)
        if same is False:
            continue
        rules = item.get("rules")
        for rule in _listed(rules):
            if isinstance(rule, Unknown):
                regions.append(Unknown(f"replication rule of {item.name}: {rule.reason}"))
                continue
            match = _name_matches(rule["prefixes"], repo.get("name"))
            if match is False:
                continue
            doubt = next((v for v in (same, match, existence(item)) if v is not True), None)
            regions += [r if doubt is None else doubt for r in _listed(rule["regions"])]
    return False, regions


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
    return False, _listed(secret.get("replica_regions"))


def copy_regions(graph, store, config) -> list[Any]:
    """The regions of ``store``'s copies whatever its class (OB003's artifacts block)."""
    reader = READERS.get(store.kind)
    found = reader(graph, store, config)[1] if reader is not None else []
    return [r if isinstance(r, (str, Unknown)) else Unknown(f"region {r} known only after apply")
            for r in found]


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
}
STORE_KINDS = tuple(READERS)
