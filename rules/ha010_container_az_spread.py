"""ECS service, EKS node group, Fargate profile or Elastic Beanstalk environment spans fewer than
`min_azs` Availability Zones.

## What it does
Resolves the subnets of ECS services using `awsvpc` networking (`network_configuration.subnets`;
CloudFormation `NetworkConfiguration.AwsvpcConfiguration.Subnets`), of EKS managed node
groups and EKS Fargate profiles (`subnet_ids`; CloudFormation `Subnets`) and of Elastic
Beanstalk environments (the `Subnets` option of namespace `aws:ec2:vpc`, a comma-separated list)
to their zones and counts the distinct zones. An Elastic Beanstalk environment whose
`EnvironmentType` option (namespace `aws:elasticbeanstalk:environment`) is `SingleInstance` is
reported whatever its subnets: it runs one instance, in one zone.
The threshold is `min_azs` (default 3), capped by the number of zones the region has. Services
without `awsvpc` subnets are placed by their cluster's capacity and are not checked here.

## Why is this bad?
ECS spreads tasks, and EKS spreads nodes and Fargate pods, only over the subnets they are given.
A service, node group or Fargate profile in one zone stops with it; in two zones it loses half
its capacity while the scheduler looks for room in the survivor. Elastic Beanstalk's Auto Scaling
group launches instances only in the environment's subnets, and a single-instance environment
has no load balancer and no second instance to take over.

## Example
```hcl
resource "aws_elastic_beanstalk_environment" "web" {
  name                = "web"
  application         = "web"
  solution_stack_name = "64bit Amazon Linux 2023 v4.3.0 running Python 3.11"
  setting {
    namespace = "aws:ec2:vpc"
    name      = "Subnets"
    value     = "subnet-0a1b2c3d4e5f60001"
  }
}

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
Web:
  Type: AWS::ElasticBeanstalk::Environment
  Properties:
    ApplicationName: web
    SolutionStackName: 64bit Amazon Linux 2023 v4.3.0 running Python 3.11
    OptionSettings:
      - Namespace: aws:elasticbeanstalk:environment
        OptionName: EnvironmentType
        Value: SingleInstance
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
# Elastic Beanstalk: EnvironmentType LoadBalanced (the default), and
- Namespace: aws:ec2:vpc
  OptionName: Subnets
  Value: subnet-0a1b2c3d4e5f60001,subnet-0a1b2c3d4e5f60002,subnet-0a1b2c3d4e5f60003
```

Subnets whose zone cannot be resolved leave the check unverified, unless counting decides.
Counting still decides: N subnets span at most N zones, so a list of known length below
the threshold (`slice(module.vpc.private_subnets, 0, 1)`, `[!ImportValue PrivateSubnetA]`)
is a finding whatever its zones ("1 subnet: at most 1 AZ"). Where the region is unknown, only
a spread below the fewest zones any region has (2) is certain; 2 zones are unverified.
An Elastic Beanstalk option set by a dynamic block, a saved configuration (`template_name` /
`TemplateName`) or a value known only at deploy time (`join(",", aws_subnet.x[*].id)`) is
unverified; options in the application bundle's `.ebextensions` are not read (an environment
type left unset is `LoadBalanced`, the default).
"""

from __future__ import annotations

from collections.abc import Iterator

from hadr_lint.analysis.az_spread import spread
from hadr_lint.config import Config
from hadr_lint.graph import Graph
from hadr_lint.model import Problem, Unknown, Unverified
from hadr_lint.rulebase import Rule, problem, unverified

RULE = Rule(
    id="HA010",
    name="container-az-spread",
    severity="warning",
    scope="az",
    kinds=("ecs_service", "eks_node_group", "eks_fargate_profile", "beanstalk_environment"),
    short="ECS service, EKS node group, Fargate profile or Beanstalk environment below min_azs",
    description="Container services, node groups, Fargate profiles and Elastic Beanstalk "
    "environments placed in fewer distinct Availability Zones than min_azs (or running a single "
    "instance) cannot keep capacity through the loss of a zone.",
    tags=("reliability", "availability-zone", "containers", "ecs", "eks", "elastic-beanstalk"),
    equivalents={"checkov": "none"},
)

NAMES = {"ecs_service": "ECS service", "eks_node_group": "EKS node group",
         "eks_fargate_profile": "EKS Fargate profile",
         "beanstalk_environment": "Elastic Beanstalk environment"}


def check(graph: Graph, config: Config) -> Iterator[Problem | Unverified]:
    for resource in graph.resources(*NAMES):
        if resource.kind == "beanstalk_environment":
            kind = resource.get("environment_type")
            if kind == "SingleInstance":
                yield problem(resource, "Elastic Beanstalk environment is SingleInstance: one "
                                        "EC2 instance in one AZ, without a load balancer")
                continue
            if isinstance(kind, Unknown):
                yield unverified(resource, f"environment type unknown: {kind.reason}")
        if resource.get("subnets") == []:
            continue
        yield from spread(graph, config, resource, NAMES[resource.kind])
