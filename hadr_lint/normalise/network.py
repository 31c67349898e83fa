"""Networking: subnets and load balancers, the things AZ spread is read from.

Load balancers also get ``log_target`` / ``log_enabled`` (their access-log bucket) from logs.py.

VPC endpoints (both formats):

* ``vpc_endpoint``: ``endpoint_type`` (lower case: ``gateway``, the default, ``interface``,
  ``gatewayloadbalancer``, ...), ``subnets`` (``subnet_ids`` / ``SubnetIds``: where an interface
  endpoint puts its network interfaces; a Gateway Load Balancer endpoint has one, its zone).
* ``vpc_endpoint_subnet`` (``aws_vpc_endpoint_subnet_association``): ``endpoint`` the endpoint,
  ``subnet`` the subnet it adds; ``count_unknown`` the reason when the block's count or for_each
  (or its module's) is unknown.

Routes (both formats): ``route_table`` has ``default_nat`` (the NAT gateways of inline
``0.0.0.0/0`` routes) and ``endpoint_routes`` (the ``vpc_endpoint_id`` of every inline route:
a Gateway Load Balancer or Network Firewall endpoint); ``route`` (``aws_route``,
``AWS::EC2::Route``) has ``route_table``, ``destination``, ``nat_gateway`` and ``vpc_endpoint``.

Network Firewall and Transit Gateway (both formats):

* ``network_firewall`` (``aws_networkfirewall_firewall``, ``AWS::NetworkFirewall::Firewall``):
  ``subnets`` (one firewall endpoint per subnet mapping), ``vpc``.
* ``tgw_attachment`` (``aws_ec2_transit_gateway_vpc_attachment``,
  ``AWS::EC2::TransitGatewayVpcAttachment``, ``AWS::EC2::TransitGatewayAttachment``):
  ``subnets`` (the attachment's subnets, one network interface per AZ), ``vpc``.
"""

from __future__ import annotations

from typing import Any

from hadr_lint.model import Unknown
from hadr_lint.normalise.compute import target_ids
from hadr_lint.normalise.fields import chain, spec, to_bool, to_list, to_lower, to_str
from hadr_lint.normalise.logs import cfn_elb_access_logs, cfn_lb_access_logs, tf_access_logs
from hadr_lint.normalise.protection import cfn_lb_deletion_protection


