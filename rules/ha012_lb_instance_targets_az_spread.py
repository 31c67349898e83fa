"""Load balancer's EC2 instance targets sit in fewer than `min_azs` Availability Zones.

## What it does
Follows the EC2 instances registered by hand with a target group (`aws_lb_target_group_attachment`;
CloudFormation `Targets` of an `AWS::ElasticLoadBalancingV2::TargetGroup` of target type
`instance`, the default) or with a Classic ELB (`instances`, `aws_elb_attachment`; CloudFormation
`Instances`), resolves each instance to its Availability Zone (its `subnet_id` / `SubnetId`, the
subnet of its primary network interface, or `availability_zone`) and counts the distinct zones.
Reports when they are fewer than `min_azs` (default 3, capped by the number of zones the region
has), or when a single instance is registered. The message names the load balancer the target
group serves, when a listener in the scanned files forwards to it.

Target groups and Classic ELBs that an Auto Scaling group also registers with are left to HA001
and HA009. The rule is a warning, not an error: capacity registered outside the scanned files (an
Auto Scaling group in another stack, targets added by a deployment tool) may cover other zones.

## Why is this bad?
A load balancer enabled in three zones (HA002) only routes to the targets it has. When every
instance behind it sits in one zone, the loss of that zone takes all of them down at once and the
load balancer answers 503 from the zones that survived; a single instance fails with its zone, its
host, or its next reboot. Instances registered by hand are not replaced by anything.

## Example
```hcl
resource "aws_instance" "web" {
  count         = 2
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = "t3.small"
  subnet_id     = aws_subnet.private[0].id   # both in the same subnet
}

resource "aws_lb_target_group_attachment" "web" {
  count            = 2
  target_group_arn = aws_lb_target_group.web.arn
  target_id        = aws_instance.web[count.index].id
}
```
```yaml
WebTargetGroup:
  Type: AWS::ElasticLoadBalancingV2::TargetGroup
  Properties:
    Port: 8080
    Protocol: HTTP
    VpcId: !Ref Vpc
    Targets:
      - Id: !Ref WebA   # SubnetId: !Ref PrivateSubnetA
      - Id: !Ref WebB   # SubnetId: !Ref PrivateSubnetA
```

## Fix
Run the instances in at least three zones, one subnet per zone (or, better, let an Auto Scaling
group across three zones register them):
```hcl
resource "aws_instance" "web" {
  count         = 3
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = "t3.small"
  subnet_id     = aws_subnet.private[count.index].id   # one subnet per AZ
}

resource "aws_lb_target_group_attachment" "web" {
  count            = 3
  target_group_arn = aws_lb_target_group.web.arn
  target_id        = aws_instance.web[count.index].id
}
```
```yaml
Targets:
  - Id: !Ref WebA   # SubnetId: !Ref PrivateSubnetA
  - Id: !Ref WebB   # SubnetId: !Ref PrivateSubnetB
  - Id: !Ref WebC   # SubnetId: !Ref PrivateSubnetC
```

A target that is not an instance of the scanned files (an instance id written as a string, a
variable), or an Auto Scaling group or attachment of the same configuration whose target is
unknown (it may register with this target group) leaves the check unverified. Instances whose
zone cannot be resolved still count: N instances span at most N zones, so a single instance, or
fewer instances than the zones required (in any region the target group may be in), is a finding
whatever their zones; otherwise the check is unverified. An instance block whose `count` or
`for_each` (or its module's) is unknown stands for an unknown number of instances.
"""

from __future__ import annotations

from collections.abc import Iterator

from hadr_lint.analysis.az_spread import (
    asg_fed,
    load_balancers_of,
    registered_instances,
    unseen_registration,
)
from hadr_lint.config import Config
from hadr_lint.graph import Graph, ZoneSet
from hadr_lint.model import Problem, Ref, Unknown, Unverified
from hadr_lint.rulebase import Rule, problem, unverified
from hadr_lint.ruleutil import certain_required, plural, region_of, required_azs, zone_names

RULE = Rule(
    id="HA012",
    name="lb-instance-targets-az-spread",
    severity="warning",
    scope="az",
    kinds=("target_group", "load_balancer"),
    short="Load balancer's EC2 instance targets sit in fewer than min_azs AZs",
    description="EC2 instances registered by hand with a target group or Classic ELB that all sit "
    "in fewer distinct Availability Zones than min_azs, or a single instance, are lost together "
    "with one zone however many zones the load balancer spans.",
    tags=("reliability", "availability-zone", "load-balancer", "ec2"),
    equivalents={"checkov": "none found", "cfn-lint": "none found", "kics": "none found",
                 "trivy": "none found"},
)


