"""Compute: EC2 instances, Auto Scaling groups, and the attachments that bind them to load
balancers.

* ``instance``: ``subnets`` (a one-item list, so ``Graph.zones`` reads it like any subnet list;
  CloudFormation falls back on the subnet of the primary network interface, ``DeviceIndex`` 0)
  and ``availability_zone``. A known zone wins over subnets that are unknown. ``count_unknown``
  (Terraform): the reason when the block, or its module, has an unknown count or for_each.
* target registrations: ``target_ids`` reads a CloudFormation target group's ``Targets``.
* ``target_group_attachment`` (also ``aws_elb_attachment``, see network.py for the target group
  one): ``target`` the target group or Classic ELB, ``instance`` the registered target.
* ``lambda_function`` (``aws_lambda_function``, ``AWS::Lambda::Function``, SAM
  ``AWS::Serverless::Function``): ``subnets``, the VPC subnets its network interfaces sit in
  (``vpc_config.subnet_ids`` / ``VpcConfig.SubnetIds``); None (or an empty list) when the
  function is not attached to a VPC. A SAM function's subnets include those of the template's
  ``Globals: Function: VpcConfig`` (the loader passes the section as ``sam_globals``; SAM
  concatenates lists). ``images``: the container image it runs (``image_uri``,
  ``Code.ImageUri``, SAM ``ImageUri``), a one-item list, empty for a .zip package.
"""

from __future__ import annotations

from typing import Any

from hadr_lint.model import AZ, Unknown
from hadr_lint.normalise.fields import (
    chain,
    read_path,
    spec,
    to_int,
    to_list,
    to_lower,
    to_str,
    to_upper,
)


def _identifiers(value: Any) -> Any:
    """``traffic_source { identifier = ... }`` blocks (CFN ``TrafficSources``) -> identifiers."""
    value = to_list(value)
    if isinstance(value, Unknown):
        return value
    return [v.get("identifier", v.get("Identifier")) if isinstance(v, dict) else v
            for v in value]


def target_ids(value: Any) -> Any:
    """CloudFormation target group ``Targets: [{Id, Port}]`` -> the ids (used by network.py)."""
    value = to_list(value)
    if isinstance(value, Unknown):
        return value
    return [to_str(v.get("Id")) if isinstance(v, dict) else Unknown("a target is not a mapping")
            for v in value]


def _attachment_target(raw: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    """An attachment names a target group (lb_target_group_arn) or a Classic ELB (elb)."""
    if out.get("target") is not None:
        return {}
    return {"target": to_str(raw.get("alb_target_group_arn", raw.get("elb")))}


def _known_zone_wins(raw: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    """An instance placed by a known zone needs no subnet to be located (plan: subnet unknown)."""
    zone, subnets = out.get("availability_zone"), out.get("subnets")
    if isinstance(zone, (str, AZ)) and isinstance(subnets, Unknown):
        return {"subnets": None}
    return {}


def _primary_interface(raw: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    """CloudFormation ``NetworkInterfaces``: without ``SubnetId`` the instance lives in the subnet
    of its primary interface (``DeviceIndex`` 0)."""
    if out.get("subnets") is None and raw.get("NetworkInterfaces") is not None:
        out = dict(out, subnets=_primary_subnet(to_list(raw.get("NetworkInterfaces"))))
    return {"subnets": out.get("subnets"), **_known_zone_wins(raw, out)}


def _primary_subnet(interfaces: Any) -> Any:
    if isinstance(interfaces, Unknown):
        return interfaces
    for interface in interfaces:
        if not isinstance(interface, dict):
            return Unknown("a network interface that is not a mapping")
        index = interface.get("DeviceIndex")
        if isinstance(index, Unknown):
            return index
        if str(index) != "0":
            continue
        if interface.get("SubnetId") is not None:
            return to_list(interface.get("SubnetId"))
        return Unknown("the primary network interface is a separate resource (NetworkInterfaceId): "
                       "its subnet is not read")
    return None


def _sam_subnets(raw: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    """SAM merges ``Globals.Function`` into each function; lists are concatenated."""
    own, shared = out.get("subnets"), out.get("sam_globals")
    if shared is None:
        return {}
    shared = read_path(shared, "VpcConfig.SubnetIds")
    if shared is None:
        return {}
    shared = to_list(shared)
    if own is None or isinstance(shared, Unknown):
        return {"subnets": shared}
    if isinstance(own, Unknown):
        return {}
    return {"subnets": [*own, *shared]}


def _one_image(value: Any) -> list:
    """A function's image as a one-item list (kept as written: a reference, text, Unknown)."""
    return [] if value is None else [value]


def _count_unknown(raw: dict, out: dict) -> dict:
    """An instance block whose count/for_each (or its module's) is unknown stands for an
    unknown number of instances."""
    return {"count_unknown": out.get("count_unknown")}


# An autoscaling group's inputs, named alike by the resource and the registry module
# (terraform-aws-modules/autoscaling, normalise/registry_modules.py).
TF_AUTOSCALING_GROUP = dict(
    subnets=("vpc_zone_identifier", to_list),
    availability_zones=("availability_zones", to_list),
    min_size=("min_size", to_int),
    max_size=("max_size", to_int),
    desired_capacity=("desired_capacity", to_int),
    health_check_type=("health_check_type", to_upper),
    target_groups=("target_group_arns", to_list),
    load_balancers=("load_balancers", to_list),
)

TERRAFORM = {
    "aws_instance": spec(
        "instance",
        chain(_known_zone_wins, _count_unknown),
        subnets=("subnet_id", to_list),
        availability_zone=("availability_zone", to_str),
    ),
    "aws_elb_attachment": spec(
        "target_group_attachment",
        target=("elb", to_str),
        instance=("instance", to_str),
    ),
    "aws_autoscaling_group": spec(
        "autoscaling_group",
        **TF_AUTOSCALING_GROUP,
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
    "aws_lambda_function": spec(
        "lambda_function",
        subnets=("vpc_config.0.subnet_ids", to_list),
        images=("image_uri", _one_image),
    ),
    "aws_appautoscaling_target": spec(
        "scaling_target",
        resource_id=("resource_id", to_str),
        dimension=("scalable_dimension", to_str),
        min_capacity=("min_capacity", to_int),
    ),
}
# A spot request (wait_for_fulfillment) launches one instance in its subnet_id / zone.
TERRAFORM["aws_spot_instance_request"] = TERRAFORM["aws_instance"]

CLOUDFORMATION = {
    "AWS::EC2::Instance": spec(
        "instance",
        _primary_interface,
        subnets=("SubnetId", to_list),
        availability_zone=("AvailabilityZone", to_str),
    ),
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
    "AWS::Lambda::Function": spec(
        "lambda_function",
        subnets=("VpcConfig.SubnetIds", to_list),
        images=("Code.ImageUri", _one_image),
    ),
    "AWS::Serverless::Function": spec(
        "lambda_function",
        _sam_subnets,
        subnets=("VpcConfig.SubnetIds", to_list),
        images=("ImageUri", _one_image),
    ),
    "AWS::ApplicationAutoScaling::ScalableTarget": spec(
        "scaling_target",
        resource_id=("ResourceId", to_str),
        dimension=("ScalableDimension", to_str),
        min_capacity=("MinCapacity", to_int),
    ),
}
