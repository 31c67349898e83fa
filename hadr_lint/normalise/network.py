"""Networking: subnets and load balancers, the things AZ spread is read from."""

from __future__ import annotations

from typing import Any

from hadr_lint.normalise.fields import spec, to_bool, to_list, to_lower, to_str


def _lb_subnets(raw: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    """Subnet mappings count like subnets."""
    subnets = out.get("subnets")
    mappings = raw.get("subnet_mapping") or raw.get("SubnetMappings")
    if isinstance(mappings, list) and mappings and not subnets:
        ids = [m.get("subnet_id", m.get("SubnetId")) if isinstance(m, dict) else m
               for m in mappings]
        return {"subnets": ids}
    return {}


TERRAFORM = {
    "aws_subnet": spec(
        "subnet",
        availability_zone=("availability_zone", to_str),
        availability_zone_id=("availability_zone_id", to_str),
        vpc=("vpc_id", to_str),
    ),
    "aws_lb": spec(
        "load_balancer",
        _lb_subnets,
        lb_type=("load_balancer_type", to_lower, "application"),
        subnets=("subnets", to_list),
        internal=("internal", to_bool, False),
        deletion_protection=("enable_deletion_protection", to_bool, False),
    ),
    "aws_elb": spec(
        "load_balancer",
        lb_type=("load_balancer_type", to_lower, "classic"),
        subnets=("subnets", to_list),
        availability_zones=("availability_zones", to_list),
        internal=("internal", to_bool, False),
    ),
}
TERRAFORM["aws_alb"] = TERRAFORM["aws_lb"]

CLOUDFORMATION = {
    "AWS::EC2::Subnet": spec(
        "subnet",
        availability_zone=("AvailabilityZone", to_str),
        availability_zone_id=("AvailabilityZoneId", to_str),
        vpc=("VpcId", to_str),
    ),
    "AWS::ElasticLoadBalancingV2::LoadBalancer": spec(
        "load_balancer",
        _lb_subnets,
        lb_type=("Type", to_lower, "application"),
        subnets=("Subnets", to_list),
        internal=("Scheme", lambda v: v == "internal" if isinstance(v, str) else v),
    ),
    "AWS::ElasticLoadBalancing::LoadBalancer": spec(
        "load_balancer",
        lb_type=("Type", to_lower, "classic"),
        subnets=("Subnets", to_list),
        availability_zones=("AvailabilityZones", to_list),
    ),
}
