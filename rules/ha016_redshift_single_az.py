"""Provisioned Redshift cluster is single-AZ, with neither Multi-AZ nor AZ relocation.

## What it does
Reports provisioned Redshift clusters (`aws_redshift_cluster`, `AWS::Redshift::Cluster`) that set
neither `multi_az` (`MultiAZ`) nor `availability_zone_relocation_enabled`
(`AvailabilityZoneRelocation`). Both are off by default.

## Why is this bad?
A provisioned Redshift cluster runs all its nodes in one Availability Zone. When that zone fails,
the cluster is down until the zone recovers or it is restored from a snapshot into another zone,
which takes hours for a large warehouse. A Multi-AZ deployment keeps compute in a second zone and
fails over on its own; AZ relocation moves the cluster to another zone with its endpoint
unchanged. Both need RA3 nodes. The finding is a warning: many warehouses accept a slower
recovery, and saying so with a suppression documents the decision.

## Example
```hcl
resource "aws_redshift_cluster" "warehouse" {
  cluster_identifier = "warehouse"
  node_type          = "ra3.xlplus"
  number_of_nodes    = 2
  master_username    = "admin"
  manage_master_password = true
}
```
```yaml
Warehouse:
  Type: AWS::Redshift::Cluster
  Properties:
    ClusterType: multi-node
    NodeType: ra3.xlplus
    NumberOfNodes: 2
    MasterUsername: admin
    ManageMasterPassword: true
    DBName: analytics
```

## Fix
Deploy it Multi-AZ, or at least allow AZ relocation:
```hcl
resource "aws_redshift_cluster" "warehouse" {
  # ...
  multi_az = true
}
```
```yaml
Warehouse:
  Type: AWS::Redshift::Cluster
  Properties:
    # ...
    AvailabilityZoneRelocation: true
```
"""

from __future__ import annotations

from collections.abc import Iterator

from hadr_lint.config import Config
from hadr_lint.graph import Graph
from hadr_lint.model import Problem, Unknown, Unverified
from hadr_lint.rulebase import Rule, problem, unverified

RULE = Rule(
    id="HA016",
    name="redshift-single-az",
    severity="warning",
    scope="az",
    kinds=("redshift_cluster",),
    short="Redshift cluster is single-AZ, with neither Multi-AZ nor AZ relocation",
    description="A provisioned Redshift cluster without Multi-AZ or AZ relocation is down for as "
    "long as its Availability Zone is, or until it is restored elsewhere from a snapshot.",
    tags=("reliability", "availability-zone", "redshift"),
    equivalents={"checkov": "none", "cfn-lint": "none", "trivy": "none", "kics": "none found"},
)


def check(graph: Graph, config: Config) -> Iterator[Problem | Unverified]:
    for cluster in graph.resources("redshift_cluster"):
        settings = (cluster.get("multi_az"), cluster.get("az_relocation"))
        if True in settings:
            continue
        unknown = next((s for s in settings if isinstance(s, Unknown)), None)
        if unknown is not None:
            yield unverified(cluster, f"Multi-AZ or AZ relocation unknown: {unknown.reason}")
        else:
            yield problem(cluster, "Redshift cluster runs in one AZ with neither Multi-AZ nor AZ "
                          "relocation: it is down for as long as that AZ is")
