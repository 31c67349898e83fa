"""Health-checked record keeps a TTL above 60 seconds.

## What it does
Reports Route 53 records that fail over on a health check (failover, latency, weighted and
multivalue answer records with a `health_check_id` / `HealthCheckId`) but keep a TTL above 60
seconds. Alias records have no TTL of their own and are not reported. Members of an
`AWS::Route53::RecordSetGroup` are checked too.

## Why is this bad?
When the health check fails, Route 53 answers with the healthy record at once, but resolvers and
clients keep the dead address for as long as the TTL says. With `ttl = 300`, users keep reaching
the failed region for up to five minutes after Route 53 has failed over: the TTL adds straight to
the recovery time. The RTO estimate (OB005) already counts it; this rule makes it visible without
declared objectives. AWS Trusted Advisor's "Amazon Route 53 High TTL Resource Record Sets" check
reports the same after deployment.

## Example
```hcl
resource "aws_route53_record" "api_primary" {
  zone_id         = aws_route53_zone.main.zone_id
  name            = "api.example.com"
  type            = "CNAME"
  ttl             = 300
  records         = ["api-use1.example.com"]
  set_identifier  = "primary"
  health_check_id = aws_route53_health_check.primary.id
  failover_routing_policy { type = "PRIMARY" }
}
```
```yaml
ApiPrimary:
  Type: AWS::Route53::RecordSet
  Properties:
    HostedZoneId: !Ref Zone
    Name: api.example.com
    Type: CNAME
    TTL: "300"
    ResourceRecords: [api-use1.example.com]
    SetIdentifier: primary
    HealthCheckId: !Ref PrimaryHealthCheck
    Failover: PRIMARY
```

## Fix
Keep the TTL of health-checked records at 60 seconds or less (or use an alias record):
```hcl
resource "aws_route53_record" "api_primary" {
  # ...
  ttl = 60
}
```
```yaml
ApiPrimary:
  Type: AWS::Route53::RecordSet
  Properties:
    # ...
    TTL: "60"
```

A TTL or a health check id that cannot be resolved leaves the check unverified.
"""

from __future__ import annotations

from collections.abc import Iterator

from hadr_lint.analysis.region_scope import dns_entries
from hadr_lint.config import Config
from hadr_lint.graph import Graph
from hadr_lint.model import Problem, Unknown, Unverified
from hadr_lint.rulebase import Rule, problem, unverified

MAX_TTL = 60
HEALTH_ROUTED = ("failover", "latency", "weighted", "multivalue")

RULE = Rule(
    id="DR008",
    name="failover-ttl",
    severity="warning",
    scope="region",
    kinds=("dns_record", "dns_record_group"),
    short="Health-checked record keeps a TTL above 60 seconds",
    description="Clients keep a failed record's address for its TTL after Route 53 fails over: "
    "a TTL above 60 seconds on a health-checked failover, latency, weighted or multivalue record "
    "adds to the recovery time.",
    tags=("reliability", "region", "route53", "dns", "rto"),
    equivalents={"checkov": "none", "cfn-lint": "none", "trivy": "none", "kics": "none found"},
)


def check(graph: Graph, config: Config) -> Iterator[Problem | Unverified]:
    for entry in dns_entries(graph):
        routing = entry.get("routing")
        if isinstance(routing, Unknown) or routing not in HEALTH_ROUTED:
            continue
        check = entry.get("health_check")
        if check is None:
            continue  # not health-checked: DR002/DR003 say so
        ttl = entry.get("ttl")
        if ttl is None:
            continue  # an alias record has no TTL of its own
        if isinstance(ttl, Unknown):
            yield unverified(entry.resource, f"TTL of {entry.label}: {ttl.reason}")
        elif ttl <= MAX_TTL:
            continue
        elif isinstance(check, Unknown):
            yield unverified(entry.resource, f"health check of {entry.label}: {check.reason}")
        else:
            yield problem(entry.resource, f"{routing} record {entry.label} is health-checked "
                          f"but keeps a TTL of {ttl} s: clients keep the failed address up to "
                          f"{ttl} s after Route 53 fails over (at most {MAX_TTL} s)")
