"""Private subnets send their outbound traffic to a NAT gateway in another Availability Zone.

## What it does
Follows each route table's default route (`0.0.0.0/0`, in inline `route` blocks, `aws_route` or
`AWS::EC2::Route`) to its NAT gateway, resolves the NAT gateway's subnet to its zone, and compares
it with the zones of the subnets associated with the route table (`aws_route_table_association`,
`AWS::EC2::SubnetRouteTableAssociation`). Reports route tables whose subnets sit in zones where
none of their NAT gateways is: typically one NAT gateway shared by every private subnet. For the
terraform-aws-modules/vpc module it reports `single_nat_gateway = true` with several `azs`.
Regional NAT gateways (`availability_mode = "regional"`) span zones and are not reported.

## Why is this bad?
A NAT gateway lives in one zone. When that zone fails, every private subnet routed through it
loses outbound access (package mirrors, AWS APIs without VPC endpoints, third-party APIs) even
though its own zone is healthy, so a single-zone failure spreads to the whole VPC.

## Example
```hcl
resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.main.id   # in public subnet a
  }
}

resource "aws_route_table_association" "private" {
  count          = 3                           # private subnets a, b, c
  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private.id
}
```
```yaml
PrivateDefaultRoute:
  Type: AWS::EC2::Route
  Properties:
    RouteTableId: !Ref PrivateRouteTable       # associated with subnets in a, b and c
    DestinationCidrBlock: 0.0.0.0/0
    NatGatewayId: !Ref NatGatewayA
```

## Fix
One NAT gateway and one private route table per zone:
```hcl
resource "aws_route_table" "private" {
  count  = 3
  vpc_id = aws_vpc.main.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.per_az[count.index].id
  }
}
```
```yaml
PrivateDefaultRouteB:
  Type: AWS::EC2::Route
  Properties:
    RouteTableId: !Ref PrivateRouteTableB      # associated with the subnet in b only
    DestinationCidrBlock: 0.0.0.0/0
    NatGatewayId: !Ref NatGatewayB
```
With the vpc module: `one_nat_gateway_per_az = true` and `single_nat_gateway = false`.

A NAT gateway or subnet whose zone cannot be resolved leaves the check unverified.
"""

from __future__ import annotations

from collections.abc import Iterator

from hadr_lint.analysis.az_spread import first_unknown
from hadr_lint.analysis.zonal_routes import NAT, next_hops, shown, zone_mismatch
from hadr_lint.config import Config
from hadr_lint.graph import Graph
from hadr_lint.model import Problem, Unverified
from hadr_lint.rulebase import Rule, problem, unverified

RULE = Rule(
    id="HA008",
    name="nat-gateway-per-az",
    severity="warning",
    scope="az",
    kinds=("route_table", "vpc_module"),
    short="Private subnets use a NAT gateway in another Availability Zone",
    description="Private subnets whose default route goes to a NAT gateway in another "
    "Availability Zone lose outbound access when that zone fails.",
    tags=("reliability", "availability-zone", "network", "nat-gateway"),
    equivalents={"checkov": "none", "trivy": "none"},
)

def check(graph: Graph, config: Config) -> Iterator[Problem | Unverified]:
    for table in graph.resources("route_table"):
        yield from _check_table(graph, table)
    for vpc in graph.resources("vpc_module"):
        yield from _check_module(vpc)


def _check_table(graph, table):
    nats, nat_unknown = next_hops(graph, table, NAT)
    if any(nat.get("availability_mode") == "regional" for nat in nats):
        return
    found = zone_mismatch(graph, table, NAT, nats, nat_unknown)
    if found is None:
        return
    if found.outside and not found.hop_unknown:
        yield problem(
            table,
            f"route table sends the default route of subnets in {shown(found.outside)} to a "
            f"NAT gateway in {shown(found.hop_zones)}: losing that AZ cuts their outbound access",
        )
    elif found.unknown:
        yield unverified(table, "NAT gateway or subnet AZ unknown: " + "; ".join(found.unknown))


def _check_module(vpc):
    enabled, single = vpc.get("enable_nat_gateway"), vpc.get("single_nat_gateway")
    azs, private = vpc.get("azs"), vpc.get("private_subnets")
    if enabled is False or single is False or private == []:
        return
    unknown = first_unknown(enabled, single, azs, private)
    if unknown is not None:
        yield unverified(vpc, f"NAT gateway layout unknown: {unknown.reason}")
    elif isinstance(azs, list) and len(azs) > 1:
        yield problem(
            vpc,
            f"single_nat_gateway = true serves private subnets in {len(azs)} AZs from one NAT "
            "gateway: losing its AZ cuts outbound access for all of them",
        )
