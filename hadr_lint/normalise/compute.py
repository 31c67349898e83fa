"""Compute: Auto Scaling groups and the attachments that bind them to load balancers."""

from __future__ import annotations

from typing import Any

from hadr_lint.model import Unknown
from hadr_lint.normalise.fields import spec, to_int, to_list, to_lower, to_str, to_upper


def _identifiers(value: Any) -> Any:
    """``traffic_source { identifier = ... }`` blocks (CFN ``TrafficSources``) -> identifiers."""
    value = to_list(value)
    if isinstance(value, Unknown):
        return value
    return [v.get("identifier", v.get("Identifier")) if isinstance(v, dict) else v
            for v in value]


def _attachment_target(raw: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    """An attachment names a target group (lb_target_group_arn) or a Classic ELB (elb)."""
    if out.get("target") is not None:
        return {}
    return {"target": to_str(raw.get("alb_target_group_arn", raw.get("elb")))}


TERRAFORM = {
    "aws_autoscaling_group": spec(
        "autoscaling_group",
        subnets=("vpc_zone_identifier", to_list),
        availability_zones=("availability_zones", to_list),
        min_size=("min_size", to_int),
        max_size=("max_size", to_int),
        desired_capacity=("desired_capacity", to_int),
        health_check_type=("health_check_type", to_upper),
        target_groups=("target_group_arns", to_list),
        load_balancers=("load_balancers", to_list),
        traffic_sources=("traffic_source", _identifiers),
    ),
    "aws_autoscaling_attachment": spec(
        "autoscaling_attachment",
        _attachment_target,
        group=("autoscaling_group_name", to_str),
        target=("lb_target_group_arn", to_str),
    ),
    "aws_autoscaling_traffic_source_attachment": spec(
        "autoscaling_attachment",
        group=("autoscaling_group_name", to_str),
        target=("traffic_source.0.identifier", to_str),
        target_type=("traffic_source.0.type", to_lower),
    ),
    "aws_appautoscaling_target": spec(
        "scaling_target",
        resource_id=("resource_id", to_str),
        dimension=("scalable_dimension", to_str),
        min_capacity=("min_capacity", to_int),
    ),
}

CLOUDFORMATION = {
    "AWS::AutoScaling::AutoScalingGroup": spec(
        "autoscaling_group",
        subnets=("VPCZoneIdentifier", to_list),
        availability_zones=("AvailabilityZones", to_list),
        min_size=("MinSize", to_int),
        max_size=("MaxSize", to_int),
        desired_capacity=("DesiredCapacity", to_int),
        health_check_type=("HealthCheckType", to_upper),
        target_groups=("TargetGroupARNs", to_list),
        load_balancers=("LoadBalancerNames", to_list),
        traffic_sources=("TrafficSources", _identifiers),
    ),
    "AWS::ApplicationAutoScaling::ScalableTarget": spec(
        "scaling_target",
        resource_id=("ResourceId", to_str),
        dimension=("ScalableDimension", to_str),
        min_capacity=("MinCapacity", to_int),
    ),
}
