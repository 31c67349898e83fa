"""PRIMARY failover record has no health check.

## What it does
Reports Route 53 PRIMARY failover records that nothing watches: no `health_check_id`
(`HealthCheckId`) and not an alias record with `evaluate_target_health = true`
(`EvaluateTargetHealth: true`). Members of an `AWS::Route53::RecordSetGroup` are checked too.

## Why is this bad?
Route 53 fails over only when it knows the primary is unhealthy. A PRIMARY record without a health
check is always considered healthy, so DNS keeps sending users to the failed region and the
SECONDARY record is never used.

## Example
```hcl
resource "aws_route53_record" "app_primary" {
  zone_id        = aws_route53_zone.main.zone_id
  name           = "app.example.com"
  type           = "CNAME"
  ttl            = 60
  records        = ["app.us-east-1.example.com"]
  set_identifier = "primary"
  failover_routing_policy { type = "PRIMARY" }
}
```
```yaml
AppPrimary:
  Type: AWS::Route53::RecordSet
  Properties:
    HostedZoneId: !Ref Zone
    Name: app.example.com
    Type: CNAME
    TTL: "60"
    ResourceRecords: [app.us-east-1.example.com]
    SetIdentifier: primary
    Failover: PRIMARY
```

## Fix
Attach a health check (or, for an alias, evaluate the target's health):
```hcl
resource "aws_route53_record" "app_primary" {
  # ...
  health_check_id = aws_route53_health_check.primary.id
  failover_routing_policy { type = "PRIMARY" }
}
```
```yaml
AppPrimary:
  Type: AWS::Route53::RecordSet
  Properties:
    # ...
    HealthCheckId: !Ref PrimaryHealthCheck
    Failover: PRIMARY
```

A health check id or `evaluate_target_health` that cannot be resolved leaves the check unverified.
"""

from __future__ import annotations

from collections.abc import Iterator

from hadr_lint.analysis.region_scope import dns_entries
from hadr_lint.config import Config
from hadr_lint.graph import Graph
from hadr_lint.model import Problem, Unknown, Unverified
from hadr_lint.rulebase import Rule, problem, unverified

RULE = Rule(
    id="DR002",
    name="failover-health-check",
    severity="error",
    scope="region",
    kinds=("dns_record", "dns_record_group"),
    short="PRIMARY failover record has no health check",
    description="A PRIMARY failover record with no health check and no evaluated alias target "
    "is always healthy to Route 53, so it never fails over.",
    tags=("reliability", "region", "route53", "dns"),
    equivalents={"checkov": "none", "cfn-lint": "none", "trivy": "none"},
)


def check(graph: Graph, config: Config) -> Iterator[Problem | Unverified]:
    for entry in dns_entries(graph):
        if entry.get("routing") != "failover":
            continue
        kind = entry.get("failover")
        if isinstance(kind, Unknown):
            yield unverified(entry.resource, f"failover type of {entry.label}: {kind.reason}")
            continue
        if kind != "PRIMARY":
            continue
        watched = entry.watched
        if isinstance(watched, Unknown):
            yield unverified(entry.resource, f"health check of {entry.label}: {watched.reason}")
        elif watched is False:
            yield problem(entry.resource, f"PRIMARY failover record {entry.label} has no health "
                          "check and no evaluated alias target: it never fails over")
