"""Storage or cluster service deployed in a single Availability Zone.

## What it does
Reports EFS One Zone file systems (`availability_zone_name` / `AvailabilityZoneName`), FSx for
Windows File Server, NetApp ONTAP and OpenZFS file systems with a `SINGLE_AZ_*` deployment type
(Windows defaults to `SINGLE_AZ_1`; FSx for Lustre has no Multi-AZ option and is not reported),
OpenSearch and Elasticsearch domains without zone awareness (`zone_awareness_enabled` /
`ZoneAwarenessEnabled`, off by default; Multi-AZ with standby counts as zone aware) or with
fewer than three data nodes (`instance_count` / `InstanceCount`), and MSK
clusters whose broker count is not a multiple of their number of client subnets (one per AZ) or
whose client subnets (`broker_node_group_info.client_subnets` / `BrokerNodeGroupInfo.ClientSubnets`)
span fewer than `min_azs` AZs (capped by the region's AZs; MSK requires each client subnet in its
own AZ, so N distinct subnets are N AZs even when their zones are not in the scanned files).

## Why is this bad?
These services keep their data or nodes in one zone. When it fails, the file system or search
domain is unavailable until the zone recovers, and One Zone / single-AZ storage can lose data
written since the last backup. MSK spreads brokers evenly over zones; an uneven count leaves one
zone carrying more partitions, and the cluster cannot be created or grown that way. A cluster in
two AZs loses half its brokers with one of them, and topics with a replication factor of 3 and
`min.insync.replicas` 2 can stop accepting writes.

## Example
```hcl
resource "aws_efs_file_system" "shared" {
  availability_zone_name = "eu-west-1a"
}

resource "aws_opensearch_domain" "logs" {
  domain_name = "logs"
  cluster_config {
    instance_count = 2
  }
}

resource "aws_msk_cluster" "events" {
  number_of_broker_nodes = 2
  broker_node_group_info {
    client_subnets = [aws_subnet.private_a.id, aws_subnet.private_b.id]
  }
}
```
```yaml
Shared:
  Type: AWS::EFS::FileSystem
  Properties:
    AvailabilityZoneName: eu-west-1a
Files:
  Type: AWS::FSx::FileSystem
  Properties:
    FileSystemType: WINDOWS
    WindowsConfiguration:
      DeploymentType: SINGLE_AZ_2
Events:
  Type: AWS::MSK::Cluster
  Properties:
    NumberOfBrokerNodes: 2
    BrokerNodeGroupInfo:
      ClientSubnets: [!Ref PrivateA, !Ref PrivateB]
```

## Fix
```hcl
resource "aws_efs_file_system" "shared" {}   # Regional (Standard) storage

resource "aws_opensearch_domain" "logs" {
  cluster_config {
    instance_count         = 3
    zone_awareness_enabled = true
    zone_awareness_config {
      availability_zone_count = 3
    }
  }
}
```
```yaml
WindowsConfiguration:
  DeploymentType: MULTI_AZ_1
BrokerNodeGroupInfo:
  ClientSubnets: [!Ref PrivateA, !Ref PrivateB, !Ref PrivateC]   # NumberOfBrokerNodes: 3
```

Unknown values leave the check unverified. Where the region is unknown, MSK brokers in 2 AZs are
unverified (some regions have only 2); in 1 AZ they are a finding.
"""

from __future__ import annotations

from collections.abc import Iterator

from hadr_lint.analysis.az_spread import first_unknown, one_per_zone
from hadr_lint.config import Config
from hadr_lint.graph import Graph
from hadr_lint.model import Problem, Unknown, Unverified
from hadr_lint.rulebase import Rule, problem, unverified

RULE = Rule(
    id="HA011",
    name="single-az-storage",
    severity="warning",
    scope="az",
    kinds=("efs_file_system", "fsx_file_system", "search_domain", "kafka_cluster"),
    short="EFS One Zone, single-AZ FSx, OpenSearch without zone awareness, "
    "MSK below min_azs or uneven",
    description="File systems, search domains and Kafka clusters deployed in a single "
    "Availability Zone (or unevenly across zones) are lost or degraded with that zone.",
    tags=("reliability", "availability-zone", "storage", "efs", "fsx", "opensearch", "msk"),
    equivalents={"checkov": "none", "trivy": "none"},
)

NO_MULTI_AZ = ("lustre",)
MIN_DATA_NODES = 3


def check(graph: Graph, config: Config) -> Iterator[Problem | Unverified]:
    for fs in graph.resources("efs_file_system"):
        zone = fs.get("availability_zone")
        if isinstance(zone, Unknown):
            yield unverified(fs, f"availability_zone_name unknown: {zone.reason}")
        elif zone is not None:
            yield problem(fs, f"EFS One Zone file system keeps its data in {zone} only")
    for fs in graph.resources("fsx_file_system"):
        yield from _fsx(fs)
    for domain in graph.resources("search_domain"):
        yield from _search(domain)
    for cluster in graph.resources("kafka_cluster"):
        yield from _kafka(cluster)
        if cluster.get("subnets") != []:
            yield from one_per_zone(graph, config, cluster, "MSK brokers")


def _fsx(fs):
    fs_type, deployment = fs.get("fs_type"), fs.get("deployment_type")
    if fs_type in NO_MULTI_AZ:
        return
    unknown = first_unknown(fs_type, deployment)
    if unknown is not None:
        yield unverified(fs, f"deployment type unknown: {unknown.reason}")
    elif isinstance(deployment, str) and deployment.startswith("SINGLE_AZ"):
        yield problem(fs, f"FSx file system uses deployment type {deployment}: all of it lives "
                          "in one AZ")


def _search(domain):
    aware = domain.get("zone_awareness")
    if isinstance(aware, Unknown):
        yield unverified(domain, f"zone_awareness_enabled unknown: {aware.reason}")
    elif aware is False and domain.get("multi_az_standby") is not True:
        yield problem(domain, "search domain has no zone awareness: all its nodes and shards "
                              "can sit in one AZ")
    else:
        yield from _data_nodes(domain)


def _data_nodes(domain):
    """A zone-aware domain still needs three data nodes to keep a quorum of them when one AZ
    fails (AWS Config's opensearch-data-node-fault-tolerance)."""
    nodes = domain.get("instance_count")
    if isinstance(nodes, Unknown):
        yield unverified(domain, f"data node count unknown: {nodes.reason}")
    elif isinstance(nodes, int) and nodes < MIN_DATA_NODES:
        yield problem(domain, f"search domain has {nodes} data node{'s' if nodes != 1 else ''}: "
                      f"with fewer than {MIN_DATA_NODES}, losing one AZ leaves too few to serve "
                      "every shard and keep the cluster writable")


def _kafka(cluster):
    brokers, subnets = cluster.get("broker_count"), cluster.get("subnets")
    unknown = first_unknown(brokers, subnets)
    if unknown is not None:
        yield unverified(cluster, f"brokers or client subnets unknown: {unknown.reason}")
        return
    if not isinstance(brokers, int) or not isinstance(subnets, list) or not subnets:
        return
    if any(isinstance(s, Unknown) for s in subnets):
        yield unverified(cluster, "a client subnet is unknown")
        return
    zones = len({str(s) for s in subnets})
    if brokers % zones:
        yield problem(cluster, f"MSK cluster has {brokers} brokers over {zones} client subnets "
                               "(AZs): not a multiple, so the AZs carry uneven shares")
