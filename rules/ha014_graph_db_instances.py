"""DocumentDB or Neptune cluster has fewer than two instances, or all in one AZ.

## What it does
Counts the instances of each DocumentDB and Neptune cluster: `aws_docdb_cluster_instance` and
`aws_neptune_cluster_instance` resources (each `count` / `for_each` instance counts), and
CloudFormation `AWS::DocDB::DBInstance` / `AWS::Neptune::DBInstance` whose `DBClusterIdentifier`
refers to the cluster. Reports clusters with fewer than two instances, and clusters whose
instances are all pinned to the same `availability_zone`. A cluster without instances that belongs
to a global cluster is taken as a headless secondary and not reported; a cluster none of whose
instances is in the scanned files is unverified (they may be declared in another stack or root).

## Why is this bad?
As with Aurora, the cluster volume is replicated across three zones but the instances are not. A
cluster with a single primary instance has no replica to promote: when its zone fails, the
service must create a new instance elsewhere, which takes ten minutes or more. Replicas pinned to
the primary's zone fail together with it. AWS Trusted Advisor's "Amazon DocumentDB Single AZ
Clusters" check reports the same after deployment.

## Example
```hcl
resource "aws_docdb_cluster" "catalog" {
  cluster_identifier = "catalog"
  engine             = "docdb"
  master_username    = "catalog"
  master_password    = var.password
}

resource "aws_docdb_cluster_instance" "catalog" {
  count              = 1
  identifier         = "catalog-${count.index}"
  cluster_identifier = aws_docdb_cluster.catalog.id
  instance_class     = "db.r6g.large"
}
```
```yaml
Graph:
  Type: AWS::Neptune::DBCluster
  Properties:
    DBClusterIdentifier: graph
Primary:
  Type: AWS::Neptune::DBInstance
  Properties:
    DBClusterIdentifier: !Ref Graph
    DBInstanceClass: db.r6g.large
```

## Fix
Add a replica; leave its zone to the service, or pin each instance to a different zone:
```hcl
resource "aws_docdb_cluster_instance" "catalog" {
  count              = 3
  identifier         = "catalog-${count.index}"
  cluster_identifier = aws_docdb_cluster.catalog.id
  instance_class     = "db.r6g.large"
}
```
```yaml
Replica:
  Type: AWS::Neptune::DBInstance
  Properties:
    DBClusterIdentifier: !Ref Graph
    DBInstanceClass: db.r6g.large
```
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
    id="HA014",
    name="graph-db-instances",
    severity="error",
    scope="az",
    kinds=("docdb_cluster", "neptune_cluster"),
    short="DocumentDB or Neptune cluster has fewer than two instances, or all in one AZ",
    description="A DocumentDB or Neptune cluster needs a replica in another Availability Zone to "
    "fail over to; with a single instance, or instances pinned to one zone, a zone failure stops "
    "the database.",
    tags=("reliability", "availability-zone", "documentdb", "neptune"),
    equivalents={"checkov": "none", "cfn-lint": "none", "trivy": "none", "kics": "none found"},
)

MEMBERS = {"docdb_cluster": ("docdb_instance", "DocumentDB"),
           "neptune_cluster": ("neptune_instance", "Neptune")}
NEPTUNE_READERS = "neptune:cluster:ReadReplicaCount"


def check(graph: Graph, config: Config) -> Iterator[Problem | Unverified]:
    for cluster in graph.resources(*MEMBERS):
        yield from _check_cluster(graph, cluster, *MEMBERS[cluster.kind])


def _check_cluster(graph, cluster, member_kind: str, service: str):
    count, zones = instances(graph, cluster, member_kind)
    readers = autoscaled_readers(graph, cluster, NEPTUNE_READERS) if (
        member_kind == "neptune_instance") else 0
    if isinstance(count, Unknown):
        yield unverified(cluster, f"instance count unknown: {count.reason}")
        return
    if isinstance(readers, Unknown):
        yield unverified(cluster, f"instance count unknown: {readers.reason}")
        return
    total = count + readers
    if total == 0 and is_set(cluster.get("global_cluster")):
        return
    if total == 0:
        yield unverified(cluster, "no instance of the cluster in the scanned files (they may be "
                                  "declared elsewhere)")
    elif total < 2:
        yield problem(cluster, f"{service} cluster has {plural(total, 'instance')}: no replica "
                      "in another AZ to fail over to when its AZ fails")
    elif readers == 0 and (zone := single_zone(zones)):
        yield problem(cluster, f"all {total} instances of the {service} cluster are pinned to "
                      f"{zone}: they fail together with that AZ")
