"""Containers: ECS services, EKS managed node groups and Fargate profiles, and their subnets.

Canonical kinds and attributes (both formats):

* ``ecs_service``: ``subnets`` (awsvpc network configuration; empty for bridge/host networking),
  ``desired_count``.
* ``eks_node_group``: ``subnets``, ``min_size``, ``desired_size``.
* ``eks_fargate_profile``: ``subnets`` (where the profile's pods run).
"""

from __future__ import annotations

from hadr_lint.normalise.fields import spec, to_int, to_list

TERRAFORM = {
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
}

CLOUDFORMATION = {
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
}
