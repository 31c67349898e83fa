"""Compute: Auto Scaling groups and the attachments that bind them to load balancers."""

from __future__ import annotations

from hadr_lint.normalise.fields import spec, to_int, to_list, to_upper

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
    ),
}
