"""MemoryDB cluster keeps no replica per shard.

## What it does
Reports MemoryDB clusters (`aws_memorydb_cluster`, `AWS::MemoryDB::Cluster`) whose
`num_replicas_per_shard` (`NumReplicasPerShard`) is 0. AWS's default is one replica per shard, so
a cluster that leaves it out passes.

## Why is this bad?
MemoryDB places a shard's replicas in other Availability Zones and promotes one when the primary
fails. A shard without a replica has nothing to promote: when its primary's zone fails, the shard
is unavailable until MemoryDB rebuilds the node, and writes to its slots fail in the meantime.
AWS Trusted Advisor's "Amazon MemoryDB Multi-AZ clusters" check reports the same after
deployment.

## Example
```hcl
resource "aws_memorydb_cluster" "sessions" {
  name                   = "sessions"
  node_type              = "db.r7g.large"
  acl_name               = "open-access"
  num_shards             = 2
  num_replicas_per_shard = 0
}
```
```yaml
Sessions:
  Type: AWS::MemoryDB::Cluster
  Properties:
    ClusterName: sessions
    NodeType: db.r7g.large
    ACLName: open-access
    NumShards: 2
    NumReplicasPerShard: 0
```

## Fix
Keep at least one replica per shard (or leave the setting out: AWS's default is one):
```hcl
resource "aws_memorydb_cluster" "sessions" {
  # ...
  num_replicas_per_shard = 1
}
```
```yaml
Sessions:
  Type: AWS::MemoryDB::Cluster
  Properties:
    # ...
    NumReplicasPerShard: 1
```
"""

from __future__ import annotations

from collections.abc import Iterator

from hadr_lint.config import Config
from hadr_lint.graph import Graph
from hadr_lint.model import Problem, Unknown, Unverified
from hadr_lint.rulebase import Rule, problem, unverified

RULE = Rule(
    id="HA015",
    name="memorydb-replicas",
    severity="error",
    scope="az",
    kinds=("memorydb_cluster",),
    short="MemoryDB cluster keeps no replica per shard",
    description="A MemoryDB shard without a replica has nothing to fail over to when its "
    "primary's Availability Zone fails.",
    tags=("reliability", "availability-zone", "memorydb"),
    equivalents={"checkov": "none", "cfn-lint": "none", "trivy": "none", "kics": "none found"},
)


def check(graph: Graph, config: Config) -> Iterator[Problem | Unverified]:
    for cluster in graph.resources("memorydb_cluster"):
        replicas = cluster.get("replicas_per_shard")
        if isinstance(replicas, Unknown):
            yield unverified(cluster, f"replicas per shard unknown: {replicas.reason}")
        elif replicas == 0:
            yield problem(cluster, "MemoryDB cluster keeps no replica per shard: a shard whose "
                          "primary's AZ fails has nothing to fail over to")
