"""Failover records point PRIMARY and SECONDARY at the same region.

## What it does
For each pair of Route 53 failover records (same zone, name and type), resolves the alias target of
the PRIMARY and of the SECONDARY to the resource it names (a load balancer, an API, a bucket
website) and compares their regions, from the provider (alias) that declares them or, for
CloudFormation, `--region` / `objectives.primary_region`. Target names that carry their region
(`*.us-west-2.elb.amazonaws.com`) are read too. It reports the SECONDARY record when both targets
are in the same region.

## Why is this bad?
Regional failover exists to survive the loss of a region. When the standby target lives in the
same region as the primary, the event that takes the primary down takes the standby with it: the
failover switches DNS from one dead endpoint to another.

## Example
```hcl
resource "aws_route53_record" "app_secondary" {
  zone_id        = aws_route53_zone.main.zone_id
  name           = "app.example.com"
  type           = "A"
  set_identifier = "secondary"
  failover_routing_policy { type = "SECONDARY" }
  alias {
    name                   = aws_lb.standby.dns_name   # same provider as the primary's LB
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
    Name: app.example.com
    Type: A
    SetIdentifier: secondary
    Failover: SECONDARY
    AliasTarget:
      DNSName: !GetAtt StandbyLoadBalancer.DNSName   # in this stack, so in the same region
      HostedZoneId: !GetAtt StandbyLoadBalancer.CanonicalHostedZoneID
```

## Fix
Put the standby target in another region:
```hcl
resource "aws_lb" "standby" {
  provider = aws.dr   # region = "us-west-2"
  # ...
}
```
```yaml
AliasTarget:
  DNSName: dualstack.standby-123456.us-west-2.elb.amazonaws.com
  HostedZoneId: Z1H1FL5HABSF5
```

Targets that are not aliases, or whose region cannot be resolved, leave the check unverified;
global targets (CloudFront, Global Accelerator) are not compared.
"""

from __future__ import annotations

from collections.abc import Iterator

from hadr_lint.analysis.region_scope import dns_entries, target_region
from hadr_lint.config import Config
from hadr_lint.graph import Graph
from hadr_lint.model import Problem, Unknown, Unverified
from hadr_lint.rulebase import Rule, problem, unverified

RULE = Rule(
    id="DR004",
    name="failover-same-region",
    severity="warning",
    scope="region",
    kinds=("dns_record", "dns_record_group"),
    short="Failover records point PRIMARY and SECONDARY at the same region",
    description="The PRIMARY and SECONDARY targets of a failover pair resolve to the same region: "
    "a regional outage takes both down.",
    tags=("reliability", "region", "route53", "dns"),
    equivalents={"checkov": "none", "cfn-lint": "none", "trivy": "none"},
)


def check(graph: Graph, config: Config) -> Iterator[Problem | Unverified]:
    pairs: dict = {}
    for entry in dns_entries(graph):
        kind = entry.get("failover")
        if entry.get("routing") != "failover" or kind not in ("PRIMARY", "SECONDARY"):
            continue
        if isinstance(entry.key, Unknown):
            continue
        pairs.setdefault(entry.key, {}).setdefault(kind, []).append(entry)
    for pair in pairs.values():
        for primary in pair.get("PRIMARY", []):
            for secondary in pair.get("SECONDARY", []):
                yield from _compare(graph, primary, secondary, config)


def _compare(graph, primary, secondary, config):
    first = target_region(graph, primary, config)
    second = target_region(graph, secondary, config)
    if first is None or second is None:
        return
    for value in (first, second):
        if isinstance(value, Unknown):
            yield unverified(secondary.resource, f"{secondary.label}: {value.reason}")
            return
    if first == second:
        yield problem(secondary.resource, f"SECONDARY record {secondary.label} points to "
                      f"{first}, the region of its PRIMARY: a regional outage takes both down")
