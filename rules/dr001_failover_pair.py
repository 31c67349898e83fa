"""Route 53 failover record has no partner of the other type.

## What it does
Finds every Route 53 failover record (`failover_routing_policy { type = ... }`, `Failover:` in an
`AWS::Route53::RecordSet` or in a member of an `AWS::Route53::RecordSetGroup`) and looks for a
record of the other failover type (PRIMARY for a SECONDARY, SECONDARY for a PRIMARY) with the
same hosted zone, name and type anywhere in the scanned files. Names compare case-insensitively,
with or without the trailing dot.

## Why is this bad?
A PRIMARY record without a SECONDARY has nowhere to fail over to: when the primary's health check
fails, Route 53 keeps answering with the dead primary. A SECONDARY without a PRIMARY is never
used. Either way the failover you designed does not exist, and you find out during the outage.

## Example
```hcl
resource "aws_route53_record" "app_primary" {
  zone_id         = aws_route53_zone.main.zone_id
  name            = "app.example.com"
  type            = "A"
  set_identifier  = "primary"
  health_check_id = aws_route53_health_check.primary.id
  failover_routing_policy { type = "PRIMARY" }
  alias {
    name                   = aws_lb.primary.dns_name
    zone_id                = aws_lb.primary.zone_id
    evaluate_target_health = true
  }
}
```
```yaml
AppPrimary:
  Type: AWS::Route53::RecordSet
  Properties:
    HostedZoneId: !Ref Zone
    Name: app.example.com.
    Type: A
    SetIdentifier: primary
    Failover: PRIMARY
    AliasTarget:
      DNSName: !GetAtt PrimaryLoadBalancer.DNSName
      HostedZoneId: !GetAtt PrimaryLoadBalancer.CanonicalHostedZoneID
      EvaluateTargetHealth: true
```

## Fix
Declare the SECONDARY record for the same zone, name and type, pointing at the standby region:
```hcl
resource "aws_route53_record" "app_secondary" {
  zone_id        = aws_route53_zone.main.zone_id
  name           = "app.example.com"
  type           = "A"
  set_identifier = "secondary"
  failover_routing_policy { type = "SECONDARY" }
  alias {
    name                   = aws_lb.standby.dns_name
    zone_id                = aws_lb.standby.zone_id
    evaluate_target_health = true
  }
}
```
```yaml
AppSecondary:
  Type: AWS::Route53::RecordSet
  Properties:
    HostedZoneId: !Ref Zone
    Name: app.example.com.
    Type: A
    SetIdentifier: secondary
    Failover: SECONDARY
    AliasTarget:
      DNSName: !GetAtt StandbyLoadBalancer.DNSName
      HostedZoneId: !GetAtt StandbyLoadBalancer.CanonicalHostedZoneID
      EvaluateTargetHealth: true
```

A record whose zone, name or type is unknown, or a partner that might be the same record written
differently (the zone given by id in one and by name in the other, a name relative to its zone),
leaves the check unverified.
"""

from __future__ import annotations

from collections.abc import Iterator

from hadr_lint.analysis.region_scope import dns_entries, maybe_same
from hadr_lint.config import Config
from hadr_lint.graph import Graph
from hadr_lint.model import Problem, Unknown, Unverified
from hadr_lint.rulebase import Rule, problem, unverified

RULE = Rule(
    id="DR001",
    name="failover-pair",
    severity="error",
    scope="region",
    kinds=("dns_record", "dns_record_group"),
    short="Route 53 failover record has no partner of the other type",
    description="A PRIMARY failover record with no SECONDARY (or the reverse) for the same zone, "
    "name and type: DNS has nowhere to fail over to.",
    tags=("reliability", "region", "route53", "dns"),
    equivalents={"checkov": "none", "cfn-lint": "none", "trivy": "none"},
)

OTHER = {"PRIMARY": "SECONDARY", "SECONDARY": "PRIMARY"}


def check(graph: Graph, config: Config) -> Iterator[Problem | Unverified]:
    failover = [e for e in dns_entries(graph) if e.get("routing") == "failover"]
    index = _index(failover)
    for entry in failover:
        kind = entry.get("failover")
        if isinstance(kind, Unknown):
            yield unverified(entry.resource, f"failover type of {entry.label}: {kind.reason}")
            continue
        if kind not in OTHER:
            continue
        yield from _partner(entry, kind, index)


def _index(failover):
    """Computed once, so that finding partners stays linear in the number of records: the
    (key, type) pairs present (None when a value cannot be hashed), and for each wanted type the
    records that may be of that type."""
    try:  # a record that may not exist is no certain partner
        pairs = {(e.key, e.get("failover")) for e in failover if not e.resource.may_not_exist}
    except TypeError:
        pairs = None
    candidates = {wanted: [e for e in failover if e.get("failover") == wanted
                           or isinstance(e.get("failover"), Unknown)] for wanted in OTHER}
    return failover, pairs, candidates


def _partner(entry, kind, index):
    failover, pairs, candidates = index
    key = entry.key
    if isinstance(key, Unknown):
        yield unverified(entry.resource, f"{entry.label}: {key.reason}")
        return
    wanted = OTHER[kind]
    if (key, wanted) in pairs if pairs is not None else any(
            e.key == key and e.get("failover") == wanted and not e.resource.may_not_exist
            for e in failover if e is not entry):
        return
    doubtful = [e for e in candidates[wanted] if e is not entry and maybe_same(entry, e)]
    maybe = [e for e in doubtful if e.resource.may_not_exist and e.key == key]
    if maybe:
        yield unverified(entry.resource, f"{entry.label}: its {wanted} partner "
                         f"{maybe[0].resource.name} may not exist: "
                         f"{maybe[0].resource.may_not_exist}")
        return
    if doubtful:
        yield unverified(entry.resource, f"{entry.label}: its {wanted} partner may be "
                         f"{doubtful[0].resource.name}, written differently")
        return
    yield problem(entry.resource, f"{kind} failover record {entry.label} has no {wanted} "
                  "record for the same zone, name and type: nothing to fail over to")
