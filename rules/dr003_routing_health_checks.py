"""Multi-region routing record has no health check.

## What it does
Groups latency, weighted, geolocation and geoproximity records by hosted zone, name and type. When
a group spreads traffic over at least two set identifiers, every record in it needs a health check
(`health_check_id` / `HealthCheckId`) or an alias target whose health Route 53 evaluates
(`evaluate_target_health = true` / `EvaluateTargetHealth: true`); the rule reports each record
without one.

## Why is this bad?
Latency, weighted and geographic routing remove a target from the answers only when it is known to
be unhealthy. Without a health check, DNS keeps sending the users nearest to a dead region to that
region, even though another region could serve them.

## Example
```hcl
resource "aws_route53_record" "api_eu" {
  zone_id        = aws_route53_zone.main.zone_id
  name           = "api.example.com"
  type           = "CNAME"
  ttl            = 60
  records        = ["api.eu-west-1.example.com"]
  set_identifier = "eu-west-1"
  latency_routing_policy { region = "eu-west-1" }
}
```
```yaml
ApiEu:
  Type: AWS::Route53::RecordSet
  Properties:
    HostedZoneId: !Ref Zone
    Name: api.example.com
    Type: CNAME
    TTL: "60"
    ResourceRecords: [api.eu-west-1.example.com]
    SetIdentifier: eu-west-1
    Region: eu-west-1
```

## Fix
```hcl
resource "aws_route53_record" "api_eu" {
  # ...
  health_check_id = aws_route53_health_check.api_eu.id
  latency_routing_policy { region = "eu-west-1" }
}
```
```yaml
ApiEu:
  Type: AWS::Route53::RecordSet
  Properties:
    # ...
    HealthCheckId: !Ref ApiEuHealthCheck
    Region: eu-west-1
```

Records whose zone, name or health check cannot be resolved are left unverified.
"""

from __future__ import annotations

from collections.abc import Iterator

from hadr_lint.analysis.region_scope import dns_entries
from hadr_lint.config import Config
from hadr_lint.graph import Graph
from hadr_lint.model import Problem, Unknown, Unverified
from hadr_lint.rulebase import Rule, problem, unverified

RULE = Rule(
    id="DR003",
    name="routing-health-checks",
    severity="warning",
    scope="region",
    kinds=("dns_record", "dns_record_group"),
    short="Multi-region routing record has no health check",
    description="Latency, weighted, geolocation or geoproximity records spread over several "
    "targets where a record has no health check: DNS keeps answering with a dead region.",
    tags=("reliability", "region", "route53", "dns"),
    equivalents={"checkov": "none", "cfn-lint": "none", "trivy": "none"},
)

ROUTED = ("latency", "weighted", "geolocation", "geoproximity")


def check(graph: Graph, config: Config) -> Iterator[Problem | Unverified]:
    groups: dict = {}
    for entry in dns_entries(graph):
        if entry.get("routing") not in ROUTED:
            continue
        key = entry.key
        if isinstance(key, Unknown):
            yield unverified(entry.resource, f"{entry.label}: {key.reason}")
            continue
        groups.setdefault(key, []).append(entry)
    for entries in groups.values():
        yield from _group(entries)


def _group(entries):
    identifiers = {e.get("set_identifier") for e in entries}
    if any(isinstance(i, Unknown) for i in identifiers):
        for entry in entries:
            yield unverified(entry.resource, f"{entry.label}: set identifier unknown")
        return
    if len(identifiers) < 2:
        return
    for entry in entries:
        watched = entry.watched
        if isinstance(watched, Unknown):
            yield unverified(entry.resource, f"health check of {entry.label}: {watched.reason}")
        elif watched is False:
            yield problem(entry.resource, f"{entry.get('routing')} record {entry.label} "
                          f"({entry.get('set_identifier')}) has no health check: DNS keeps "
                          "sending users to it when its region is down")
