"""Data store has no backup at all.

## What it does
Reports stateful stores that keep no backup and that no AWS Backup plan selects:

* RDS DB instances and Aurora clusters with `backup_retention_period = 0`
  (`BackupRetentionPeriod: 0`); read replicas and Aurora members are exempt;
* DynamoDB tables without point-in-time recovery (`point_in_time_recovery { enabled = true }`,
  `PointInTimeRecoverySpecification`);
* EFS file systems without a backup policy (`aws_efs_backup_policy` with status `ENABLED`,
  `BackupPolicy: {Status: ENABLED}`); replication destinations are exempt;
* ElastiCache Redis / Valkey replication groups and clusters with `snapshot_retention_limit = 0`
  (the default): a warning, since an ElastiCache cluster is taken for a cache rebuilt from its
  source; an error when the team marks it workload data in `.hadr-lint.yaml`
  (`store_classes: {aws_elasticache_replication_group.sessions: workload}`);
* Redshift clusters with `automated_snapshot_retention_period = 0`
  (`AutomatedSnapshotRetentionPeriod: 0`).

AWS Backup selections are linked to what they select: by reference or ARN in `resources`
(`"*"` selects everything), and by tag (`selection_tag`, `condition`, `ListOfTags`, `Conditions`)
when the store's tags are known.

## Why is this bad?
Replicas and Multi-AZ standbys copy mistakes and corruption as faithfully as good writes. Without a
backup, a dropped table, a bad migration or ransomware in the primary region is unrecoverable,
and a store lost with its region cannot be rebuilt anywhere.

## Example
```hcl
resource "aws_dynamodb_table" "orders" {
  name         = "orders"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
  attribute {
    name = "id"
    type = "S"
  }
}
```
```yaml
Database:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: postgres
    DBInstanceClass: db.m6g.large
    BackupRetentionPeriod: 0
```

## Fix
```hcl
resource "aws_dynamodb_table" "orders" {
  # ...
  point_in_time_recovery { enabled = true }
}
```
```yaml
Database:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: postgres
    DBInstanceClass: db.m6g.large
    BackupRetentionPeriod: 7
```
Or select the store in an AWS Backup plan (`aws_backup_selection`,
`AWS::Backup::BackupSelection`).

A retention, a recovery flag or a backup selection that cannot be resolved leaves the check
unverified.
"""

from __future__ import annotations

from collections.abc import Iterator

from hadr_lint.analysis.region_scope import find_store, is_covered
from hadr_lint.analysis.store_classes import store_class
from hadr_lint.config import Config
from hadr_lint.graph import Graph
from hadr_lint.model import Problem, Unknown, Unverified, existence
from hadr_lint.rulebase import Rule, problem, unverified
from hadr_lint.ruleutil import is_set

RULE = Rule(
    id="DR006",
    name="backups-disabled",
    severity="error",
    scope="region",
    kinds=("db_instance", "db_cluster", "dynamodb_table", "efs_file_system",
           "cache_replication_group", "cache_cluster", "redshift_cluster"),
    short="Data store has no backup at all",
    description="An RDS instance or Aurora cluster with backup retention 0, a DynamoDB table "
    "without point-in-time recovery, an EFS file system without a backup policy or a Redis "
    "without snapshots, or a Redshift cluster without automated snapshots, that no AWS Backup "
    "plan selects either.",
    tags=("reliability", "region", "backup", "data"),
    equivalents={"checkov": "CKV_AWS_28 (DynamoDB PITR), CKV_AWS_133 (RDS backup), "
                            "CKV_AWS_134 (ElastiCache Redis backup)",
                 "trivy": "AVD-AWS-0024 (DynamoDB PITR), AVD-AWS-0077 (RDS retention), "
                          "AVD-AWS-0050 (ElastiCache Redis retention)",
                 "kics": "741f1291-47ac-4a85-a07b-3d32a9d6bd3e (DynamoDB PITR), "
                         "1dc73fb4-5b51-430c-8c5f-25dcf9090b02 (RDS backup)",
                 "cfn-lint": "none"},
)

REDIS = ("redis", "valkey")
CACHE_TEXT = ("a cache rebuilt from its source loses no data, but restarts empty (cold); if "
              "it is the primary copy of its data, mark it workload in .hadr-lint.yaml "
              "(store_classes)")


