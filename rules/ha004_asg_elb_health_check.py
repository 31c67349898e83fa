"""Auto Scaling group behind a load balancer uses EC2 health checks.

## What it does
Reports Auto Scaling groups that register with a load balancer (inline `target_group_arns`,
`load_balancers` or `traffic_source`; `aws_autoscaling_attachment`,
`aws_autoscaling_traffic_source_attachment`; CloudFormation `TargetGroupARNs`,
`LoadBalancerNames`, `TrafficSources`) but keep `health_check_type` at `EC2`, the default when it
is absent.

## Why is this bad?
With EC2 health checks the group only replaces instances whose hardware or operating system
fails. An instance whose application hangs, or that lost its dependencies in a failing zone,
keeps running: the load balancer stops sending it traffic, but the group never replaces it, so
capacity silently shrinks exactly when a zone is degraded.

## Example
```hcl
resource "aws_autoscaling_group" "web" {
  min_size            = 3
  max_size            = 9
  vpc_zone_identifier = aws_subnet.private[*].id
  target_group_arns   = [aws_lb_target_group.web.arn]
}
```
```yaml
WebGroup:
  Type: AWS::AutoScaling::AutoScalingGroup
  Properties:
    MinSize: "3"
    MaxSize: "9"
    TargetGroupARNs: [!Ref WebTargetGroup]
```

## Fix
```hcl
resource "aws_autoscaling_group" "web" {
  target_group_arns         = [aws_lb_target_group.web.arn]
  health_check_type         = "ELB"
  health_check_grace_period = 120
}
```
```yaml
HealthCheckType: ELB
HealthCheckGracePeriod: 120
```

A health check type that is unknown, or target groups that are unknown while the type is not
`ELB`, leave the check unverified.
"""

from __future__ import annotations

from collections.abc import Iterator

from hadr_lint.analysis.az_spread import list_state, same_unit
from hadr_lint.config import Config
from hadr_lint.graph import Graph
from hadr_lint.model import Problem, Unknown, Unverified
from hadr_lint.rulebase import Rule, problem, unverified

RULE = Rule(
    id="HA004",
    name="asg-elb-health-check",
    severity="warning",
    scope="az",
    kinds=("autoscaling_group",),
    short="Auto Scaling group behind a load balancer uses EC2 health checks",
    description="An Auto Scaling group attached to a load balancer or target group should use "
    "the load balancer's health checks (health_check_type ELB) so unhealthy instances are "
    "replaced.",
    tags=("reliability", "availability-zone", "autoscaling", "health-check"),
    equivalents={"checkov": "CKV2_AWS_15", "cfn-lint": "none", "trivy": "none"},
)

LOAD_BALANCER_CHECKS = ("ELB", "VPC_LATTICE")


def attachment(graph, group) -> str:
    """``set`` when the group is attached to a load balancer, else ``empty`` or ``unknown``."""
    if graph.sources(group, relation="group", kind="autoscaling_attachment"):
        return "set"
    states = [list_state(group.get(k)) for k in ("target_groups", "load_balancers",
                                                 "traffic_sources")]
    if "set" in states:
        return "set"
    if "unknown" in states or any(
            isinstance(a.get("group"), Unknown) and graph.resolve(a.get("group")) is None
            and same_unit(a, group)
            for a in graph.resources("autoscaling_attachment")):
        return "unknown"
    return "empty"


def check(graph: Graph, config: Config) -> Iterator[Problem | Unverified]:
    for group in graph.resources("autoscaling_group"):
        kind = group.get("health_check_type")
        if isinstance(kind, str) and kind in LOAD_BALANCER_CHECKS:
            continue
        attached = attachment(graph, group)
        if attached == "empty":
            continue
        if isinstance(kind, Unknown):
            yield unverified(group, f"health_check_type unknown: {kind.reason}")
        elif attached == "unknown":
            yield unverified(group, "whether the group is attached to a load balancer is unknown")
        else:
            shown = kind or "EC2 (the default)"
            yield problem(
                group,
                f"Auto Scaling group is attached to a load balancer but health_check_type is "
                f"{shown}: instances the load balancer finds unhealthy are never replaced",
            )
