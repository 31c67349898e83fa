"""ElastiCache Redis/Valkey without automatic failover across Availability Zones.

## What it does
Reports Redis and Valkey replication groups without `automatic_failover_enabled` or
`multi_az_enabled` (CloudFormation `AutomaticFailoverEnabled`, `MultiAZEnabled`), or with fewer
than two nodes per shard (`num_cache_clusters`, `replicas_per_node_group` + 1); stand-alone
Redis/Valkey cache clusters (`aws_elasticache_cluster` / `AWS::ElastiCache::CacheCluster`
outside a replication group, always a single node); and Memcached clusters of several nodes kept
in one zone (`az_mode` `single-az`, the default).

## Why is this bad?
A Redis primary without a replica in another zone is lost with its zone: the cache, sessions or
queues it holds are gone, and every client fails until a new node is created and refilled. With
replicas but no automatic failover, someone has to promote a replica by hand. A Memcached
cluster with every node in one zone goes cold all at once.

## Example
```hcl
resource "aws_elasticache_replication_group" "sessions" {
  replication_group_id = "sessions"
  description          = "user sessions"
  engine               = "redis"
  node_type            = "cache.r7g.large"
  num_cache_clusters   = 1
}
```
```yaml
Sessions:
  Type: AWS::ElastiCache::ReplicationGroup
  Properties:
    ReplicationGroupDescription: user sessions
    Engine: redis
    CacheNodeType: cache.r7g.large
    NumCacheClusters: 1
```

## Fix
```hcl
resource "aws_elasticache_replication_group" "sessions" {
  replication_group_id       = "sessions"
  description                = "user sessions"
  engine                     = "redis"
  node_type                  = "cache.r7g.large"
  num_cache_clusters         = 2
  automatic_failover_enabled = true
  multi_az_enabled           = true
}
```
```yaml
NumCacheClusters: 2
AutomaticFailoverEnabled: true
MultiAZEnabled: true
```

An unknown setting that could decide the outcome leaves the check unverified.
"""

from __future__ import annotations

from collections.abc import Iterator

from hadr_lint.config import Config
from hadr_lint.graph import Graph
from hadr_lint.model import Problem, Unknown, Unverified
from hadr_lint.rulebase import Rule, problem, unverified
from hadr_lint.ruleutil import is_set

RULE = Rule(
    id="HA007",
    name="elasticache-failover",
    severity="error",
    scope="az",
    kinds=("cache_replication_group", "cache_cluster"),
    short="ElastiCache Redis/Valkey without Multi-AZ automatic failover",
    description="A Redis or Valkey cache without a replica in another Availability Zone and "
    "automatic failover is lost with its zone; a Memcached cluster in one zone goes cold.",
    tags=("reliability", "availability-zone", "elasticache"),
    equivalents={"checkov": "CKV2_AWS_50 (replication groups)", "trivy": "none",
                 "kics": "6db03a91-f933-4f13-ab38-a8b87a7de54d (Memcached az_mode)"},
)

REDIS = ("redis", "valkey")


def group_issues(group) -> tuple[list[str], list[str]]:
    """What is wrong with a replication group, and what is unknown."""
    issues, unknown = [], []
    for key, text in (("automatic_failover", "automatic failover is off"),
                      ("multi_az", "Multi-AZ is off")):
        value = group.get(key)
        if value is False:
            issues.append(text)
        elif isinstance(value, Unknown):
            unknown.append(f"{key} unknown: {value.reason}")
    nodes = group.get("nodes_per_shard")
    if isinstance(nodes, int) and nodes < 2:
        issues.append(f"{nodes} node per shard (no replica)")
    elif isinstance(nodes, Unknown):
        unknown.append(f"node count unknown: {nodes.reason}")
    return issues, unknown


def check(graph: Graph, config: Config) -> Iterator[Problem | Unverified]:
    for group in graph.resources("cache_replication_group"):
        engine = group.get("engine")
        if isinstance(engine, str) and engine not in REDIS:
            continue
        issues, unknown = group_issues(group)
        if isinstance(engine, Unknown) and issues:
            yield unverified(group, f"engine unknown: {engine.reason}")
        elif issues:
            yield problem(group, f"ElastiCache replication group: {', '.join(issues)}; "
                                 "a zone failure takes the cache down")
        elif unknown:
            yield unverified(group, "; ".join(unknown))
    for cluster in graph.resources("cache_cluster"):
        yield from _check_cluster(cluster)


def _check_cluster(cluster):
    if is_set(cluster.get("replication_group")):
        return
    engine = cluster.get("engine")
    if isinstance(engine, Unknown):
        yield unverified(cluster, f"engine unknown: {engine.reason}")
    elif engine in REDIS:
        yield problem(cluster, f"stand-alone {engine} cache cluster has a single node and no "
                               "replica: a zone failure takes the cache down")
    elif engine == "memcached":
        nodes, mode = cluster.get("num_cache_nodes"), cluster.get("az_mode")
        for value in (nodes, mode):
            if isinstance(value, Unknown):
                yield unverified(cluster, f"node count or az_mode unknown: {value.reason}")
                return
        if isinstance(nodes, int) and nodes > 1 and mode in (None, "single-az"):
            yield problem(cluster, f"Memcached cluster keeps all {nodes} nodes in one AZ "
                                   "(az_mode single-az): a zone failure empties the cache")
