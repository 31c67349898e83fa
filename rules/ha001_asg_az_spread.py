"""Auto Scaling group spans fewer than `min_azs` Availability Zones.

## What it does
Resolves every subnet of an Auto Scaling group (`vpc_zone_identifier` / `VPCZoneIdentifier`) to its
Availability Zone, or reads `availability_zones` / `AvailabilityZones`, and counts the distinct
zones. Two subnets in the same zone count once. The threshold is `min_azs` (default 3), capped by
the number of zones the region has (us-west-1 has 2).

## Why is this bad?
When a zone fails, the group can only replace capacity in the zones it is allowed to use. A group
in one zone goes down with it; a group in two loses half its capacity at the moment it needs it.

## Example
```hcl
resource "aws_autoscaling_group" "web" {
  min_size            = 3
  max_size            = 9
  vpc_zone_identifier = [aws_subnet.a.id, aws_subnet.a2.id]   # both in us-east-1a
}
```
```yaml
WebGroup:
  Type: AWS::AutoScaling::AutoScalingGroup
  Properties:
    MinSize: "3"
    MaxSize: "9"
    VPCZoneIdentifier: [!Ref SubnetA]
```

## Fix
Give the group one subnet in each of at least three zones:
```hcl
resource "aws_autoscaling_group" "web" {
  vpc_zone_identifier = aws_subnet.private[*].id   # one subnet per AZ, count = 3
}
```
```yaml
VPCZoneIdentifier: [!Ref SubnetA, !Ref SubnetB, !Ref SubnetC]
```

A subnet whose zone cannot be resolved (a variable without a value, a subnet outside the scanned
files) leaves the check unverified instead of reporting it, unless counting decides.
Counting still decides: N subnets span at most N zones, so a group given fewer subnets than
the threshold (`[aws_subnet.app[0].id]` whose zone is a variable without value) is a finding
whatever their zones ("1 subnet: at most 1 AZ"). An item of unknown text
(`[!ImportValue PrivateSubnets]`, `slice(module.vpc.private_subnets, 0, 1)`) does not count as
one subnet here: the group's subnets reach the API as one comma-separated string, so one item
may hold several ids. Where the region is unknown, only a spread below the fewest zones any
region has (2) is certain; 2 zones are unverified.
"""

from __future__ import annotations

from collections.abc import Iterator

from hadr_lint.analysis.az_spread import spread
from hadr_lint.config import Config
from hadr_lint.graph import Graph
from hadr_lint.model import Problem, Unverified
from hadr_lint.rulebase import Rule

RULE = Rule(
    id="HA001",
    name="asg-az-spread",
    severity="error",
    scope="az",
    kinds=("autoscaling_group",),
    short="Auto Scaling group spans fewer than min_azs Availability Zones",
    description="An Auto Scaling group whose subnets or zones cover fewer distinct Availability "
    "Zones than min_azs cannot keep capacity through the loss of a zone.",
    tags=("reliability", "availability-zone", "autoscaling"),
    equivalents={"checkov": "none (single-resource checks cannot count AZs)"},
)


def check(graph: Graph, config: Config) -> Iterator[Problem | Unverified]:
    for group in graph.resources("autoscaling_group"):
        yield from spread(graph, config, group, "Auto Scaling group")
