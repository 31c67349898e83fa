"""Auto Scaling group and its load balancer are enabled in different Availability Zones.

## What it does
Follows an Auto Scaling group to the load balancers that send it traffic: directly (Classic ELB
`load_balancers`), or through its target groups (`target_group_arns`, `traffic_source`,
`aws_autoscaling_attachment`, `aws_autoscaling_traffic_source_attachment`; CloudFormation
`TargetGroupARNs`, `LoadBalancerNames`) and the listeners and listener rules that forward to
them. Compares the zones of the group's subnets with the zones of each load balancer's subnets.
A link that cannot be followed (a target group outside the scanned files) is skipped.

## Why is this bad?
A load balancer only routes to targets in zones it is enabled in: instances the group launches in
other zones receive no traffic while still counting as capacity, so after a zone failure the
group can scale out where no request ever arrives. The reverse, a load balancer node in a zone
where the group has no instance, sends that zone's share of traffic across zones (or, for a
Network Load Balancer without cross-zone load balancing, to no target at all).

## Example
```hcl
resource "aws_lb" "web" {
  subnets = [aws_subnet.public_a.id, aws_subnet.public_b.id]
}

resource "aws_autoscaling_group" "web" {
  vpc_zone_identifier = [aws_subnet.app_a.id, aws_subnet.app_b.id, aws_subnet.app_c.id]
  target_group_arns   = [aws_lb_target_group.web.arn]   # forwarded to by aws_lb.web
}
```
```yaml
WebLoadBalancer:
  Type: AWS::ElasticLoadBalancingV2::LoadBalancer
  Properties:
    Subnets: [!Ref PublicSubnetA, !Ref PublicSubnetB]
WebGroup:
  Type: AWS::AutoScaling::AutoScalingGroup
  Properties:
    VPCZoneIdentifier: [!Ref AppSubnetA, !Ref AppSubnetB, !Ref AppSubnetC]
    TargetGroupARNs: [!Ref WebTargetGroup]
```

## Fix
Enable the load balancer in every zone the group uses, and the other way round:
```hcl
resource "aws_lb" "web" {
  subnets = [aws_subnet.public_a.id, aws_subnet.public_b.id, aws_subnet.public_c.id]
}
```
```yaml
Subnets: [!Ref PublicSubnetA, !Ref PublicSubnetB, !Ref PublicSubnetC]
```

Zones that cannot be resolved on either side leave the check unverified; zones named in ways
that cannot be compared (names on one side, zone indexes of `aws_availability_zones` on the
other) too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from hadr_lint.analysis.az_spread import asg_targets, load_balancers_of
from hadr_lint.config import Config
from hadr_lint.graph import Graph
from hadr_lint.model import AZ, Problem, Resource, Unverified
from hadr_lint.rulebase import Rule, problem, unverified

RULE = Rule(
    id="HA009",
    name="lb-asg-az-alignment",
    severity="warning",
    scope="az",
    kinds=("autoscaling_group", "load_balancer"),
    short="Auto Scaling group and its load balancer cover different AZs",
    description="Instances in zones their load balancer is not enabled in get no traffic, and a "
    "load balancer zone without instances sends its traffic elsewhere.",
    tags=("reliability", "availability-zone", "autoscaling", "load-balancer"),
    equivalents={"checkov": "none"},
)

ZONE_ID = re.compile(r"^[a-z]{2,5}\d+-az\d+$")


def zone_style(zone) -> str:
    if isinstance(zone, AZ):
        return f"index:{zone.region}"
    return "id" if ZONE_ID.match(str(zone)) else "name"


def check(graph: Graph, config: Config) -> Iterator[Problem | Unverified]:
    for group in graph.resources("autoscaling_group"):
        balancers: list[Resource] = []
        for target in asg_targets(graph, group):
            balancers.extend(b for b in load_balancers_of(graph, target) if b not in balancers)
        for balancer in balancers:
            yield from _compare(graph, group, balancer)


def _compare(graph, group, balancer):
    mine, theirs = graph.zones(group), graph.zones(balancer)
    if mine.unknown or theirs.unknown:
        reasons = "; ".join(dict.fromkeys(mine.unknown + theirs.unknown))
        yield unverified(group, f"AZs of the group or of {balancer.name} unknown: {reasons}")
        return
    if len({zone_style(z) for z in mine.zones | theirs.zones}) > 1:
        yield unverified(group, f"AZs of the group and of {balancer.name} are named in ways "
                                "that cannot be compared")
        return
    extra, empty = mine.zones - theirs.zones, theirs.zones - mine.zones
    parts = []
    if extra:
        parts.append(f"has capacity in {_names(extra)} where {balancer.name} is not enabled "
                     "(those instances get no traffic)")
    if empty:
        parts.append(f"has no capacity in {_names(empty)} where {balancer.name} is enabled")
    if parts:
        yield problem(group, "Auto Scaling group " + "; and ".join(parts))


def _names(zones) -> str:
    return ", ".join(sorted(str(z) for z in zones))
