"""The infrastructure lacks a building block the declared strategy needs.

## What it does
Checks the building blocks of the declared disaster-recovery strategy, one finding per missing
block. Strategies are cumulative: each needs the blocks of the cheaper ones.

* **backup-restore**: every stateful store (RDS, Aurora, DynamoDB, S3, EFS) backed up and the
  backups copied to another region: an AWS Backup rule with a `copy_action` to a vault in
  another region, or RDS automated backups replication.
* **pilot-light** adds: every stateful store replicated to another region (DynamoDB global
  table, Aurora Global Database, cross-region read replica, S3 or EFS replication); the
  workload's artifacts in another region, or the DR region cannot pull the images or read the
  secrets it starts with: each ECR repository the workload's compute pulls from covered by a
  registry replication rule (`aws_ecr_replication_configuration`,
  `AWS::ECR::ReplicationConfiguration`, prefix filters matched against the repository name),
  and each Secrets Manager secret it reads with a replica (`replica { region }`,
  `ReplicaRegions`); Route 53 failover records (PRIMARY and SECONDARY) with a health check on
  the primary. Compute in the DR region may be off.

The compute is the workload's ECS task definitions (and those its services run) and Lambda
functions. A repository is pulled when a container `image` (`container_definitions`, a
`jsonencode` or a JSON string; `ContainerDefinitions[].Image`) or a function's `image_uri` /
`Code.ImageUri` is built from its URL (`${aws_ecr_repository.app.repository_url}:1.4`,
`!Sub "${Repo.RepositoryUri}:1.4"`) or is a literal ECR URI with its name; a secret is read
when a container's `secrets[].valueFrom` or a function's environment refers to it (or its
literal ARN). A repository or secret nothing in the scan uses (a repository only CI pushes
to) needs no copy. An image or secret reference that cannot be followed (a variable, container
definitions read from a file, a literal URI no scanned repository is named by, when one's name
is generated) leaves the repositories or secrets it may be unverified, never a finding.
* **warm-standby** adds: running compute in the DR region: an Auto Scaling group with
  `min_size >= 1` behind a load balancer.
* **active-active** adds: writable data in several regions (DynamoDB global tables, Aurora
  Global Database with write forwarding; an RDS instance has one writer); latency, weighted or
  geo routing with health checks over at least 2 regions (instead of failover routing); serving
  capacity in every region.

Only workload data needs the store blocks: buckets that receive logs (access logs,
CloudTrail, flow logs, Config) are left out; a team can set a store's class in
`.hadr-lint.yaml` (`store_classes: {aws_s3_bucket.audit: workload}`; classes: `workload`,
`logs`, `cache`, `artifacts`).

A missing block of a store points at the store; a missing block of the workload (failover routing,
DR compute, multi-region routing) with no resource to stand for it points where the workload is
declared: the `workloads:` entry or `objectives:` line of `.hadr-lint.yaml`, the template's
`Metadata: HadrLint` line; declared only on the command line, or not at all, the workload's root
folder (line 1).

Regions: `primary_region` / `dr_regions` when declared, else the target of the PRIMARY failover
record, else the region most stateful stores are in. A block that depends on an unknown value
(a selection by unknown tags, an unknown `min_size`, a region that cannot be resolved) is
reported as unverified, never as missing. Source of the strategies: AWS whitepaper "Disaster
Recovery of Workloads on AWS: Recovery in the Cloud", and the project's reference notes.

## Why is this bad?
A declared strategy that is not built is worse than none: the team believes it can fail over in
minutes, and finds out during the outage that the DR region has no data, no routing or no
servers.

## Example
Declared `pilot-light`, but the table lives in one region only and nothing routes to a DR region:
```hcl
resource "aws_dynamodb_table" "orders" {
  name     = "orders"
  hash_key = "id"
}
```
```yaml
Metadata:
  HadrLint: {Strategy: pilot-light, RPO: 10m, RTO: 30m}
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
```

## Fix
Build the blocks: a global table (and a backup copied to another region), failover routing with
health checks:
```hcl
resource "aws_dynamodb_table" "orders" {
  name     = "orders"
  hash_key = "id"
  replica { region_name = "us-west-2" }
}
```
```yaml
Orders:
  Type: AWS::DynamoDB::GlobalTable
  Properties:
    Replicas: [{Region: us-east-1}, {Region: us-west-2}]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from hadr_lint.config import Config
from hadr_lint.graph import Graph
from hadr_lint.model import Problem, Unknown, Unverified
from hadr_lint.objectives.wording import assess
from hadr_lint.rulebase import Rule, problem, unverified

RULE = Rule(
    id="OB003",
    name="strategy-not-implemented",
    severity="error",
    scope="objectives",
    kinds=(),
    short="The infrastructure lacks a building block the declared strategy needs",
    description="One finding per missing building block of the declared DR strategy: "
    "cross-region backup copies, replication, failover routing, standby compute, "
    "multi-region writes.",
    tags=("disaster-recovery", "region", "objectives"),
    equivalents={},
)


def check(graph: Graph, config: Config) -> Iterator[Problem | Unverified]:
    for assessment in assess(graph, config):
        strategy = assessment.workload.declared.strategy
        for block in assessment.blocks:
            if block.present is True:
                continue
            if isinstance(block.present, Unknown):
                yield unverified(block.resource, f"{block.name} unknown: {block.detail}")
                continue
            needed = strategy if block.strategy == strategy else f"{strategy} (like " \
                f"{block.strategy})"
            yield problem(block.resource, f"{needed} needs {block.name}: {block.detail}")
