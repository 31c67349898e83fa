"""Transit Gateway attachment leaves out AZs where the VPC has subnets.

## What it does
Compares the Availability Zones of a Transit Gateway VPC attachment's subnets
(`aws_ec2_transit_gateway_vpc_attachment`'s `subnet_ids`, `AWS::EC2::TransitGatewayVpcAttachment`'s
`SubnetIds`) with the zones of every subnet of that VPC in the scanned files. Reports an attachment
that has no subnet in a zone where the VPC has subnets.

## Why is this bad?
A VPC reaches a transit gateway only through the attachment's network interfaces, one per zone
it was given a subnet in. Resources in a zone without one cannot reach the transit gateway at
all: the routes are there, but the traffic of that zone is dropped. It looks fine until the
workloads move to that zone during a zone failure, and then the other networks (on-premises, the
shared services VPC, the other region) are unreachable from exactly the capacity that is left.

## Example
```hcl
resource "aws_ec2_transit_gateway_vpc_attachment" "app" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  vpc_id             = aws_vpc.app.id
  subnet_ids         = [aws_subnet.tgw_a.id]
}
```
```yaml
AppAttachment:
  Type: AWS::EC2::TransitGatewayVpcAttachment
  Properties:
    TransitGatewayId: !Ref Hub
    VpcId: !Ref AppVpc
    SubnetIds: [!Ref TgwSubnetA]
```

## Fix
Give the attachment one subnet in every zone the VPC uses (small dedicated /28 subnets are usual):
```hcl
resource "aws_ec2_transit_gateway_vpc_attachment" "app" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  vpc_id             = aws_vpc.app.id
  subnet_ids         = aws_subnet.tgw[*].id
}
```
```yaml
    SubnetIds: [!Ref TgwSubnetA, !Ref TgwSubnetB, !Ref TgwSubnetC]
```

An attachment whose VPC or subnets cannot be resolved, or whose VPC has subnets with unknown zones,
is unverified.
"""

from __future__ import annotations

from collections.abc import Iterator

from hadr_lint.config import Config
from hadr_lint.graph import Graph, ZoneSet
from hadr_lint.model import Problem, Unknown, Unverified
from hadr_lint.rulebase import Rule, problem, unverified

RULE = Rule(
    id="HA018",
    name="transit-gateway-attachment-azs",
    severity="error",
    scope="az",
    kinds=("tgw_attachment",),
    short="Transit Gateway attachment leaves out AZs where the VPC has subnets",
    description="Resources in an Availability Zone where the VPC's transit gateway attachment "
    "has no subnet cannot reach the transit gateway.",
    tags=("reliability", "availability-zone", "transit-gateway", "vpc"),
    equivalents={"checkov": "none", "cfn-lint": "none", "trivy": "none", "kics": "none found"},
)


def check(graph: Graph, config: Config) -> Iterator[Problem | Unverified]:
    for attachment in graph.resources("tgw_attachment"):
        yield from _check(graph, attachment)


def _check(graph, attachment):
    vpc = attachment.get("vpc")
    found = graph.resolve(vpc) if not isinstance(vpc, Unknown) else None
    if found is None:
        reason = vpc.reason if isinstance(vpc, Unknown) else "the VPC is not in the scanned files"
        yield unverified(attachment, f"the VPC's subnets are unknown: {reason}")
        return
    own = graph.zones(attachment)
    used = _vpc_zones(graph, found, attachment)
    missing = sorted(str(z) for z in used.zones - own.zones)
    if own.unknown:
        yield unverified(attachment, "attachment AZs unknown: " + "; ".join(own.unknown))
    elif missing:
        yield problem(attachment, f"Transit Gateway attachment has no subnet in "
                      f"{', '.join(missing)}, where the VPC has subnets: resources there "
                      "cannot reach the transit gateway")
    elif used.unknown:
        yield unverified(attachment, "AZs of the VPC's subnets unknown: "
                         + "; ".join(used.unknown))


def _vpc_zones(graph, vpc, attachment) -> ZoneSet:
    """The zones of every subnet of ``vpc`` (the attachment's own included)."""
    zones, unknown = set(), []
    for subnet in graph.sources(vpc, relation="vpc", kind="subnet"):
        found = graph.zones(subnet)
        zones |= found.zones
        unknown += found.unknown
    return ZoneSet(frozenset(zones), tuple(unknown))
