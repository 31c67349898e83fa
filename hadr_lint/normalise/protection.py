"""Protection against deletion: graph databases, Backup vault locks, S3 versioning, and the
retention attributes every stateful kind shares.

Canonical kinds and attributes (both formats):

* ``neptune_cluster`` and ``docdb_cluster``: ``engine``, ``identifier``, ``global_cluster``
  (Terraform), ``deletion_protection`` (bool, default False), ``backup_retention`` (days,
  default 1), ``skip_final_snapshot`` and ``final_snapshot_identifier`` (Terraform only; None in
  CloudFormation, where DeletionPolicy decides).
* ``neptune_instance`` and ``docdb_instance`` (``aws_neptune_cluster_instance``,
  ``aws_docdb_cluster_instance``, ``AWS::Neptune::DBInstance``, ``AWS::DocDB::DBInstance``):
  ``cluster`` (identifier or Ref), ``availability_zone``, ``count_unknown``.
* ``docdb_global_cluster`` and ``neptune_global_cluster`` (Terraform): ``identifier``,
  ``source_cluster``; a member cluster names its global cluster in ``global_cluster``.
* ``backup_vault_lock`` (``aws_backup_vault_lock_configuration``): ``vault`` (the vault's name or
  a Ref to it), ``min_retention`` (days), ``changeable_for_days`` (None: governance mode).
* ``s3_versioning`` (``aws_s3_bucket_versioning``): ``bucket`` (name or Ref), ``enabled`` (True
  for ``Enabled``, False for ``Suspended``/``Disabled``).

Attributes this module's functions add to kinds of other families: ``backup_vault`` (backup.py)
gets ``locked`` (CloudFormation: True when ``LockConfiguration`` is set; Terraform: None, the lock
is a separate ``backup_vault_lock``), ``lock_min_retention`` and ``force_destroy`` (Terraform).

Retention attributes, added to stateful kinds of every family by the derive functions below:

* ``retain_on_delete`` / ``retain_on_replace`` (CloudFormation): True when DeletionPolicy /
  UpdateReplacePolicy is Retain, RetainExceptOnCreate or Snapshot, False for Delete; absent
  policies take CloudFormation's defaults from ``DELETION_DEFAULTS``; None in Terraform.
* ``prevent_destroy`` (Terraform): the ``lifecycle { prevent_destroy }`` value, default False;
  Unknown in plan JSON, which does not record it; None in CloudFormation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hadr_lint.model import Unknown
from hadr_lint.normalise.fields import spec, to_bool, to_int, to_lower, to_str

# CloudFormation's DeletionPolicy when a template sets none (AWS docs, "DeletionPolicy
# attribute"): Delete, except Snapshot for AWS::RDS::DBCluster and for AWS::RDS::DBInstance
# without DBClusterIdentifier. UpdateReplacePolicy defaults to Delete for every type.
DELETION_DEFAULTS = {
    "AWS::RDS::DBCluster": "Snapshot",
    "AWS::RDS::DBInstance": "Snapshot",
}
# The types whose default above applies only while this property is absent.
DEFAULT_UNLESS_SET = {"AWS::RDS::DBInstance": "DBClusterIdentifier"}
REPLACE_DEFAULT = "Delete"

KEEPS_DATA = {"delete": False, "retain": True, "retainexceptoncreate": True, "snapshot": True}

PLAN_LIFECYCLE = "plan JSON does not record lifecycle.prevent_destroy"


def _keeps(policy: Any, name: str) -> Any:
    if isinstance(policy, Unknown):
        return Unknown(f"{name} unknown: {policy.reason}")
    if isinstance(policy, str) and policy.lower() in KEEPS_DATA:
        return KEEPS_DATA[policy.lower()]
    return Unknown(f"{name} {policy!r} is not a known policy")


def _deletion_default(cfn_type: str, raw: dict[str, Any]) -> str:
    unless = DEFAULT_UNLESS_SET.get(cfn_type)
    if unless and raw.get(unless) not in (None, ""):
        return "Delete"
    return DELETION_DEFAULTS.get(cfn_type, "Delete")


def cfn_retention(cfn_type: str) -> Callable[[dict, dict], dict]:
    """Derive ``retain_on_delete`` / ``retain_on_replace`` from the resource's policies."""

    def derive(raw: dict[str, Any], meta: dict[str, Any]) -> dict[str, Any]:
        deletion = meta.get("deletion_policy", _deletion_default(cfn_type, raw))
        replace = meta.get("update_replace_policy", REPLACE_DEFAULT)
        return {
            "retain_on_delete": _keeps(deletion, "DeletionPolicy"),
            "retain_on_replace": _keeps(replace, "UpdateReplacePolicy"),
        }

    return derive


def tf_retention(raw: dict[str, Any], meta: dict[str, Any]) -> dict[str, Any]:
    """Derive ``prevent_destroy`` from the HCL lifecycle block (plan JSON has none)."""
    lifecycle = meta.get("lifecycle")
    if not isinstance(lifecycle, dict):
        return {"prevent_destroy": Unknown(PLAN_LIFECYCLE)}
    value = lifecycle.get("prevent_destroy")
    return {"prevent_destroy": False if value is None else to_bool(value)}


