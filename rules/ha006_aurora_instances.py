"""Aurora cluster has fewer than two instances, or all of them in one Availability Zone.

## What it does
Counts the instances of each Aurora cluster: `aws_rds_cluster_instance` resources (each `count` /
`for_each` instance counts), CloudFormation `AWS::RDS::DBInstance` with a `DBClusterIdentifier`
referring to the cluster, the `instances` map of the terraform-aws-modules/rds-aurora module,
and the minimum of a read-replica auto scaling target (`rds:cluster:ReadReplicaCount`). Reports
clusters with fewer than two instances, and clusters whose instances are all pinned to the same
`availability_zone`. Aurora Serverless v1 (`engine_mode = "serverless"`) and Limitless Database
clusters manage their own capacity and are exempt; Serverless v2 instances (`db.serverless`)
count as instances. A cluster without instances that belongs to a global database is taken as a
headless secondary and not reported; a cluster none of whose instances is in the scanned files is
unverified (they may be declared in another stack or root module).

## Why is this bad?
The cluster volume is replicated across three zones, but the instances are not. A cluster with a
single writer and no reader has nothing to fail over to: when that instance's zone fails, Aurora
must create a new instance elsewhere, which takes ten minutes or more. Readers pinned to the
writer's zone fail together with it.

## Example
```hcl
resource "aws_rds_cluster" "main" {
  cluster_identifier = "orders"
  engine             = "aurora-postgresql"
}

resource "aws_rds_cluster_instance" "main" {
  count              = 1
  cluster_identifier = aws_rds_cluster.main.id
  instance_class     = "db.r6g.large"
  engine             = aws_rds_cluster.main.engine
}
```
```yaml
Cluster:
  Type: AWS::RDS::DBCluster
  Properties:
    Engine: aurora-mysql
Writer:
  Type: AWS::RDS::DBInstance
  Properties:
    DBClusterIdentifier: !Ref Cluster
    DBInstanceClass: db.r6g.large
    Engine: aurora-mysql
```

## Fix
Run at least one reader in another zone (Aurora promotes it in about a minute):
```hcl
resource "aws_rds_cluster_instance" "main" {
  count              = 2
  cluster_identifier = aws_rds_cluster.main.id
  instance_class     = "db.r6g.large"
  engine             = aws_rds_cluster.main.engine
}
```
```yaml
Reader:
  Type: AWS::RDS::DBInstance
  Properties:
    DBClusterIdentifier: !Ref Cluster
    DBInstanceClass: db.r6g.large
    Engine: aurora-mysql
```

An instance resource whose `count` or `for_each` is unknown, an instance whose cluster is unknown,
or an unknown engine leaves the check unverified.
"""

from __future__ import annotations

from hadr_lint.analysis.az_spread import same_unit
from hadr_lint.model import Unknown
from hadr_lint.rulebase import Rule, problem, unverified
from hadr_lint.ruleutil import is_set, plural

RULE = Rule(
    id="HA006",
    name="aurora-instances",
    severity="error",
    scope="az",
    kinds=("db_cluster",),
    short="Aurora cluster has fewer than two instances, or all in one AZ",
    description="An Aurora cluster needs a reader in another Availability Zone to fail over to; "
    "with a single instance, or instances pinned to one zone, a zone failure stops the database.",
    tags=("reliability", "availability-zone", "rds", "aurora"),
    equivalents={"checkov": "none", "cfn-lint": "none"},
)

READERS = "rds:cluster:ReadReplicaCount"


def members(graph, cluster) -> list:
    found = {r.address: r for r in graph.sources(cluster, relation="cluster", kind="db_instance")}
    name = cluster.get("identifier")
    if isinstance(name, str):
        for db in graph.resources("db_instance"):
            if db.get("cluster") == name:
                found.setdefault(db.address, db)
    return sorted(found.values(), key=lambda r: r.address)


def autoscaled_readers(graph, cluster) -> int | Unknown:
    """The minimum number of readers a read-replica scaling target keeps."""
    if cluster.get("autoscaling_min_readers") is not None:
        return cluster.get("autoscaling_min_readers")
    name = cluster.get("identifier")
    linked = {t.address: t for t in graph.sources(cluster, kind="scaling_target")}
    for target in graph.resources("scaling_target"):
        resource_id = target.get("resource_id")
        if isinstance(name, str) and resource_id == f"cluster:{name}":
            linked.setdefault(target.address, target)
        elif target.get("dimension") == READERS and target.address not in linked and (
                isinstance(resource_id, Unknown) or isinstance(name, Unknown)) and same_unit(
                target, cluster):
            return Unknown(f"the cluster {target.name} scales is unknown")
    total: int | Unknown = 0
    for target in linked.values():
        if target.get("dimension") != READERS:
            continue
        minimum = target.get("min_capacity")
        if isinstance(minimum, Unknown):
            return minimum
        total += minimum if isinstance(minimum, int) else 0
    return total


def instances(graph, cluster) -> tuple[int | Unknown, list]:
    """How many instances the cluster has, and the AZ each one is pinned to (None: not pinned)."""
    count = cluster.get("instance_count")
    if count is not None:
        zones = cluster.get("instance_zones")
        return count, zones if isinstance(zones, list) else [None]
    found = members(graph, cluster)
    for db in found:
        if db.get("count_unknown"):
            return Unknown(f"the count of {db.name} is unknown: {db.get('count_unknown')}"), []
    if len(found) < 2:
        stray = next((db for db in graph.resources("db_instance")
                      if isinstance(db.get("cluster"), Unknown)), None)
        if stray is not None:
            return Unknown(f"the cluster of {stray.name} is unknown"), []
    return len(found), [db.get("availability_zone") for db in found]


def exempt(cluster) -> bool:
    engine = cluster.get("engine")
    if isinstance(engine, str) and not engine.startswith("aurora"):
        return True
    return cluster.get("engine_mode") == "serverless" or cluster.get(
        "scalability_type") == "limitless"


def check(graph, config):
    for cluster in graph.resources("db_cluster"):
        if exempt(cluster):
            continue
        if isinstance(cluster.get("engine"), Unknown):
            yield unverified(cluster, f"engine unknown: {cluster.get('engine').reason}")
            continue
        yield from _check_cluster(graph, cluster)


def _check_cluster(graph, cluster):
    count, zones = instances(graph, cluster)
    readers = autoscaled_readers(graph, cluster)
    for value in (count, readers):
        if isinstance(value, Unknown):
            yield unverified(cluster, f"instance count unknown: {value.reason}")
            return
    total = count + readers
    if total == 0 and (is_set(cluster.get("global_cluster"))
                       or is_set(cluster.get("replication_source"))):
        return
    if total == 0 and cluster.get("instance_count") is None:
        yield unverified(cluster, "no instance of the cluster in the scanned files (they may be "
                                  "declared elsewhere)")
        return
    if total < 2:
        yield problem(
            cluster,
            f"Aurora cluster has {plural(total, 'instance')}: no reader in another AZ to fail "
            "over to when its AZ fails",
        )
        return
    pinned = {str(z) for z in zones if isinstance(z, str) or (z is not None and not isinstance(
        z, Unknown))}
    if readers == 0 and len(pinned) == 1 and all(z is not None and not isinstance(z, Unknown)
                                                  for z in zones):
        yield problem(
            cluster,
            f"all {total} instances of the Aurora cluster are pinned to {pinned.pop()}: "
            "they fail together with that AZ",
        )