def lb_subnets(raw: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    """Subnet mappings count like subnets."""
    subnets = out.get("subnets")
    mappings = raw.get("subnet_mapping") or raw.get("SubnetMappings")
    if isinstance(mappings, list) and mappings and not subnets:
        ids = [m.get("subnet_id", m.get("SubnetId")) if isinstance(m, dict) else m
               for m in mappings]
        return {"subnets": ids}
    if isinstance(mappings, Unknown) and not subnets:
        return {"subnets": mappings}
    return {}


def _forward_targets(key: str):
    """Target groups a listener or listener rule forwards to (plain or weighted forward)."""

    def derive(raw: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
        actions = to_list(raw.get(key))
        if isinstance(actions, Unknown):
            return {"target_groups": actions}
        found: list[Any] = []
        for action in actions:
            if not isinstance(action, dict):
                continue
            found.append(action.get("target_group_arn", action.get("TargetGroupArn")))
            forward = action.get("forward") or action.get("ForwardConfig") or {}
            forward = forward[0] if isinstance(forward, list) and forward else forward
            groups = forward.get("target_group", forward.get("TargetGroups")) \
                if isinstance(forward, dict) else None
            groups = [groups] if isinstance(groups, (dict, Unknown)) else to_list(groups)
            for group in groups if isinstance(groups, list) else [groups]:
                found.append(group.get("arn", group.get("TargetGroupArn"))
                             if isinstance(group, dict) else group)
        return {"target_groups": [f for f in found if f is not None]}

    return derive


def _default_nat(key: str):
    """NAT gateways that inline ``route`` blocks send 0.0.0.0/0 to."""

    def derive(raw: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
        routes = to_list(raw.get(key))
        if isinstance(routes, Unknown):
            return {"default_nat": routes, "endpoint_routes": routes}
        found = [r.get("nat_gateway_id") for r in routes
                 if isinstance(r, dict) and r.get("cidr_block") == "0.0.0.0/0"]
        endpoints = [r.get("vpc_endpoint_id") for r in routes if isinstance(r, dict)]
        return {"default_nat": [f for f in found if f],
                "endpoint_routes": [to_str(e) for e in endpoints if e is not None]}

    return derive


def _count_unknown(raw: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    """A block whose count/for_each (or its module's) is unknown: how many there are is unknown."""
    return {"count_unknown": out.get("count_unknown")}


TERRAFORM = {
    "aws_subnet": spec(
        "subnet",
        availability_zone=("availability_zone", to_str),
        availability_zone_id=("availability_zone_id", to_str),
        vpc=("vpc_id", to_str),
    ),
    "aws_lb": spec(
        "load_balancer",
        chain(lb_subnets, tf_access_logs(enabled_by_default=False)),
        lb_type=("load_balancer_type", to_lower, "application"),
        subnets=("subnets", to_list),
        internal=("internal", to_bool, False),
        deletion_protection=("enable_deletion_protection", to_bool, False),
    ),
    "aws_elb": spec(
        "load_balancer",
        tf_access_logs(enabled_by_default=True),
        lb_type=("load_balancer_type", to_lower, "classic"),
        subnets=("subnets", to_list),
        availability_zones=("availability_zones", to_list),
        internal=("internal", to_bool, False),
        instances=("instances", to_list),
    ),
    "aws_lb_listener": spec(
        "lb_listener",
        _forward_targets("default_action"),
        load_balancer=("load_balancer_arn", to_str),
    ),
    "aws_lb_listener_rule": spec(
        "lb_listener_rule", _forward_targets("action"), listener=("listener_arn", to_str)
    ),
    "aws_lb_target_group": spec("target_group", target_type=("target_type", to_lower, "instance")),
    "aws_lb_target_group_attachment": spec(
        "target_group_attachment",
        target=("target_group_arn", to_str),
        instance=("target_id", to_str),
    ),
    "aws_route_table": spec("route_table", _default_nat("route"), vpc=("vpc_id", to_str)),
    "aws_route": spec(
        "route",
        route_table=("route_table_id", to_str),
        destination=("destination_cidr_block", to_str),
        nat_gateway=("nat_gateway_id", to_str),
        vpc_endpoint=("vpc_endpoint_id", to_str),
    ),
    "aws_route_table_association": spec(
        "route_table_association",
        subnet=("subnet_id", to_str),
        route_table=("route_table_id", to_str),
    ),
    "aws_nat_gateway": spec(
        "nat_gateway",
        subnets=("subnet_id", to_list),
        connectivity=("connectivity_type", to_lower, "public"),
        availability_mode=("availability_mode", to_lower, "zonal"),
    ),
    "aws_networkfirewall_firewall": spec(
        "network_firewall",
        lb_subnets,
        vpc=("vpc_id", to_str),
    ),
    "aws_ec2_transit_gateway_vpc_attachment": spec(
        "tgw_attachment",
        subnets=("subnet_ids", to_list),
        vpc=("vpc_id", to_str),
    ),
    "aws_vpc_endpoint": spec(
        "vpc_endpoint",
        endpoint_type=("vpc_endpoint_type", to_lower, "gateway"),
        subnets=("subnet_ids", to_list),
    ),
    "aws_vpc_endpoint_subnet_association": spec(
        "vpc_endpoint_subnet",
        _count_unknown,
        endpoint=("vpc_endpoint_id", to_str),
        subnet=("subnet_id", to_str),
    ),
}
TERRAFORM["aws_alb"] = TERRAFORM["aws_lb"]
for _old, _new in (("aws_alb_listener", "aws_lb_listener"),
                   ("aws_alb_listener_rule", "aws_lb_listener_rule"),
                   ("aws_alb_target_group", "aws_lb_target_group"),
                   ("aws_alb_target_group_attachment", "aws_lb_target_group_attachment")):
    TERRAFORM[_old] = TERRAFORM[_new]

CLOUDFORMATION = {
    "AWS::EC2::Subnet": spec(
        "subnet",
        availability_zone=("AvailabilityZone", to_str),
        availability_zone_id=("AvailabilityZoneId", to_str),
        vpc=("VpcId", to_str),
    ),
    "AWS::ElasticLoadBalancingV2::LoadBalancer": spec(
        "load_balancer",
        chain(lb_subnets, cfn_lb_deletion_protection, cfn_lb_access_logs),
        lb_type=("Type", to_lower, "application"),
        subnets=("Subnets", to_list),
        internal=("Scheme", lambda v: v == "internal" if isinstance(v, str) else v,
                  "internet-facing"),
    ),
    "AWS::ElasticLoadBalancing::LoadBalancer": spec(
        "load_balancer",
        cfn_elb_access_logs,
        lb_type=("Type", to_lower, "classic"),
        subnets=("Subnets", to_list),
        availability_zones=("AvailabilityZones", to_list),
        instances=("Instances", to_list),
    ),
    "AWS::ElasticLoadBalancingV2::Listener": spec(
        "lb_listener",
        _forward_targets("DefaultActions"),
        load_balancer=("LoadBalancerArn", to_str),
    ),
    "AWS::ElasticLoadBalancingV2::ListenerRule": spec(
        "lb_listener_rule", _forward_targets("Actions"), listener=("ListenerArn", to_str)
    ),
    "AWS::ElasticLoadBalancingV2::TargetGroup": spec(
        "target_group",
        target_type=("TargetType", to_lower, "instance"),
        targets=("Targets", target_ids),
    ),
    "AWS::EC2::RouteTable": spec("route_table", vpc=("VpcId", to_str)),
    "AWS::EC2::Route": spec(
        "route",
        route_table=("RouteTableId", to_str),
        destination=("DestinationCidrBlock", to_str),
        nat_gateway=("NatGatewayId", to_str),
        vpc_endpoint=("VpcEndpointId", to_str),
    ),
    "AWS::EC2::SubnetRouteTableAssociation": spec(
        "route_table_association",
        subnet=("SubnetId", to_str),
        route_table=("RouteTableId", to_str),
    ),
    "AWS::EC2::NatGateway": spec(
        "nat_gateway",
        subnets=("SubnetId", to_list),
        connectivity=("ConnectivityType", to_lower, "public"),
        availability_mode=("AvailabilityMode", to_lower, "zonal"),
    ),
    "AWS::NetworkFirewall::Firewall": spec(
        "network_firewall",
        lb_subnets,
        vpc=("VpcId", to_str),
    ),
    "AWS::EC2::TransitGatewayVpcAttachment": spec(
        "tgw_attachment",
        subnets=("SubnetIds", to_list),
        vpc=("VpcId", to_str),
    ),
    "AWS::EC2::TransitGatewayAttachment": spec(
        "tgw_attachment",
        subnets=("SubnetIds", to_list),
        vpc=("VpcId", to_str),
    ),
    "AWS::EC2::VPCEndpoint": spec(
        "vpc_endpoint",
        endpoint_type=("VpcEndpointType", to_lower, "gateway"),
        subnets=("SubnetIds", to_list),
    ),
}