def check(graph: Graph, config: Config) -> Iterator[Problem | Unverified]:
    for store in graph.resources(*RULE.kinds):
        verdict = OWN_BACKUP[store.kind](graph, store)
        if verdict is None or verdict is True:
            continue
        yield from _judge(graph, store, verdict, store_class(graph, store, config))


def _judge(graph, store, verdict, kind):
    what, own = verdict
    if kind in ("logs", "artifacts"):
        return
    covered = is_covered(graph, store) if store.kind not in CACHES else False
    if covered is True:
        return
    if isinstance(own, Unknown):
        yield unverified(store, f"{what}: {own.reason}")
    elif isinstance(covered, Unknown):
        yield unverified(store, f"{what}, and AWS Backup coverage is unknown: {covered.reason}")
    else:
        tail = "" if store.kind in CACHES else " and no AWS Backup plan selects it"
        if kind == "cache":
            yield problem(store, f"{what}: {CACHE_TEXT}", severity="warning")
        else:
            yield problem(store, f"{what}{tail}: nothing to restore from")


# Each returns None (exempt), True (has its own backup) or (what is missing, Unknown or False).
def _db_instance(graph, db):
    engine = db.get("engine")
    if is_set(db.get("cluster")) or is_set(db.get("replicate_source")) or (
            isinstance(engine, str) and engine.startswith("aurora")):
        return None
    return _retention(db, "RDS DB instance")


def _db_cluster(graph, cluster):
    if is_set(cluster.get("replication_source")):
        return None
    return _retention(cluster, "Aurora cluster")


def _retention(db, name):
    days = db.get("backup_retention")
    if isinstance(days, Unknown):
        return (f"{name} backup retention unknown", days)
    if days == 0:
        return (f"{name} has backup retention 0 (automated backups off)", False)
    return True


def _redshift(graph, cluster):
    days = cluster.get("backup_retention")
    if isinstance(days, Unknown):
        return ("Redshift automated snapshot retention unknown", days)
    if days == 0:
        return ("Redshift cluster keeps no automated snapshots (retention 0)", False)
    return True


def _dynamodb(graph, table):
    pitr = table.get("pitr")
    if pitr is True:
        return True
    return ("DynamoDB table has no point-in-time recovery", pitr if isinstance(
        pitr, Unknown) else False)


def _efs(graph, fs):
    statuses = [fs.get("backup_policy")]
    for item in graph.resources("efs_replication"):
        dests = item.get("destination_file_systems")
        if isinstance(dests, list) and any(graph.resolve(d) is fs for d in dests):
            if existence(item) is True:
                return None
            statuses.append(existence(item))  # a replica, if its replication exists
    for policy in graph.resources("efs_backup_policy"):
        target = policy.get("file_system")
        if isinstance(target, Unknown):
            statuses.append(Unknown(f"{policy.name}: {target.reason}"))
        elif find_store(graph, target, ("efs_file_system",)) is fs:
            statuses.append(policy.get("status") if existence(policy) is True
                            else existence(policy))
    if "ENABLED" in statuses:
        return True
    unknown = next((s for s in statuses if isinstance(s, Unknown)), False)
    return ("EFS file system has no backup policy", unknown)


def _cache(graph, cache):
    engine = cache.get("engine")
    if is_set(cache.get("replication_group")) or engine is None:
        return None
    if isinstance(engine, Unknown):
        return ("ElastiCache engine unknown", engine)
    if engine not in REDIS:
        return None
    days = cache.get("snapshot_retention")
    if isinstance(days, Unknown):
        return ("ElastiCache snapshot retention unknown", days)
    if days == 0:
        return (f"ElastiCache {engine} keeps no snapshots (snapshot_retention_limit 0)", False)
    return True


CACHES = ("cache_replication_group", "cache_cluster")
OWN_BACKUP = {
    "db_instance": _db_instance,
    "db_cluster": _db_cluster,
    "dynamodb_table": _dynamodb,
    "efs_file_system": _efs,
    "cache_replication_group": _cache,
    "cache_cluster": _cache,
    "redshift_cluster": _redshift,
}
