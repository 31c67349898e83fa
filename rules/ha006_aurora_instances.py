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

from collections.abc import Iterator

from hadr_lint.analysis.cluster_members import autoscaled_readers, instances, single_zone
from hadr_lint.config import Config
from hadr_lint.graph import Graph
from hadr_lint.model import Problem, Unknown, Unverified
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


def exempt(cluster) -> bool:
    engine = cluster.get("engine")
    if isinstance(engine, str) and not engine.startswith("aurora"):
        return True
    return cluster.get("engine_mode") == "serverless" or cluster.get(
        "scalability_type") == "limitless"


def check(graph: Graph, config: Config) -> Iterator[Problem | Unverified]:
    for cluster in graph.resources("db_cluster"):
        if exempt(cluster):
            continue
        if isinstance(cluster.get("engine"), Unknown):
            yield unverified(cluster, f"engine unknown: {cluster.get('engine').reason}")
            continue
        yield from _check_cluster(graph, cluster)


def _check_cluster(graph, cluster):
    count, zones = instances(graph, cluster, "db_instance")
    readers = autoscaled_readers(graph, cluster, READERS)
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
    zone = single_zone(zones)
    if readers == 0 and zone:
        yield problem(
            cluster,
            f"all {total} instances of the Aurora cluster are pinned to {zone}: "
            "they fail together with that AZ",
        )
