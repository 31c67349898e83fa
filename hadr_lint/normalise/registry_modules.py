"""Popular registry modules that were not downloaded, mapped onto canonical kinds.

The Terraform loader turns a module call it cannot load into a Resource of type ``module`` whose
``raw`` holds the call's evaluated inputs and ``meta["source"]`` its source. ``MODULES`` maps a
registry source without host, version or ``?ref=`` (``terraform-aws-modules/vpc/aws``) onto a
spec of the same kind the module's main resource has, so the same rules apply, pointing at the
module block. A submodule (``//modules/x``) is a different module and is not mapped. Module
outputs stay unknown, except those ``hadr_lint.loaders.terraform.registry_outputs`` derives from
the inputs (terraform-aws-modules/vpc: its subnets and VPC; efs: the file system, mount targets,
backup policy and replication; ec2-instance: the instance; eks's eks-managed-node-group: the node
group; all added as plain resources, so they are not mapped here).

Canonical kinds and attributes added here:

* ``vpc_module`` (terraform-aws-modules/vpc): ``azs``, ``enable_nat_gateway``,
  ``single_nat_gateway``, ``one_nat_gateway_per_az`` (module defaults: all False),
  ``private_subnets`` (CIDR list).
* ``db_instance`` (rds), ``autoscaling_group`` (autoscaling), ``load_balancer`` (alb),
  ``cache_replication_group`` / ``cache_cluster`` (elasticache), ``lambda_function`` (lambda:
  ``subnets`` from ``vpc_subnet_ids``), ``db_cluster`` (rds-aurora, with
  ``instance_count``, ``instance_zones`` and ``autoscaling_min_readers`` read from the inputs).

A module call whose create flag is false (``create = false``, ``create_vpc = false``...) is left
unmapped: it creates nothing.
"""

from __future__ import annotations

import re
from typing import Any

from hadr_lint.model import Resource, Unknown
from hadr_lint.normalise.compute import TF_AUTOSCALING_GROUP
from hadr_lint.normalise.fields import (
    Spec,
    chain,
    spec,
    to_bool,
    to_int,
    to_list,
    to_lower,
    to_str,
)
from hadr_lint.normalise.network import lb_subnets

_GIT = re.compile(r"github\.com[/:]([\w.-]+)/terraform-(\w+)-([\w.-]+?)(?:\.git)?$")


def registry_key(source: Any) -> str:
    """``registry.terraform.io/ns/name/aws//x?ref=1`` -> ``ns/name/aws//x``; git URLs too."""
    if not isinstance(source, str):
        return ""
    text = source.split("?", 1)[0]
    text, _, sub = text.partition("//") if "://" not in text else _split_url(text)
    if text.startswith("git::") or "github.com" in text:
        found = _GIT.search(text)
        text = f"{found.group(1)}/{found.group(3)}/{found.group(2)}" if found else text
    parts = text.split("/")
    if len(parts) == 4 and "." in parts[0]:
        parts = parts[1:]
    key = "/".join(parts)
    return f"{key}//{sub}" if sub else key


def _split_url(text: str) -> tuple[str, str, str]:
    scheme, _, rest = text.partition("://")
    path, sep, sub = rest.partition("//")
    return f"{scheme}://{path}", sep, sub


