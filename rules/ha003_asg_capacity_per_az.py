"""Auto Scaling group runs fewer instances than the Availability Zones it spans.

## What it does
Compares the capacity an Auto Scaling group keeps, its `desired_capacity` when set and else its
`min_size` (CloudFormation `DesiredCapacity`, `MinSize`), with the number of distinct
Availability Zones its subnets or zones cover. A group kept at zero instances is not reported.
A `desired_capacity` that `lifecycle { ignore_changes }` leaves to scaling is the size at
creation only: then a `min_size` covering every zone passes, and a lower one is unverified.

## Why is this bad?
A group with fewer instances than zones leaves at least one zone empty, and usually crowds its
instances into one or two zones. Spreading the subnets over three zones then protects nothing:
when the zone that holds the only instance fails, the service is down until the group has
launched and warmed up a replacement elsewhere.

## Example
```hcl
resource "aws_autoscaling_group" "web" {
  min_size            = 1
  max_size            = 4
  vpc_zone_identifier = aws_subnet.private[*].id   # three AZs
}
```
```yaml
WebGroup:
  Type: AWS::AutoScaling::AutoScalingGroup
  Properties:
    MinSize: "1"
    MaxSize: "4"
    VPCZoneIdentifier: [!Ref SubnetA, !Ref SubnetB, !Ref SubnetC]
```

## Fix
Keep at least one instance per zone:
```hcl
resource "aws_autoscaling_group" "web" {
  min_size            = 3
  max_size            = 6
  vpc_zone_identifier = aws_subnet.private[*].id
}
```
```yaml
MinSize: "3"
```

When a capacity is unknown, or some zones cannot be resolved and the known ones do not already
exceed the capacity, the check is unverified.
"""

from __future__ import annotations

from collections.abc import Iterator

from hadr_lint.config import Config
from hadr_lint.graph import Graph
from hadr_lint.model import Problem, Unknown, Unverified
from hadr_lint.rulebase import Rule, problem, unverified
from hadr_lint.ruleutil import plural, zone_names

RULE = Rule(
    id="HA003",
    name="asg-capacity-per-az",
    severity="warning",
    scope="az",
    kinds=("autoscaling_group",),
    short="Auto Scaling group keeps fewer instances than the AZs it spans",
    description="An Auto Scaling group whose minimum (or desired) capacity is below the number of "
    "Availability Zones it spans leaves a zone without any instance.",
    tags=("reliability", "availability-zone", "autoscaling"),
    equivalents={"checkov": "none"},
)


def capacity(group) -> tuple[int | None, Unknown | None, str]:
    """The capacity the group keeps (None when unknown), why it is unknown, and its setting."""
    minimum, desired = group.get("min_size"), group.get("desired_capacity")
    if desired is not None:
        return (desired, None, "desired_capacity") if isinstance(desired, int) else (
            None, _unknown(desired), "desired_capacity")
    if isinstance(minimum, int):
        return minimum, None, "min_size"
    return None, _unknown(minimum) if minimum is not None else None, "min_size"


def _unknown(value) -> Unknown:
    return value if isinstance(value, Unknown) else Unknown(f"unexpected capacity {value!r}")


def check(graph: Graph, config: Config) -> Iterator[Problem | Unverified]:
    for group in graph.resources("autoscaling_group"):
        count, unknown, setting = capacity(group)
        if count == 0:
            continue
        zones = graph.zones(group)
        spans = len(zones.zones)
        if count is not None and count < spans:
            yield problem(
                group,
                f"{setting} {count} is below the {plural(spans, 'AZ')} the group spans "
                f"({zone_names(zones)}): at least one AZ runs no instance",
            )
        elif unknown is not None:
            minimum = group.get("min_size")
            if not (isinstance(minimum, int) and minimum >= spans and zones.known):
                yield unverified(group, f"capacity unknown: {unknown.reason}")
        elif count is not None and zones.unknown:
            yield unverified(group, "AZ count unknown: " + "; ".join(zones.unknown))
