"""Load balancer spans fewer than `min_azs` Availability Zones.

## What it does
Resolves the subnets of an Application, Network or Gateway Load Balancer (`subnets`,
`subnet_mapping`; CloudFormation `Subnets`, `SubnetMappings`) or of a Classic ELB (`subnets` or
`availability_zones`) to their Availability Zones and counts the distinct zones. The threshold is
`min_azs` (default 3), capped by the number of zones the region has.

## Why is this bad?
A load balancer only has nodes, and only routes to targets, in the zones it is enabled in. When
one of too few zones fails, the load balancer loses that share of its capacity, and the targets
in the other zones cannot take over traffic it never receives.

## Example
```hcl
resource "aws_lb" "web" {
  load_balancer_type = "application"
  subnets            = [aws_subnet.public_a.id, aws_subnet.public_b.id]   # two AZs
}
```
```yaml
WebLoadBalancer:
  Type: AWS::ElasticLoadBalancingV2::LoadBalancer
  Properties:
    Subnets: [!Ref PublicSubnetA, !Ref PublicSubnetB]
```

## Fix
Enable the load balancer in at least three zones:
```hcl
resource "aws_lb" "web" {
  load_balancer_type = "application"
  subnets            = aws_subnet.public[*].id   # one subnet per AZ, count = 3
}
```
```yaml
Subnets: [!Ref PublicSubnetA, !Ref PublicSubnetB, !Ref PublicSubnetC]
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
    id="HA002",
    name="lb-az-spread",
    severity="error",
    scope="az",
    kinds=("load_balancer",),
    short="Load balancer spans fewer than min_azs Availability Zones",
    description="A load balancer enabled in fewer distinct Availability Zones than min_azs loses "
    "a large share of its capacity, or all of it, with one zone.",
    tags=("reliability", "availability-zone", "load-balancer"),
    equivalents={"checkov": "none (CKV_AWS_* checks do not count AZs)", "cfn-lint": "none"},
)

NAMES = {"application": "Application Load Balancer", "network": "Network Load Balancer",
         "gateway": "Gateway Load Balancer", "classic": "Classic Load Balancer"}


def check(graph: Graph, config: Config) -> Iterator[Problem | Unverified]:
    for balancer in graph.resources("load_balancer"):
        lb_type = balancer.get("lb_type")
        what = NAMES.get(lb_type, "Load balancer") if isinstance(lb_type, str) else "Load balancer"
        yield from spread(graph, config, balancer, what)
