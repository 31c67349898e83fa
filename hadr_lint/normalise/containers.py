"""Containers: ECS services, EKS managed node groups and Fargate profiles, and their subnets.

Canonical kinds and attributes (both formats):

* ``ecs_service``: ``subnets`` (awsvpc network configuration; empty for bridge/host networking),
  ``desired_count``.
* ``eks_node_group``: ``subnets``, ``min_size``, ``desired_size``.
* ``eks_fargate_profile``: ``subnets`` (where the profile's pods run).
* ``beanstalk_environment``: ``environment_type`` (option ``EnvironmentType`` of namespace
  ``aws:elasticbeanstalk:environment``: ``SingleInstance`` or ``LoadBalanced``, the default),
  ``subnets`` (option ``Subnets`` of ``aws:ec2:vpc``, the comma-separated instance subnets, split;
  empty when not set). An option the files do not show but a dynamic setting or a saved
  configuration (``template_name`` / ``TemplateName``) may set is Unknown.
* ``ecs_task_definition`` (``aws_ecs_task_definition``, ``AWS::ECS::TaskDefinition``): what its
  containers run from: ``images`` (each container's ``image`` / ``Image``: a string, a value
  built from a reference such as ``${aws_ecr_repository.app.repository_url}:1``, or Unknown)
  and ``secret_refs`` (each ``secrets[].valueFrom`` / ``Secrets[].ValueFrom``: a Secrets
  Manager secret's ARN or an SSM parameter). Either is an Unknown when the container
  definitions cannot be read (``file()``, a variable, a heredoc with interpolations); a
  Terraform ``jsonencode`` with unknown parts (``Encoded``) and a JSON string are read.
"""

from __future__ import annotations

import json
from typing import Any

from hadr_lint.model import Encoded, Unknown
from hadr_lint.normalise.fields import spec, to_int, to_list

ENVIRONMENT = ("aws:elasticbeanstalk:environment", "EnvironmentType")
VPC_SUBNETS = ("aws:ec2:vpc", "Subnets")


def _beanstalk(settings: str, keys: tuple[str, str, str], template: str):
    """Derive ``environment_type`` and ``subnets`` from the option settings list."""

    def derive(raw: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
        listed, saved = raw.get(settings), raw.get(template)
        kind = _option(listed, keys, ENVIRONMENT, saved)
        subnets = _option(listed, keys, VPC_SUBNETS, saved)
        return {"environment_type": "LoadBalanced" if kind is None else kind,
                "subnets": _split(subnets)}

    return derive


def _option(listed: Any, keys: tuple[str, str, str], wanted: tuple[str, str], saved: Any) -> Any:
    """The value of option ``wanted`` (namespace, name): None when certainly not set."""
    if isinstance(listed, Unknown):
        return Unknown(f"option settings unknown: {listed.reason}")
    open_entry = None
    for entry in listed if isinstance(listed, list) else []:
        if not isinstance(entry, dict):
            open_entry = Unknown("an option setting is not a block")
            continue
        namespace, name = entry.get(keys[0]), entry.get(keys[1])
        if (namespace, name) == wanted:
            return entry.get(keys[2])
        unknown = next((v for v in (namespace, name) if isinstance(v, Unknown)), None)
        if unknown is not None:
            open_entry = Unknown(f"an option setting's name is unknown: {unknown.reason}")
    if open_entry is None and saved not in (None, ""):
        open_entry = Unknown(f"{wanted[0]} {wanted[1]} may come from the saved configuration "
                             f"{saved}")
    return open_entry


def _split(value: Any) -> Any:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return to_list(value)

def _containers(key: str, names: tuple[str, str, str, str]):
    """``images`` and ``secret_refs`` from the container definitions under ``key``."""
    image, secrets, value_from, what = names

    def derive(raw: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
        found = _definitions(raw.get(key), what)
        if isinstance(found, Unknown):
            return {"images": found, "secret_refs": found}
        images: list[Any] = []
        refs: list[Any] = []
        for item in found:
            if not isinstance(item, dict):  # one container unknown: its image and secrets
                why = Unknown(f"a container definition is unknown: {item.reason}"
                              if isinstance(item, Unknown) else
                              "a container definition is not an object")
                images.append(why)
                refs.append(why)
                continue
            images.append(item.get(image))
            listed = item.get(secrets) or []
            if isinstance(listed, Unknown) or not isinstance(listed, list):
                refs.append(Unknown(f"secrets of container {item.get('name', '?')} unknown"))
                continue
            refs += [s.get(value_from) if isinstance(s, dict) else
                     Unknown("a container secret is not an object") for s in listed]
        return {"images": [i for i in images if i is not None], "secret_refs": refs}

    return derive


def _definitions(value: Any, what: str) -> Any:
    """The list of container definitions; Unknown when it cannot be read."""
    if isinstance(value, Encoded):
        value = value.value
    elif isinstance(value, Unknown):
        return Unknown(f"{what} unknown: {value.reason}")
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return Unknown(f"{what} is not JSON")
    if value is None:
        return []
    if isinstance(value, dict):
        return [value]
    if isinstance(value, list):
        return value
    return Unknown(f"{what} is not a list of container definitions")


TERRAFORM = {
    "aws_ecs_task_definition": spec(
        "ecs_task_definition", _containers("container_definitions", (
            "image", "secrets", "valueFrom", "container_definitions"))),
    "aws_ecs_service": spec(
        "ecs_service",
        subnets=("network_configuration.0.subnets", to_list),
        desired_count=("desired_count", to_int),
    ),
    "aws_eks_node_group": spec(
        "eks_node_group",
        subnets=("subnet_ids", to_list),
        min_size=("scaling_config.0.min_size", to_int),
        desired_size=("scaling_config.0.desired_size", to_int),
    ),
    "aws_eks_fargate_profile": spec("eks_fargate_profile", subnets=("subnet_ids", to_list)),
    "aws_elastic_beanstalk_environment": spec(
        "beanstalk_environment", _beanstalk("setting", ("namespace", "name", "value"),
                                            "template_name")),
}

CLOUDFORMATION = {
    "AWS::ECS::TaskDefinition": spec(
        "ecs_task_definition", _containers("ContainerDefinitions", (
            "Image", "Secrets", "ValueFrom", "ContainerDefinitions"))),
    "AWS::ECS::Service": spec(
        "ecs_service",
        subnets=("NetworkConfiguration.AwsvpcConfiguration.Subnets", to_list),
        desired_count=("DesiredCount", to_int),
    ),
    "AWS::EKS::Nodegroup": spec(
        "eks_node_group",
        subnets=("Subnets", to_list),
        min_size=("ScalingConfig.MinSize", to_int),
        desired_size=("ScalingConfig.DesiredSize", to_int),
    ),
    "AWS::EKS::FargateProfile": spec("eks_fargate_profile", subnets=("Subnets", to_list)),
    "AWS::ElasticBeanstalk::Environment": spec(
        "beanstalk_environment", _beanstalk("OptionSettings", ("Namespace", "OptionName", "Value"),
                                            "TemplateName")),
}