# ----- AWS Backup vault locks ------------------------------------------------------------------
def cfn_vault_lock(raw: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    lock = raw.get("LockConfiguration")
    if isinstance(lock, Unknown):
        return {"locked": lock, "lock_min_retention": lock}
    if isinstance(lock, dict):
        return {"locked": True, "lock_min_retention": to_int(lock.get("MinRetentionDays"))}
    return {"locked": False, "lock_min_retention": None}


_TF_GRAPH_DB = dict(
    engine=("engine", to_lower),
    identifier=("cluster_identifier", to_str),
    global_cluster=("global_cluster_identifier", to_str),
    deletion_protection=("deletion_protection", to_bool, False),
    backup_retention=("backup_retention_period", to_int, 1),
    skip_final_snapshot=("skip_final_snapshot", to_bool, False),
    final_snapshot_identifier=("final_snapshot_identifier", to_str),
)
_CFN_GRAPH_DB = dict(
    identifier=("DBClusterIdentifier", to_str),
    global_cluster=("GlobalClusterIdentifier", to_str),
    deletion_protection=("DeletionProtection", to_bool, False),
    backup_retention=("BackupRetentionPeriod", to_int, 1),
)

def _count_unknown(raw: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    """An instance block whose count/for_each is unknown stands for an unknown number."""
    return {"count_unknown": out.get("count_unknown")}


def _instance(kind: str, cluster: str, zone: str):
    return spec(kind, _count_unknown, cluster=(cluster, to_str), availability_zone=(zone, to_str))


TERRAFORM = {
    "aws_neptune_cluster": spec("neptune_cluster", tf_retention, **_TF_GRAPH_DB),
    "aws_docdb_cluster": spec("docdb_cluster", tf_retention, **_TF_GRAPH_DB),
    "aws_docdb_global_cluster": spec(
        "docdb_global_cluster",
        identifier=("global_cluster_identifier", to_str),
        source_cluster=("source_db_cluster_identifier", to_str),
    ),
    "aws_neptune_global_cluster": spec(
        "neptune_global_cluster",
        identifier=("global_cluster_identifier", to_str),
        source_cluster=("source_db_cluster_identifier", to_str),
    ),
    "aws_neptune_cluster_instance": _instance("neptune_instance", "cluster_identifier",
                                              "availability_zone"),
    "aws_docdb_cluster_instance": _instance("docdb_instance", "cluster_identifier",
                                            "availability_zone"),
    "aws_backup_vault_lock_configuration": spec(
        "backup_vault_lock",
        vault=("backup_vault_name", to_str),
        min_retention=("min_retention_days", to_int),
        changeable_for_days=("changeable_for_days", to_int),
    ),
    "aws_s3_bucket_versioning": spec(
        "s3_versioning",
        bucket=("bucket", to_str),
        enabled=("versioning_configuration.0.status", lambda v: to_enabled(v)),
    ),
}

CLOUDFORMATION = {
    "AWS::Neptune::DBInstance": _instance("neptune_instance", "DBClusterIdentifier",
                                          "AvailabilityZone"),
    "AWS::DocDB::DBInstance": _instance("docdb_instance", "DBClusterIdentifier",
                                        "AvailabilityZone"),
    "AWS::Neptune::DBCluster": spec(
        "neptune_cluster",
        cfn_retention("AWS::Neptune::DBCluster"),
        engine=("Engine", to_lower, "neptune"),
        **_CFN_GRAPH_DB,
    ),
    "AWS::DocDB::DBCluster": spec(
        "docdb_cluster",
        cfn_retention("AWS::DocDB::DBCluster"),
        engine=("Engine", to_lower, "docdb"),
        **_CFN_GRAPH_DB,
    ),
}


def to_enabled(value: Any) -> Any:
    """``Enabled`` -> True, ``Suspended``/``Disabled`` -> False (S3 versioning status)."""
    value = to_lower(value)
    if isinstance(value, str):
        if value in ("enabled", "suspended", "disabled"):
            return value == "enabled"
        return Unknown(f"status {value!r} is neither Enabled nor Suspended")
    return value


def cfn_lb_deletion_protection(raw: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    """``deletion_protection`` from ``LoadBalancerAttributes`` (``deletion_protection.enabled``)."""
    entries = raw.get("LoadBalancerAttributes")
    if isinstance(entries, Unknown):
        return {"deletion_protection": entries}
    for entry in entries if isinstance(entries, list) else []:
        key = entry.get("Key") if isinstance(entry, dict) else entry
        if isinstance(key, Unknown):
            return {"deletion_protection": Unknown(f"a load balancer attribute: {key.reason}")}
        if key == "deletion_protection.enabled":
            return {"deletion_protection": to_bool(entry.get("Value"))}
    return {"deletion_protection": False}