def _instances(raw: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    """rds-aurora ``instances`` map: its size, the AZs it pins, autoscaled readers."""
    instances = raw.get("instances")
    found: dict[str, Any] = {}
    if isinstance(instances, Unknown):
        found.update(instance_count=instances, instance_zones=instances)
    elif isinstance(instances, dict):
        values = list(instances.values())
        found["instance_count"] = len(values)
        found["instance_zones"] = [
            to_str(v.get("availability_zone")) if isinstance(v, dict) else None for v in values
        ]
    else:
        found.update(instance_count=0 if instances is None else Unknown("instances not a map"),
                     instance_zones=[])
    enabled = to_bool(raw.get("autoscaling_enabled", False))
    minimum = to_int(raw.get("autoscaling_min_capacity", 0))
    found["autoscaling_min_readers"] = minimum if enabled is True else (
        enabled if isinstance(enabled, Unknown) else 0)
    return found


def _traffic_sources(raw: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    attachments = raw.get("traffic_source_attachments")
    if isinstance(attachments, Unknown):
        return {"traffic_sources": attachments}
    if not isinstance(attachments, dict):
        return {"traffic_sources": []}
    return {"traffic_sources": [
        v.get("traffic_source_identifier") if isinstance(v, dict) else v
        for v in attachments.values()
    ]}


def _cache_failover(raw: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    """The module forces automatic failover on with Multi-AZ or cluster mode."""
    if out.get("multi_az") is True or to_bool(raw.get("cluster_mode_enabled")) is True:
        return {"automatic_failover": True}
    return {}


def _nodes_per_shard(raw: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    count = raw.get("num_cache_clusters")
    if count is not None:
        return {"nodes_per_shard": to_int(count)}
    extra = to_int(raw.get("replicas_per_node_group"))
    return {"nodes_per_shard": extra + 1 if isinstance(extra, int) else extra}


_REPLICATION_GROUP = spec(
    "cache_replication_group",
    chain(_cache_failover, _nodes_per_shard),
    name=("replication_group_id", to_str),
    engine=("engine", to_lower, "redis"),
    automatic_failover=("automatic_failover_enabled", to_bool, False),
    multi_az=("multi_az_enabled", to_bool, False),
    num_node_groups=("num_node_groups", to_int),
    snapshot_retention=("snapshot_retention_limit", to_int, 0),
    global_replication_group=("global_replication_group_id", to_str),
)

_CACHE_CLUSTER = spec(
    "cache_cluster",
    name=("cluster_id", to_str),
    engine=("engine", to_lower, "redis"),
    num_cache_nodes=("num_cache_nodes", to_int, 1),
    az_mode=("az_mode", to_lower),
    snapshot_retention=("snapshot_retention_limit", to_int, 0),
)

# registry source -> (create flags that must not be false, spec)
MODULES: dict[str, tuple[tuple[str, ...], Spec]] = {
    "terraform-aws-modules/vpc/aws": (("create_vpc",), spec(
        "vpc_module",
        azs=("azs", to_list),
        enable_nat_gateway=("enable_nat_gateway", to_bool, False),
        single_nat_gateway=("single_nat_gateway", to_bool, False),
        one_nat_gateway_per_az=("one_nat_gateway_per_az", to_bool, False),
        private_subnets=("private_subnets", to_list),
    )),
    "terraform-aws-modules/rds/aws": (("create_db_instance",), spec(
        "db_instance",
        engine=("engine", to_lower),
        multi_az=("multi_az", to_bool, False),
        replicate_source=("replicate_source_db", to_str),
        availability_zone=("availability_zone", to_str),
        backup_retention=("backup_retention_period", to_int),
        deletion_protection=("deletion_protection", to_bool, False),
    )),
    "terraform-aws-modules/autoscaling/aws": (("create", "create_asg"), spec(
        "autoscaling_group",
        _traffic_sources,
        **TF_AUTOSCALING_GROUP,
    )),
    "terraform-aws-modules/alb/aws": (("create", "create_lb"), spec(
        "load_balancer",
        lb_subnets,
        lb_type=("load_balancer_type", to_lower, "application"),
        subnets=("subnets", to_list),
        internal=("internal", to_bool, False),
        deletion_protection=("enable_deletion_protection", to_bool, True),
    )),
    "terraform-aws-modules/elasticache/aws": (("create",), _REPLICATION_GROUP),
    "terraform-aws-modules/lambda/aws": (("create", "create_function"), spec(
        "lambda_function",
        subnets=("vpc_subnet_ids", to_list),
    )),
    "terraform-aws-modules/rds-aurora/aws": (("create", "create_cluster"), spec(
        "db_cluster",
        _instances,
        engine=("engine", to_lower),
        engine_mode=("engine_mode", to_lower, "provisioned"),
        scalability_type=("cluster_scalability_type", to_lower, "standard"),
        global_cluster=("global_cluster_identifier", to_str),
        replication_source=("replication_source_identifier", to_str),
        backup_retention=("backup_retention_period", to_int),
        deletion_protection=("deletion_protection", to_bool, False),
    )),
}


def module_spec(resource: Resource) -> Spec | None:
    """The spec for a module call that was not loaded, or None (unmapped, or creates nothing)."""
    found = MODULES.get(registry_key(resource.meta.get("source")))
    if found is None:
        return None
    flags, made = found
    if any(resource.raw.get(flag) is False for flag in flags):
        return None
    if made is _REPLICATION_GROUP and resource.raw.get("create_replication_group") is False:
        return _CACHE_CLUSTER if resource.raw.get("create_cluster") is True else None
    return made