def check(graph: Graph, config: Config) -> Iterator[Problem | Unverified]:
    fed = asg_fed(graph)
    for target in graph.resources("target_group", "load_balancer"):
        if target.address not in fed:
            yield from _check(graph, config, target)


def _check(graph, config, target):
    registered = registered_instances(graph, target)
    if registered == []:
        return
    target_type = target.get("target_type", "instance")
    if isinstance(target_type, Unknown):
        yield unverified(target, f"target type unknown: {target_type.reason}")
        return
    if target_type != "instance":
        return
    if isinstance(registered, Unknown):
        yield unverified(target, f"registered instances unknown: {registered.reason}")
        return
    doubt = unseen_registration(graph, target)
    if doubt:
        yield unverified(target, doubt)
        return
    instances, zones, reasons, unresolved = _locate(graph, registered)
    counted = not any(i.get("count_unknown") for i in instances)
    if reasons:
        if not unresolved and counted:  # every target is one scanned instance; AZs unknown
            yield from _judge_by_count(graph, config, target, instances, reasons)
            return
        yield unverified(target, "instance targets not located: " + "; ".join(reasons))
        return
    yield from _judge(graph, config, target, instances, zones, counted)


def _locate(graph, registered):
    """The distinct instances registered, their zones, why some could not be located, and
    whether some targets are not scanned instances at all."""
    instances: dict = {}
    zones: set = set()
    reasons: list[str] = []
    unresolved = False
    for value in registered:
        instance = graph.resolve(value, "instance")
        if instance is None:
            reasons.append(_unresolved(value))
            unresolved = True
            continue
        instances.setdefault(instance.address, instance)
        found = graph.zones(instance)
        zones |= found.zones
        reasons.extend(f"{instance.name}: {reason}" for reason in found.unknown)
    return (list(instances.values()), ZoneSet(frozenset(zones)), list(dict.fromkeys(reasons)),
            unresolved)


def _judge(graph, config, target, instances, zones, counted):
    region = region_of(target, zones)
    required, _ = required_azs(config.min_azs, region)
    certain, capped = certain_required(config.min_azs, region)
    what = _what(graph, target)
    several = f"{len(instances)}" if counted else "an unknown number of"
    if len(instances) == 1 and counted:
        yield problem(target, f"{what} has a single EC2 instance target ({instances[0].name}, in "
                              f"{zone_names(zones)}): losing it or its AZ leaves no target")
    elif len(zones.zones) < certain:
        yield problem(target, f"{what} has {several} EC2 instance targets in "
                              f"{plural(len(zones.zones), 'AZ')} ({zone_names(zones)}); needs "
                              f"at least {certain}{capped}")
    elif len(zones.zones) < required:
        yield unverified(target, f"{what} has {several} EC2 instance targets in "
                                 f"{plural(len(zones.zones), 'AZ')} ({zone_names(zones)}): "
                                 "enough only if its region has no more; the region is unknown")


def _judge_by_count(graph, config, target, instances, reasons):
    """Some AZs unknown: N instances still span at most N AZs. A finding only when that bound
    is below what every region the target could be in requires; else unverified."""
    required, _ = certain_required(config.min_azs, region_of(target))
    count = len(instances)
    what = _what(graph, target)
    if count == 1:
        yield problem(target, f"{what} has a single EC2 instance target ({instances[0].name}; "
                              f"its AZ is unknown: {reasons[0]}): losing it or its AZ leaves "
                              "no target")
    elif count < required:
        yield problem(target, f"{what} has {count} EC2 instance targets, so at most "
                              f"{plural(count, 'AZ')}; needs at least {required} (their AZs are "
                              f"unknown: {reasons[0]})")
    else:
        yield unverified(target, "instance targets not located: " + "; ".join(reasons))


def _what(graph, target) -> str:
    what = "Target group" if target.kind == "target_group" else "Classic Load Balancer"
    balancers = [b.name for b in load_balancers_of(graph, target) if b is not target]
    return what + (" behind " + ", ".join(sorted(balancers)) if balancers else "")


def _unresolved(value) -> str:
    if isinstance(value, Unknown):
        return value.reason
    if isinstance(value, Ref):
        return f"{value.address} is not an EC2 instance among the scanned resources"
    if value is None:
        return "a target without an id"
    return f"target {value} is not an EC2 instance of the scanned files"
