"""ECS service, EKS node group or Fargate profile spans fewer than `min_azs` Availability Zones.

## What it does
Resolves the subnets of ECS services using `awsvpc` networking (`network_configuration.subnets`;
CloudFormation `NetworkConfiguration.AwsvpcConfiguration.Subnets`) and of EKS managed node
groups and EKS Fargate profiles (`subnet_ids`; CloudFormation `Subnets`) to their zones and
counts the distinct zones.
The threshold is `min_azs` (default 3), capped by the number of zones the region has. Services
without `awsvpc` subnets are placed by their cluster's capacity and are not checked here.

## Why is this bad?
ECS spreads tasks, and EKS spreads nodes and Fargate pods, only over the subnets they are given.
A service, node group or Fargate profile in one zone stops with it; in two zones it loses half
its capacity while the scheduler looks for room in the survivor.

## Example
```hcl
resource "aws_ecs_service" "api" {
  name          = "api"
  desired_count = 3
  network_configuration {
    subnets = [aws_subnet.private_a.id]
  }
}
```
```yaml
ApiService:
  Type: AWS::ECS::Service
  Properties:
    DesiredCount: 3
    NetworkConfiguration:
      AwsvpcConfiguration:
        Subnets: [!Ref PrivateSubnetA]
```

## Fix
```hcl
resource "aws_ecs_service" "api" {
  network_configuration {
    subnets = aws_subnet.private[*].id   # one subnet per AZ, count = 3
  }
}
```
```yaml
Subnets: [!Ref PrivateSubnetA, !Ref PrivateSubnetB, !Ref PrivateSubnetC]
```

Subnets whose zone cannot be resolved leave the check unverified, unless counting decides.
Counting still decides: N subnets span at most N zones, so a list of known length below
the threshold (`slice(module.vpc.private_subnets, 0, 1)`, `[!ImportValue PrivateSubnetA]`)
is a finding whatever its zones ("1 subnet: at most 1 AZ"). Where the region is unknown, only
a spread below the fewest zones any region has (2) is certain; 2 zones are unverified.
"""

from __future__ import annotations

from collections.abc import Iterator

from hadr_lint.analysis.az_spread import spread
from hadr_lint.config import Config
from hadr_lint.graph import Graph
from hadr_lint.model import Problem, Unverified
from hadr_lint.rulebase import Rule

RULE = Rule(
    id="HA010",
    name="container-az-spread",
    severity="warning",
    scope="az",
    kinds=("ecs_service", "eks_node_group", "eks_fargate_profile"),
    short="ECS service, EKS node group or Fargate profile spans fewer than min_azs AZs",
    description="Container services, node groups and Fargate profiles placed in fewer distinct "
    "Availability Zones than min_azs cannot keep capacity through the loss of a zone.",
    tags=("reliability", "availability-zone", "containers", "ecs", "eks"),
    equivalents={"checkov": "none"},
)

NAMES = {"ecs_service": "ECS service", "eks_node_group": "EKS node group",
         "eks_fargate_profile": "EKS Fargate profile"}


def check(graph: Graph, config: Config) -> Iterator[Problem | Unverified]:
    for resource in graph.resources(*NAMES):
        if resource.get("subnets") == []:
            continue
        yield from spread(graph, config, resource, NAMES[resource.kind])
