"""Network Firewall has endpoints in fewer than min_azs AZs, or subnets route to an endpoint in
another AZ.

## What it does
Reports AWS Network Firewall firewalls (`aws_networkfirewall_firewall`,
`AWS::NetworkFirewall::Firewall`) whose subnet mappings (`subnet_mapping`, `SubnetMappings`), one
firewall endpoint each, cover fewer distinct Availability Zones than `min_azs` (3 by default,
capped by the AZs the region has). Subnets are resolved to their AZs as for load balancers.

It also reports route tables whose routes send traffic to a firewall or Gateway Load Balancer
endpoint (`vpc_endpoint_id` of an inline `route`, `aws_route` or `AWS::EC2::Route`
`VpcEndpointId`) in another zone than subnets associated with the table: the NAT-gateway
pattern of HA008, applied to inspection endpoints. A Gateway Load Balancer endpoint
(`aws_vpc_endpoint` / `AWS::EC2::VPCEndpoint` of type `GatewayLoadBalancer`) is in the zone of
its subnet. A Network Firewall endpoint's id is only known after apply, but in Terraform the
route usually picks it out of `firewall_status[0].sync_states` (one per subnet mapping) by the
subnet or its zone: that endpoint is in that subnet's zone. A pick that cannot be decided (a
position in the unordered sync states, a zone with no value), and in CloudFormation an entry of
`!GetAtt Firewall.EndpointIds` (a list in no defined order), leaves the route unverified, never
guessed.

## Why is this bad?
Traffic routed through a firewall endpoint stops when that endpoint's zone fails. With endpoints
in one zone, every zone's traffic depends on it: losing that zone cuts the VPC off from the
internet or from the networks the firewall guards, even though the workloads in the other zones
are healthy. AWS Trusted Advisor's "Network Firewall Multi-AZ" check reports the same after
deployment. Route each zone's subnets to the endpoint in their own zone (the NAT-gateway pattern
HA008 checks).

## Example
```hcl
resource "aws_networkfirewall_firewall" "egress" {
  name                = "egress"
  firewall_policy_arn = aws_networkfirewall_firewall_policy.egress.arn
  vpc_id              = aws_vpc.main.id
  subnet_mapping {
    subnet_id = aws_subnet.firewall_a.id
  }
}
```
```yaml
Egress:
  Type: AWS::NetworkFirewall::Firewall
  Properties:
    FirewallName: egress
    FirewallPolicyArn: !Ref EgressPolicy
    VpcId: !Ref Vpc
    SubnetMappings:
      - SubnetId: !Ref FirewallSubnetA
```

## Fix
Give the firewall a subnet in every zone the workloads use:
```hcl
resource "aws_networkfirewall_firewall" "egress" {
  # ...
  dynamic "subnet_mapping" {
    for_each = aws_subnet.firewall[*].id
    content {
      subnet_id = subnet_mapping.value
    }
  }
}
```
```yaml
    SubnetMappings:
      - SubnetId: !Ref FirewallSubnetA
      - SubnetId: !Ref FirewallSubnetB
      - SubnetId: !Ref FirewallSubnetC
```

Route each zone's subnets to the endpoint in their own zone: one route table per zone.
```hcl
resource "aws_route_table" "protected" {
  count  = length(local.zones)
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    vpc_endpoint_id = one([
      for ss in aws_networkfirewall_firewall.egress.firewall_status[0].sync_states :
      ss.attachment[0].endpoint_id if ss.availability_zone == local.zones[count.index]
    ])
  }
}
```

Subnets whose AZ cannot be resolved leave the check unverified.
"""

from __future__ import annotations

from collections.abc import Iterator

from hadr_lint.analysis.az_spread import spread
from hadr_lint.analysis.zonal_routes import ENDPOINT, shown, zone_mismatch
from hadr_lint.config import Config
from hadr_lint.graph import Graph
from hadr_lint.model import Problem, Unverified
from hadr_lint.rulebase import Rule, problem, unverified

RULE = Rule(
    id="HA017",
    name="network-firewall-az-spread",
    severity="error",
    scope="az",
    kinds=("network_firewall", "route_table"),
    short="Network Firewall has endpoints in fewer than min_azs AZs, or subnets route to an "
    "endpoint in another AZ",
    description="A Network Firewall's endpoints live in the subnets it is mapped to; in fewer "
    "Availability Zones than min_azs, or routed to from subnets of another zone, losing one zone "
    "stops the traffic of every zone routed through it.",
    tags=("reliability", "availability-zone", "network-firewall", "vpc"),
    equivalents={"checkov": "none", "cfn-lint": "none", "trivy": "none", "kics": "none found"},
)


def check(graph: Graph, config: Config) -> Iterator[Problem | Unverified]:
    for firewall in graph.resources("network_firewall"):
        yield from spread(graph, config, firewall, "Network Firewall's endpoints", "span")
    for table in graph.resources("route_table"):
        yield from _check_routes(graph, table)


def _check_routes(graph, table):
    found = zone_mismatch(graph, table, ENDPOINT)
    if found is None:
        return
    if found.outside and not found.hop_unknown:
        yield problem(
            table,
            f"route table sends traffic of subnets in {shown(found.outside)} to a firewall or "
            f"Gateway Load Balancer endpoint in {shown(found.hop_zones)}: losing that AZ cuts "
            "their traffic",
        )
    elif found.unknown:
        yield unverified(table, "firewall endpoint or subnet AZ unknown: "
                         + "; ".join(found.unknown))
