"""How a stateful store's data is protected, one function per fact, so that every reader (the
RPO estimates, the human-error analysis, the posture report's stores table) states the same thing.

* ``zone_redundancy(store)``: ``"standby"`` (RDS Multi-AZ), ``"cluster"`` (Aurora and Multi-AZ
  DB cluster storage, DocumentDB, Neptune, MemoryDB's transaction log, Multi-AZ Redshift),
  ``"regional"`` (DynamoDB, S3, EFS Standard: the service stores data
  across zones), ``"single"`` (single-AZ RDS, EFS One Zone), or Unknown.

* ``automated_backup_days(store)``: RDS/Aurora/Neptune/DocumentDB automated backups: the
  retention in days, None when off (retention 0, or a cluster member / read replica whose
  cluster or source holds the backups), Unknown when the retention is unknown. An unset
  retention is AWS's default: 1 day (CreateDBInstance, CreateDBCluster).
* ``point_in_time_recovery(store)``: DynamoDB point-in-time recovery: True, False or Unknown.
* ``efs_automatic_backups(graph, store)``: EFS automatic backups (its backup policy, inline or
  an ``efs_backup_policy``): True, False or Unknown.
* ``backup_plans(graph, store)``: ``(plans, covered)``: the AWS Backup plans that certainly
  select the store, and ``is_covered`` (True, False or Unknown: a selection that may select it,
  or one whose plan is not scanned).
"""

from __future__ import annotations

from typing import Any

from hadr_lint.analysis.backup_links import backup_coverage, is_covered
from hadr_lint.model import Resource, Unknown
from hadr_lint.ruleutil import is_set

DB_KINDS = ("db_instance", "db_cluster", "neptune_cluster", "docdb_cluster")
# Cluster storage written synchronously across Availability Zones: Aurora and Multi-AZ DB
# clusters, DocumentDB and Neptune (six copies over three AZs), MemoryDB (its Multi-AZ
# transaction log).
CLUSTER_STORAGE = ("db_cluster", "docdb_cluster", "neptune_cluster", "memorydb_cluster")
# RDS keeps automated backups 1 day when no retention is set (CreateDBInstance default).
RDS_DEFAULT_RETENTION = 1


def zone_redundancy(store: Resource) -> str | Unknown:
    """Whether the store's data is written synchronously to several Availability Zones."""
    if store.kind == "db_instance":
        multi_az = store.get("multi_az")
        if isinstance(multi_az, Unknown):
            return Unknown(f"multi_az unknown: {multi_az.reason}")
        return "standby" if multi_az is True else "single"
    if store.kind in CLUSTER_STORAGE:
        return "cluster"
    if store.kind == "redshift_cluster":
        return _redshift_zones(store)
    if store.kind == "efs_file_system":
        zone = store.get("availability_zone")
        if isinstance(zone, Unknown):
            return Unknown(f"availability_zone unknown: {zone.reason}")
        return "single" if zone is not None else "regional"
    return "regional"


def _redshift_zones(cluster: Resource) -> str | Unknown:
    """Multi-AZ Redshift: "cluster"; otherwise whether its data outlives its zone depends on the
    node type (RA3 managed storage is regional, DC2 local disks are not) and its automated
    snapshots, neither read: Unknown."""
    multi_az = cluster.get("multi_az")
    if multi_az is True:
        return "cluster"
    if isinstance(multi_az, Unknown):
        return Unknown(f"multi_az unknown: {multi_az.reason}")
    return Unknown("single-AZ Redshift cluster: whether its data outlives its zone depends on "
                   "the node type and its automated snapshots (not read)")


def automated_backup_days(store: Resource) -> int | Unknown | None:
    """Days of automated backups (with point-in-time restore), None when there are none."""
    if store.kind not in DB_KINDS:
        return None
    if is_set(store.get("cluster")) or is_set(store.get("replicate_source")):
        return None
    days = store.get("backup_retention")
    if isinstance(days, Unknown):
        return Unknown(f"backup retention unknown: {days.reason}")
    days = RDS_DEFAULT_RETENTION if days is None else days
    if not isinstance(days, int):
        return Unknown(f"backup retention unknown: {days!r}")
    return days if days > 0 else None


def point_in_time_recovery(store: Resource) -> bool | Unknown:
    """DynamoDB point-in-time recovery; False for other kinds."""
    if store.kind != "dynamodb_table":
        return False
    enabled = store.get("pitr")
    if isinstance(enabled, Unknown):
        return Unknown(f"point-in-time recovery unknown: {enabled.reason}")
    return enabled is True


def efs_automatic_backups(graph, store: Resource) -> bool | Unknown:
    """EFS automatic backups (daily, to AWS Backup's default vault); False for other kinds."""
    if store.kind != "efs_file_system":
        return False
    policies = [p.get("status") for p in graph.sources(store, "file_system",
                                                        "efs_backup_policy")]
    states = [store.get("backup_policy"), *policies]
    if "ENABLED" in states:
        return True
    unknown = next((s for s in states if isinstance(s, Unknown)), None)
    return Unknown(f"EFS backup policy unknown: {unknown.reason}") if unknown else False


def backup_plans(graph, store: Resource) -> tuple[list[Resource], Any]:
    """The scanned AWS Backup plans that select ``store``, and whether any selection does
    (``backup_links.is_covered``: True, False or Unknown)."""
    return list(backup_coverage(graph).get(store.address, [])), is_covered(graph, store)
